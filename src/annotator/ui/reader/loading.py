"""Opening a document without freezing the window.

Everything that grows with the document and needs no Qt (reading the text and the claims from
the project, the offset maps, the claim index) is prepared in a worker thread; the GUI thread
only hands the finished text to Qt. `run_in_background` waits for the worker in a local event
loop, so callers still get the document shown when `open_document` returns, while the window
keeps painting and its timers keep running (user input waits until the document is open, so
nothing can act on a half-opened pane).

Nothing is scanned on open: the block starts and the positions of astral characters were
stored at import (`Project.document_for_reading`), the claims come sorted from one index, and
the text of a document read recently comes from the project's text cache.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal

from annotator.domain.formatting import TextFormats
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
    formats: TextFormats = field(default_factory=TextFormats)
    """The source's formatting (emphasis, headings...) of the text."""


@dataclass
class PreparedDocument:
    document: Document
    prepared: PreparedText


def prepare_text(
    text: str,
    claims: Iterable[ClaimSpan],
    pages: Iterable[int] = (),
    *,
    lines: LineIndex | None = None,
    umap: FastUtf16Map | None = None,
    formats: TextFormats | None = None,
) -> PreparedText:
    """A text ready to show; `lines` and `umap` are computed from the text unless given."""
    lines = lines if lines is not None else LineIndex(text)
    index = ClaimIndex(lines)
    index.reset(claims)
    return PreparedText(
        text=text,
        pages=sorted(p for p in pages if 0 <= p <= len(text)),
        umap=umap if umap is not None else FastUtf16Map(text),
        lines=lines,
        claims=index,
        formats=formats if formats is not None else TextFormats(),
    )


def prepare_document(project: Project, document_id: str) -> PreparedDocument:
    """A document ready to show, from what the project stored at import: no scan of the
    text (its claims come as spans, without notes, tags or evidence)."""
    copy = project.document_for_reading(document_id)
    document = copy.document
    length = len(document.text)
    prepared = prepare_text(
        document.text,
        list(map(ClaimSpan._make, copy.claims)),
        document.pages,
        lines=LineIndex.from_starts(copy.block_starts, length),
        umap=FastUtf16Map.from_positions(copy.astral, length),
        formats=copy.formats,
    )
    return PreparedDocument(document, prepared)


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


class _Finished(QObject):
    """Tells the GUI thread's waiting loop that the worker is done (a queued signal: the loop
    sleeps until then, instead of waking on a timer to poll)."""

    done = Signal()


SLOW_MS = 150
"""A wait longer than this is said (`on_slow`); a shorter one shows nothing, so that a quick
open neither flashes a message nor pays for repainting the window twice."""


def run_in_background(work: Callable[[], T], on_slow: Callable[[], object] | None = None) -> T:
    """Run `work` in a worker thread and return its result (or raise its exception), keeping
    the event loop turning meanwhile (without user input). `on_slow` is called if the work is
    still running after SLOW_MS."""
    outcome: dict[str, Any] = {}
    loop = QEventLoop()
    finished = _Finished()
    finished.done.connect(loop.quit, Qt.ConnectionType.QueuedConnection)
    slow = QTimer()
    slow.setSingleShot(True)
    if on_slow is not None:
        slow.timeout.connect(on_slow)
        slow.start(SLOW_MS)

    def target() -> None:
        try:
            with _gc_paused():
                outcome["value"] = work()
        except BaseException as exc:  # handed to the caller in the GUI thread
            outcome["error"] = exc
        finally:
            finished.done.emit()

    thread = threading.Thread(target=target, name="reader-open", daemon=True)
    thread.start()
    # Started before the worker can finish or not: its signal is queued to this thread, so
    # the loop quits on it even when it was sent before the loop began.
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    slow.stop()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
