"""A project on a PostgreSQL server: its address in every form libpq users know, the one sentence
for each way of not getting in, and the migrations run on the server."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from annotator.services.api import Project
from annotator.storage import migrations
from annotator.storage.engine import ProjectError, make_engine
from annotator.storage.server import ServerAddress, ServerError, is_server_url, parse_location
from pg_server import PASSWORD, SUPERUSER, PgServer

# -- addresses (no server needed) ------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://ann:s3cr%40t%3A@db.example.org:5433/study",
        "postgresql+psycopg://ann:s3cr%40t%3A@db.example.org:5433/study",
        "postgres://ann:s3cr%40t%3A@db.example.org:5433/study",
    ],
)
def test_an_address_never_shows_its_password(url: str) -> None:
    address = ServerAddress.parse(url)
    assert address.url.password == "s3cr@t:"  # percent-decoded, as libpq does
    assert address.url.drivername == "postgresql+psycopg"
    shown = [address.display, str(address), repr(address), address.key, address.name]
    assert address.display == "postgresql://ann@db.example.org:5433/study"
    assert address.name == "study" and address.where == "db.example.org:5433"
    for text_ in shown:
        assert "s3cr" not in text_ and "%40" not in text_


def test_addresses_and_files_are_told_apart() -> None:
    assert is_server_url("postgresql://h/db") and is_server_url("POSTGRES://h/db")
    assert not is_server_url("study.annot") and not is_server_url("http://h/db")
    assert not is_server_url(Path("postgresql://h/db"))  # a Path is a file, always
    assert parse_location("study.annot") == Path("study.annot")
    assert isinstance(parse_location("postgresql:///db?host=/run/pg"), ServerAddress)
    service = ServerAddress.parse("postgresql:///?service=desk")
    assert service.name == "service desk" and service.database == ""
    with pytest.raises(ServerError, match="not a valid server address") as info:
        ServerAddress.parse("postgresql://ann:pw@host:notaport/db")
    assert "pw" not in str(info.value)


# -- on the test server ----------------------------------------------------------------------


@pytest.fixture
def made(pg_database: str) -> str:
    """The URL of a database holding a new project (closed again)."""
    Project.create(pg_database).close()
    return pg_database


def _no_password(project: Project) -> None:
    for shown in (str(project.path), project.name, project.location, str(project.server)):
        assert PASSWORD not in shown and "test-secret" not in shown


def test_every_url_form_opens_the_project(made: str, pg_server: PgServer) -> None:
    name = made.rsplit("/", 1)[1]
    forms = [
        made,
        made.replace("postgresql://", "postgresql+psycopg://"),
        made.replace("postgresql://", "postgres://"),
        ServerAddress.parse(made),
    ]
    ids = set()
    for form in forms:
        with Project.open(form) as p:
            _no_password(p)
            assert p.name == name and p.path.name == name
            assert p.location == f"postgresql://{SUPERUSER}@127.0.0.1:{pg_server.port}/{name}"
            ids.add(p.project_id())
    assert len(ids) == 1


def test_a_password_from_pgpass(
    made: str, pg_server: PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No password in the URL: libpq finds it in the file PGPASSFILE names (~/.pgpass)."""
    name = made.rsplit("/", 1)[1]
    bare = pg_server.url(name, password=None)
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "absent"))
    with pytest.raises(ServerError, match="refused the password"):
        Project.open(bare)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"127.0.0.1:{pg_server.port}:*:{SUPERUSER}:{PASSWORD}\n", "utf-8")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    with Project.open(bare) as p:
        assert p.change_number() == 1


