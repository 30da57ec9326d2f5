"""Pure domain model: plain dataclasses and functions. Imports nothing of ours, no Qt, no SQL."""

from annotator.domain.errors import AnnotatorError, NotFoundError, ValidationError
from annotator.domain.model import (
    BUILTIN_LABELS,
    Claim,
    Document,
    DocumentSummary,
    Evidence,
    Label,
    Link,
    PartialDate,
    QuoteSelector,
    Relation,
    SourceKind,
)

__all__ = [
    "BUILTIN_LABELS",
    "AnnotatorError",
    "Claim",
    "Document",
    "DocumentSummary",
    "Evidence",
    "Label",
    "Link",
    "NotFoundError",
    "PartialDate",
    "QuoteSelector",
    "Relation",
    "SourceKind",
    "ValidationError",
]
