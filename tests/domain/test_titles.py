"""Titles that tell documents apart: the distinguishing part, short titles."""

from __future__ import annotations

from annotator.domain.titles import distinguishing_titles, initials, short_title, short_titles

WIKI = "Tidewater Workers League"  # the titles of the suite's own samples
ARTICLE = "The Tidewater Workers League and the harbour-closure campaign"


def test_the_samples_are_told_apart():
    shown = distinguishing_titles([WIKI, ARTICLE])
    assert shown == [WIKI, "TWL \u2026 and the harbour-closure campaign"]
    # What differs comes first: the first 20 characters already differ.
    assert shown[0][:20] != shown[1][:20]


def test_titles_without_a_shared_start_are_unchanged():
    titles = ["Minutes of the meeting", "A letter to the editor", "Notes"]
    assert distinguishing_titles(titles) == titles
    assert distinguishing_titles([]) == []
    assert distinguishing_titles(["Only one"]) == ["Only one"]


def test_one_shared_word_is_not_abbreviated():
    titles = ["Quayside Voice editorial", "Quaysides today"]
    assert distinguishing_titles(titles) == titles
    titles = ["Thale and the Board", "Thale answers"]
    assert distinguishing_titles(titles) == titles


def test_longest_shared_prefix_among_many():
    titles = [
        "Report of the committee on housing",
        "Report of the committee on schools",
        "Report of the treasurer",
    ]
    assert distinguishing_titles(titles) == [
        "Report \u2026 housing",
        "Report \u2026 schools",
        "Report \u2026 treasurer",
    ]


def test_case_articles_and_punctuation_are_ignored_when_comparing():
    titles = ["the Left Review: spring issue", "Left REVIEW — autumn issue"]
    assert distinguishing_titles(titles) == [
        "LR \u2026 spring issue",
        "LR \u2026 \u2014 autumn issue",
    ]


def test_identical_titles_are_numbered():
    assert distinguishing_titles(["Notes", "notes", "Other"]) == ["Notes", "notes (2)", "Other"]


def test_non_latin_titles():
    # "Union of harbour workers", then "Union of harbour and council"
    a = (
        "\u0421\u043e\u044e\u0437 \u043f\u043e\u0440\u0442\u043e\u0432\u044b\u0445 "
        "\u0440\u0430\u0431\u043e\u0447\u0438\u0445"
    )
    b = a.rsplit(" ", 1)[0] + " \u0438 \u0421\u043e\u0432\u0435\u0442"
    shown = distinguishing_titles([a, b])
    assert shown == [
        "\u0421\u043e\u044e\u0437 \u2026 \u0440\u0430\u0431\u043e\u0447\u0438\u0445",
        "\u0421\u043e\u044e\u0437 \u2026 \u0438 \u0421\u043e\u0432\u0435\u0442",
    ]
    assert initials(["\u0421\u043e\u044e\u0437", "\u041f\u043e\u0440\u0442"]) == "\u0421\u041f"


def test_short_title_cuts_at_a_word():
    assert short_title("Short", 10) == "Short"
    assert short_title("The Velmora Harbour Board Minutes", 24) == "The Velmora Harbour\u2026"
    assert len(short_title("x" * 80, 20)) == 20
    assert short_title("  spaced   out  ", 40) == "spaced out"


def test_short_titles_stay_distinct():
    shown = short_titles([WIKI, ARTICLE], 28)
    assert len(set(shown)) == 2
    assert all(len(s) <= 28 for s in shown)
    shown = short_titles(
        ["A very long title that ends in one", "A very long title that ends in two"], 12
    )
    assert len(set(shown)) == 2
