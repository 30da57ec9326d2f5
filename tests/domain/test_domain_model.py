"""The entities: dates, labels, quote selectors, spans, claims, links, documents, tags."""

from __future__ import annotations

import pytest

from annotator.domain.errors import AnnotatorError, ValidationError
from annotator.domain.model import (
    QUOTE_CONTEXT,
    Claim,
    Document,
    Evidence,
    Label,
    Link,
    PartialDate,
    QuoteSelector,
    Relation,
    check_color,
    check_key,
    check_span,
    normalize_tags,
)

# -- PartialDate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017", PartialDate(2017)),
        ("2017-02", PartialDate(2017, 2)),
        ("2017-2", PartialDate(2017, 2)),
        ("2017-02-21", PartialDate(2017, 2, 21)),
        ("  2017-02-21\n", PartialDate(2017, 2, 21)),
        ("2020-02-29", PartialDate(2020, 2, 29)),
    ],
)
def test_partial_date_parse(text: str, expected: PartialDate) -> None:
    assert PartialDate.parse(text) == expected


@pytest.mark.parametrize(
    ("value", "iso"),
    [
        (PartialDate(2017), "2017"),
        (PartialDate(2017, 2), "2017-02"),
        (PartialDate(2017, 2, 1), "2017-02-01"),
        (PartialDate(987), "0987"),
    ],
)
def test_partial_date_iso_round_trip(value: PartialDate, iso: str) -> None:
    assert value.iso() == iso
    assert str(value) == iso
    assert PartialDate.parse(iso) == value


