"""A team on one PostgreSQL server: N clients writing at once, each following the others.

The benchmark starts a PostgreSQL server of its own (tests/pg_server.py, the suite's server)
and runs N client processes on one project. Each client has its own connection (`Project`),
its own `ServerFollower` feeding a plain dict of claims (what the app's ClaimStore holds: id ->
revision and note) and its own Whoosh index (`SearchService`, in a cache folder of its own,
chosen by ANNOTATOR_CACHE_DIR as the app chooses it). Each client creates and edits claims
every 100-300 ms (random); edits carry `expected_revision` and a refused edit is re-read and
retried (refusals are counted). Edits go to recently created claims, so that clients meet.

Measured: commits per second (all clients), commit latency, the time from a commit (its
acknowledgement to the writer) to its arrival in every other client's store and index, lost
updates (an acknowledged write missing from the server at the end: must be zero) and, at the
end, whether every client's store (ids, revisions) and index (claim count, spot searches of
notes) equal the server. Baselines: one client writing alone at the same rate (latency,
commits per second) and, for arrival, the follower's poll interval (what a client would wait
without NOTIFY).

Also `python -m benchmarks.bench_team [--clients N] [--seconds S]`: one run, its figures printed.
"""

from __future__ import annotations

import json
import math
import os
import random
import sys
import tempfile
import threading
import time
from bisect import bisect_left
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.bench_common import ROOT, Context, Result, Stats, Target, percentile

NAME = "team"
TITLE = "A team on one PostgreSQL server: clients writing, following each other live"
ARRIVAL_TARGET = Target(1000.0, "abs", "p95")
LATENCY_TARGET = Target(3.0, "ratio", "p95")
NONE_TARGET = Target(1.0, "abs")
"""Lost updates and clients out of step: fewer than one, i.e. none."""
RATE_S = (0.1, 0.3)
"""A client commits once every this many seconds (uniform)."""
HOT = 8
"""Edits go to one of the last HOT claims a client knows of (so that clients meet)."""
RETRIES = 10
SPOT_SEARCHES = 3
TEXT = " ".join(
    f"Paragraph {i}: the minister said the figures were false, the opposition disputed the "
    "account and the newspaper printed both statements without comment."
    for i in range(40)
)
LETTERS = "bcdfghjklmnpqrstvwxz"


def _token(rng: random.Random) -> str:
    """A word nobody else writes: the note of a claim, searched for in the indexes."""
    return "qz" + "".join(rng.choice(LETTERS) for _ in range(10))


# -- the server ------------------------------------------------------------------------------


@contextmanager
def _server() -> Iterator[Any]:
    """The suite's PostgreSQL server (tests/pg_server.py), started and stopped here; raises
    RuntimeError with the reason when none can be had."""
    tests = str(ROOT / "tests")
    if tests not in sys.path:
        sys.path.insert(0, tests)
    from pg_server import PgServer

    found = PgServer.find()
    if isinstance(found, str):
        raise RuntimeError(found)
    found.start()
    try:
        found.make_template()
        yield found
    finally:
        found.stop()


def _new_project(server: Any) -> tuple[str, str]:
    """A fresh project database with one document; (its URL, the document id)."""
    from annotator.importers.base import ImportedText
    from annotator.services.api import Project
    from pg_server import TEMPLATE

    url = server.url(server.create_database(TEMPLATE))
    with Project.create(url) as project:
        doc = project.add_document(
            ImportedText(text=TEXT, format="text", title="Speech"), b"speech", "speech.txt"
        ).created_id
    assert doc is not None
    return url, doc


# -- one client (a process of its own) --------------------------------------------------------


@dataclass
class ClientLog:
    """What one client did and saw; written as JSON for the parent."""

    client: int
    acks: list[list[Any]] = field(default_factory=list)
    """[kind, claim id, revision, note, change number, commit started, acknowledged]."""
    refusals: int = 0
    gave_up: int = 0
    errors: list[str] = field(default_factory=list)
    store_arrivals: list[list[float]] = field(default_factory=list)
    """[change number, time] each time the follower brought changes into the store."""
    index_arrivals: list[list[float]] = field(default_factory=list)
    """[change number, time] each time the index had applied changes up to that number."""
    end: dict[str, Any] = field(default_factory=dict)


