"""What a window reads of a project to show it: the reads every panel needs, as one interface.

`ProjectReads` is what the claim store and the reader panes read: labels, documents, claims,
links and a document ready for reading. The services' `Project` answers it, and so does
`storage.first_frame.FirstFrame`, the read-only picture of a project file that the window's
first frame is painted from before the storage stack is loaded (`docs/developer-guide.md`,
"Start-up"). `find_document` resolves a user's reference to a document the same way for both.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from annotator.domain.errors import NotFoundError
from annotator.domain.formatting import TextFormats
from annotator.domain.location import Locator
from annotator.domain.model import Claim, Document, DocumentSummary, Label, Link

ClaimSpanRow = tuple[str, int, int, str]
"""(id, start, end, label id) of a claim: what a reader needs to highlight it."""


@dataclass(frozen=True)
class ReadingCopy:
    """Everything a reader needs to show a document, read in one transaction."""

    document: Document
    block_starts: list[int]
    """Start offset of every text block (`domain.text.block_starts` of the text)."""
    astral: list[int]
    """Offsets of the characters above U+FFFF (`domain.text.astral_positions`)."""
    claims: list[ClaimSpanRow]
    """(id, start, end, label id) of the document's claims, sorted by (start, id)."""
    formats: TextFormats = field(default_factory=TextFormats)
    """The formatting of the text (emphasis, headings...), indexed by offset."""


class ProjectReads(Protocol):
    """The reads that show a project: answered by `Project` and by a first frame alike."""

    def labels(self) -> list[Label]: ...

    def documents(self) -> list[DocumentSummary]: ...

    def locators(self, document_ids: Collection[str] | None = None) -> dict[str, Locator]: ...

    def annotations(
        self, document_id: str | None = None, label_id: str | None = None
    ) -> list[Claim]: ...

    def annotation(self, annotation_id: str) -> Claim: ...

    def claims_by_id(self, ids: Iterable[str]) -> dict[str, Claim]: ...

    def claim_spans(self, document_id: str) -> list[ClaimSpanRow]: ...

    def document_for_reading(self, document_id: str) -> ReadingCopy: ...

    def links(
        self,
        annotation_id: str | None = None,
        annotation_ids: Iterable[str] | None = None,
    ) -> list[Link]: ...

    def link(self, link_id: str) -> Link: ...

    def change_number(self) -> int: ...


def find_document(docs: Sequence[DocumentSummary], ref: str) -> DocumentSummary:
    """A document by id, by position number (1 = first), or by an unambiguous title prefix
    or id prefix (at least 4 characters, such as the 8 the listings show)."""
    for doc in docs:
        if doc.id == ref:
            return doc
    if ref.isdigit() and 1 <= int(ref) <= len(docs):
        return docs[int(ref) - 1]
    needle = ref.casefold().strip()
    matches = [d for d in docs if d.title.casefold().startswith(needle)] if needle else []
    if len(matches) == 1:
        return matches[0]
    by_id = [d for d in docs if d.id.startswith(needle)] if len(needle) >= 4 else []
    if len(by_id) == 1:
        return by_id[0]
    matches = matches or by_id
    if not matches:
        raise NotFoundError(f"No document matches {ref!r} (by id, number or title).")
    titles = "; ".join(f"{d.id[:8]} {d.title}" for d in matches[:5])
    raise NotFoundError(f"{ref!r} matches {len(matches)} documents: {titles}. Be more precise.")


def links_touching(links: Iterable[Link], wanted: Iterable[str]) -> list[Link]:
    """The links with either end among the claims `wanted`."""
    ids = set(wanted)
    return [k for k in links if k.source_id in ids or k.target_id in ids]
