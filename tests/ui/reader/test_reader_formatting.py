"""The reader shows the source's formatting: an italic title is italic in its block's formats,
a heading is bold, and a claim's label colour shows over the italics (both at once)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor, QFont, QTextCharFormat

from annotator.importers import read_file
from annotator.services.api import Project

DATA = Path(__file__).parents[2] / "importers" / "data"


def _import(project: Project, tmp_path: Path, name: str, prefix: str = "") -> str:
    imported, data = read_file(DATA / name)
    if prefix:  # astral characters before the formatting: Qt counts them twice
        path = tmp_path / name
        path.write_text(prefix + (DATA / name).read_text(encoding="utf-8"), encoding="utf-8")
        imported, data = read_file(path)
    doc_id = project.add_document(imported, data, name).created_id
    assert doc_id is not None
    return doc_id


def _ranges(view, offset: int) -> tuple[list[tuple[int, int, QTextCharFormat]], int]:
    view.prepare_visible()
    block = view.block_at(offset)
    # Copies: a FormatRange's format dies with the list Qt returned.
    ranges = [(r.start, r.length, QTextCharFormat(r.format)) for r in block.layout().formats()]
    return ranges, block.position()


def _format_at(view, text: str, offset: int) -> QTextCharFormat | None:
    ranges, base = _ranges(view, offset)
    pos = view.umap.to_utf16(offset) - base
    found = [fmt for start, length, fmt in ranges if start <= pos < start + length]
    assert len(found) <= 1
    return found[0] if found else None


def test_italic_title_is_italic_and_a_claim_over_it_keeps_both(
    area, project: Project, tmp_path: Path, labels: dict[str, str]
) -> None:
    doc = _import(project, tmp_path, "formatted.html", prefix="")
    text = project.document(doc).text
    area.open_document(doc, 0)
    view = area.pane(0).view
    title = text.index("Old Quay Times")
    fmt = _format_at(view, text, title + 4)
    assert fmt is not None and fmt.fontItalic()
    plain = _format_at(view, text, text.index("columns"))
    assert plain is None or not plain.fontItalic()
    heading = _format_at(view, text, 2)
    assert heading is not None and heading.fontWeight() >= QFont.Weight.Bold

    # A claim over "the Old Quay Times and": label colour everywhere, italics where the
    # source had them.
    start = text.index("the Old Quay Times")
    changes = project.create_claim(doc, start, start + 22, labels["polemical"])
    area.apply_changes(changes)
    claim = view.claims.get(changes.created_id)
    assert claim is not None
    label_colour = view.highlighter.format_for((claim,)).background().color()
    assert label_colour.alpha() > 0
    inside = _format_at(view, text, title + 4)
    before = _format_at(view, text, start + 1)
    assert inside is not None and before is not None
    assert inside.fontItalic() and not before.fontItalic()
    assert inside.background().color() == before.background().color() == label_colour
    assert inside.background().color() != QColor(0, 0, 0, 0)


def test_formatting_after_astral_characters_lands_on_the_right_words(
    area, project: Project, tmp_path: Path
) -> None:
    doc = _import(project, tmp_path, "formatted.md", prefix="")
    emoji = _import(project, tmp_path, "formatted.md", prefix="😀𝔘 ")
    for doc_id in (doc, emoji):
        text = project.document(doc_id).text
        area.open_document(doc_id, 0)
        view = area.pane(0).view
        first = text.index("Tidewater Voice")
        fmt = _format_at(view, text, first)
        last = _format_at(view, text, first + len("Tidewater Voice") - 1)
        after = _format_at(view, text, first + len("Tidewater Voice") + 1)
        assert fmt is not None and fmt.fontItalic()
        assert last is not None and last.fontItalic()
        assert after is None or not after.fontItalic()


def test_a_document_without_formatting_shows_as_before(area, add_text) -> None:
    doc = add_text("Plain *words* here.\n\nAnd more.")
    area.open_document(doc, 0)
    view = area.pane(0).view
    view.prepare_visible()
    assert view.block_at(0).layout().formats() == []


def test_headings_are_larger_than_the_text_and_follow_its_font(
    qtbot, area, project: Project, tmp_path: Path
) -> None:
    doc = _import(project, tmp_path, "formatted.md")
    text = project.document(doc).text
    area.open_document(doc, 0)
    view = area.pane(0).view
    base = view.document().defaultFont().pointSizeF()
    heading = _format_at(view, text, 2)
    assert heading is not None and heading.fontPointSize() > base
    font = view.font()
    font.setPointSizeF(base * 2)
    view.setFont(font)
    qtbot.waitUntil(lambda: view.document().defaultFont().pointSizeF() == base * 2)
    heading = _format_at(view, text, 2)
    assert heading is not None and heading.fontPointSize() > base * 2
