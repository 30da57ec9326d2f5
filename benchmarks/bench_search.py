"""Search on 100,000 claims against SQLite FTS5: the search helper's benchmark
(benchmarks/search_bench.py), run from here so that its figures join the table."""

from __future__ import annotations

from benchmarks.bench_common import Context, Result

NAME = "search"
TITLE = "Search on 100,000 claims vs SQLite FTS5 (benchmarks/search_bench.py)"


def run(ctx: Context) -> list[Result]:
    raise RuntimeError("benchmarks/search_bench.py is not there yet")
