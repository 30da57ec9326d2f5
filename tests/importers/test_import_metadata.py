"""Metadata found in the text itself, and the hidden-character flags every importer shares."""

from __future__ import annotations

import pytest

from annotator.domain.model import PartialDate
from annotator.importers import convert
from annotator.importers.common import hidden_character_flags
from annotator.importers.metadata import byline, date_line, guess_metadata, parse_date


@pytest.mark.parametrize(
    ("line", "authors", "date"),
    [
        ("By R.J. Okafor", ("R.J. Okafor",), None),
        ("by José de la Cruz", ("José de la Cruz",), None),
        ("By John Smith and Jane Doe | 3 May 2020", ("John Smith", "Jane Doe"), "2020-05-03"),
        ("By Jane Doe, 21 February 2017", ("Jane Doe",), "2017-02-21"),
        ("Written by A. N. Other & Max Müller", ("A. N. Other", "Max Müller"), None),
        ("Author: Rosa Luxemburg.", ("Rosa Luxemburg",), None),
    ],
)
def test_bylines(line: str, authors: tuple[str, ...], date: str | None) -> None:
    found = byline(line)
    assert found is not None
    assert found[0] == authors
    assert (found[1].iso() if found[1] else None) == date


@pytest.mark.parametrize(
    "line", ["By the time we arrived, it was over.", "by 2017 the group had split", "Bylaws"]
)
def test_sentences_starting_with_by_are_not_bylines(line: str) -> None:
    assert byline(line) is None


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("21 February 2017", "2017-02-21"),
        ("February 21, 2017", "2017-02-21"),
        ("2017-02-21", "2017-02-21"),
        ("Feb. 21, 2017", "2017-02-21"),
        ("21st Feb 2017", "2017-02-21"),
        ("Published: Tuesday, February 21, 2017 at 10:30 GMT", "2017-02-21"),
        ("Updated 21.02.2017 10:30", "2017-02-21"),
        ("2017-02-21T10:00:00Z", "2017-02-21"),
        ("September 2017", "2017-09"),
    ],
)
def test_date_lines(line: str, iso: str) -> None:
    found = date_line(line)
    assert found is not None and found.iso() == iso


@pytest.mark.parametrize(
    "line", ["In 1939 the party split.", "8 March 1917 was the day the revolution began", "2017"]
)
def test_sentences_with_dates_are_not_date_lines(line: str) -> None:
    assert date_line(line) is None


def test_parse_date_accepts_partial_iso_and_rejects_impossible_days() -> None:
    assert parse_date("2020-05") == PartialDate(2020, 5)
    assert parse_date("2017-02-30") is None
    assert parse_date("no date here") is None


def test_guess_from_a_wiki_page() -> None:
    text = (
        "Site-wide banner about an election that is far too long to be a title, "
        "as banners go, and it goes on and on for a while longer than any title would.\n\n"
        "Tidewater Workers League\n\nFrom WikiWatch\nJump to navigation\n\n"
        "The TWL was founded in 1953.[note 1] It split in 2019.[1]"
    )
    meta = guess_metadata(text)
    assert meta.title == "Tidewater Workers League"
    assert meta.publisher == "WikiWatch"
    assert meta.authors == ()
    assert meta.published is None


def test_guess_byline_and_date_under_a_heading() -> None:
    meta = guess_metadata("# Headline\n\nBy R.J. Okafor\n21 February 2017\n\nText.")
    assert meta.title == "Headline"
    assert meta.authors == ("R.J. Okafor",)
    assert meta.published == PartialDate(2017, 2, 21)


def test_given_title_wins() -> None:
    assert guess_metadata("First line\nbody", title="Given").title == "Given"


def test_hidden_character_flags_count_each_kind() -> None:
    text = "a\u202ab\u202bc\u202cd\u202de\u202e f\u2066g\u2067h\u2068i\u2069 " + (
        "\u200b\u200c\u200d\u2060\ufeff"
    )
    assert hidden_character_flags(text) == [
        "contains 9 bidirectional control characters that can reorder how text is displayed",
        "contains 5 zero-width characters that are invisible on screen",
    ]
    assert hidden_character_flags("plain text, right-to-left \u05e9\u05dc\u05d5\u05dd") == []


@pytest.mark.parametrize(
    ("name", "wrap"),
    [
        ("t.txt", "{}"),
        ("t.md", "{}"),
        ("t.html", "<p>{}</p>"),
    ],
)
def test_every_text_importer_flags_and_keeps_hidden_characters(name: str, wrap: str) -> None:
    body = "Pay \u202e$001\u202c now\u200b\u200b\u200b."
    result = convert(wrap.format(body).encode(), name)
    assert body in result.text
    assert result.flags == (
        "contains 2 bidirectional control characters that can reorder how text is displayed",
        "contains 3 zero-width characters that are invisible on screen",
    )


def test_bom_at_start_is_not_a_hidden_character_but_inside_it_is() -> None:
    result = convert("\ufeffTitle\n\nword\ufeffword".encode(), "bom.txt")
    assert result.text == "Title\n\nword\ufeffword"
    assert result.flags == ("contains 1 zero-width character that is invisible on screen",)
