"""Hostile documents, generated here: each imports correctly (no script kept, no network, hidden
characters flagged) or is refused with one line, and a refusal leaves the project unchanged.

Every file goes through the real import service into a real project that already holds a
document and a claim; the importers' own tests cover each format in more depth.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from annotator.app.imports import import_files
from annotator.services.api import Project


def _pdf(encrypt: bool = False) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    if encrypt:
        writer.encrypt(user_password="secret", owner_password="owner")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip_bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(300):
                member.write(block)


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _sparse(path: Path) -> None:
    with path.open("wb") as f:
        f.truncate(1 << 30)


PNG = b"\x89PNG\r\n\x1a\n" + b"\0\0\0\rIHDR" + bytes(range(256)) * 4
NESTED = ("<div>" * 100_000 + "deep" + "</div>" * 100_000).encode()
HOSTILE_HTML = b"""<html><head><title>Hostile page</title>
<script>document.write('SCRIPT-RAN'); fetch('http://evil.example/x')</script>
<style>body { background: url(http://evil.example/bg.png) }</style></head>
<body><article><h1>Hostile page</h1>
<p>Plain words stay. <a href="javascript:alert('JS-LINK')">click</a>
<a href="https://example.org/evidence">evidence</a></p>
<iframe src="http://evil.example/frame">IFRAME-TEXT</iframe>
<img src="http://evil.example/tracker.png" alt="tracker">
<p onclick="alert('HANDLER')">Second paragraph.</p></article></body></html>"""
RAW_HTML_MD = b"""# Raw HTML in Markdown

Before <script>alert('MD-SCRIPT')</script> after.

<div onclick="alert('MD-HANDLER')">A block of <b>raw</b> HTML.</div>
"""
LATIN1 = "Caf\xe9 cr\xe8me, na\xefve.\n".encode("latin-1")
UTF16 = "Plain words in UTF-16.\n".encode("utf-16-le")
STRAY_NUL = b"Some text with a stray NUL.\n" * 100 + b"\0" + b"More text.\n"
HOSTILE_HTML_ABSENT = (
    "SCRIPT-RAN",
    "JS-LINK",
    "HANDLER",
    "IFRAME-TEXT",
    "evil.example",
    "javascript:",
)
BIDI = "Price: \u202e001$\u202c and a zero\u200bwidth\u200djoiner.\n".encode()


@dataclass(frozen=True)
class Case:
    name: str
    file_name: str
    make: Callable[[Path], None]
    outcome: str  # "imported" or "refused"
    absent: tuple[str, ...] = ()
    """Texts that must not be in an imported document (scripts, handlers, iframes)."""
    flagged: str = ""
    """A word the importer's flags must contain."""


CASES = [
    Case("empty", "empty.txt", _bytes(b""), "refused"),
    Case("binary under .txt", "photo.txt", _bytes(PNG), "refused"),
    Case("invalid UTF-8", "latin.txt", _bytes(LATIN1), "imported"),
    Case("UTF-16 without BOM", "utf16.txt", _bytes(UTF16), "imported"),
    Case("mostly NUL bytes", "zeros.txt", _bytes(b"\0" * 4096), "refused"),
    Case("NUL bytes", "nul.txt", _bytes(STRAY_NUL), "imported", flagged="NUL"),
    Case("1 GB sparse file", "huge.txt", _sparse, "refused"),
    Case("5 MB single line", "line.txt", _bytes(b"word " * 1_000_000), "imported"),
    Case("deeply nested HTML", "nested.html", _bytes(NESTED), "refused"),
    Case("scripts, iframes, javascript: links, remote images", "hostile.html",
         _bytes(HOSTILE_HTML), "imported", absent=HOSTILE_HTML_ABSENT),
    Case("DOCX zip bomb", "bomb.docx", _zip_bomb, "refused"),
    Case("damaged DOCX", "damaged.docx", _bytes(b"PK\x03\x04 not really a zip"), "refused"),
    Case("encrypted PDF", "locked.pdf", lambda p: p.write_bytes(_pdf(encrypt=True)), "refused"),
    Case("truncated PDF", "cut.pdf", lambda p: p.write_bytes(_pdf()[:200]), "refused"),
    Case("Markdown with raw HTML", "raw.md", _bytes(RAW_HTML_MD), "imported",
         absent=("MD-SCRIPT", "MD-HANDLER", "<script", "onclick")),
    Case("bidirectional overrides and zero-width characters", "bidi.txt", _bytes(BIDI), "imported",
         flagged="bidirectional"),
    Case("unknown format", "data.xyz", _bytes(b"whatever"), "refused"),
]  # fmt: skip


@pytest.fixture
def study(tmp_path: Path) -> Project:
    project = Project.create(tmp_path / "study.annot")
    seed = tmp_path / "seed.txt"
    seed.write_text("An existing source with a claim in it.\n", encoding="utf-8")
    [result] = import_files(project, [seed])
    assert result.document_id is not None
    project.create_claim(result.document_id, 3, 11, project.label("sourced").id)
    return project


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(case: Case, study: Project, tmp_path: Path) -> None:
    path = tmp_path / case.file_name
    case.make(path)
    before = (study.change_number(), study.documents(), study.annotations())
    try:
        [result] = import_files(study, [path])
    finally:
        after = (study.change_number(), study.documents(), study.annotations())
        study.close()
    assert result.status == case.outcome, result.message
    assert "\n" not in result.message and result.message.startswith(case.file_name)
    if case.outcome == "refused":
        assert after == before, "a refused file changed the project"
        return
    assert result.document_id is not None
    reopened = Project.open(study.path)
    try:
        document = reopened.document(result.document_id)
    finally:
        reopened.close()
    for text in case.absent:
        assert text not in document.text, f"{text!r} came through the import"
        assert all(text not in url for url in document.link_urls)
    if case.flagged:
        assert any(case.flagged in flag for flag in document.flags), document.flags


def test_the_corpus_covers_the_issue_list() -> None:
    """The reliability issue names 15 kinds of hostile file; each is here."""
    assert len(CASES) >= 15
