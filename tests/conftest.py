"""Shared fixtures: a fresh project upgraded through Alembic, the suite's own messy sample
documents (and the real ones of ../shared when present), and a real PostgreSQL server of the
suite's own (`pg_server`, `pg_database`, `project_on`)."""

from __future__ import annotations

import os

# Before anything imports Qt: every test runs headless (the UI tests rely on this).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from itertools import count
from pathlib import Path

import pytest

from annotator.services.api import Project
from own_samples import OWN_SAMPLES
from pg_server import PgServer

SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "samples"
"""../shared/samples seen from the repository: real, messy web texts (may be absent)."""

AddText = Callable[..., str]


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    return tmp_path / "study.annot"


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    """A fresh project file in tmp_path, its schema made by the Alembic migrations."""
    p = Project.create(project_path)
    try:
        yield p
    finally:
        p.close()


# -- PostgreSQL ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server of the test run's own (tests/pg_server.py), stopped at the end.
    Where none can be had, the tests that need it skip with the reason; with
    ANNOTATOR_REQUIRE_PG=1 (`make test` as root) they fail instead."""
    found = PgServer.find()
    if isinstance(found, str):
        if os.environ.get("ANNOTATOR_REQUIRE_PG") == "1":
            pytest.fail(f"No test PostgreSQL server: {found}.")
        pytest.skip(f"No test PostgreSQL server: {found}.")
    try:
        found.start()
        found.make_template()
        yield found
    finally:
        found.stop()


@pytest.fixture
def pg_database(pg_server: PgServer) -> Iterator[str]:
    """The URL (with the password) of a new database holding the newest schema and no project
    yet, dropped after the test."""
    from pg_server import TEMPLATE

    name = pg_server.create_database(TEMPLATE)
    try:
        yield pg_server.url(name)
    finally:
        pg_server.drop_database(name)


@pytest.fixture
def project_on(request: pytest.FixtureRequest, project_path: Path) -> Callable[[str], str]:
    """`project_on(backend)`: where a new project of that back end goes: the file
    `project_path` ("sqlite") or a new database's URL ("postgresql")."""

    def where(backend: str) -> str:
        if backend == "sqlite":
            return str(project_path)
        return str(request.getfixturevalue("pg_database"))

    return where


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _strict_sqlalchemy_warnings(items)
    _mark_server_tests(items)
    _deselect_file_only_tests(config, items)


def _mark_server_tests(items: list[pytest.Item]) -> None:
    """`pg` on every test that uses the test server (`-m "not pg"` runs without it)."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        if ("pg_server" in names or "pg_database" in names) and not item.get_closest_marker("pg"):
            item.add_marker(pytest.mark.pg)


def _deselect_file_only_tests(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked `sqlite_only` (about a file: its damage, its locks, its backups) does not
    run with the postgresql parameter of a back-end fixture."""
    dropped = [
        item
        for item in items
        if item.get_closest_marker("sqlite_only") is not None
        and item.get_closest_marker("pg") is not None
    ]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        gone = set(map(id, dropped))
        items[:] = [item for item in items if id(item) not in gone]


@pytest.fixture
def add_text(project: Project) -> AddText:
    """`add_text(text, title=..., **overrides)` stores a document built from plain text (through
    `ImportedText`, not the importers) and returns its id. Each call has distinct bytes."""
    from annotator.importers.base import ImportedText

    serial = count(1)

    def add(text: str, title: str = "", **overrides: object) -> str:
        n = next(serial)
        imported = ImportedText(text=text, format="text", title=title or f"Document {n}")
        data = f"{n}\n{text}".encode()
        changes = project.add_document(imported, data, f"doc{n}.txt", **overrides)
        assert changes.created_id is not None
        return changes.created_id

    return add


@pytest.fixture
def own_samples() -> Path:
    """The folder of the suite's own sample documents (always there; see tests/own_samples.py)."""
    return OWN_SAMPLES


@pytest.fixture
def sample_dir() -> Path:
    """The real sample documents of ../shared/samples; skips the test when they are absent.
    Only for tests that check the app also copes with real texts: tests of behaviour use
    `own_samples`."""
    if not SAMPLES.is_dir() or not any(SAMPLES.iterdir()):
        pytest.skip("../shared/samples is not available")
    return SAMPLES


@pytest.fixture(params=["own", "shared"])
def sample_folder(request: pytest.FixtureRequest) -> Path:
    """Each folder of sample documents in turn: the suite's own, then ../shared/samples (that
    run skips when it is absent). For checks that hold for any messy text."""
    if request.param == "shared":
        folder: Path = request.getfixturevalue("sample_dir")
        return folder
    return OWN_SAMPLES


_STRICT_DIRS = {"domain", "storage", "services"}
"""Test folders where an SQLAlchemy warning fails the test: each one has been a real bug (an
ORM flush fighting a database cascade, say). Worth making global once the other suites agree."""


def _strict_sqlalchemy_warnings(items: list[pytest.Item]) -> None:
    tests = Path(__file__).resolve().parent
    for item in items:
        try:
            folder = Path(str(item.path)).resolve().relative_to(tests).parts[0]
        except (ValueError, IndexError):
            continue
        if folder in _STRICT_DIRS:
            item.add_marker(pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning"))


@pytest.fixture(autouse=True)
def _private_user_folders(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No test touches the user's search cache, backups or Qt settings: each gets its own."""
    base = tmp_path_factory.mktemp("user")
    for name in ("ANNOTATOR_CACHE_DIR", "ANNOTATOR_DATA_DIR", "ANNOTATOR_SETTINGS_DIR"):
        folder = base / name.split("_")[1].lower()
        folder.mkdir()
        monkeypatch.setenv(name, str(folder))