def test_year_only_and_month_only_have_no_finer_parts() -> None:
    year = PartialDate.parse("1999")
    assert (year.month, year.day) == (None, None)
    month = PartialDate.parse("1999-12")
    assert (month.month, month.day) == (12, None)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "17",
        "2017-",
        "2017/02/21",
        "21.02.2017",
        "2017-02-21T10:00",
        "February 2017",
        "2017-13",
        "2017-00",
        "2017-02-30",
        "2019-02-29",
        "2017-04-31",
        "2017-02-00",
        "0000",
    ],
)
def test_bad_dates_are_validation_errors(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        PartialDate.parse(text)
    assert str(info.value).endswith(".")


def test_partial_date_refuses_a_day_without_a_month() -> None:
    with pytest.raises(ValidationError, match="needs a month"):
        PartialDate(2017, None, 3)


def test_partial_dates_sort_chronologically_with_mixed_precision() -> None:
    dates = [
        PartialDate(2017, 2, 21),
        PartialDate(2016),
        PartialDate(2017),
        PartialDate(2017, 2),
        PartialDate(2017, 1, 31),
    ]
    assert sorted(dates) == [
        PartialDate(2016),
        PartialDate(2017),
        PartialDate(2017, 1, 31),
        PartialDate(2017, 2),
        PartialDate(2017, 2, 21),
    ]
    assert PartialDate(2017) < PartialDate(2017, 1)
    assert PartialDate(2017, 1) <= PartialDate(2017, 1)
    assert PartialDate(2018) > PartialDate(2017, 12, 31)


# -- labels -----------------------------------------------------------------------------------


def test_label_accepts_a_valid_label() -> None:
    label = Label("id", "sourced", "#2E7D32", "1", 0)
    assert label.name == "sourced"


@pytest.mark.parametrize("color", ["red", "#fff", "2e7d32", "#2e7d3", "#2e7d322", "#gggggg", ""])
def test_bad_colours_are_refused(color: str) -> None:
    with pytest.raises(ValidationError, match="Not a colour"):
        check_color(color)
    with pytest.raises(ValidationError):
        Label("id", "x", color, None, 0)


def test_colours_are_normalised_to_lower_case() -> None:
    assert check_color("#2E7D32") == "#2e7d32"


@pytest.mark.parametrize("key", ["1", "a", "Ä", "ש", "😀", "?"])
def test_good_keys(key: str) -> None:
    assert check_key(key) == key
    Label("id", "x", "#000000", key, 0)


@pytest.mark.parametrize("key", [None, ""])
def test_no_key(key: str | None) -> None:
    assert check_key(key) is None


@pytest.mark.parametrize("key", ["12", " ", "\t", "\n", "\x00", "ab"])
def test_bad_keys_are_refused(key: str) -> None:
    with pytest.raises(ValidationError, match="one printable character"):
        check_key(key)


@pytest.mark.parametrize("name", ["", "   ", "\n"])
def test_label_needs_a_name(name: str) -> None:
    with pytest.raises(ValidationError, match="needs a name"):
        Label("id", name, "#000000", None, 0)


# -- quote selectors and spans ----------------------------------------------------------------


def test_quote_selector_clips_context_at_the_text_ends() -> None:
    text = "abc DEF ghi"
    q = QuoteSelector.at(text, 4, 7)
    assert q == QuoteSelector("DEF", "abc ", " ghi")
    whole = QuoteSelector.at(text, 0, len(text))
    assert whole == QuoteSelector(text, "", "")


def test_quote_selector_keeps_32_characters_either_side() -> None:
    text = "p" * 50 + "EXACT" + "s" * 50
    q = QuoteSelector.at(text, 50, 55)
    assert QUOTE_CONTEXT == 32
    assert q.exact == "EXACT"
    assert q.prefix == "p" * 32
    assert q.suffix == "s" * 32


def test_quote_selector_counts_code_points() -> None:
    text = "😀" * 40 + "e\u0301" + "שָׁלוֹם" * 10
    q = QuoteSelector.at(text, 40, 42)
    assert q.exact == "e\u0301"
    assert q.prefix == "😀" * 32
    assert len(q.suffix) == 32


@pytest.mark.parametrize(
    ("start", "end"), [(3, 3), (4, 3), (-1, 2), (0, 11), (10, 12), (11, 11), (0, 0)]
)
def test_check_span_refusals(start: int, end: int) -> None:
    text = "0123456789"
    with pytest.raises(ValidationError, match="non-empty span"):
        check_span(text, start, end)
    with pytest.raises(ValidationError):
        QuoteSelector.at(text, start, end)


def test_check_span_accepts_the_edges() -> None:
    check_span("0123456789", 0, 10)
    check_span("0123456789", 9, 10)
    with pytest.raises(ValidationError):
        check_span("", 0, 0)


def _claim(text: str, start: int, end: int, exact: str | None = None) -> Claim:
    quote = QuoteSelector(exact if exact is not None else text[start:end])
    return Claim("a", "d", start, end, quote, "label")


def test_annotation_check_against() -> None:
    text = "The treaty was signed in 1997."
    _claim(text, 4, 10).check_against(text)
    with pytest.raises(ValidationError, match="does not match"):
        _claim(text, 4, 10, exact="Treaty").check_against(text)
    with pytest.raises(ValidationError, match="non-empty span"):
        _claim(text, 25, 40, exact="1997.").check_against(text)
    with pytest.raises(ValidationError, match="does not match"):
        _claim(text, 4, 10).check_against("The Treaty was signed in 1997.")


# -- links, evidence, documents, tags --------------------------------------------------------


def test_link_refuses_a_self_link() -> None:
    with pytest.raises(ValidationError, match="itself"):
        Link("l", "a", "a", Relation.CORROBORATES)
    Link("l", "a", "b", Relation.CONTRADICTS)


def test_evidence_needs_a_citation_or_url() -> None:
    Evidence("Smith 2001, p. 4")
    Evidence("", "https://example.org")
    with pytest.raises(ValidationError):
        Evidence("  ", "  ")
    with pytest.raises(ValidationError):
        Evidence("")


@pytest.mark.parametrize("text", ["a\r\nb", "a\rb", "\r"])
def test_document_refuses_carriage_returns(text: str) -> None:
    with pytest.raises(ValidationError, match="line endings"):
        Document("d", "Title", text)


def test_document_validation() -> None:
    Document("d", "Title", "a\nb", paragraphs=((0, 1), (2, 3)))
    with pytest.raises(ValidationError, match="title"):
        Document("d", "  ", "text")
    with pytest.raises(ValidationError, match="paragraph"):
        Document("d", "Title", "abc", paragraphs=((0, 4),))
    with pytest.raises(ValidationError, match="paragraph"):
        Document("d", "Title", "abc", paragraphs=((2, 1),))


def test_document_page_of() -> None:
    doc = Document("d", "T", "x" * 300, pages=(0, 100, 200))
    assert [doc.page_of(o) for o in (0, 99, 100, 250, 300)] == [1, 1, 2, 3, 3]
    assert Document("d", "T", "x").page_of(0) is None


def test_normalize_tags() -> None:
    tags = ["  Russia ", "russia", "", "   ", "NATO\texpansion", "nato  expansion", "Ukraine"]
    assert normalize_tags(tags) == ("Russia", "NATO expansion", "Ukraine")
    assert normalize_tags([]) == ()
    assert normalize_tags(["Straße", "STRASSE"]) == ("Straße",)  # casefold
    assert normalize_tags(" media  bias ") == ("media bias",)  # one string is one tag


def test_user_errors_are_annotator_errors() -> None:
    assert issubclass(ValidationError, AnnotatorError)
