"""Projects on a PostgreSQL server through the services: hostile text on both back ends, another
client's changes, two writers' change numbers in commit order, a server stopped mid-session,
file-only features refused in one sentence."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from annotator.domain.errors import ConflictError, ValidationError
from annotator.domain.model import Evidence
from annotator.services.api import Project
from annotator.services.backup import SERVER_BACKUPS, BackupError, make_backup
from annotator.services.backup_schedule import BackupScheduler
from annotator.services.check import check_project
from annotator.services.project import WriteFailed
from annotator.services.watch import ExternalChangeWatcher
from annotator.storage.server import ServerAddress, ServerError
from pg_server import PgServer

AddText = Callable[..., str]
Refuse = Callable[..., BaseException]

HOSTILE = [
    "'; DROP TABLE annotations; --",
    'He said "no" -- twice',
    "back\\slash \\x00 \\' and a trailing backslash\\",
    "percent %s %(name)s ? $1 :name",
    "Ünïcödé 𝔘 — “quotes” ‘single’ 🙂",
]


def _location(project: Project) -> Path | ServerAddress:
    return project.server or project.path


def test_sql_and_quotes_round_trip(project: Project, add_text: AddText) -> None:
    """Labels, notes, tags, evidence, titles and saved searches holding SQL, quotes and
    backslashes come back exactly, also after the project is opened again."""
    doc = add_text("A claim about a '; DROP TABLE claim.", title=HOSTILE[0])
    made = []
    for n, text in enumerate(HOSTILE):
        label = project.add_label(text, "#123456").created_id
        assert label
        claim = project.create_claim(
            doc,
            0,
            7,
            label,
            note=text,
            tags=[f"tag {n} {text}"],
            evidence=[Evidence(citation=text, url=None)],
        ).created_id
        assert claim
        made.append((claim, label, text))
    project.save_search(HOSTILE[1], HOSTILE[0])
    where = _location(project)
    project.close()
    with Project.open(where) as again:
        assert again.document(doc).title == HOSTILE[0]
        for claim, label, text in made:
            got = again.annotation(claim)
            assert got.note == text
            assert got.label_id == label
            assert got.tags == (f"tag {HOSTILE.index(text)} {text}",)
            assert got.evidence[0].citation == text
            assert again.label(label).name == text
        assert again.annotation_count() == len(HOSTILE)
        assert [(s.name, s.query) for s in again.saved_searches()] == [(HOSTILE[1], HOSTILE[0])]
        assert check_project(again).ok


def test_text_a_server_cannot_store_is_refused_in_one_sentence(
    project: Project, add_text: AddText, backend: str, refuse: Refuse
) -> None:
    """A server keeps a label's name to 80 characters and stores no NUL character; SQLite
    stores both. On a server the change is refused in one sentence and leaves no trace."""
    doc = add_text("A claim.")
    label = project.labels()[0].id
    long_name, nul_note = "L" * 81, "before\x00after"
    if backend == "sqlite":
        assert project.add_label(long_name, "#000000").created_id
        assert project.create_claim(doc, 0, 1, label, note=nul_note).created_id
        return
    refuse(ValidationError, project.add_label, long_name, "#000000", match="at most 80 characters")
    refuse(
        ValidationError,
        project.create_claim,
        doc,
        0,
        1,
        label,
        note=nul_note,
        match="NUL character",
    )
    assert project.annotations() == []


def test_another_clients_change_is_seen(project: Project, add_text: AddText) -> None:
    """A second client of the same project (another window, another member) commits; the
    watcher of the first reports exactly that change, and never its own."""
    doc = add_text("Shared text.")
    label = project.labels()[0].id
    with ExternalChangeWatcher(project) as watcher, Project.open(_location(project)) as other:
        assert watcher.poll() is None
        project.create_claim(doc, 0, 6, label)  # our own: not reported
        assert watcher.poll() is None
        claim = other.create_claim(doc, 7, 11, label).created_id
        seen = watcher.poll()
        assert seen is not None
        assert [(r.entity, r.id) for r in seen.added] == [("annotation", claim)]
        assert seen.change_number == other.change_number() == project.change_number()
        assert watcher.poll() is None


def test_two_clients_editing_one_claim_never_overwrite_each_other(
    project: Project, add_text: AddText
) -> None:
    """Two clients read a claim at revision 1 and save their edits at the same moment, each
    stating the revision it read: one edit is saved, the other refused; nothing is lost
    silently."""
    doc = add_text("A claim both edit.")
    labels = project.labels()
    claim = project.create_claim(doc, 0, 7, labels[0].id).created_id
    assert claim and project.annotation(claim).revision == 1
    other = Project.open(_location(project))
    start = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def edit(client: Project, name: str) -> None:
        start.wait(10)
        try:
            client.update_claim(claim, note=f"by {name}", expected_revision=1)
            outcome[name] = "saved"
        except ConflictError as exc:
            outcome[name] = str(exc)

    threads = [
        threading.Thread(target=edit, args=(client, name))
        for client, name in ((project, "a"), (other, "b"))
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    other.close()
    saved = [name for name, result in outcome.items() if result == "saved"]
    assert len(saved) == 1 and len(outcome) == 2, outcome
    loser = "b" if saved == ["a"] else "a"
    assert "changed meanwhile" in outcome[loser]
    final = project.annotation(claim)
    assert final.revision == 2 and final.note == f"by {saved[0]}"


# -- on a server only ------------------------------------------------------------------------


@pytest.fixture
def server_project(pg_database: str) -> Iterator[Project]:
    p = Project.create(pg_database)
    try:
        yield p
    finally:
        p.close()


def test_two_writers_commit_in_change_number_order(
    server_project: Project, pg_database: str
) -> None:
    """Writer A starts first and is held inside its transaction; writer B, started meanwhile,
    waits for A's commit instead of taking the next number and committing before it (a
    sequence would let it: a follower at A's number - 1 that saw B's would skip A's)."""
    from annotator.importers.base import ImportedText

    a = server_project

    doc_id = a.add_document(
        ImportedText(text="Order matters here.", format="text", title="T"), b"x", "t.txt"
    ).created_id
    assert doc_id
    label = a.labels()[0].id
    b = Project.open(pg_database)
    inside = threading.Event()
    release = threading.Event()
    committed: list[tuple[str, int]] = []
    results: dict[str, int] = {}

    def writer_a() -> None:
        with a._mutation("held") as (session, changes):
            from annotator.storage.orm import LabelRow

            session.add(LabelRow(id="held", name="held", color="#000000", key=None, position=9))
            changes.add("label", "held")
            inside.set()
            release.wait(10)
        assert changes.result is not None
        results["a"] = changes.result.change_number
        committed.append(("a", changes.result.change_number))

    def writer_b() -> None:
        number = b.create_claim(doc_id, 0, 5, label).change_number
        results["b"] = number
        committed.append(("b", number))

    ta = threading.Thread(target=writer_a)
    ta.start()
    assert inside.wait(10)
    tb = threading.Thread(target=writer_b)
    tb.start()
    time.sleep(0.5)
    assert "b" not in results, "B committed while A held the write lock"
    # A follower reading now sees neither: nothing is committed past the last number.
    before = a.change_number()
    assert a.changes_since(before) == []
    release.set()
    ta.join(10)
    tb.join(10)
    b.close()
    assert results["b"] == results["a"] + 1
    assert [who for who, _ in committed] == ["a", "b"]
    assert [n for n, *_ in a.changes_since(before)] == [results["a"], results["b"]]
    a.close()