def client_main(
    number: int,
    url: str,
    document_id: str,
    folder: str,
    seconds: float,
    ready: Any,
    done: Any,
) -> None:
    """One client: follow, index, write for `seconds` after every client is `ready`, then
    (after every client is `done`) compare with the server; its log goes to folder/log.json."""
    os.environ["ANNOTATOR_CACHE_DIR"] = str(Path(folder) / "cache")  # an index of its own
    from annotator.domain.errors import AnnotatorError, ConflictError
    from annotator.search import SearchService
    from annotator.search.indexer import count_kind
    from annotator.search.schema import CLAIM
    from annotator.services.api import Project
    from annotator.services.changes import Changes
    from annotator.services.follow import ServerFollower

    log = ClientLog(number)
    rng = random.Random(number * 7919 + 17)
    project = Project.open(url)
    labels = [label.id for label in project.labels()]
    lock = threading.Lock()
    store: dict[str, tuple[int, str]] = {}
    recent: list[str] = []
    wake = threading.Event()

    def on_changes(changes: Changes) -> None:  # the follower's thread: the store applies them
        ids = changes.ids("annotation")
        removed = {r.id for r in changes.removed if r.entity == "annotation"}
        fresh = project.claims_by_id(ids - removed)
        with lock:
            for claim_id in removed:
                store.pop(claim_id, None)
            for claim in fresh.values():
                if claim.id not in store:
                    recent.append(claim.id)
                if store.get(claim.id, (0, ""))[0] <= claim.revision:
                    store[claim.id] = (claim.revision, claim.note)
            del recent[:-HOT]
            log.store_arrivals.append([changes.change_number, time.monotonic()])
        wake.set()  # the index catches up, as the app's search panel asks it to

    since = project.change_number()
    for claim in project.annotations():
        store[claim.id] = (claim.revision, claim.note)
    follower = ServerFollower(project, on_changes, since=since)
    search = SearchService(project)
    search.on_updated(lambda n: log.index_arrivals.append([n, time.monotonic()]))
    search.start()  # this client's own changes, as in the app
    stopping = threading.Event()

    def keep_index() -> None:  # others' changes: the app's SearchPanel.catch_up
        while not stopping.is_set():
            if not wake.wait(0.2):
                continue
            wake.clear()
            try:
                search.update()
            except AnnotatorError as exc:
                log.errors.append(f"index: {exc}")
                continue
            log.index_arrivals.append([search.applied_change, time.monotonic()])

    indexer = threading.Thread(target=keep_index, name="keep-index", daemon=True)
    indexer.start()
    follower.start()
    follower.wait_until(lambda: follower.connected, 30.0)
    ready.wait()

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(rng.uniform(*RATE_S))
        note = _token(rng)
        with lock:
            target = rng.choice(recent) if recent and rng.random() < 0.5 else None
            known = store.get(target) if target else None
        try:
            if target is None or known is None:
                start = rng.randrange(0, len(TEXT) - 40)
                t0 = time.monotonic()
                changes = project.create_claim(
                    document_id, start, start + rng.randint(5, 40), rng.choice(labels), note=note
                )
                t1 = time.monotonic()
                claim_id, revision = changes.created_id, 1
            else:
                claim_id, revision = target, known[0]
                acknowledged = False
                for _attempt in range(RETRIES):
                    t0 = time.monotonic()
                    try:
                        changes = project.update_claim(
                            claim_id, note=note, expected_revision=revision
                        )
                    except ConflictError:
                        log.refusals += 1  # re-read, then try again on the newer revision
                        newer = project.claims_by_id([claim_id]).get(claim_id)
                        if newer is None:
                            break
                        revision = newer.revision
                        continue
                    t1 = time.monotonic()
                    revision += 1
                    acknowledged = True
                    break
                if not acknowledged:
                    log.gave_up += 1
                    continue
        except AnnotatorError as exc:
            log.errors.append(str(exc))
            continue
        assert claim_id is not None
        with lock:
            if claim_id not in store:
                recent.append(claim_id)
                del recent[:-HOT]
            # Never older than what the follower brought meanwhile: another client's edit of
            # this claim, committed after ours, may have arrived before this line ran (the
            # app's store reads the claim as it is at each report, so it cannot go back).
            if store.get(claim_id, (0, ""))[0] < revision:
                store[claim_id] = (revision, note)
        log.acks.append(
            [
                "create" if revision == 1 else "edit",
                claim_id,
                revision,
                note,
                changes.change_number,
                t0,
                t1,
            ]
        )
        wake.set()

    done.wait()  # every client has stopped writing: the server's state is final
    final = project.change_number()
    caught = follower.wait_until(lambda: follower.change_number >= final, 60.0)
    server = {c.id: (c.revision, c.note) for c in project.annotations()}
    settled = time.monotonic() + 10.0  # the follower's last report may still be applying
    while True:
        with lock:
            mine = dict(store)
        if mine == server or time.monotonic() > settled:
            break
        time.sleep(0.05)
    stopping.set()
    indexer.join(5.0)
    search.stop()
    search.update()
    # what this last update brought in arrived now (the indexer thread had stopped recording)
    log.index_arrivals.append([search.applied_change, time.monotonic()])
    with search._lock:  # the live index (a benchmark may look inside)
        assert search._ix is not None
        indexed = count_kind(search._ix, CLAIM)
    spots = rng.sample(sorted(server), min(SPOT_SEARCHES, len(server)))
    found = 0
    for claim_id in spots:
        hits = search.search(server[claim_id][1]).hits
        found += [h.claim_id for h in hits] == [claim_id]
    log.end = {
        "caught_up": caught,
        "server_claims": len(server),
        "store_equal": {k: v[0] for k, v in mine.items()} == {k: v[0] for k, v in server.items()},
        "notes_equal": mine == server,
        "differences": [  # a few, to tell a lost report from a stale write of this client
            [claim_id, mine.get(claim_id), server.get(claim_id)]
            for claim_id in sorted(set(mine) | set(server))
            if mine.get(claim_id) != server.get(claim_id)
        ][:5],
        "indexed": indexed,
        "index_applied": search.applied_change,
        "final_change": final,
        "spot_searches": len(spots),
        "spot_found": found,
    }
    follower.stop()
    search.close()
    project.close()
    (Path(folder) / "log.json").write_text(json.dumps(log.__dict__))


