"""Crash safety, proven: a writer is killed with SIGKILL at 50 random moments.

Each round forks a child (from a zygote that has imported the services once; two rounds use a
fresh interpreter) that creates, edits, links and deletes claims through the real services as
fast as it can, printing a line after each commit. It is killed 20-400 ms after it starts
writing. The project is then reopened and must: pass `check_project`; hold every acknowledged
write; equal exactly the state before plus those writes, the one write in flight at the kill
wholly there or wholly absent (each claim carries 3-8 tags and 1-3 pieces of evidence marked
with its revision, so a half-written claim cannot pass); and, when search is present, a
match-all claims search after the service's automatic repair finds exactly the project's claims.
The rounds share one project, so each round re-verifies everything written before.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from crash_harness import search_available, setup_project
from crash_runner import CrashRunner, RoundResult

KILLS = 50
FRESH_INTERPRETER_EVERY = 25
RESULTS: list[RoundResult] = []


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CrashRunner]:
    folder = tmp_path_factory.mktemp("crash")
    path = folder / "crash.annot"
    setup_project(path)
    index = folder / "index" if search_available() else None
    with CrashRunner(path, folder, index_dir=index) as run:
        yield run


@pytest.mark.parametrize("seed", range(KILLS))
def test_sigkill_while_writing_keeps_every_acknowledged_write(
    runner: CrashRunner, seed: int
) -> None:
    result = runner.round(seed, fresh=seed % FRESH_INTERPRETER_EVERY == 0)
    RESULTS.append(result)
    assert result.ok, result.summary()


def test_the_kills_landed_during_writes() -> None:
    """Guards the harness itself: the kills must hit a writer that is busy writing."""
    if len(RESULTS) < KILLS:
        pytest.skip("runs after the kill rounds")
    assert sum(r.acked for r in RESULTS) >= 100
    assert sum(1 for r in RESULTS if r.in_flight) >= KILLS // 2


def test_search_agrees_after_every_kill() -> None:
    if not search_available():
        pytest.skip("search service not present")
    if len(RESULTS) < KILLS:
        pytest.skip("runs after the kill rounds")
    assert all(r.search_checked for r in RESULTS)


def test_harness_detects_a_half_written_claim(tmp_path: Path) -> None:
    """The verification is not vacuous: a claim that lost one tag row is reported."""
    import sqlite3

    path = tmp_path / "p.annot"
    setup_project(path)
    with CrashRunner(path, tmp_path, index_dir=None) as run:
        first = run.round(1, delay=0.3)
        assert first.ok and first.claims > 0, first.summary()
        assert run.verify().ok
        conn = sqlite3.connect(path)
        conn.execute(
            "DELETE FROM annotation_tags WHERE rowid = (SELECT max(rowid) FROM annotation_tags)"
        )
        conn.commit()
        conn.close()
        damaged = run.verify()
    assert not damaged.ok
    assert "state differs" in damaged.summary()
