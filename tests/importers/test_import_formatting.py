"""Formatting kept as spans over unchanged plain text: Markdown, HTML and DOCX files with
emphasis, strong and headings; the accessed date a saved page states; plain text has none."""

from __future__ import annotations

from pathlib import Path

import pytest

from annotator.domain.formatting import FormatKind
from annotator.domain.model import PartialDate
from annotator.importers import convert, read_file
from annotator.importers.formatting import split_formats, strip_marked

DATA = Path(__file__).parent / "data"


def _formatted(name: str) -> tuple[str, dict[str, list[str]]]:
    imported, _ = read_file(DATA / name)
    found: dict[str, list[str]] = {}
    for span in imported.formats:
        found.setdefault(span.kind.name, []).append(imported.text[span.start : span.end])
    return imported.text, found


@pytest.mark.parametrize("name", ["formatted.md", "formatted.html", "formatted.docx"])
def test_emphasis_strong_and_headings_are_spans_over_the_plain_text(name: str) -> None:
    text, found = _formatted(name)
    assert "*" not in text and "<" not in text  # the text stays plain
    assert found["EMPHASIS"][:1] == ["Old Quay Times"] or "Old Quay Times" in found["EMPHASIS"]
    assert "Tidewater Voice" in found["EMPHASIS"]
    assert found["STRONG"][0] in ("nobody", "weekly") and "nobody" in found["STRONG"]
    assert len(found["HEADING1"]) == 1 and text.startswith(found["HEADING1"][0])
    assert found["HEADING2"] == ["What the weekly said"]


def test_markdown_code_and_links_are_spans_too() -> None:
    _, found = _formatted("formatted.md")
    assert found["CODE"] == ["grep"]
    assert found["LINK"] == ["its site"]


def test_inline_html_formats_alike_in_a_page_and_in_markdown() -> None:
    page = convert(b"<p>Press <kbd>Ctrl</kbd> and <cite>the Quay Review</cite>.</p>", "a.html")
    notes = convert(b"Press <kbd>Ctrl</kbd> and <cite>the Quay Review</cite>.\n", "a.md")
    for ours in (page, notes):
        assert ours.text == "Press Ctrl and the Quay Review."
        spans = {(ours.text[s.start : s.end], s.kind) for s in ours.formats}
        assert spans == {("Ctrl", FormatKind.CODE), ("the Quay Review", FormatKind.EMPHASIS)}


def test_the_text_is_the_same_as_without_formatting() -> None:
    # Whitespace next to the formatting is trimmed exactly as before: the text of the same
    # page without any formatting element.
    marked = (
        b"<p>a <em> b </em>c</p><p><b>  </b></p><em><p>d</p><p>e</p></em>"
        b"<ul><li><i></i></li><li><i>f</i> g</li></ul><h3>h <i>i</i></h3>"
    )
    plain = marked
    for tag in (b"em", b"b", b"i"):
        plain = plain.replace(b"<" + tag + b">", b"").replace(b"</" + tag + b">", b"")
    ours = convert(marked, "page.html")
    assert ours.text == convert(plain, "page.html").text == "a b c\n\nd\n\ne\n\n• f g\n\nh i"
    spans = {(ours.text[s.start : s.end], s.kind) for s in ours.formats}
    assert ("b", FormatKind.EMPHASIS) in spans
    assert ("d\n\ne", FormatKind.EMPHASIS) in spans  # across paragraphs, closed where it ends
    assert ("h i", FormatKind.HEADING3) in spans and ("i", FormatKind.EMPHASIS) in spans


def test_a_source_holding_marker_characters_is_imported_without_formatting() -> None:
    imported = convert("*a* \ufdef b \ufde0".encode(), "odd.md")
    assert imported.text == "a \ufdef b \ufde0"
    assert imported.formats == ()


def test_plain_text_has_no_formatting(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text("Title\n\nSome *text* with stars.\n", encoding="utf-8")
    imported, _ = read_file(path)
    assert imported.formats == () and "*text*" in imported.text


def test_markers_are_lifted_out_with_their_spans() -> None:
    text, spans = split_formats("a \ufde0b\ufdef \ufde1\ufdefc \ufde0d")
    assert text == "a b c d"
    assert [(text[s.start : s.end], s.kind) for s in spans] == [
        ("b", FormatKind.EMPHASIS),
        ("d", FormatKind.EMPHASIS),  # left open: closes at the end
    ]
    assert strip_marked(" \ufde0 x \ufdef \n") == "\ufde0x\ufdef"


def test_the_accessed_date_comes_from_what_the_page_says() -> None:
    assert read_file(DATA / "formatted.html")[0].accessed == PartialDate(2026, 11, 30)
    assert read_file(DATA / "formatted.md")[0].accessed == PartialDate(2026, 11, 30)
    saved = convert(
        b'<html><head><meta name="savepage-date" content="Tue Dec 01 2026 09:00:00 GMT">'
        b"</head><body><p>Text.</p></body></html>",
        "page.html",
    )
    assert saved.accessed == PartialDate(2026, 12, 1)
    chrome = convert(
        b"<!-- saved from url=(0027)https://example.org/news -->\n<html><body><p>Text.</p>"
        b"</body></html>",
        "page.html",
    )
    assert chrome.url == "https://example.org/news" and chrome.accessed is None
    assert read_file(DATA / "formatted.docx")[0].accessed is None