# -- one run: N clients ------------------------------------------------------------------------


@dataclass
class Run:
    clients: int
    seconds: float
    logs: list[dict[str, Any]]
    server: dict[str, tuple[int, str]]
    elapsed: float

    @property
    def acks(self) -> list[tuple[int, list[Any]]]:
        return [(log["client"], ack) for log in self.logs for ack in log["acks"]]

    def latencies_ms(self) -> list[float]:
        return [(a[6] - a[5]) * 1000 for _, a in self.acks]

    def commits_per_second(self) -> list[float]:
        """Commits (all clients) in each whole second from the first to the last commit."""
        times = sorted(a[6] for _, a in self.acks)
        if not times:
            return []
        whole = int(times[-1] - times[0])
        if whole == 0:
            return [float(len(times))]
        buckets = [0.0] * whole
        for t in times:
            i = int(t - times[0])
            if i < whole:
                buckets[i] += 1
        return buckets

    def arrivals_ms(self, which: str) -> list[float]:
        """For every commit and every other client: acknowledged -> in that client's store
        (`which` = "store_arrivals") or index ("index_arrivals"). A commit that never arrived
        counts as infinite."""
        out: list[float] = []
        for log in self.logs:
            seen = sorted(log[which])
            numbers = [s[0] for s in seen]
            # earliest arrival at or after number N: the minimum over the suffix
            suffix = [0.0] * len(seen)
            low = math.inf
            for i in range(len(seen) - 1, -1, -1):
                low = min(low, seen[i][1])
                suffix[i] = low
            for writer, ack in self.acks:
                if writer == log["client"]:
                    continue
                i = bisect_left(numbers, ack[4])
                arrived = suffix[i] if i < len(seen) else math.inf
                out.append(max(0.0, (arrived - ack[6]) * 1000))
        return out

    def lost_updates(self) -> int:
        """Acknowledged writes whose effect is not on the server: a created claim missing,
        two edits acknowledged with the same revision, or the newest acknowledged revision
        missing (or with another note)."""
        lost = 0
        by_claim: dict[str, list[list[Any]]] = {}
        for _, ack in self.acks:
            by_claim.setdefault(ack[1], []).append(ack)
        for claim_id, acks in by_claim.items():
            if claim_id not in self.server:
                lost += len(acks)
                continue
            revisions = [a[2] for a in acks]
            lost += len(revisions) - len(set(revisions))
            revision, note = self.server[claim_id]
            newest = max(acks, key=lambda a: a[2])
            lost += sum(1 for a in acks if a[2] > revision)
            if newest[2] == revision and newest[3] != note:
                lost += 1
        return lost

    def out_of_step(self) -> list[str]:
        """Clients whose store or index differs from the server at the end, and why."""
        out = []
        for log in self.logs:
            end = log["end"]
            why = [
                what
                for what, bad in (
                    ("not caught up", not end["caught_up"]),
                    ("store differs", not end["notes_equal"]),
                    ("index count differs", end["indexed"] != len(self.server)),
                    ("index behind", end["index_applied"] < end["final_change"]),
                    ("spot search missed", end["spot_found"] != end["spot_searches"]),
                )
                if bad
            ]
            if why:
                shown = "; ".join(
                    f"{claim_id[:8]} mine {mine} server {theirs}"
                    for claim_id, mine, theirs in end.get("differences", [])[:2]
                )
                out.append(
                    f"client {log['client']}: {', '.join(why)}" + (f" ({shown})" if shown else "")
                )
        return out

    @property
    def refusals(self) -> int:
        return sum(log["refusals"] for log in self.logs)

    @property
    def errors(self) -> list[str]:
        return [e for log in self.logs for e in log["errors"]]


