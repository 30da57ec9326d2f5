"""Exporters: one module per format behind a registry keyed by format name (see base.py).

The API the CLI and the UI use:
`export_report(project, fmt, out_path, scope=None, *, options=None, generated=AUTO)`,
`formats()`, `ReportScope`, `ExportOptions`, and for annotation interchange
`import_annotations(project, path, *, default_label=None) -> ImportReport`.
Heavy libraries (Jinja2, python-docx, Qt for PDF) load only when a format is used.
"""

from annotator.exporters.base import (
    AUTO,
    ExporterInfo,
    ExportOptions,
    ExportRefused,
    ExportResult,
    export_report,
    exporter_for,
    format_for_path,
    formats,
    render_report,
)
from annotator.exporters.interchange import import_annotations
from annotator.services.interchange import AnnotationImportRefused, ImportReport
from annotator.services.report_model import ReportScope

__all__ = [
    "AUTO",
    "AnnotationImportRefused",
    "ExportOptions",
    "ExportRefused",
    "ExportResult",
    "ExporterInfo",
    "ImportReport",
    "ReportScope",
    "export_report",
    "exporter_for",
    "format_for_path",
    "formats",
    "import_annotations",
    "render_report",
]
