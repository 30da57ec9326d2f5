"""Moving a study between a file and a real PostgreSQL server: every table's rows kept as they
are (ids, authors, dates, revisions, the change log), the copy all or nothing, refusals in one
sentence."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from annotator.app.demo import build_demo
from annotator.services import transfer
from annotator.services.api import Project
from annotator.services.check import check_project
from annotator.services.transfer import TransferRefused, project_tables, pull, push
from annotator.storage.engine import ProjectError, make_engine
from annotator.storage.mapping import naive_utc
from annotator.storage.server import ServerAddress
from pg_server import PASSWORD, TEMPLATE, PgServer

Rows = dict[str, list[tuple[Any, ...]]]


def study_at(path: Path) -> Path:
    """The demo project plus what it lacks: a second annotator, a settled disagreement with
    its judgements, an edited claim (revision 2), a deleted one, a label, a saved search and a
    setting."""
    with build_demo(path) as project:
        doc = project.documents()[0].id
        disputed, sourced = project.label("disputed").id, project.label("sourced").id
        project.set_author("ann")
        first = project.create_claim(doc, 0, 12, disputed, note="ann's 'quoted' note").created_id
        project.set_author("bob")
        project.create_claim(doc, 0, 10, sourced, tags=["moved"])
        gone = project.create_claim(doc, 20, 30, sourced).created_id
        assert first is not None and gone is not None
        project.delete_claim(gone)
        project.update_claim(first, note="ann's note, edited")
        project.set_author("judge")
        unit = project.disagreements().disagreements[0]
        project.settle(list(unit.claim_ids), disputed, note="settled")
        project.add_label("hearsay", "#336699", None)
        project.save_search("strikes", "strike")
        project.set_setting("export.format", '"html"')
    return path


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return study_at(tmp_path_factory.mktemp("study") / "study.annot")


def rows_of(location: Path | str) -> Rows:
    """Every project table's rows, in primary-key order, datetimes as naive UTC."""
    where = ServerAddress.parse(location) if isinstance(location, str) else location
    engine = make_engine(where, readonly=True)
    out: Rows = {}
    try:
        with engine.connect() as conn:
            for table in project_tables():
                result = conn.execute(table.select().order_by(*table.primary_key.columns))
                out[table.name] = [
                    tuple(naive_utc(v) if isinstance(v, datetime) else v for v in row)
                    for row in result
                ]
    finally:
        engine.dispose()
    return out