def run_clients(server: Any, clients: int, seconds: float, log: Any = print) -> Run:
    """`clients` processes writing for `seconds` on a new project of `server`."""
    import multiprocessing

    from annotator.services.api import Project

    url, doc = _new_project(server)
    spawn = multiprocessing.get_context("spawn")
    ready, done = spawn.Barrier(clients + 1), spawn.Barrier(clients + 1)
    with tempfile.TemporaryDirectory(prefix="annotator-team-") as work:
        folders = [Path(work) / f"client{i}" for i in range(clients)]
        procs = []
        for i, folder in enumerate(folders):
            folder.mkdir()
            proc = spawn.Process(
                target=client_main,
                args=(i, url, doc, str(folder), seconds, ready, done),
                name=f"team-client-{i}",
            )
            proc.start()
            procs.append(proc)
        try:
            ready.wait(timeout=300)  # every client connected, following, indexed
            started = time.monotonic()
            log(f"    {clients} client(s) writing for {seconds:g} s")
            time.sleep(seconds)
            done.wait(timeout=120)  # every client has stopped writing
            elapsed = time.monotonic() - started
            for proc in procs:
                proc.join(timeout=180)
        finally:
            for proc in procs:
                if proc.is_alive():
                    proc.terminate()
                    proc.join(5)
        failed = [p.name for p in procs if p.exitcode != 0]
        if failed:
            raise RuntimeError(f"client(s) failed: {', '.join(failed)}")
        logs = [json.loads((f / "log.json").read_text()) for f in folders]
    with Project.open(url) as project:
        final = {c.id: (c.revision, c.note) for c in project.annotations()}
    server.drop_database(url.rsplit("/", 1)[1])
    return Run(clients, seconds, logs, final, elapsed)


