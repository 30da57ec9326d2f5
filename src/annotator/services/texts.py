"""Document texts: read from `document_texts`, and the last few kept in memory.

A text never changes after import, so the `str` read once can serve every later read: a
reader opening the document again, a claim's quote window (a slice instead of a SQL substr()
that walks a 10 MB text's overflow pages), the search index's snippets. The cache holds the
texts of the last `TEXT_CACHE_SIZE` documents opened for reading
(`Project.document_for_reading`): the very `str` a reader shows (and the very lists of offsets
it indexes the text with), so while a document is open it costs no memory of its own. It
forgets a document when the document is removed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from annotator.domain.errors import AnnotatorError, NotFoundError
from annotator.domain.model import Document
from annotator.services.project import ProjectBase
from annotator.storage.engine import RawConnection

TEXT_CACHE_SIZE = 3
"""Documents whose text stays in memory (two reader panes and the one read before)."""

_TEXT_SQL = "SELECT text FROM document_texts WHERE document_id = ?"


@dataclass
class CachedText:
    """A document's text and what was derived from it, as read once (texts never change).
    Each field is replaced whole (one assignment), so threads sharing an entry never see half
    an update; the lists are shared with the readers and never modified."""

    text: str
    offsets: tuple[list[int], list[int]] | None = None
    """`domain.text.block_starts(text)` and `astral_positions(text)`, once read."""
    document: tuple[object, Document] | None = None
    """The document as last read with this text, and its metadata row's `modified` then: the
    document is current while `modified` is (every metadata edit sets it)."""


class TextCache:
    """The texts of the last few documents read, by document id (thread-safe, LRU)."""

    def __init__(self, size: int = TEXT_CACHE_SIZE) -> None:
        self.size = size
        self._entries: OrderedDict[str, CachedText] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def entry(self, document_id: str) -> CachedText | None:
        with self._lock:
            entry = self._entries.get(document_id)
            if entry is not None:
                self._entries.move_to_end(document_id)
            return entry

    def get(self, document_id: str) -> str | None:
        entry = self.entry(document_id)
        return entry.text if entry is not None else None

    def put(self, document_id: str, text: str) -> CachedText:
        """Remember `text`; returns the entry kept (one held already wins, so that every
        reader shares one `str`)."""
        with self._lock:
            entry = self._entries.get(document_id)
            if entry is None:
                entry = self._entries[document_id] = CachedText(text)
            self._entries.move_to_end(document_id)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
            return entry

    def discard(self, document_id: str) -> None:
        with self._lock:
            self._entries.pop(document_id, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


class TextReads(ProjectBase):
    """Reading document texts through the project's `TextCache`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.texts = TextCache()

    def _text(self, db: Session | Connection, document_id: str) -> str:
        """The document's text: from the cache, else read through `db` (NotFoundError when
        there is none). Only opening a document for reading adds to the cache: reads of many
        documents in a row (exports, search snippets) would otherwise push out the texts
        open in the readers."""
        text = self.texts.get(document_id)
        if text is None:
            text = _read_text(db, document_id)
            if text is None:
                raise NotFoundError(f"No document with id {document_id}.")
        return text


def driver_connection(conn: Connection) -> RawConnection:
    """The driver's connection under `conn`, in `conn`'s transaction: for bulk reads whose rows
    need none of SQLAlchemy's processing (10,000 rows in half the time). Its SQL takes `?`
    placeholders on SQLite and on a server alike."""
    return RawConnection(conn)


def text_error(document_id: str, stored: object) -> AnnotatorError:
    """What to raise for a document whose stored text is `stored` (None: no text stored)."""
    if stored is None:
        return NotFoundError(f"No document with id {document_id}.")
    return AnnotatorError(f"The text of document {document_id} is damaged: it is not text.")


def _read_text(db: Session | Connection, document_id: str) -> str | None:
    """The stored text, or None when the document has none (it does not exist)."""
    conn = db.connection() if isinstance(db, Session) else db
    found = RawConnection(conn).execute(_TEXT_SQL, (document_id,)).fetchone()
    text = found[0] if found is not None else None
    if text is None or isinstance(text, str):
        return text
    raise text_error(document_id, text)
