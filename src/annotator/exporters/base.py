"""The exporter registry and `export_report`, the one call the CLI and the UI make.

An exporter turns a `Report` (services.report_model) into the bytes of one file. Each format
lives in its own module and registers itself with `@register(...)`; adding a format means adding
a module and naming it in `_MODULES`. Exporters never touch the project: the model is built
first, then rendered, then written atomically (a temporary file renamed over the target).
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.domain.errors import AnnotatorError
from annotator.services.report_builder import build_report
from annotator.services.report_model import Report, ReportScope
from annotator.storage.sqlite_files import same_file

if TYPE_CHECKING:
    from annotator.services.api import Project


class ExportRefused(AnnotatorError):
    """A report that cannot be written: unknown format, unwritable file, failed renderer."""


@dataclass(frozen=True)
class ExportOptions:
    excel_bom: bool = False
    """CSV: start with a UTF-8 byte order mark so that Excel detects the encoding."""
    page_size: int = 1000
    """JSON-LD: annotations per AnnotationPage."""


Renderer = Callable[[Report, ExportOptions], bytes]


@dataclass(frozen=True)
class ExporterInfo:
    format: str
    """The name the CLI's --format and `export_report` take: html, pdf, md, docx, csv, jsonld."""
    extension: str
    """The usual file extension, with the dot."""
    description: str
    """What a file dialog shows, such as "HTML report"."""
    render: Renderer


_REGISTRY: dict[str, ExporterInfo] = {}
_ALIASES = {"markdown": "md", "htm": "html", "json-ld": "jsonld", "json": "jsonld"}
_MODULES = ("html", "pdf", "markdown", "docx", "csv", "jsonld")
"""Modules under annotator.exporters that register a format, in the order `formats()` lists."""

AUTO = "auto"
"""`generated=AUTO`: SOURCE_DATE_EPOCH when set (reproducible builds), else the current time."""


def register(format: str, extension: str, description: str) -> Callable[[Renderer], Renderer]:
    """Decorator: make `fn(report, options) -> bytes` the exporter of `format`."""

    def wrap(fn: Renderer) -> Renderer:
        _REGISTRY[format] = ExporterInfo(format, extension, description, fn)
        return fn

    return wrap


def _load_all() -> None:
    for name in _MODULES:
        importlib.import_module(f"{__package__}.{name}")


def formats() -> list[ExporterInfo]:
    """Every export format, in a stable order (for menus and file dialogs)."""
    _load_all()
    order = {name: i for i, name in enumerate(("html", "pdf", "md", "docx", "csv", "jsonld"))}
    return sorted(_REGISTRY.values(), key=lambda e: (order.get(e.format, 99), e.format))


def exporter_for(fmt: str) -> ExporterInfo:
    _load_all()
    name = fmt.strip().lower().lstrip(".")
    name = _ALIASES.get(name, name)
    if name not in _REGISTRY:
        known = ", ".join(e.format for e in formats())
        raise ExportRefused(f"Unknown report format {fmt!r}; use one of {known}.")
    return _REGISTRY[name]


def format_for_path(path: Path | str) -> str:
    """The format a file name implies (`report.md` -> "md"); raises ExportRefused."""
    suffix = Path(path).suffix
    if not suffix:
        raise ExportRefused(f"{Path(path).name}: give --format, the file name has no extension.")
    return exporter_for(suffix).format


def generated_time(value: datetime | str | None = AUTO) -> datetime | None:
    """The report's one timestamp. AUTO: $SOURCE_DATE_EPOCH if set, else now; None: omitted."""
    if value is None or isinstance(value, datetime):
        return value.astimezone(UTC) if isinstance(value, datetime) else None
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise ExportRefused(
                f"SOURCE_DATE_EPOCH must be a number of seconds, not {epoch!r}."
            ) from None
    return datetime.now(UTC).replace(microsecond=0)


def claims_matching(project: Project, query: str) -> frozenset[str]:
    """Ids of every claim a search query finds, through the search service (the exporters sit
    above search; imported here, when a query scopes a report, because Whoosh is heavy)."""
    from annotator.search import SearchService

    service = SearchService(project)
    found: set[str] = set()
    try:
        page = 1
        while True:
            result = service.search(query, kind="claims", page=page, page_size=1000)
            found.update(h.claim_id for h in result.hits if h.claim_id)
            if page >= result.pages:
                break
            page += 1
    finally:
        service.close()
    return frozenset(found)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    format: str
    documents: int
    claims: int
    links: int
    size: int
    """Bytes written."""

    @property
    def message(self) -> str:
        return (
            f"Wrote {self.path.name}: {self.documents} document(s), {self.claims} claim(s), "
            f"{self.links} link(s)."
        )


def render_report(
    project: Project,
    fmt: str,
    scope: ReportScope | None = None,
    *,
    options: ExportOptions | None = None,
    generated: datetime | str | None = AUTO,
) -> tuple[Report, bytes]:
    """Build the report model and render it, without writing anything."""
    exporter = exporter_for(fmt)
    report = scoped_report(project, scope, generated=generated)
    return report, exporter.render(report, options or ExportOptions())


def scoped_report(
    project: Project,
    scope: ReportScope | None = None,
    *,
    generated: datetime | str | None = AUTO,
) -> Report:
    """The report model of `project` within `scope`, a search query resolved to its claims."""
    scope = scope or ReportScope()
    if scope.query.strip() and scope.claim_ids is None:
        from dataclasses import replace

        scope = replace(scope, claim_ids=claims_matching(project, scope.query))
    return build_report(project, scope, generated=generated_time(generated))


def export_report(
    project: Project,
    fmt: str,
    out_path: Path | str,
    scope: ReportScope | None = None,
    *,
    options: ExportOptions | None = None,
    generated: datetime | str | None = AUTO,
) -> ExportResult:
    """Write the report of `project` within `scope` as `fmt` to `out_path` (replacing it).

    `fmt`: see `formats()`. `generated`: AUTO (SOURCE_DATE_EPOCH or now), a datetime, or None
    to leave the time out so that the same project gives byte-identical HTML/MD/CSV/JSON-LD."""
    out = Path(out_path)
    if not out.parent.is_dir():
        raise ExportRefused(f"{out.parent}: no such folder.")
    if project.server is None and same_file(out, project.path):
        raise ExportRefused(
            f"{out.name} is the open project itself: choose another name for the report."
        )
    report, data = render_report(project, fmt, scope, options=options, generated=generated)
    tmp = out.with_name(f".{out.name}.part")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportRefused(f"{out.name}: cannot be written ({exc.strerror or exc}).") from exc
    return ExportResult(
        path=out,
        format=exporter_for(fmt).format,
        documents=report.summary.documents,
        claims=report.summary.claims,
        links=report.summary.links,
        size=len(data),
    )
