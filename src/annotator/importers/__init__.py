"""Importers: one module per format behind a registry keyed by file extension."""

from annotator.importers.base import (
    MAX_FILE_BYTES,
    ImportedText,
    ImportRefused,
    convert,
    read_file,
    supported_extensions,
)

__all__ = [
    "MAX_FILE_BYTES",
    "ImportRefused",
    "ImportedText",
    "convert",
    "read_file",
    "supported_extensions",
]