def test_a_service_name_and_libpq_environment(
    made: str, pg_server: PgServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`?service=` and PGSERVICE read pg_service.conf (PGSERVICEFILE); PGSSLMODE reaches libpq."""
    name = made.rsplit("/", 1)[1]
    conf = tmp_path / "pg_service.conf"
    conf.write_text(
        f"[desk]\nhost=127.0.0.1\nport={pg_server.port}\ndbname={name}\nuser={SUPERUSER}\n"
        f"password={PASSWORD}\n",
        "utf-8",
    )
    monkeypatch.setenv("PGSERVICEFILE", str(conf))
    with Project.open("postgresql:///?service=desk") as p:
        assert p.change_number() == 1 and p.name == "service desk"
    monkeypatch.setenv("PGSERVICE", "desk")
    with Project.open("postgresql://") as p:
        assert p.change_number() == 1
    monkeypatch.setenv("PGSSLMODE", "require")  # the test server has no TLS
    with pytest.raises(ServerError) as info:
        Project.open("postgresql://")
    assert "SSL" in str(info.value) and "\n" not in str(info.value)


def test_a_wrong_password_is_one_sentence(made: str, pg_server: PgServer) -> None:
    name = made.rsplit("/", 1)[1]
    wrong = "Wr0ng-'; DROP TABLE x; --"
    with pytest.raises(ServerError) as info:
        Project.open(pg_server.url(name, password=wrong))
    message = str(info.value)
    assert message == (
        f"The server 127.0.0.1:{pg_server.port} refused the password of {SUPERUSER} for "
        f"{name}: check the password (or ~/.pgpass)."
    )
    assert wrong not in message and "Wr0ng" not in message


def test_a_stopped_server_is_one_sentence(pg_server: PgServer) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = pg_server.url("study").replace(f":{pg_server.port}/", f":{port}/")
    for attempt in (Project.open, Project.create):
        with pytest.raises(ServerError) as info:
            attempt(url)
        assert str(info.value) == (
            f"The PostgreSQL server 127.0.0.1:{port} cannot be reached (is it running, and is "
            "the address right?)."
        )


def test_databases_that_hold_no_project_or_another_are_refused(
    pg_server: PgServer, made: str
) -> None:
    with pytest.raises(ServerError, match="has no database nowhere: its administrator"):
        Project.open(pg_server.url("nowhere"))
    empty = pg_server.url(pg_server.create_database())
    with pytest.raises(ProjectError, match="holds no Annotator project"):
        Project.open(empty)
    with pytest.raises(ProjectError, match="holds a project already"):
        Project.create(made)
    engine = make_engine(ServerAddress.parse(empty))
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE someone_elses (id integer)"))
    engine.dispose()
    with pytest.raises(ProjectError, match="holds other tables"):
        Project.create(empty)


def test_migrations_upgrade_a_project_on_the_server(pg_server: PgServer) -> None:
    """A database left at schema 0001 with a document in it: opening it runs 0002 on the
    server, which moves the text into document_texts with its derived offsets."""
    from alembic import command

    url = pg_server.url(pg_server.create_database())
    address = ServerAddress.parse(url)
    engine = make_engine(address)
    try:
        command.upgrade(migrations._config(engine), "0001")
        now = datetime.now(UTC)
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO project_meta (key, value) VALUES ('project_id', 'p1'), "
                    "('change_number', '1')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO documents (id, position, title, authors, publisher, published, "
                    "url, language, source_kind, provenance_note, reliability_note, file_name, "
                    "format, sha256, imported_at, text, text_length, paragraphs, pages, "
                    "link_urls, flags, modified) VALUES ('d1', 1, 'Old', '[]', '', '', '', '', "
                    "'unknown', '', '', 'old.txt', 'text', 'abc', :now, :text, :n, '[]', '[]', "
                    "'[]', '[]', :now)"
                ),
                {"now": now, "text": "One\ntwo 𝔘\n", "n": 9},
            )
        assert migrations.current_revision(engine) == "0001"
    finally:
        engine.dispose()
    with Project.open(url) as p:
        assert migrations.current_revision(p.engine) == migrations.head_revision()
        assert p.document_text("d1") == "One\ntwo 𝔘\n"
        copy = p.document_for_reading("d1")
        assert copy.block_starts == [0, 4, 10] and copy.astral == [8]
        assert p.documents()[0].imported_at == now


def test_times_are_utc_whatever_the_servers_zone(
    made: str, pg_server: PgServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PGTZ", "America/New_York")  # the session's zone, as libpq sets it
    with Project.open(made) as p:
        p.add_label("Zoned", "#000000")
        modified = p.last_modified()
    assert modified is not None and modified.utcoffset() is not None
    assert abs((datetime.now(UTC) - modified).total_seconds()) < 120