def test_a_follower_never_misses_a_change(server_project: Project, pg_database: str) -> None:
    """Two clients write concurrently while a third follows the outbox from the last number it
    read: it sees every change number, once, in order."""
    writers = [Project.open(pg_database), Project.open(pg_database)]
    stop = threading.Event()
    seen: list[int] = []
    errors: list[BaseException] = []

    def follow() -> None:
        cursor = server_project.change_number()
        while True:
            done = stop.is_set()
            rows = server_project.changes_since(cursor)
            for number, *_ in rows:
                if number > cursor:
                    seen.append(number)
                    cursor = number
            if done:
                return
            time.sleep(0.005)

    def write(p: Project, name: str) -> None:
        try:
            for n in range(15):
                p.add_label(f"{name} {n}", "#000000")  # a setting leaves no outbox row
        except BaseException as exc:  # reported below
            errors.append(exc)

    start = server_project.change_number()
    follower = threading.Thread(target=follow)
    follower.start()
    threads = [threading.Thread(target=write, args=(p, f"w{i}")) for i, p in enumerate(writers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    stop.set()
    follower.join(30)
    for p in writers:
        p.close()
    assert not errors
    assert seen == list(range(start + 1, start + 31))
    server_project.close()


def test_a_busy_server_is_one_sentence(
    server_project: Project, pg_database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import annotator.storage.server as server

    monkeypatch.setattr(server, "LOCK_TIMEOUT_S", 1)
    other = Project.open(pg_database)
    inside, release = threading.Event(), threading.Event()

    def hold() -> None:
        with server_project._mutation("held"):
            inside.set()
            release.wait(10)

    t = threading.Thread(target=hold)
    t.start()
    try:
        assert inside.wait(10)
        before = other.change_number()
        with pytest.raises(WriteFailed, match="busy with another member's change") as info:
            other.set_setting("k", "v")
        assert "\n" not in str(info.value)
    finally:
        release.set()
        t.join(10)
    assert other.change_number() == before + 1  # the holder's change, not ours
    assert other.setting("k") == ""
    other.close()
    server_project.close()


def test_a_server_stopped_mid_session_refuses_then_recovers(
    server_project: Project, pg_server: PgServer
) -> None:
    """The server stops while a project is open: a change is refused in one sentence and
    nothing is half-saved; once it is back, the same project object writes again."""
    p = server_project
    p.set_setting("before", "1")
    number = p.change_number()
    watcher = ExternalChangeWatcher(p)
    pg_server.pause()
    try:
        assert watcher.poll() is None  # gone for a moment: nothing to report, no error
        with pytest.raises(WriteFailed, match="cannot be reached") as info:
            p.set_setting("during", "1")
        message = str(info.value)
        assert "\n" not in message and "not saved" in message
        assert pg_server.url("x").split("@")[0].split(":")[-1] not in message  # no password
        with pytest.raises(ServerError, match="cannot be reached"):
            p.setting("before")
    finally:
        pg_server.resume()
    assert p.setting("during") == ""
    assert p.change_number() == number
    p.set_setting("after", "1")
    assert p.change_number() == number + 1
    assert watcher.poll() is None  # our own change
    watcher.close()
    p.close()


def test_file_only_features_refuse_in_one_sentence(server_project: Project) -> None:
    with pytest.raises(BackupError) as info:
        make_backup(server_project)
    assert str(info.value) == SERVER_BACKUPS
    assert BackupScheduler(server_project, interval=0).maybe_backup() is None
    report = check_project(server_project)
    assert report.ok
    assert any("PostgreSQL server" in line for line in report.checked)
    server_project.close()


def test_reads_are_snapshots_and_writes_hold_the_write_lock(server_project: Project) -> None:
    p = server_project
    with p.read_snapshot() as conn:
        assert conn.exec_driver_sql("SHOW transaction_isolation").scalar() == "repeatable read"
        assert conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "on"
    with p._read() as session:
        isolation = session.connection().exec_driver_sql("SHOW transaction_isolation").scalar()
        assert isolation == "repeatable read"
    with p._mutation("look") as (session, _):
        held = session.connection().exec_driver_sql(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND pid = pg_backend_pid() AND granted"
        )
        assert held.scalar() == 1
        zone = session.connection().exec_driver_sql("SHOW TimeZone").scalar()
        assert zone == "UTC"


_HOLDER = """
import sys, time
from annotator.services.api import Project
from annotator.storage.orm import LabelRow

p = Project.open(sys.argv[1])
with p._mutation("killed") as (session, changes):
    session.add(LabelRow(id="killed", name="killed", color="#000000", key=None, position=9))
    session.flush()
    changes.add("label", "killed")
    print("inside", flush=True)
    time.sleep(120)
"""


def test_a_client_killed_mid_write_leaves_nothing_and_no_lock(
    server_project: Project, pg_database: str
) -> None:
    """A client dies inside its write transaction (holding the write lock, its row written):
    the server rolls it back and frees the lock; the others write at once."""
    import os
    import subprocess
    import sys

    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, pg_database],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "inside"
        before = server_project.change_number()
        holder.kill()
        holder.wait(10)
        started = time.monotonic()
        server_project.add_label("After the crash", "#000000")
        assert time.monotonic() - started < 5
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(10)
    assert server_project.change_number() == before + 1
    assert "killed" not in {label.name for label in server_project.labels()}
