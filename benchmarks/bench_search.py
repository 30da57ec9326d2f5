"""Search on 100,000 claims against SQLite FTS5: the search benchmark
(`benchmarks/search_bench.py`, owned by search) run from here, its figures turned into rows.

A query mix (rare, common and two-word terms, phrases, field filters, boolean, fuzzy), each
query with facets, page of 20, repeated in shuffled rounds on a warm searcher; the same
questions as FTS5 MATCH queries over the same claims in the same run are the baseline. Detail
rows: the same mix with cold caches, change-to-searchable time and full rebuild throughput.
"""

from __future__ import annotations

import math
import os
from typing import Any

from benchmarks.bench_common import Context, Result, Stats, Target

NAME = "search"
TITLE = "Search on 100,000 claims vs SQLite FTS5 (benchmarks/search_bench.py)"
FTS5_TARGET = Target(3.0, "ratio")
P95_TARGET = Target(50.0, "abs", "p95")
CHANGE_TARGET = Target(200.0, "abs", "p95")
REBUILD_TARGET = Target(1500.0, "abs")


def _stats(summary: dict[str, float], n: int) -> Stats:
    return Stats(summary["p50_ms"], summary["p95_ms"], n, math.nan, summary.get("max_ms", math.nan))


def run(ctx: Context) -> list[Result]:
    from benchmarks import search_bench

    if ctx.quick:
        documents, claims, rounds, changes, procs = 10, 2_000, 3, 3, [1]
    else:
        documents, claims, rounds, changes = 200, 100_000, 20, 20
        procs = sorted({1, min(4, os.cpu_count() or 1)})
    saved = os.environ.get("ANNOTATOR_CACHE_DIR")
    try:
        report: dict[str, Any] = search_bench.run(documents, claims, rounds, changes, procs)
    finally:  # search_bench points the cache at its own temporary folder
        if saved is None:
            os.environ.pop("ANNOTATOR_CACHE_DIR", None)
        else:
            os.environ["ANNOTATOR_CACHE_DIR"] = saved
    size = f"{report['claims']:,} claims, {report['documents']} docs"
    n = rounds * len(search_bench.MIX)
    warm, cold, fts = report["queries_warm"], report["queries_cold"], report["fts5"]
    out = [
        Result(
            NAME,
            "search.query.warm",
            "Search, query mix with facets (warm searcher)",
            size,
            "ms",
            _stats(warm["all"], n),
            "SQLite FTS5, the same questions",
            _stats(fts["all"], n),
            FTS5_TARGET,
            extra={"headline": True},
        ),
        Result(
            NAME,
            "search.query.p95",
            "Search, query mix with facets: p95 target",
            size,
            "ms",
            _stats(warm["all"], n),
            target=P95_TARGET,
            extra={"headline": True},
        ),
        Result(
            NAME,
            "search.query.cold",
            "Search, query mix with facets (cold caches)",
            size,
            "ms",
            _stats(cold["all"], max(1, rounds // 2) * len(search_bench.MIX)),
            "SQLite FTS5, the same questions",
            _stats(fts["all"], n),
            extra={"headline": False},
        ),
        Result(
            NAME,
            "search.change",
            "A new claim searchable (commit to first hit)",
            size,
            "ms",
            _stats(report["changes"]["searchable"], changes),
            target=CHANGE_TARGET,
            extra={"headline": False},
        ),
    ]
    for build in report["rebuilds"]:
        rate = float(build["claims_per_s"])
        fts_rate = float(report["fts5_build_per_s"])
        out.append(
            Result(
                NAME,
                f"search.rebuild.{build['procs']}",
                f"Search index rebuild, {build['procs']} process(es) (claims/s)",
                size,
                "claims/s",
                Stats(rate, rate, 1, rate, rate),
                "SQLite FTS5 build (claims/s)",
                Stats(fts_rate, fts_rate, 1, fts_rate, fts_rate),
                REBUILD_TARGET,
                higher_is_better=True,
                extra={"headline": False},
            )
        )
    return out
