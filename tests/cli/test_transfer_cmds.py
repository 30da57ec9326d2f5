"""`annotator push FILE URL` and `annotator pull URL FILE` on a real PostgreSQL server: the round
trip gives the same project (its report byte for byte), `check` passes on both copies, refusals
are one line, and no password is ever printed."""

from __future__ import annotations

import json
from pathlib import Path

from cli_helpers import Run, one_line_error

from pg_server import PASSWORD, SUPERUSER, PgServer


def _no_password(*texts: str) -> None:
    for shown in texts:
        assert PASSWORD not in shown and "test-secret" not in shown


def _report(cli: Run, project: object, out: Path) -> str:
    result = cli("export", project, "--out", out, "--no-timestamp", "--title", "Velmora")
    assert result.returncode == 0, result.stderr
    return out.read_text("utf-8")


def test_push_pull_round_trip(
    cli: Run, demo_copy: Path, pg_database: str, pg_server: PgServer, tmp_path: Path
) -> None:
    shown = f"postgresql://{SUPERUSER}@127.0.0.1:{pg_server.port}/{pg_database.rsplit('/', 1)[1]}"
    pushed = cli("push", demo_copy, pg_database)
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout == f"Pushed 2 documents, 6 claims, 3 links to {shown}.\n"

    checked = cli("check", pg_database)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No problems found." in checked.stdout

    back = tmp_path / "back" / "demo.annot"
    back.parent.mkdir()
    pulled = cli("pull", pg_database, back)
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.stdout == f"Pulled 2 documents, 6 claims, 3 links from {shown} into {back}.\n"
    checked_back = cli("check", back)
    assert checked_back.returncode == 0, checked_back.stdout + checked_back.stderr
    assert "No problems found." in checked_back.stdout

    original = _report(cli, demo_copy, tmp_path / "original.html")
    assert "Velmora" in original
    assert _report(cli, back, tmp_path / "pulled.html") == original
    assert _report(cli, pg_database, tmp_path / "server.html") == original
    assert (
        cli("annotations", back, "--json").stdout == cli("annotations", demo_copy, "--json").stdout
    )

    found = cli("search", back, "strike")
    assert found.returncode == 0 and "strike" in found.stdout.lower(), found.stdout + found.stderr

    again = one_line_error(cli("push", demo_copy, pg_database))
    assert again.startswith(f"annotator: The database {shown.rsplit('/', 1)[1]} on 127.0.0.1:")
    assert "holds a project already (2 document(s), 6 claim(s)" in again

    before = back.read_bytes()
    onto = one_line_error(cli("pull", pg_database, back))
    assert onto == (
        f"annotator: {back}: a file of that name exists already; a pull makes a new file "
        "(give another name)."
    )
    assert back.read_bytes() == before
    _no_password(pushed.stdout, pushed.stderr, pulled.stdout, pulled.stderr, checked.stdout)
    _no_password(again, onto, original)


def test_push_and_pull_json(cli: Run, demo_copy: Path, pg_database: str, tmp_path: Path) -> None:
    pushed = cli("push", demo_copy, pg_database, "--json")
    assert pushed.returncode == 0, pushed.stderr
    data = json.loads(pushed.stdout)
    assert data["direction"] == "push" and data["source"] == str(demo_copy)
    assert (data["documents"], data["claims"], data["links"]) == (2, 6, 3)
    assert data["rows"]["annotations"] == 6 and data["rows"]["changes"] > 0
    assert data["change_number"] > 0
    pulled = json.loads(cli("pull", pg_database, tmp_path / "back.annot", "--json").stdout)
    assert pulled["direction"] == "pull" and pulled["target"] == str(tmp_path / "back.annot")
    assert pulled["rows"] == data["rows"] and pulled["change_number"] == data["change_number"]
    _no_password(pushed.stdout, json.dumps(pulled))


def test_arguments_in_the_wrong_order_are_a_usage_error(
    cli: Run, demo_copy: Path, tmp_path: Path
) -> None:
    url = "postgresql://someone:hunter2@127.0.0.1:1/db"
    wrong = cli("push", url, demo_copy)
    assert wrong.returncode == 2
    assert "FILE is a project file, not a server address" in wrong.stderr
    assert "hunter2" not in wrong.stderr
    wrong = cli("pull", demo_copy, tmp_path / "x.annot")
    assert wrong.returncode == 2 and "URL is a server address" in wrong.stderr
    assert not (tmp_path / "x.annot").exists()


def test_a_server_down_is_one_line(cli: Run, demo_copy: Path, tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"postgresql://someone:hunter2@127.0.0.1:{port}/db"
    for args in (("push", demo_copy, url), ("pull", url, tmp_path / "x.annot")):
        message = one_line_error(cli(*args))
        assert "cannot be reached" in message and "hunter2" not in message
    assert not (tmp_path / "x.annot").exists()
