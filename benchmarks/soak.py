"""Crash soak: kill a writer with SIGKILL N times (default 1,000) and verify the project each time.

    python -m benchmarks.soak --kills 1000 [--seed 0] [--search] [--fresh] [--dir DIR]

The same rounds as tests/reliability/test_crash_safety.py (see tests/reliability/
crash_harness.py): a child writes claims (3-8 tags, 1-3 pieces of evidence each), edits, links
and deletes through the real services, acknowledging each commit on stdout; it is killed 20-400
ms after it starts writing; the reopened project must pass `check_project`, hold every
acknowledged write, and equal the expected state with the write in flight wholly there or wholly
absent. All rounds share one project, which grows as they go. Prints a line every 50 kills and
a summary; exit status 1 if any round failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

RELIABILITY = Path(__file__).resolve().parents[1] / "tests" / "reliability"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.soak", description=__doc__)
    parser.add_argument("--kills", type=int, default=1000, help="how many kills (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="first seed (rounds use seed+i)")
    parser.add_argument("--search", action="store_true", help="run and verify search as well")
    parser.add_argument(
        "--fresh", action="store_true", help="a new interpreter per child instead of a fork"
    )
    parser.add_argument("--dir", type=Path, help="where to keep the project (default: a temp dir)")
    parser.add_argument("--every", type=int, default=50, help="progress line every N kills")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(RELIABILITY))
    from crash_harness import search_available, setup_project
    from crash_runner import CrashRunner

    folder = args.dir or Path(tempfile.mkdtemp(prefix="annotator-soak-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "soak.annot"
    if not path.exists():
        setup_project(path)
    index = None
    if args.search:
        if not search_available():
            print("search service not present: running without search")
        else:
            index = folder / "index"
    print(f"Soak: {args.kills} kills of a writer on {path}", flush=True)
    started = time.monotonic()
    failures = acked = flights = applied = rebuilt = 0
    claims = 0
    with CrashRunner(path, folder, index_dir=index) as runner:
        for i in range(args.kills):
            result = runner.round(args.seed + i, fresh=args.fresh)
            acked += result.acked
            flights += bool(result.in_flight)
            applied += result.in_flight_applied
            rebuilt += result.search_rebuilt
            claims = result.claims or claims
            if not result.ok:
                failures += 1
                print(f"FAILED {result.summary()}", flush=True)
            if (i + 1) % args.every == 0 or i + 1 == args.kills:
                elapsed = time.monotonic() - started
                print(
                    f"{i + 1:5d} kills  {acked:7d} acknowledged writes  {claims:6d} claims  "
                    f"{failures} failed  {elapsed:6.0f} s",
                    flush=True,
                )
    elapsed = time.monotonic() - started
    print(
        f"Result: {args.kills} kills, {failures} failed; {acked} acknowledged writes all present; "
        f"{flights} kills hit a write in flight ({applied} of them had committed, "
        f"{flights - applied} had not; each was all-or-nothing); the project ended with "
        f"{claims} claims; {elapsed:.0f} s."
        + (f" Search verified after every kill ({rebuilt} rebuilds)." if index else "")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
