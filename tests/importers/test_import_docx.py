"""DOCX import: paragraphs, headings and tables in order, metadata, zip bombs and damage."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from annotator.domain.model import PartialDate
from annotator.importers import ImportRefused, convert, read_file
from annotator.importers import docx as docx_importer


def _add_hyperlink(paragraph: Any, url: str, text: str) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = OxmlElement("w:r")
    text_el = OxmlElement("w:t")
    text_el.text = text
    run.append(text_el)
    link.append(run)
    paragraph._p.append(link)


def _document(*, core_title: str = "", author: str = "", created: datetime | None = None) -> bytes:
    import docx

    doc = docx.Document()
    doc.core_properties.title = core_title
    doc.core_properties.author = author
    if created:
        doc.core_properties.created = created
    doc.add_heading("The Heading", level=1)
    intro = doc.add_paragraph("First paragraph with ")
    intro.add_run("bold").bold = True
    intro.add_run(" text and a ")
    _add_hyperlink(intro, "https://source.example/doc", "link")
    doc.add_paragraph("")
    table = doc.add_table(rows=2, cols=3)
    table.cell(0, 0).text = "Year"
    table.cell(0, 1).text = "Members"
    table.cell(0, 2).text = "Note"
    table.cell(1, 0).text = "2017"
    merged = table.cell(1, 1).merge(table.cell(1, 2))
    merged.text = "about 1000"
    doc.add_heading("Second section", level=2)
    doc.add_paragraph("Last line\r\nwith CRLF and a footnote[1].")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_paragraphs_headings_and_tables_in_order(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(_document(core_title="Core Title", author="Jane Doe"))
    result, _ = read_file(path)
    assert result.format == "docx"
    assert "\r" not in result.text
    assert result.text == (
        "The Heading\n\n"
        "First paragraph with bold text and a link\n\n"
        "Year | Members | Note\n2017 | about 1000\n\n"
        "Second section\n\n"
        "Last line\n\nwith CRLF and a footnote[1]."  # python-docx wrote \r and \n as two breaks
    )
    assert result.title == "Core Title"
    assert result.authors == ("Jane Doe",)
    assert result.link_urls == ("https://source.example/doc",)


def test_title_from_first_heading_and_template_metadata_ignored() -> None:
    result = convert(_document(author="python-docx"), "plain.docx")
    assert result.title == "The Heading"
    assert result.authors == ()
    assert result.published is None  # python-docx's template date is not evidence


def test_title_style_wins_over_the_first_heading() -> None:
    import docx

    doc = docx.Document()
    doc.add_paragraph("A dateline in Normal style")
    doc.add_heading("A heading first", level=1)
    doc.add_heading("The Title style", level=0)  # level 0 is the Title style
    doc.add_paragraph("Body " * 50)
    buffer = io.BytesIO()
    doc.save(buffer)
    result = convert(buffer.getvalue(), "titled.docx")
    assert result.title == "The Title style"
    assert result.text.startswith("A dateline in Normal style\n\nA heading first\n\n")


def test_created_date_is_used_only_without_a_better_one() -> None:
    created = datetime(2016, 3, 4, 10, 0)
    assert convert(_document(created=created), "c.docx").published == PartialDate(2016, 3, 4)


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _zeros_member(path: Path, size: int) -> None:
    """A zip with one member of `size` zero bytes, written in chunks so memory stays small."""
    chunk = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        for _ in range(size // len(chunk)):
            member.write(chunk)


def test_zip_bomb_is_refused_before_opening(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    _zeros_member(path, 300 * 1024 * 1024)
    assert path.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(ImportRefused) as caught:
        read_file(path)
    message = str(caught.value)
    assert message.startswith("bomb.docx: it would unpack to 300 MiB, over the limit of 200 MiB")
    assert message.endswith("refused as a possible zip bomb.")


def test_highly_compressed_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ratio.docx"
    _zeros_member(path, 20 * 1024 * 1024)
    with pytest.raises(ImportRefused, match=r"^ratio\.docx: its part word/document\.xml inflates"):
        read_file(path)


def test_too_many_members_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docx_importer, "MAX_MEMBERS", 5)
    data = _zip({f"part{i}.xml": b"<x/>" for i in range(6)})
    with pytest.raises(ImportRefused, match=r"^many\.docx: it holds 6 files inside"):
        convert(data, "many.docx")


@pytest.mark.parametrize(
    "data",
    [
        b"this is not a zip file at all",
        _zip({"hello.txt": b"a zip, but not a Word document"}),
        _zip({"[Content_Types].xml": b"<not-closed", "word/document.xml": b"<<<"}),
    ],
    ids=["not-zip", "other-zip", "broken-xml"],
)
def test_damaged_docx_is_refused(data: bytes) -> None:
    with pytest.raises(ImportRefused) as caught:
        convert(data, "broken.docx")
    assert str(caught.value) == "broken.docx: this file is damaged or not a Word document."


def test_truncated_docx_is_refused() -> None:
    data = _document()
    with pytest.raises(ImportRefused, match=r"^cut\.docx: this file is damaged or not a Word"):
        convert(data[: len(data) // 2], "cut.docx")


def test_tracked_insertions_and_content_controls_are_read_deletions_are_not() -> None:
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    doc = docx.Document()
    paragraph = doc.add_paragraph("Start ")
    paragraph._p.append(
        parse_xml(
            f'<w:ins {nsdecls("w")} w:id="1" w:author="a"><w:r><w:t>inserted</w:t></w:r></w:ins>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {nsdecls("w")} w:id="2" w:author="a">'
            "<w:r><w:delText>deleted</w:delText></w:r></w:del>"
        )
    )
    sdt = parse_xml(
        f"<w:sdt {nsdecls('w')}><w:sdtContent>"
        "<w:p><w:r><w:t>in a content control</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    doc.element.body.insert(len(doc.element.body) - 1, sdt)  # before the section properties
    buffer = io.BytesIO()
    doc.save(buffer)
    result = convert(buffer.getvalue(), "tracked.docx")
    assert result.text == "Start inserted\n\nin a content control"
