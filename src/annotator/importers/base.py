"""What every importer returns, and the registry that picks one by file extension.

An importer turns the bytes of one file into an `ImportedText` (annotator.domain.imported, so
that the services which store it need not import this package): canonical text (line endings
normalised to `\\n`) plus whatever metadata the file states. It never touches the project, the
network or the UI; the import service hashes, de-duplicates and stores.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from annotator.domain.errors import AnnotatorError
from annotator.domain.imported import ImportedText

_log = logging.getLogger(__name__)

MAX_FILE_BYTES = 100 * 1024 * 1024
"""Largest file accepted (100 MiB), checked with stat() before anything is read."""


class ImportRefused(AnnotatorError):
    """A file that cannot be imported; the message is one sentence naming the file and why."""


Importer = Callable[[bytes, str], ImportedText]
"""An importer takes the file's bytes and its file name and returns the text, or raises
ImportRefused."""

_REGISTRY: dict[str, tuple[str, Importer]] = {}


def register(*extensions: str, format: str) -> Callable[[Importer], Importer]:
    """Decorator: make `fn` the importer for these extensions (lower case, with the dot)."""

    def wrap(fn: Importer) -> Importer:
        for ext in extensions:
            _REGISTRY[ext.lower()] = (format, fn)
        return fn

    return wrap


def supported_extensions() -> list[str]:
    _load_all()
    return sorted(_REGISTRY)


def importer_for(path: Path) -> tuple[str, Importer]:
    _load_all()
    ext = path.suffix.lower()
    if ext not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY))
        raise ImportRefused(
            f"{path.name}: unknown format {ext or '(no extension)'}; Annotator reads {known}."
        )
    return _REGISTRY[ext]


def read_file(path: Path) -> tuple[ImportedText, bytes]:
    """Read and convert one file; raises ImportRefused with a one-line reason."""
    importer_for(path)  # an unknown extension is refused before the file is touched
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImportRefused(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    if not path.is_file():
        raise ImportRefused(f"{path.name}: not a file.")
    if size == 0:
        raise ImportRefused(f"{path.name}: the file is empty.")
    if size > MAX_FILE_BYTES:
        raise ImportRefused(
            f"{path.name}: {size / 1024 / 1024:.0f} MiB is over the limit of "
            f"{MAX_FILE_BYTES // 1024 // 1024} MiB for one document."
        )
    try:
        with path.open("rb") as handle:
            # Never more than the limit, even if the file grew since stat().
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ImportRefused(f"{path.name}: cannot be read ({exc.strerror or exc}).") from exc
    if len(data) > MAX_FILE_BYTES:
        raise ImportRefused(f"{path.name}: the file grew past the size limit while being read.")
    return convert(data, path.name), data


def convert(data: bytes, file_name: str) -> ImportedText:
    """Convert bytes already in memory (drag and drop, tests)."""
    fmt, importer = importer_for(Path(file_name))
    if not data:
        raise ImportRefused(f"{file_name}: the file is empty.")
    try:
        result = importer(data, file_name)
    except ImportRefused:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ImportRefused(f"{file_name}: this file is too complex or too large to read.") from exc
    except Exception as exc:
        # A library failing on input it did not expect: the user still gets one clear line,
        # the traceback goes to the log for us.
        _log.exception("Importer %s failed on %s", fmt, file_name)
        raise ImportRefused(
            f"{file_name}: an unexpected error stopped the import ({type(exc).__name__})."
        ) from exc
    if not result.text.strip():
        raise ImportRefused(f"{file_name}: no text could be found in it.")
    return result


_loaded = False


def _load_all() -> None:
    # A flag, not "is the registry empty": importing one importer module directly (as tests and
    # services may) registers that one only.
    global _loaded
    if _loaded:
        return
    # Importing the modules registers them.
    from annotator.importers import docx, html, markdown, pdf, plaintext  # noqa: F401

    _loaded = True
