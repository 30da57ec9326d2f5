"""The commands on a project on a PostgreSQL server: PROJECT may be a postgresql:// URL; a server
that is down or a wrong password is one line and exit status 1, never a password shown."""

from __future__ import annotations

import socket
from pathlib import Path

from cli_helpers import Run, one_line_error

from pg_server import PASSWORD, SUPERUSER, PgServer


def _no_password(*texts: str) -> None:
    for shown in texts:
        assert PASSWORD not in shown and "test-secret" not in shown


def test_new_import_annotate_check_on_a_server(
    cli: Run, pg_database: str, pg_server: PgServer, tmp_path: Path
) -> None:
    name = pg_database.rsplit("/", 1)[1]
    shown = f"postgresql://{SUPERUSER}@127.0.0.1:{pg_server.port}/{name}"
    made = cli("new", pg_database)
    assert made.returncode == 0, made.stderr
    assert made.stdout.splitlines() == [
        f"Created the project {shown}.",
        f"Its rights are set up: {name}_admin, {name}_annotator, {name}_reader.",
    ]
    source = tmp_path / "speech.txt"
    source.write_text("The minister said '; DROP TABLE annotations; -- and more.\n", "utf-8")
    imported = cli("import", pg_database, source)
    assert imported.returncode == 0, imported.stderr
    quote = "'; DROP TABLE annotations; --"
    marked = cli("annotate", pg_database, "1", "--quote", quote, "--label", "disputed")
    assert marked.returncode == 0, marked.stderr
    checked = cli("check", pg_database)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "kept by the PostgreSQL server" in checked.stdout
    assert "No problems found." in checked.stdout
    labels = cli("labels", pg_database)
    assert labels.returncode == 0 and "sourced" in labels.stdout
    report = tmp_path / "report.md"
    exported = cli("export", pg_database, "--out", report)
    assert exported.returncode == 0, exported.stderr
    assert "DROP TABLE annotations" in report.read_text("utf-8")
    found = cli("search", pg_database, "DROP")
    assert found.returncode == 0 and "DROP" in found.stdout, found.stdout + found.stderr
    again = one_line_error(cli("new", pg_database))
    assert "holds a project already" in again
    refused = one_line_error(cli("backup", pg_database))
    assert refused == "annotator: Backups of a server project are the server's job (pg_dump)."
    _no_password(made.stdout, imported.stdout, marked.stdout, checked.stdout, labels.stdout)
    _no_password(report.read_text("utf-8"), exported.stdout, found.stdout)
    _no_password(again, refused)


def test_a_wrong_password_and_a_stopped_server_are_one_line(
    cli: Run, pg_database: str, pg_server: PgServer
) -> None:
    name = pg_database.rsplit("/", 1)[1]
    assert cli("new", pg_database).returncode == 0
    wrong = one_line_error(cli("check", pg_server.url(name, password="not-it")))
    assert "refused the password of annotator" in wrong and "not-it" not in wrong
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = pg_database.replace(f":{pg_server.port}/", f":{port}/")
    for args in (("check", down), ("docs", down), ("new", down)):
        message = one_line_error(cli(*args))
        assert message == (
            f"annotator: The PostgreSQL server 127.0.0.1:{port} cannot be reached (is it "
            "running, and is the address right?)."
        )
    _no_password(wrong)


def test_a_url_the_app_or_a_command_cannot_take(cli: Run) -> None:
    result = cli("check", "mysql://h/db")
    assert result.returncode == 2 and "not a project address" in result.stderr
    result = cli("gui", "postgresql://user:pw@127.0.0.1:1/db", "--screenshot", "x.png")
    assert result.returncode == 2 and "opens project files only" in result.stderr
    assert "pw" not in result.stderr.replace("postgresql", "")
