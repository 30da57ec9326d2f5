"""Print report HTML to PDF with Qt's own writer (QTextDocument + QPdfWriter), no browser.

The printer of annotator.exporters.pdf: the export dialog and `annotator export` register
`html_to_pdf` there (only annotator.ui imports Qt; the core never imports the UI). Works in the
running app and headless: without a Qt application it creates a QApplication on the offscreen
platform.

**Qt prints only on the main thread of its process.** A QTextDocument made in a worker thread
of the app deadlocked it (the worker held the GIL and waited for Qt's connection mutex in
`connectImpl`; the GUI thread held that mutex in `disconnect` and waited for the GIL). So
`html_to_pdf` prints in this process only when called on the main thread (the command line,
tests); called from any other thread (the export dialog's worker) it prints in a child process,
`python -m annotator.ui.pdf_export JOB` (`print_in_child`), which reports its progress on its
standard output, one line per step, and can also render the first pages to PNG images (the
export dialog's preview). The worker thread that waits for it holds no GIL while it waits.

Qt lays a document out in time that grows with the square of its top-level tables (a report of
6,000 claims, each its own table, took 25 s to parse and lay out). So the HTML may mark where it
can be cut (FLOW_BREAK, between top-level elements); the pieces are laid out as separate
documents of about CHUNK_CHARS each and printed one after the other on the same pages, every
piece starting where the one before it ended (a blank frame of that height at its top), so the
pages read as one document.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QFont, QPdfWriter, QTextDocument

PAGE_MARGIN_MM = 15
FOOTER_MM = 9
BASE_FONT_PT = 9.5
RESOLUTION = 300
FLOW_BREAK = "<!--flow-->"
"""A place in the body (between top-level elements) where the document may be cut."""
CHUNK_CHARS = 30_000
"""Characters of HTML per separately laid-out piece. From 30,000 to 300,000 the time stays
linear (the layout grows with the square of a piece's top-level tables)."""
CHILD_TIMEOUT_S = 1800.0
"""Seconds the child process may take for one report before it is stopped."""

Progress = Callable[[int, int, str], object]
"""Called with (done, total, what is being done), e.g. (3, 12, "Printing page 3 of 12")."""

_BODY = re.compile(r"<body[^>]*>", re.IGNORECASE)


def _ensure_app() -> None:
    """A Qt application must exist to lay text out. Reuse the running one; else create a
    QApplication (not a QGuiApplication: a later QWidget, e.g. in the same test session,
    needs the widgets kind) on the offscreen platform, which needs no display."""
    from PySide6.QtWidgets import QApplication

    global _APP
    if QApplication.instance() is None:
        _APP = QApplication([sys.argv[0] if sys.argv else "annotator", "-platform", "offscreen"])


_APP = None
"""The application this module created, kept for the life of the process."""


def split_html(html: str, limit: int | None = None) -> list[str]:
    """`html` cut at its FLOW_BREAKs into whole documents of about `limit` (CHUNK_CHARS)
    characters of body each, every one with the original head and body tag. Without breaks:
    `[html]`."""
    limit = CHUNK_CHARS if limit is None else limit
    start = _BODY.search(html)
    end = html.rfind("</body>")
    if FLOW_BREAK not in html or start is None or end < start.end():
        return [html]
    head, body, tail = html[: start.end()], html[start.end() : end], html[end:]
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for piece in body.split(FLOW_BREAK):
        if current and size + len(piece) > limit:
            chunks.append(head + "".join(current) + tail)
            current, size = [], 0
        current.append(piece)
        size += len(piece)
    chunks.append(head + "".join(current) + tail)
    return chunks


_progress: ContextVar[Progress | None] = ContextVar("pdf_progress", default=None)


@contextlib.contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Within the block, PDFs printed on this thread (or context) report their progress to
    `progress` (from this thread: a GUI hands it on with `runner().post`)."""
    token = _progress.set(progress)
    try:
        yield
    finally:
        _progress.reset(token)


def html_to_pdf(html: str, title: str = "") -> bytes:
    """An A4 PDF of `html` (Qt's rich-text subset) with a footer (title, page N of M): printed
    here on the main thread, in a child process from any other (see the module docstring)."""
    if threading.current_thread() is not threading.main_thread():
        return print_in_child(html, title, progress=_progress.get()).pdf
    return print_here(html, title, _progress.get())


def print_here(html: str, title: str = "", progress: Progress | None = None) -> bytes:
    """Print in this process; only on its main thread (Qt objects are made here)."""
    if threading.current_thread() is not threading.main_thread():
        raise RuntimeError("Qt prints a PDF only on the main thread (see print_in_child).")
    _ensure_app()
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
    from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(
        QMarginsF(PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM, PAGE_MARGIN_MM),
        QPageLayout.Unit.Millimeter,
    )
    writer.setResolution(RESOLUTION)
    writer.setTitle(title)
    writer.setCreator("Annotator")
    font = QFont("DejaVu Sans")
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(BASE_FONT_PT)
    footer = RESOLUTION * FOOTER_MM / 25.4
    body = float(writer.height()) - footer
    pages = _lay_out(split_html(html), writer, font, body, progress)
    _print(pages, writer, font, body, footer, title, progress)
    buffer.close()
    return bytes(data.data())


def _document(html: str, writer: QPdfWriter, font: QFont) -> QTextDocument:
    from PySide6.QtGui import QTextDocument

    document = QTextDocument()
    # Measure text on the writer: point sizes and Qt's px lengths scale to its resolution.
    document.documentLayout().setPaintDevice(writer)
    document.setDefaultFont(font)
    document.setDocumentMargin(0)
    document.setHtml(html)
    return document


def _spacer(document: QTextDocument, height: float) -> None:
    """A blank frame of `height` at the top of `document`, after an empty line of its own (Qt
    keeps a line before a frame) and before all of the document's own content."""
    from PySide6.QtGui import QTextCursor, QTextFrameFormat

    shape = QTextFrameFormat()
    shape.setHeight(height)
    shape.setMargin(0)
    shape.setPadding(0)
    shape.setBorder(0)
    cursor = QTextCursor(document)
    cursor.insertBlock()
    cursor.insertFrame(shape)


def _spacer_room(html: str, writer: QPdfWriter, font: QFont, size: QSizeF) -> float:
    """How much room the lines around a spacer frame take in a document with `html`'s head
    and body tag: the empty line Qt keeps before a frame at the top, and the one after it."""
    start = _BODY.search(html)
    probe = _document(html[: start.end()] if start else "", writer, font)
    _spacer(probe, size.height() / 2)
    probe.setPageSize(size)
    layout = probe.documentLayout()
    frame = layout.frameBoundingRect(probe.rootFrame().childFrames()[0])
    after = layout.blockBoundingRect(probe.lastBlock())
    return float(frame.top() + after.height())


def _content_end(document: QTextDocument) -> float:
    """Where the document's content ends: the bottom of its last top-level table, or the top of
    the empty block Qt keeps after all content, whichever is lower."""
    layout = document.documentLayout()
    end = layout.blockBoundingRect(document.lastBlock()).top()
    frames = document.rootFrame().childFrames()
    if frames:
        end = max(end, layout.frameBoundingRect(frames[-1]).bottom())
    return float(end)


def _lay_out(
    chunks: list[str],
    writer: QPdfWriter,
    font: QFont,
    body: float,
    progress: Progress | None = None,
) -> list[list[tuple[QTextDocument, int]]]:
    """For each printed page, the (document, page of that document) to draw on it."""
    from PySide6.QtCore import QSizeF

    size = QSizeF(float(writer.width()), body)
    pages: list[list[tuple[QTextDocument, int]]] = [[]]
    used = 0.0  # height taken on the last page
    lead: float | None = None  # the room the empty lines around a spacer take
    for number, html in enumerate(chunks, 1):
        if progress is not None:
            progress(number - 1, len(chunks), f"Laying out part {number} of {len(chunks)}")
        document = _document(html, writer, font)
        if used > 0:
            if lead is None:
                lead = _spacer_room(html, writer, font, size)
            _spacer(document, max(1.0, used - lead))
        document.setPageSize(size)
        count = document.pageCount()
        for k in range(count):
            if k:
                pages.append([])
            pages[-1].append((document, k))
        end = _content_end(document)
        used = max(0.0, end - (count - 1) * body)
        if used >= body:
            pages.append([])
            used = 0.0
    if not pages[-1] and len(pages) > 1:
        pages.pop()
    return pages


def _print(
    pages: list[list[tuple[QTextDocument, int]]],
    writer: QPdfWriter,
    font: QFont,
    body: float,
    footer: float,
    title: str,
    progress: Progress | None = None,
) -> None:
    from PySide6.QtCore import QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QPainter, QPen

    width = float(writer.width())
    small = QFont(font)
    small.setPointSizeF(7.5)
    painter = QPainter(writer)
    try:
        for number, parts in enumerate(pages):
            if progress is not None:
                progress(number, len(pages), f"Printing page {number + 1} of {len(pages)}")
            if number:
                writer.newPage()
            for document, k in parts:
                painter.save()
                painter.translate(0, -k * body)
                document.drawContents(painter, QRectF(0, k * body, width, body))
                painter.restore()
            painter.setPen(QPen(QColor("#d8dee6"), RESOLUTION / 150))
            line_y = body + footer * 0.35
            painter.drawLine(0, int(line_y), int(width), int(line_y))
            painter.setPen(QColor("#5f6b7a"))
            painter.setFont(small)
            text_box = QRectF(0, line_y, width, footer - footer * 0.35)
            painter.drawText(
                text_box, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), title
            )
            painter.drawText(
                text_box,
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                f"Page {number + 1} of {len(pages)}",
            )
    finally:
        painter.end()


# -- the child process ---------------------------------------------------------------------


@dataclass
class Printed:
    """What the child process made: the PDF, and its first pages as PNG images if asked."""

    pdf: bytes
    pages: int = 0
    images: list[bytes] = field(default_factory=list)


class PrintFailed(RuntimeError):
    """The child process could not print; the message is one sentence for the user."""


def child_command(module: str) -> list[str]:
    """The command that runs `module` as a program with this interpreter. A frozen bundle has
    no `-m`: its launcher runs `--run-module MODULE` instead (packaging/launcher.py)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--run-module", module]
    return [sys.executable, "-m", module]


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    package_root = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    env["QT_QPA_PLATFORM"] = "offscreen"  # the child shows nothing and needs no display
    env.setdefault("PYTHONIOENCODING", "utf-8")
    return env


def print_in_child(
    html: str,
    title: str = "",
    *,
    preview_pages: int = 0,
    preview_width: int = 800,
    progress: Progress | None = None,
) -> Printed:
    """Print `html` in a child process and wait for it (this thread holds no GIL meanwhile);
    with `preview_pages`, also the first pages as PNG images `preview_width` pixels wide.
    Raises PrintFailed with one sentence when the child cannot print."""
    folder = Path(tempfile.mkdtemp(prefix="annotator-pdf-"))
    try:
        source, out = folder / "report.html", folder / "report.pdf"
        source.write_text(html, encoding="utf-8")
        job = {
            "html": str(source),
            "pdf": str(out),
            "title": title,
            "preview_pages": preview_pages,
            "preview_width": preview_width,
            "images": str(folder / "page-{n}.png"),
        }
        (folder / "job.json").write_text(json.dumps(job), encoding="utf-8")
        errors_path = folder / "errors.txt"
        try:
            with errors_path.open("wb") as errors_file:
                proc = subprocess.Popen(
                    [*child_command(__name__), str(folder / "job.json")],
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=errors_file,
                    env=_child_env(),
                    text=True,
                    encoding="utf-8",
                    errors="replace",
                )
        except OSError as exc:
            raise PrintFailed(f"The PDF printer could not be started ({exc.strerror}).") from exc
        pages = _follow(proc, progress)
        try:
            proc.wait(timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise PrintFailed("Printing the PDF took too long and was stopped.") from None
        if proc.returncode != 0 or not out.exists():
            errors = errors_path.read_text(encoding="utf-8", errors="replace").splitlines()
            last = next((line.strip() for line in reversed(errors) if line.strip()), "")
            why = last.removeprefix("error: ") if last else f"exit status {proc.returncode}"
            raise PrintFailed(f"The PDF could not be printed: {why}")
        images = [
            (folder / f"page-{n}.png").read_bytes()
            for n in range(1, preview_pages + 1)
            if (folder / f"page-{n}.png").exists()
        ]
        return Printed(out.read_bytes(), pages, images)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _follow(proc: subprocess.Popen[str], progress: Progress | None) -> int:
    """Read the child's progress lines ("progress DONE TOTAL WHAT", "pages N") until it ends;
    returns the page count it reported."""
    pages = 0
    assert proc.stdout is not None
    for line in proc.stdout:
        kind, _, rest = line.rstrip("\n").partition(" ")
        if kind == "pages" and rest.isdigit():
            pages = int(rest)
        elif kind == "progress" and progress is not None:
            done, total, what = [*rest.split(" ", 2), "", ""][:3]
            if done.isdigit() and total.isdigit():
                progress(int(done), int(total), what)
    return pages


def render_pages(pdf: bytes, count: int, width: int) -> list[tuple[int, int, bytes]]:
    """The first `count` pages of `pdf` as (width, height, BGRx pixels), `width` pixels wide
    (pypdfium2: pure computation, no Qt)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    out = []
    try:
        for k in range(min(count, len(document))):
            page = document[k]
            scale = width / page.get_width()
            bitmap = page.render(scale=scale, prefer_bgrx=True)
            w, h = bitmap.width, bitmap.height
            data = bytes(bitmap.buffer)
            stride = bitmap.stride
            out.append((w, h, _packed(data, w, h, stride, bitmap.n_channels)))
    finally:
        document.close()
    return out


def _packed(data: bytes, width: int, height: int, stride: int, channels: int) -> bytes:
    """Rows of `channels`-byte BGR(x) pixels without padding, as 4-byte BGRx."""
    rows = [data[y * stride : y * stride + width * channels] for y in range(height)]
    if channels == 4:
        return b"".join(rows)
    out = bytearray()
    for row in rows:
        for x in range(0, len(row), 3):
            out += row[x : x + 3] + b"\xff"
    return bytes(out)


def main(argv: Sequence[str]) -> int:
    """The child: print the job in `argv[0]` (JSON: html, pdf, title, preview_pages,
    preview_width, images), reporting progress on standard output."""
    try:
        job = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
        html = Path(job["html"]).read_text(encoding="utf-8")
    except (IndexError, OSError, ValueError, KeyError) as exc:
        print(f"error: the print job could not be read ({exc}).", file=sys.stderr)
        return 2

    pages = [0]

    from PySide6.QtGui import QGuiApplication

    global _APP
    # The child shows no widget: a QGuiApplication starts sooner than a QApplication.
    _APP = QGuiApplication([sys.argv[0] if sys.argv else "annotator", "-platform", "offscreen"])

    def report(done: int, total: int, what: str) -> None:
        if what.startswith("Printing"):
            pages[0] = total
        print(f"progress {done} {total} {what}", flush=True)

    try:
        data = print_here(html, str(job.get("title", "")), report)
        Path(job["pdf"]).write_bytes(data)
        print(f"pages {pages[0]}", flush=True)
        count = int(job.get("preview_pages", 0))
        if count:
            from PySide6.QtGui import QImage

            for n, (w, h, pixels) in enumerate(
                render_pages(data, count, int(job.get("preview_width", 800))), 1
            ):
                image = QImage(pixels, w, h, 4 * w, QImage.Format.Format_RGB32)
                image.save(str(job["images"]).format(n=n))  # PNG: the name ends .png
    except Exception as exc:  # the parent shows this one line
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
