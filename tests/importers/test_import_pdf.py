"""PDF import: text per page with page offsets, metadata, and the three refusals."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from annotator.domain.model import PartialDate
from annotator.importers import ImportRefused, convert, read_file
from annotator.importers.pdf import pdf_date

PdfMaker = Callable[..., bytes]  # the `pdf_maker` fixture of conftest.py

PAGES = ["Party Line\nBy Jane Doe\nFirst page text.", "Second page text (with parens).", "Last."]
INFO = {"Title": "The Party Line", "Author": "Jane Doe; John Roe", "CreationDate": "D:20170221"}


def test_text_pages_and_metadata(tmp_path: Path, pdf_maker: PdfMaker) -> None:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf_maker(PAGES, INFO))
    result, _ = read_file(path)
    assert result.format == "pdf"
    assert "\r" not in result.text
    assert result.text == "\n\n".join(PAGES)
    assert result.pages == (0, len(PAGES[0]) + 2, len(PAGES[0]) + len(PAGES[1]) + 4)
    for start, page in zip(result.pages, PAGES, strict=True):
        assert result.text[start : start + len(page)] == page
    assert result.title == "The Party Line"
    assert result.authors == ("Jane Doe", "John Roe")
    assert result.published == PartialDate(2017, 2, 21)


def test_metadata_falls_back_to_the_text(pdf_maker: PdfMaker) -> None:
    info = {"Title": "Microsoft Word - draft7.docx"}
    result = convert(pdf_maker(["Real Heading\nBy Ann Author\n3 May 2020\nBody."], info), "x.pdf")
    assert result.title == "Real Heading"
    assert result.authors == ("Ann Author",)
    assert result.published == PartialDate(2020, 5, 3)


def test_a_page_without_text_keeps_its_offset(pdf_maker: PdfMaker) -> None:
    result = convert(pdf_maker(["One.", "", "Three."]), "gap.pdf")
    assert result.text == "One.\n\n\n\nThree."
    assert result.pages == (0, 6, 8)


def test_scanned_pdf_without_text_layer_is_refused(pdf_maker: PdfMaker) -> None:
    with pytest.raises(ImportRefused) as caught:
        convert(pdf_maker(["", ""]), "scan.pdf")
    assert str(caught.value) == (
        "scan.pdf: this PDF has no text layer (a scanned PDF?); run OCR first."
    )


def test_password_protected_pdf_is_refused(pdf_maker: PdfMaker) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_maker(PAGES))))
    writer.encrypt(user_password="secret", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(ImportRefused, match=r"^locked\.pdf: this PDF is password-protected; "):
        convert(buffer.getvalue(), "locked.pdf")


def test_owner_password_only_pdf_opens(pdf_maker: PdfMaker) -> None:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(pdf_maker(PAGES))))
    writer.encrypt(user_password="", owner_password="owner")
    buffer = io.BytesIO()
    writer.write(buffer)
    assert "First page text." in convert(buffer.getvalue(), "restricted.pdf").text


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_pdf_is_refused(pdf_maker: PdfMaker, keep: float) -> None:
    data = pdf_maker(PAGES, INFO)
    with pytest.raises(ImportRefused, match=r"^cut\.pdf: this file is damaged or not a PDF\.$"):
        convert(data[: int(len(data) * keep)], "cut.pdf")


def test_not_a_pdf_is_refused() -> None:
    with pytest.raises(ImportRefused, match=r"^fake\.pdf: this file is damaged or not a PDF\.$"):
        convert(b"just some text pretending to be a PDF", "fake.pdf")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("D:20170221120000+01'00'", PartialDate(2017, 2, 21)),
        ("D:201702", PartialDate(2017, 2)),
        ("2017", PartialDate(2017)),
        ("D:20171341", None),
        ("", None),
    ],
)
def test_pdf_dates(raw: str, expected: PartialDate | None) -> None:
    assert pdf_date(raw) == expected