# -- the family --------------------------------------------------------------------------------


def _single(value: float) -> Stats:
    return Stats(value, value, 1, value, value)


def rows(team: Run, alone: Run, poll_ms: float) -> list[Result]:
    n = team.clients
    size = f"{n} clients, {team.seconds:g} s"
    lost, stepping = team.lost_updates(), team.out_of_step()
    commits = len(team.acks)
    poll = "the follower's poll interval (no NOTIFY)"
    return [
        Result(
            NAME,
            f"team.{n}.commits",
            f"Commits per second, all clients (one every 100-300 ms each; {commits} in all)",
            size,
            "commits/s",
            Stats.of(team.commits_per_second(), higher_is_better=True),
            f"one client writing alone, × {n} (no contention)",
            Stats.of([x * n for x in alone.commits_per_second()], higher_is_better=True),
            higher_is_better=True,
            extra={"headline": False},
        ),
        Result(
            NAME,
            f"team.{n}.commit",
            "Commit latency on the server (create or edit a claim)",
            size,
            "ms",
            Stats.of(team.latencies_ms()),
            "one client writing alone",
            Stats.of(alone.latencies_ms()),
            LATENCY_TARGET,
            extra={"headline": True},
        ),
        *(
            Result(
                NAME,
                f"team.{n}.{where}",
                f"A commit {what} in every other client's {where}",
                size,
                "ms",
                Stats.of(team.arrivals_ms(f"{where}_arrivals")),
                poll,
                _single(poll_ms),
                ARRIVAL_TARGET,
                extra={"headline": True},
            )
            for where, what in (("store", "arrived"), ("index", "searchable"))
        ),
        Result(
            NAME,
            f"team.{n}.lost",
            f"Lost updates (acknowledged, missing at the end; {team.refusals} stale edits "
            "refused and retried)",
            size,
            "writes",
            _single(float(lost)),
            target=NONE_TARGET,
            extra={"headline": True},
        ),
        Result(
            NAME,
            f"team.{n}.end",
            "Clients whose store or index differs from the server at the end",
            size,
            "clients",
            _single(float(len(stepping))),
            target=NONE_TARGET,
            note="; ".join(stepping),
            extra={"headline": True},
        ),
    ]


def run(ctx: Context) -> list[Result]:
    from annotator.services.follow import POLL_S

    sizes, seconds, alone_s = ((3,), 5.0, 3.0) if ctx.quick else ((5, 20), 60.0, 30.0)
    try:
        server_cm = _server()
        server = server_cm.__enter__()
    except RuntimeError as exc:
        ctx.log(f"    skipped: no PostgreSQL server ({exc})")
        return []
    try:
        alone = run_clients(server, 1, alone_s, ctx.log)
        out: list[Result] = []
        for n in sizes:
            team = run_clients(server, n, seconds, ctx.log)
            if team.errors:
                ctx.log(f"    {len(team.errors)} error(s), e.g. {team.errors[0]}")
            out += rows(team, alone, POLL_S * 1000)
        return out
    finally:
        server_cm.__exit__(None, None, None)


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_team")
    parser.add_argument("--clients", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    from annotator.services.follow import POLL_S

    with _server() as server:
        alone = run_clients(server, 1, args.seconds)
        team = run_clients(server, args.clients, args.seconds)
    for r in rows(team, alone, POLL_S * 1000):
        base = f" (baseline {r.baseline.median:.1f})" if r.baseline else ""
        print(f"{r.title}: median {r.stats.median:.1f}, p95 {r.stats.p95:.1f} {r.unit}{base}")
    print(f"p95 commit latency {percentile(team.latencies_ms(), 95):.1f} ms")
    return 0


if __name__ == "__main__":
    if str(ROOT / "src") not in sys.path:
        sys.path.insert(0, str(ROOT / "src"))
    sys.exit(main())
