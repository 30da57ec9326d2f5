"""Fixtures for the importer tests: the real samples (when present) and a tiny PDF writer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
SAMPLES = SHARED / "samples"

PdfMaker = Callable[..., bytes]


@pytest.fixture
def samples() -> Path:
    """The folder of real sample documents, or skip when ../shared is not beside the repo."""
    if not SAMPLES.is_dir():
        pytest.skip(f"real samples not available ({SAMPLES} is absent)")
    return SAMPLES


def _pdf_string(value: str) -> bytes:
    raw = value.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def make_pdf(pages: list[str], info: dict[str, str] | None = None) -> bytes:
    """A valid PDF written by hand: one Helvetica text object per page (one line per `\\n`),
    an optional Info dictionary, and an xref table with computed offsets. An empty string makes
    a page without any text (what a scan without OCR looks like to a text extractor)."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages_id = font + 2 * len(pages) + 1  # each page adds a content stream and a page object
    kids = []
    for text in pages:
        ops = b"BT /F1 12 Tf 72 720 Td 14 TL "
        for line in text.split("\n") if text else []:
            ops += _pdf_string(line) + b" Tj T* "
        ops += b"ET"
        content = add(b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream")
        kids.append(
            add(
                b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 612 792] "
                b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                % (pages_id, font, content)
            )
        )
    refs = b" ".join(b"%d 0 R" % k for k in kids)
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (refs, len(kids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages_id)
    info_ref = b""
    if info:
        entries = b" ".join(b"/" + k.encode() + b" " + _pdf_string(v) for k, v in info.items())
        info_ref = b" /Info %d 0 R" % add(b"<< " + entries + b" >>")
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root %d 0 R%s >>\n" % (len(objects) + 1, catalog, info_ref)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


@pytest.fixture
def pdf_maker() -> PdfMaker:
    return make_pdf