def test_push_then_pull_gives_the_same_project(
    study: Path, pg_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer, "BATCH_ROWS", 4)  # several batches per table
    heard: list[tuple[str, int]] = []
    before = rows_of(study)
    address = ServerAddress.parse(pg_database)

    pushed = push(study, address, progress=lambda table, n: heard.append((table, n)))

    assert (pushed.documents, pushed.claims, pushed.links) == (
        len(before["documents"]),
        len(before["annotations"]),
        len(before["links"]),
    )
    assert pushed.rows == {name: len(rows) for name, rows in before.items()}
    assert PASSWORD not in pushed.target and pushed.target == address.display
    assert [n for table, n in heard if table == "changes"][:2] == [4, 8]
    assert rows_of(pg_database) == before
    for name in ("settlements", "settlement_judgements", "document_formats", "saved_searches"):
        assert before[name], f"the study has no {name}: the test would prove nothing"
    empty = [table.name for table in project_tables() if not before[table.name]]
    assert not empty, f"the study has no rows in {empty}: the test would prove nothing there"

    with Project.open(pg_database) as server:
        assert check_project(server).ok, check_project(server).problems
        assert server.change_number() == pushed.change_number
        # The copy goes on from the same change number, and the change log's sequence was
        # moved past the copied rows (else this insert would collide with a copied one).
        doc = server.documents()[1].id
        made = server.create_claim(doc, 0, 5, server.label("sourced").id)
        assert made.change_number == pushed.change_number + 1
        assert server.changes_since(pushed.change_number) == [
            (made.change_number, "annotation", made.created_id, "added")
        ]
    on_server = rows_of(pg_database)
    back = tmp_path / "back.annot"
    pulled = pull(address, back)
    assert pulled.rows["changes"] == len(before["changes"]) + 1
    assert pulled.change_number == made.change_number
    assert rows_of(back) == on_server
    with Project.open(back) as copy:
        assert check_project(copy).ok, check_project(copy).problems
        assert copy.project_id() == on_server_id(on_server)
        # A file's change log goes on too.
        again = copy.create_claim(doc, 5, 9, copy.label("disputed").id)
        assert copy.changes_since(made.change_number) == [
            (made.change_number + 1, "annotation", again.created_id, "added")
        ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["back.annot"]


def on_server_id(rows: Rows) -> str:
    return next(value for key, value in rows["project_meta"] if key == "project_id")


def test_a_pull_back_is_identical_table_for_table(
    study: Path, pg_database: str, tmp_path: Path
) -> None:
    address = ServerAddress.parse(pg_database)
    push(study, address)
    pull(address, tmp_path / "back.annot")
    assert rows_of(tmp_path / "back.annot") == rows_of(study)


def test_the_search_index_builds_on_the_pulled_file(
    study: Path, pg_database: str, tmp_path: Path
) -> None:
    from annotator.search.service import SearchService

    address = ServerAddress.parse(pg_database)
    push(study, address)
    pull(address, tmp_path / "back.annot")
    with Project.open(tmp_path / "back.annot") as copy, SearchService(copy) as search:
        found = search.search("edited")
        claims = {c.id for c in copy.annotations() if "edited" in c.note}
        assert claims and {h.claim_id for h in found.hits} == claims


def test_a_second_push_is_refused_and_changes_nothing(
    study: Path, pg_database: str, tmp_path: Path
) -> None:
    address = ServerAddress.parse(pg_database)
    push(study, address)
    before = rows_of(pg_database)
    other = study_at(tmp_path / "other.annot")
    with pytest.raises(TransferRefused) as refused:
        push(other, address)
    message = str(refused.value)
    assert message.startswith(f"The database {address.name} on 127.0.0.1:")
    assert "holds a project already (2 document(s), " in message
    assert message.endswith("a push needs an empty database.") and "\n" not in message
    assert rows_of(pg_database) == before


def test_a_new_unfilled_project_counts_as_empty(study: Path, pg_database: str) -> None:
    Project.create(pg_database).close()
    pushed = push(study, ServerAddress.parse(pg_database))
    assert rows_of(pg_database) == rows_of(study)
    assert pushed.claims == len(rows_of(study)["annotations"])


def test_a_database_without_tables_gets_the_schema(study: Path, pg_server: PgServer) -> None:
    name = pg_server.create_database()
    try:
        push(study, ServerAddress.parse(pg_server.url(name)))
        assert rows_of(pg_server.url(name)) == rows_of(study)
        with Project.open(pg_server.url(name)) as server:
            assert check_project(server).ok
    finally:
        pg_server.drop_database(name)


def test_a_failed_push_takes_the_new_schema_back(pg_server: PgServer, tmp_path: Path) -> None:
    import sqlite3

    path = study_at(tmp_path / "broken.annot")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE links SET target_id = 'no-such-claim' WHERE rowid = 1")
    name = pg_server.create_database()
    try:
        with pytest.raises(TransferRefused, match="nothing was pushed"):
            push(path, ServerAddress.parse(pg_server.url(name)))
        with psycopg_connect(pg_server.url(name)) as conn:
            tables = conn.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
            ).fetchone()
        assert tables == (0,)
    finally:
        pg_server.drop_database(name)


