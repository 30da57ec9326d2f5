"""Word documents (.docx) through python-docx: paragraphs, headings and table rows in order.

The ZIP container is checked with `zipfile` before python-docx opens it, so a zip bomb (a small
file that inflates to gigabytes) is refused instead of filling the memory. `zipfile` never
inflates a member past the size its directory declares, so checking the declared sizes is
enough. Headers, footers, comments and footnotes are not imported. Bold and italic runs
(direct or through the Strong and Emphasis character styles) and paragraphs in a Heading or Title
style are kept as formatting spans.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from annotator.domain.errors import ValidationError
from annotator.domain.formatting import FormatKind
from annotator.domain.model import PartialDate
from annotator.importers.base import ImportedText, ImportRefused, register
from annotator.importers.common import clean_text, finish
from annotator.importers.formatting import (
    CLOSE,
    can_mark,
    is_blank,
    opener,
    remove_markers,
    split_formats,
    strip_marked,
)
from annotator.importers.metadata import guess_metadata, split_authors

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument

MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_RATIO = 100
BIG_MEMBER = 1024 * 1024
"""Members larger than this (uncompressed) must not inflate more than MAX_RATIO times."""

# python-docx's own template says it was written by "python-docx" on this date: not evidence.
_TEMPLATE_AUTHOR = "python-docx"
_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15)
_JUNK_TITLES = frozenset({"word document", "document", "untitled", "title"})


def check_zip(data: bytes, file_name: str) -> None:
    """Refuse ZIP files that are damaged or would inflate beyond reason (zip bombs)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise ImportRefused(f"{file_name}: this file is damaged or not a Word document.") from exc
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(
            f"{file_name}: it holds {len(members):,} files inside, more than a Word document "
            f"ever has ({MAX_MEMBERS:,}), so it is refused as a possible zip bomb."
        )
    total = sum(m.file_size for m in members)
    if total > MAX_UNCOMPRESSED:
        raise ImportRefused(
            f"{file_name}: it would unpack to {total / 1024 / 1024:,.0f} MiB, over the limit of "
            f"{MAX_UNCOMPRESSED // 1024 // 1024} MiB, so it is refused as a possible zip bomb."
        )
    for m in members:
        if m.file_size > BIG_MEMBER and m.file_size > MAX_RATIO * max(1, m.compress_size):
            raise ImportRefused(
                f"{file_name}: its part {m.filename[:80]} inflates "
                f"{m.file_size / max(1, m.compress_size):,.0f} times, so it is refused as a "
                "possible zip bomb."
            )


_NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
_W = "{" + _NS["w"] + "}"
# Runs whose text shows: also inside tracked insertions, smart tags, fields and inline content
# controls, which python-docx's Paragraph.text skips; never deleted text or text boxes.
_RUNS = (
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"
)
_RUN_TEXT = {_W + "tab": "\t", _W + "ptab": "\t", _W + "cr": "\n", _W + "noBreakHyphen": "-"}


def qn(tag: str) -> str:
    """Clark notation of a `w:` tag, without importing python-docx at module import."""
    return _W + tag.removeprefix("w:")


@cache
def _xpath(expression: str) -> Any:
    from lxml import etree

    return etree.XPath(expression, namespaces=_NS)


_OFF = ("0", "false", "off", "none")


def _switch(run_properties: Any, tag: str) -> bool:
    """Whether an on/off run property (`w:b`, `w:i`) is on."""
    element = run_properties.find(_W + tag)
    return element is not None and (element.get(_W + "val") or "true").lower() not in _OFF


def _run_kinds(run: Any, styles: dict[str, str]) -> list[FormatKind]:
    """The formatting of a run: bold and italic, set directly or by its character style."""
    props = run.find(_W + "rPr")
    if props is None:
        return []
    style_element = props.find(_W + "rStyle")
    style = styles.get(style_element.get(_W + "val") or "", "") if style_element is not None else ""
    kinds: list[FormatKind] = []
    if _switch(props, "i") or "emphasis" in style.lower():
        kinds.append(FormatKind.EMPHASIS)
    if _switch(props, "b") or "strong" in style.lower():
        kinds.append(FormatKind.STRONG)
    return kinds


