"""Opening a document without freezing the window.

Everything that grows with the document and needs no Qt (reading the text and the claims from
the project, the offset maps, the claim index) is prepared in a worker thread; the GUI thread
only hands the finished text to Qt. `run_in_background` waits for the worker in a local event
loop, so callers still get the document shown when `open_document` returns, while the window
keeps painting and its timers keep running (user input waits until the document is open, so
nothing can act on a half-opened pane).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QTimer

from annotator.domain.model import Document
from annotator.services.api import Project
from annotator.ui.reader.spans import ClaimIndex, ClaimSpan, FastUtf16Map, LineIndex

T = TypeVar("T")

BACKGROUND_CHARS = 200_000
"""Documents longer than this are prepared in a worker thread; shorter ones right away."""


@dataclass
class PreparedText:
    """A text with everything the reader computes from it, ready to be shown."""

    text: str
    pages: list[int]
    umap: FastUtf16Map
    lines: LineIndex
    claims: ClaimIndex


@dataclass
class PreparedDocument:
    document: Document
    prepared: PreparedText


def prepare_text(text: str, claims: Iterable[ClaimSpan], pages: Iterable[int] = ()) -> PreparedText:
    lines = LineIndex(text)
    index = ClaimIndex(lines)
    index.reset(claims)
    return PreparedText(
        text=text,
        pages=sorted(p for p in pages if 0 <= p <= len(text)),
        umap=FastUtf16Map(text),
        lines=lines,
        claims=index,
    )


def load_claims(project: Project, document_id: str) -> list[ClaimSpan]:
    """The document's claims as spans, without notes, tags or evidence (ten times faster
    than loading whole claims for big documents)."""
    return [ClaimSpan(*row) for row in project.claim_spans(document_id)]


def prepare_document(project: Project, document_id: str) -> PreparedDocument:
    document = project.document(document_id)
    claims = load_claims(project, document_id)
    return PreparedDocument(document, prepare_text(document.text, claims, document.pages))


_gc_lock = threading.Lock()
_gc_pauses = 0
_gc_was_enabled = False


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector off while a worker allocates many objects: a full
    collection holds the GIL for ~100 ms, long enough to freeze the window (measured: 75-95 ms
    stalls while 5,000 claims load, none with the collector paused; the load is faster too)."""
    global _gc_pauses, _gc_was_enabled
    with _gc_lock:
        _gc_pauses += 1
        if _gc_pauses == 1:
            # The app may have switched automatic collection off for good (it collects on the
            # GUI thread instead, see ui.app.GuiThreadGarbageCollector): restore, don't enable.
            _gc_was_enabled = gc.isenabled()
            gc.disable()
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_was_enabled:
                gc.enable()


def run_in_background(work: Callable[[], T], poll_ms: int = 5) -> T:
    """Run `work` in a worker thread and return its result (or raise its exception), keeping
    the event loop turning meanwhile (without user input)."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            with _gc_paused():
                outcome["value"] = work()
        except BaseException as exc:  # handed to the caller in the GUI thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="reader-open", daemon=True)
    thread.start()
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(poll_ms)
    timer.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    timer.start()
    if thread.is_alive():
        loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    timer.stop()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
