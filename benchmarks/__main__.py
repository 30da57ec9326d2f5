"""The benchmark runner: `python -m benchmarks [--quick] [--only NAME]... [--out DIR]`.

Runs each measurement family (`benchmarks/bench_*.py`, listed in FAMILIES) on data it generates
itself, prints the results as a table, and writes them as JSON and Markdown:

- a full run writes benchmarks/results/results.json and results.md (the table that
  docs/benchmarks.md shows); with --only, the rows of the families run replace theirs in the
  existing files;
- --quick runs the same code on tiny sizes (under a minute on two cores: `make test` runs it so
  that the benchmarks never rot) and writes to $TMPDIR/annotator-bench-quick unless --out is given.

Exit status: 0 when every family ran (whether or not the targets are met: the table says),
1 when a family failed.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results"
PAGE = ROOT / "docs" / "benchmarks.md"
"""The benchmark page: its table, between the two markers, is rewritten by every full run."""
PAGE_START = "<!-- benchmark table: start (written by python -m benchmarks) -->"
PAGE_END = "<!-- benchmark table: end -->"
FAMILIES = ("startup", "reader", "search", "export", "import", "memory", "responsive", "team")
"""Family names, in run order; family NAME lives in benchmarks/bench_NAME.py."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, a few repeats")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help=f"run only this family (repeatable): {', '.join(FAMILIES)}",
    )
    parser.add_argument("--out", type=Path, help="folder for results.json and results.md")
    parser.add_argument(
        "--render",
        action="store_true",
        help="only rewrite results.md and the table of docs/benchmarks.md from "
        "benchmarks/results/results.json",
    )
    args = parser.parse_args(argv)
    if args.render:
        from benchmarks.bench_table import markdown as render

        data = json.loads((RESULTS / "results.json").read_text())
        (RESULTS / "results.md").write_text(render(data))
        _update_page(render(data))
        print(f"Rewrote {RESULTS / 'results.md'} and {PAGE}.")
        return 0
    only = [n.strip() for item in args.only for n in item.split(",") if n.strip()]
    unknown = [n for n in only if n not in FAMILIES]
    if unknown:
        parser.error(f"unknown family {', '.join(unknown)}; choose from {', '.join(FAMILIES)}")
    families = [f for f in FAMILIES if not only or f in only]

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    from benchmarks.bench_common import Context, Result
    from benchmarks.bench_table import markdown, plain_table

    work = tempfile.TemporaryDirectory(prefix="annotator-bench-")
    # The app must never read or write the user's settings, recent projects or search caches.
    os.environ["ANNOTATOR_SETTINGS_DIR"] = str(Path(work.name) / "settings")
    os.environ.setdefault("ANNOTATOR_CACHE_DIR", str(Path(work.name) / "cache"))
    os.environ.setdefault("XDG_CACHE_HOME", str(Path(work.name) / "xdg-cache"))
    os.environ.setdefault("XDG_DATA_HOME", str(Path(work.name) / "xdg-data"))
    ctx = Context(quick=args.quick, work=Path(work.name), log=_log)
    started = time.perf_counter()
    rows: list[Result] = []
    failed: list[str] = []
    timings: dict[str, float] = {}
    mode = "quick" if args.quick else "full"
    _log(f"Benchmarks ({mode}): {', '.join(families)}")
    try:
        for name in families:
            module = importlib.import_module(f"benchmarks.bench_{name}")
            _log(f"- {name}: {module.TITLE}")
            t0 = time.perf_counter()
            try:
                found = module.run(ctx)
                rows += found
                for r in found:
                    _log(f"    {r.name}: median {r.stats.median:.2f} {r.unit}")
            except Exception:
                failed.append(name)
                _log(traceback.format_exc())
            timings[name] = round(time.perf_counter() - t0, 1)
    finally:
        _close_qt()
        work.cleanup()
    total = time.perf_counter() - started

    meta = _machine(mode, total, timings)
    out_dir = args.out or (
        RESULTS if not args.quick else Path(tempfile.gettempdir()) / "annotator-bench-quick"
    )
    out_dir.mkdir(parents=True, exist_ok=True)
    data = {"meta": meta, "results": [r.to_json() for r in rows], "failed": failed}
    if only and not args.quick and args.out is None:
        data = _merge(out_dir / "results.json", data, families)
    (out_dir / "results.json").write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")
    (out_dir / "results.md").write_text(markdown(data))
    if out_dir == RESULTS:
        _update_page(markdown(data))
    print()
    print(plain_table(data))
    print(f"\nWrote {out_dir / 'results.json'} and results.md in {total:.0f} s.")
    if failed:
        print(f"FAILED: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def _merge(path: Path, new: dict[str, Any], families: list[str]) -> dict[str, Any]:
    """Replace the rows of `families` in an existing results.json (a partial re-run)."""
    if not path.exists():
        return new
    try:
        old = json.loads(path.read_text())
    except (OSError, ValueError):
        return new
    kept = [r for r in old.get("results", []) if r.get("family") not in families]
    order = {f: i for i, f in enumerate(FAMILIES)}
    rows = sorted([*kept, *new["results"]], key=lambda r: order.get(r.get("family"), 99))
    meta = dict(old.get("meta", {}))
    meta.setdefault("family_seconds", {}).update(new["meta"]["family_seconds"])
    meta["partial_reruns"] = [
        *meta.get("partial_reruns", []),
        new["meta"]["date"] + ": " + ", ".join(families),
    ]
    failed = [f for f in old.get("failed", []) if f not in families] + new["failed"]
    return {"meta": meta, "results": rows, "failed": failed}


def _update_page(table: str) -> None:
    """Put the latest table between the markers in docs/benchmarks.md (its headings
    demoted to fit under the page's "Latest results")."""
    if not PAGE.exists():
        return
    text = PAGE.read_text()
    start, end = text.find(PAGE_START), text.find(PAGE_END)
    if start < 0 or end < start:
        return
    title, _, body = table.partition("\n")
    if title.startswith("# Benchmark results ("):
        body = f"*{title[len('# Benchmark results (') :].rstrip(')')}.* " + body.strip()
    body = body.replace("\n## ", "\n### ")
    PAGE.write_text(text[: start + len(PAGE_START)] + "\n" + body.strip() + "\n" + text[end:])


def _machine(mode: str, total: float, timings: dict[str, float]) -> dict[str, Any]:
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        qt = f"PySide6 {PySide6.__version__}, Qt {qVersion()}"
    except ImportError:
        qt = "PySide6 missing"
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": mode,
        "seconds": round(total, 1),
        "family_seconds": timings,
        "python": platform.python_version(),
        "qt": qt,
        "platform": f"{platform.system()} {platform.release()}",
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "qpa": os.environ.get("QT_QPA_PLATFORM", ""),
    }


def _close_qt() -> None:
    app_module = sys.modules.get("PySide6.QtWidgets")
    if app_module is None:
        return
    app = app_module.QApplication.instance()
    if app is not None:
        for w in app_module.QApplication.topLevelWidgets():
            w.close()
        app.processEvents()


def _log(message: str) -> None:
    print(message, flush=True)


if __name__ == "__main__":
    sys.exit(main())
