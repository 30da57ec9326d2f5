"""Importing files into a project: read, convert, de-duplicate, store; one result per file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annotator.domain.errors import AnnotatorError
from annotator.services.api import Project
from annotator.services.documents import DuplicateDocument


@dataclass(frozen=True)
class ImportResult:
    path: Path
    document_id: str | None
    """The new document, or the existing one for a duplicate; None when refused."""
    status: str  # "imported", "duplicate", "refused"
    message: str
    flags: tuple[str, ...] = ()


Progress = Callable[[int, int, Path], bool]
"""progress(done, total, current) -> keep going? Return False to cancel."""


def import_files(
    project: Project,
    paths: Sequence[Path],
    progress: Progress | None = None,
    **overrides: Any,
) -> list[ImportResult]:
    """Import each file in its own transaction: a refused file never affects the others or the
    project. `overrides` (title, authors, published, url...) apply to every file."""
    from annotator.importers import read_file

    results: list[ImportResult] = []
    for done, path in enumerate(paths):
        if progress is not None and not progress(done, len(paths), path):
            break
        try:
            imported, data = read_file(path)
            changes = project.add_document(imported, data, path.name, **overrides)
        except DuplicateDocument as exc:
            results.append(ImportResult(path, exc.existing_id, "duplicate", str(exc)))
            continue
        except AnnotatorError as exc:
            results.append(ImportResult(path, None, "refused", str(exc)))
            continue
        doc_id = changes.created_id
        assert doc_id is not None
        title = project.document(doc_id).title
        results.append(
            ImportResult(
                path, doc_id, "imported", f"{path.name}: imported as “{title}”.", imported.flags
            )
        )
    if progress is not None:
        progress(len(results), len(paths), paths[-1] if paths else Path())
    return results
