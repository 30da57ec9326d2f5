"""The results as tables (not a measurement family): Markdown for results.md and the benchmark
page (docs/benchmarks.md), plain text for the terminal. Both read the JSON form the runner
writes."""

from __future__ import annotations

from typing import Any

from benchmarks.bench_common import fmt

HEADER = (
    "Measurement",
    "Size",
    "Median",
    "p95",
    "Baseline",
    "Baseline median",
    "Ratio",
    "Target",
    "Met",
)


def _cells(r: dict[str, Any]) -> list[str]:
    unit = r["unit"]
    stats = r["stats"]
    base = r.get("baseline")
    ratio = r.get("ratio")
    met = r.get("met")
    low = r.get("higher_is_better")
    p95_label = fmt(stats["p95"], unit) + (" (p5)" if low else "")
    return [
        r["title"] + (f" — {r['note']}" if r.get("note") else ""),
        r["size"],
        f"{fmt(stats['median'], unit)} {unit}",
        f"{p95_label} {unit}",
        r.get("baseline_title") or "–",
        f"{fmt(base['median'], unit)} {unit}" if base else "–",
        f"{ratio:.2f}×" if ratio is not None else "–",
        r.get("target_text") or "–",
        {True: "yes", False: "**no**", None: "–"}[met],
    ]


def _rows(data: dict[str, Any], headline: bool) -> list[dict[str, Any]]:
    return [
        r for r in data["results"] if bool(r.get("extra", {}).get("headline", True)) == headline
    ]


def markdown(data: dict[str, Any]) -> str:
    meta = data["meta"]
    lines = [
        f"# Benchmark results ({meta['mode']} run, {meta['date']})",
        "",
        f"{meta['cpus']} CPUs ({meta['cpu']}), {meta['platform']}, Python {meta['python']}, "
        f"{meta['qt']}, QT_QPA_PLATFORM={meta['qpa'] or 'default'}; the run took "
        f"{meta['seconds']:.0f} s. Median and p95 over repeated runs; each baseline was measured "
        "in the same run, interleaved where possible. Ratio = median / baseline median (for "
        "throughput: baseline / measured, so above 1 is always slower than the baseline).",
        "",
    ]
    for title, headline in (("Targets and headline figures", True), ("Details", False)):
        rows = _rows(data, headline)
        if not rows:
            continue
        lines += [
            f"## {title}",
            "",
            "| " + " | ".join(HEADER) + " |",
            "|" + "|".join(["---"] * len(HEADER)) + "|",
        ]
        for r in rows:
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in _cells(r)) + " |")
        lines.append("")
    if data.get("failed"):
        lines += [f"Families that failed: {', '.join(data['failed'])}.", ""]
    return "\n".join(lines)


def plain_table(data: dict[str, Any]) -> str:
    rows = [HEADER] + [tuple(_cells(r)) for r in data["results"]]
    rows = [tuple(c.replace("**", "") for c in row) for row in rows]
    widths = [min(60, max(len(row[i]) for row in rows)) for i in range(len(HEADER))]
    out = []
    for k, row in enumerate(rows):
        out.append("  ".join(c[: widths[i]].ljust(widths[i]) for i, c in enumerate(row)).rstrip())
        if k == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)