def _paragraph_text(p: Any, styles: dict[str, str] | None = None) -> str:
    """The paragraph's text; with `styles` (style names by id), formatting markers around
    its bold and italic runs (see `importers.formatting`)."""
    parts: list[str] = []
    for run in _xpath(_RUNS)(p):
        texts: list[str] = []
        for child in run:
            if child.tag == _W + "t":
                texts.append(child.text or "")
            elif child.tag == _W + "br":
                texts.append("\n" if child.get(_W + "type") in (None, "textWrapping") else "")
            else:
                texts.append(_RUN_TEXT.get(child.tag, ""))
        text = "".join(texts)
        kinds = _run_kinds(run, styles) if styles is not None and text.strip() else []
        parts.extend(opener(kind) for kind in kinds)
        parts.append(text)
        parts.append(CLOSE * len(kinds))
    return strip_marked("".join(parts)) if styles is not None else "".join(parts).strip()


def _table_lines(tbl: Any) -> list[str]:
    lines: list[str] = []
    for tr in _xpath("./w:tr")(tbl):
        cells = []
        for tc in _xpath("./w:tc | ./w:sdt/w:sdtContent/w:tc")(tr):
            if _xpath("./w:tcPr/w:vMerge[not(@w:val) or @w:val='continue']")(tc):
                continue  # the lower part of a vertically merged cell repeats nothing
            texts = (_paragraph_text(p) for p in tc.iter(qn("w:p")))
            cells.append(" ".join(" ".join(t for t in texts if t).split()))
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


def _heading_level(style: str) -> int:
    """1-6 for the Title and Heading N styles (deeper headings count as 6), else 0."""
    if style == "Title":
        return 1
    if style.startswith("Heading "):
        level = style.removeprefix("Heading ").strip()
        return min(6, int(level)) if level.isdigit() and int(level) > 0 else 0
    return 0


def _blocks(doc: DocxDocument, marked: bool = True) -> tuple[list[str], str, str, list[str]]:
    """(paragraphs, Title-style text, first heading, hyperlink targets), in document order,
    content controls (<w:sdt>) included; with `marked`, formatting markers in the paragraphs."""
    from docx.text.paragraph import Paragraph

    blocks: list[str] = []
    title_style = first_heading = ""
    links: list[str] = []
    # Style names by id, read once: python-docx finds a paragraph's style by scanning every
    # style of the document, for every paragraph.
    names = {style.style_id: style.name or "" for style in doc.styles}
    marking = names if marked else None
    stack = list(reversed(doc.element.body))
    while stack:
        element = stack.pop()
        if element.tag == qn("w:sdt"):
            stack.extend(reversed(_xpath("./w:sdtContent/*")(element)))
        elif element.tag == qn("w:tbl"):
            if lines := _table_lines(element):
                blocks.append("\n".join(lines))
        elif element.tag == qn("w:p") and (text := _paragraph_text(element, marking)):
            if marking is not None and is_blank(text):
                continue
            style = names.get(element.style or "", "")
            level = _heading_level(style)
            blocks.append(
                opener(FormatKind.heading(level)) + text + CLOSE if marking and level else text
            )
            if style == "Title" and not title_style:
                title_style = remove_markers(text)
            elif style.startswith("Heading") and not first_heading:
                first_heading = remove_markers(text)
            links.extend(h.url for h in Paragraph(element, doc).hyperlinks if h.url)
    return blocks, title_style, first_heading, links


def _created(value: datetime | None) -> PartialDate | None:
    if not isinstance(value, date) or value.replace(tzinfo=None) == _TEMPLATE_CREATED:
        return None
    try:
        return PartialDate(value.year, value.month, value.day)
    except ValidationError:
        return None


@register(".docx", format="docx")
def import_docx(data: bytes, file_name: str) -> ImportedText:
    check_zip(data, file_name)
    import docx

    try:
        doc = docx.Document(io.BytesIO(data))
        marked = can_mark("".join(doc.element.body.itertext()))
        blocks, title_style, first_heading, links = _blocks(doc, marked)
        marked_text, flags = clean_text("\n\n".join(blocks))
        text, formats = split_formats(marked_text) if marked else (marked_text, ())
        core = doc.core_properties
        core_title, core_author, created = core.title or "", core.author or "", core.created
    except ImportRefused:
        raise
    except Exception as exc:  # python-docx, lxml and zipfile each have their own errors
        raise ImportRefused(f"{file_name}: this file is damaged or not a Word document.") from exc
    if core_title.strip().lower() in _JUNK_TITLES:
        core_title = ""
    title = core_title.strip() or title_style or first_heading
    guessed = guess_metadata(text, title=title)
    authors = split_authors(core_author) if core_author != _TEMPLATE_AUTHOR else ()
    return finish(
        text,
        "docx",
        title=guessed.title,
        authors=authors or guessed.authors,
        publisher=guessed.publisher,
        published=guessed.published or _created(created),
        link_urls=links,
        flags=flags,
        formats=formats,
    )
