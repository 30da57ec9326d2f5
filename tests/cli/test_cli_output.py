"""The CLI's pure helpers: quote finding, evidence syntax, JSON values and text formatting."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta, timezone

import pytest

from annotator.cli import output as out
from annotator.cli.claim_cmds import find_quote, parse_evidence
from annotator.domain.errors import ValidationError
from annotator.domain.model import Evidence, PartialDate


def test_find_quote_prefers_exact_matches() -> None:
    text = 'He said “no”. He said "no".'
    assert find_quote(text, '"no"') == [(22, 26)]
    assert find_quote(text, "He said") == [(0, 7), (14, 21)]


def test_find_quote_tolerates_spacing_and_typographic_marks() -> None:
    text = "the Board’s   hired\nbullies — with pick-handles"
    ((start, end),) = find_quote(text, "Board's hired bullies - with")
    assert text[start:end] == "Board’s   hired\nbullies — with"
    assert find_quote(text, "  hired bullies  ") == [(text.index("hired"), text.index(" —"))]
    assert find_quote(text, "nowhere") == []
    assert find_quote(text, "   ") == []


def test_find_quote_counts_code_points() -> None:
    text = "😀 a quote 😀 a quote"
    assert find_quote(text, "a quote") == [(2, 9), (12, 19)]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Minutes, 1 March 1931", Evidence("Minutes, 1 March 1931")),
        ("https://example.org/a", Evidence("", "https://example.org/a")),
        ("Report | https://example.org/r", Evidence("Report", "https://example.org/r")),
        ("A | B | http://x.org", Evidence("A | B", "http://x.org")),
        ("Left | right", Evidence("Left | right")),
        ("  padded  ", Evidence("padded")),
    ],
)
def test_parse_evidence(value: str, expected: Evidence) -> None:
    assert parse_evidence(value) == expected


def test_parse_evidence_refuses_nothing() -> None:
    with pytest.raises(ValidationError):
        parse_evidence("   ")


def test_json_values() -> None:
    moment = datetime(2017, 2, 21, 9, 30, 5, 123000, tzinfo=UTC)
    assert out.iso_datetime(moment) == "2017-02-21T09:30:05.123Z"
    assert out.iso_datetime(moment.replace(microsecond=0)) == "2017-02-21T09:30:05Z"
    paris = moment.astimezone(timezone(timedelta(hours=1)))
    assert out.iso_datetime(paris) == "2017-02-21T09:30:05.123Z"
    assert out.iso_datetime(None) is None
    assert out.iso_date(PartialDate(2017, 2)) == "2017-02"
    assert out.iso_date(None) is None


def test_print_json_writes_utf8() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    out.print_json({"name": "Ó Ceallaigh 🔥"}, stream)
    assert '"Ó Ceallaigh 🔥"' in raw.getvalue().decode("utf-8")


def test_text_helpers() -> None:
    assert out.truncate("a  b\nc", 10) == "a b c"
    assert out.truncate("abcdefghij", 5) == "abcd…"
    assert out.display_width("日本") == 4 and out.display_width("e\u0301") == 1
    table = out.table(["A", "Bee"], [("日本", 1), ("x", 22)])
    assert table.splitlines() == ["A     Bee", "日本  1", "x     22"]
    text = "one two three four five six seven"
    start = text.index("four")
    assert out.in_context(text, start, start + 4, width=8) == "…wo three [four] five six…"
    assert out.in_context("four", 0, 4) == "[four]"
    assert out.evidence_text(Evidence("C", "http://u")) == "C <http://u>"
    assert out.evidence_text(Evidence("", "http://u")) == "<http://u>"


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_printer() -> None:
    from pathlib import Path

    log = io.StringIO()
    progress = out.ProgressPrinter(log)
    assert progress(0, 1, Path("only.txt"))
    assert log.getvalue() == ""  # one file: no progress
    for done in range(3):
        assert progress(done, 3, Path(f"/x/f{done}.txt"))
    progress(3, 3, Path("/x/f2.txt"))
    assert log.getvalue() == "[1/3] f0.txt\n[2/3] f1.txt\n[3/3] f2.txt\n"

    tty = _Tty()
    progress = out.ProgressPrinter(tty)
    progress(0, 2, Path("long-name.txt"))
    progress(1, 2, Path("b.txt"))
    progress(2, 2, Path("b.txt"))
    assert tty.getvalue().startswith("\r[1/2] long-name.txt\r[2/2] b.txt        ")
    assert tty.getvalue().endswith("\r")
