"""What an importer hands to the project: a file's canonical text and the metadata it states."""

from __future__ import annotations

from dataclasses import dataclass, field

from annotator.domain.formatting import FormatSpan
from annotator.domain.model import PartialDate


@dataclass(frozen=True)
class ImportedText:
    text: str
    format: str
    title: str = ""
    authors: tuple[str, ...] = ()
    publisher: str = ""
    published: PartialDate | None = None
    url: str = ""
    language: str = ""
    pages: tuple[int, ...] = ()
    link_urls: tuple[str, ...] = ()
    flags: tuple[str, ...] = field(default=())
    formats: tuple[FormatSpan, ...] = ()
    """Emphasis, headings... of the original, as spans over `text` (see domain.formatting)."""
    accessed: PartialDate | None = None
    """The day a web page was read or saved, when the saved file says so."""
