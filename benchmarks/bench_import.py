"""Import throughput for plain text, HTML, PDF and DOCX: files/s on many small files, MB/s on
big ones.

Measured: `annotator.app.imports.import_files(project, paths)` into a fresh project each
run (read, convert, metadata, de-duplicate, store in one transaction per file). Generated
files: text; HTML pages with navigation, metadata and paragraphs; DOCX written by python-docx;
PDF printed by Qt (QTextDocument + QPdfWriter). MB/s counts the bytes of the files.
Baseline, interleaved: the same files only read and parsed by the library the importer uses
(bytes.decode; selectolax/lexbor `body.text()`; python-docx paragraphs; pypdfium2 page text),
nothing converted or stored: the floor for that format.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.bench_common import Context, Result, Stats, interleaved
from benchmarks.bench_data import make_import_files, size_name

NAME = "import"
TITLE = "Import throughput: text, HTML, PDF, DOCX"
KINDS = ("txt", "html", "pdf", "docx")
FULL = {"small": (10_000, 20), "big": (1_000_000, 2)}
QUICK = {"small": (10_000, 3), "big": (100_000, 1)}


def run(ctx: Context) -> list[Result]:
    out: list[Result] = []
    plan = QUICK if ctx.quick else FULL
    serial = iter(range(10**6))
    for kind in KINDS:
        for which, (n_bytes, count) in plan.items():
            paths = ctx.cached(
                f"{count} {kind} files of {size_name(n_bytes)}",
                lambda k=kind, b=n_bytes, c=count: make_import_files(
                    ctx.work / "import" / k, k, b, c, seed=b % 13 + c
                ),
            )
            total_bytes = sum(p.stat().st_size for p in paths)
            t_imp, t_floor = _measure(ctx, kind, paths, serial)
            if which == "small":
                unit, scale = "files/s", float(count)
                label = f"{count} × {size_name(n_bytes)} of text"
            else:
                unit, scale = "MB/s", total_bytes / 1e6
                label = f"{count} × {total_bytes / count / 1e6:.1f} MB file"
            out.append(
                Result(
                    NAME,
                    f"import.{kind}.{which}",
                    f"Import {kind.upper()} ({unit})",
                    label,
                    unit,
                    Stats.of([scale / (t / 1000) for t in t_imp], higher_is_better=True),
                    f"parse only ({_FLOOR_NAMES[kind]})",
                    Stats.of([scale / (t / 1000) for t in t_floor], higher_is_better=True),
                    higher_is_better=True,
                    extra={"headline": which == "big" or ctx.quick, "file_bytes": total_bytes},
                )
            )
    return out


def _measure(
    ctx: Context, kind: str, paths: list[Path], serial: Iterator[int]
) -> tuple[list[float], list[float]]:
    """Milliseconds to import `paths` into a fresh project, and to only parse them."""
    from annotator.app.imports import import_files
    from annotator.services.api import Project

    fresh: dict[str, Any] = {}

    def new_project() -> None:
        fresh["p"] = Project.create(ctx.work / f"import-{next(serial)}.annot")

    def do_import() -> None:
        project = fresh.pop("p")
        try:
            results = import_files(project, paths)
        finally:
            project.close()
        bad = [r.message for r in results if r.status != "imported"]
        if bad:
            raise RuntimeError(f"import refused: {bad[0]}")

    t_imp, t_floor = interleaved(
        [do_import, lambda: _floor(kind, paths)],
        ctx.repeats(5, 2),
        resets=[new_project, lambda: None],
        budget=45,
        min_repeats=2,
    )
    return t_imp, t_floor


_FLOOR_NAMES = {
    "txt": "bytes.decode",
    "html": "selectolax body.text()",
    "pdf": "pypdfium2 page text",
    "docx": "python-docx paragraphs",
}


def _floor(kind: str, paths: list[Path]) -> None:
    for path in paths:
        data = path.read_bytes()
        if kind == "txt":
            data.decode("utf-8")
        elif kind == "html":
            from selectolax.lexbor import LexborHTMLParser

            body = LexborHTMLParser(data).body
            if body is not None:
                body.text(separator="\n")
        elif kind == "docx":
            import io

            import docx

            "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        elif kind == "pdf":
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(data)
            try:
                for page in pdf:
                    page.get_textpage().get_text_range()
            finally:
                pdf.close()
