"""The team benchmark's quick run (benchmarks/bench_team.py): three clients writing for a few
seconds on the suite's server lose no acknowledged write and end with their stores and indexes
equal to the server. Timings are the benchmark's business, not asserted here."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pg_server import PgServer

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.bench_team import Run, run_clients  # noqa: E402

pytestmark = pytest.mark.pg


def test_three_clients_lose_nothing_and_end_equal_to_the_server(pg_server: PgServer) -> None:
    run = run_clients(pg_server, 3, 5.0, log=lambda _message: None)
    assert run.errors == []
    assert len(run.acks) > 10  # every client wrote (one write every 100-300 ms)
    assert {client for client, _ack in run.acks} == {0, 1, 2}
    assert any(ack[0] == "edit" for _client, ack in run.acks)
    assert run.lost_updates() == 0
    assert run.out_of_step() == []
    for log in run.logs:
        assert log["end"]["indexed"] == len(run.server)
        assert log["end"]["spot_found"] == log["end"]["spot_searches"] > 0
    # every commit reached every other client's store and index (none missing: not infinite)
    arrivals = run.arrivals_ms("store_arrivals") + run.arrivals_ms("index_arrivals")
    assert len(arrivals) == 2 * 2 * len(run.acks)
    assert max(arrivals) < float("inf")


def test_a_lost_update_is_counted() -> None:
    """The check itself can fail: an acknowledged edit the server does not have is counted,
    and so are two edits acknowledged on the same revision."""
    create = ["create", "c1", 1, "first", 1, 0.0, 0.1]
    edit = ["edit", "c1", 2, "second", 2, 0.2, 0.3]
    twin = ["edit", "c1", 2, "other", 3, 0.2, 0.3]
    logs = [{"client": 0, "acks": [create, edit]}, {"client": 1, "acks": [twin]}]
    assert Run(2, 1.0, logs[:1], {"c1": (2, "second")}, 1.0).lost_updates() == 0
    assert Run(2, 1.0, logs[:1], {"c1": (1, "first")}, 1.0).lost_updates() == 1
    assert Run(2, 1.0, logs, {"c1": (2, "second")}, 1.0).lost_updates() == 1
    assert Run(2, 1.0, logs[:1], {}, 1.0).lost_updates() == 2
