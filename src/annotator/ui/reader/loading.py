"""Opening a document without freezing the window.

Everything that grows with the document and needs no Qt (reading the text and the claims from
the project, the offset maps, the claim index) is prepared by `prepare_document`, plain Python
that the reader runs on the app's task runner for a big document (`ui.tasks`: no Qt object on
the worker, no nested event loop); the GUI thread only hands the finished text to Qt.

Nothing is scanned on open: the block starts and the positions of astral characters were
stored at import (`Project.document_for_reading`), the claims come sorted from one index, and
the text of a document read recently comes from the project's text cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from annotator.domain.formatting import TextFormats
from annotator.domain.model import Document
from annotator.domain.reading import ProjectReads
from annotator.ui.reader.spans import ClaimIndex, ClaimSpan, FastUtf16Map, LineIndex

BACKGROUND_CHARS = 200_000
"""Documents longer than this are prepared on the task runner; shorter ones right away."""


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


def prepare_document(project: ProjectReads, document_id: str) -> PreparedDocument:
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


SLOW_MS = 150
"""A document still being prepared after this long is said in its pane; a quicker one shows
nothing, so that a quick open neither flashes a message nor pays for repainting twice."""