def psycopg_connect(url: str) -> Any:
    import psycopg

    return psycopg.connect(url, autocommit=True)


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        # A link whose claim is gone behind Annotator's back (foreign keys off): refused after
        # every earlier row was inserted.
        ("UPDATE links SET target_id = 'no-such-claim' WHERE rowid = 1", "foreign key"),
        # SQLite stores a NUL character; a server refuses it.
        ("UPDATE annotations SET note = 'a' || char(0) || 'b' WHERE rowid = 1", "NUL"),
        # SQLite does not hold a text to its column's length; a server does.
        ("UPDATE labels SET name = printf('%.100c', 'x') WHERE rowid = 1", "too long"),
    ],
    ids=["broken-link", "nul-character", "too-long"],
)
def test_a_row_the_server_refuses_leaves_the_database_as_it_was(
    pg_database: str, tmp_path: Path, damage: str, reason: str
) -> None:
    import sqlite3

    path = study_at(tmp_path / "broken.annot")
    Project.create(pg_database).close()  # a new project's seed counts as empty
    before = rows_of(pg_database)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    assert conn.execute(damage).rowcount == 1
    conn.commit()
    conn.close()
    with pytest.raises(TransferRefused) as refused:
        push(path, ServerAddress.parse(pg_database))
    message = str(refused.value)
    assert message.startswith("The server refused a row of broken.annot (")
    assert reason in message
    assert message.endswith("nothing was pushed to " + pg_database.rsplit("/", 1)[1] + ".")
    assert "\n" not in message and PASSWORD not in message
    assert rows_of(pg_database) == before


def test_a_server_stopped_mid_push_leaves_the_database_as_it_was(
    study: Path, pg_database: str, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transfer, "BATCH_ROWS", 2)
    before = rows_of(pg_database)

    def stop_in_the_claims(table: str, _done: int) -> None:
        if table == "annotations":
            pg_server.pause()

    try:
        with pytest.raises(TransferRefused) as refused:
            push(study, ServerAddress.parse(pg_database), progress=stop_in_the_claims)
    finally:
        if not pg_server.is_running():
            pg_server.resume()
    assert str(refused.value) == (
        f"The PostgreSQL server 127.0.0.1:{pg_server.port} cannot be reached (is it running, "
        "and is the address right?); nothing was pushed."
    )
    assert rows_of(pg_database) == before
    assert not before["project_meta"]


def test_pull_refuses_an_existing_file(study: Path, pg_database: str, tmp_path: Path) -> None:
    address = ServerAddress.parse(pg_database)
    push(study, address)
    there = tmp_path / "there.annot"
    there.write_bytes(b"mine")
    with pytest.raises(TransferRefused, match="a file of that name exists already"):
        pull(address, there)
    assert there.read_bytes() == b"mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["there.annot"]


def test_pull_from_a_database_without_project_is_one_sentence(
    pg_database: str, tmp_path: Path
) -> None:
    address = ServerAddress.parse(pg_database)
    with pytest.raises(TransferRefused) as refused:
        pull(address, tmp_path / "back.annot")
    assert str(refused.value) == (
        f"The database {address.name} on {address.where} holds no Annotator project yet; "
        "nothing was pulled."
    )
    assert not list(tmp_path.iterdir())
    import psycopg

    with psycopg.connect(pg_database, autocommit=True) as conn:
        conn.execute("DROP TABLE project_meta CASCADE")
    with pytest.raises(ProjectError, match="holds no Annotator project"):
        pull(address, tmp_path / "back.annot")
    assert not list(tmp_path.iterdir())


def test_a_server_stopped_mid_pull_leaves_no_file(
    study: Path,
    pg_database: str,
    pg_server: PgServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    address = ServerAddress.parse(pg_database)
    push(study, address)
    monkeypatch.setattr(transfer, "BATCH_ROWS", 2)
    folder = tmp_path / "out"
    folder.mkdir()

    def stop_in_the_claims(table: str, _done: int) -> None:
        if table == "annotations":
            pg_server.pause()

    try:
        with pytest.raises(TransferRefused, match=r"cannot be reached.*nothing was pulled"):
            pull(address, folder / "back.annot", progress=stop_in_the_claims)
    finally:
        if not pg_server.is_running():
            pg_server.resume()
    assert not list(folder.iterdir())


def test_the_template_stays_a_template(pg_server: PgServer) -> None:
    """No test here pushed into the template by mistake: it still holds no project."""
    assert not rows_of(pg_server.url(TEMPLATE))["project_meta"]


def test_rows_without_a_project_id_are_never_replaced(study: Path, pg_database: str) -> None:
    address = ServerAddress.parse(pg_database)
    push(study, address)
    with psycopg_connect(pg_database) as conn:
        conn.execute("DELETE FROM project_meta WHERE key = 'project_id'")
    before = rows_of(pg_database)
    with pytest.raises(TransferRefused, match="holds a project already"):
        push(study, address)
    assert rows_of(pg_database) == before
