"""`import_annotations`: read a file of W3C Web Annotations or Hypothesis JSON into a project.

The format readers live in jsonld.py and hypothesis.py; matching, anchoring and the one
transaction are the service's (annotator.services.interchange).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotator.services.interchange import (
    AnnotationImportRefused,
    ImportReport,
    Incoming,
    import_incoming,
)
from annotator.storage.sqlite_files import same_file

_log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from annotator.services.api import Project

MAX_BYTES = 200 * 1024 * 1024


def read_annotations(data: bytes, file_name: str) -> Incoming:
    """Parse the bytes of a file of annotations; raises AnnotationImportRefused."""
    from annotator.exporters.hypothesis import looks_like_hypothesis, read_hypothesis
    from annotator.exporters.jsonld_reader import looks_like_w3c, read_w3c

    try:
        parsed: Any = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise AnnotationImportRefused(f"{file_name} is not UTF-8 text.") from None
    except json.JSONDecodeError as exc:
        raise AnnotationImportRefused(
            f"{file_name} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})."
        ) from None
    reader = (
        read_w3c
        if looks_like_w3c(parsed)
        else read_hypothesis
        if looks_like_hypothesis(parsed)
        else None
    )
    if reader is not None:
        try:
            return reader(parsed)
        except (TypeError, ValueError, KeyError, AttributeError, IndexError, RecursionError):
            # The readers check what they use; this is the net for a shape they did not expect.
            _log.exception("Unexpected structure in %s", file_name)
            raise AnnotationImportRefused(
                f"{file_name} has annotations in a structure Annotator cannot read; "
                "nothing was imported."
            ) from None
    raise AnnotationImportRefused(
        f"{file_name} holds neither W3C Web Annotations nor Hypothesis annotations."
    )


def import_annotations(
    project: Project, path: Path | str, *, default_label: str | None = None
) -> ImportReport:
    """Import the claims and links of a W3C Web Annotation (JSON-LD) or Hypothesis JSON file.

    All or nothing: one transaction. What cannot be imported (unknown document, quote not found,
    claim already present) is listed in the report, never dropped silently; a file that is not
    annotations, or whose annotations all belong to documents the project lacks, is refused
    (AnnotationImportRefused) and the project is left unchanged."""
    path = Path(path)
    if project.server is None and same_file(path, project.path):
        raise AnnotationImportRefused(
            f"{path.name} is the open project itself, not a file of annotations."
        )
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise AnnotationImportRefused(
                f"{path.name} is {size // 1024 // 1024} MiB, over the limit of "
                f"{MAX_BYTES // 1024 // 1024} MiB."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise AnnotationImportRefused(
            f"{path.name} cannot be read ({exc.strerror or exc})."
        ) from exc
    incoming = read_annotations(data, path.name)
    if default_label is not None:
        default_label = project.label(default_label).name
    return import_incoming(project, incoming, path.name, default_label=default_label)
