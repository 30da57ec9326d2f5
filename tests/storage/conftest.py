"""Fixtures of the storage tests: an empty place for a project on each back end."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.storage.server import ServerAddress
from pg_server import BACKENDS, PgServer


@pytest.fixture(params=BACKENDS)
def empty_location(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Path | ServerAddress]:
    """Where nothing is yet: a file name in tmp_path, or an empty database of the test server
    (dropped after the test)."""
    if request.param == "sqlite":
        yield tmp_path / "fresh.annot"
        return
    server: PgServer = request.getfixturevalue("pg_server")
    name = server.create_database()
    try:
        yield ServerAddress.parse(server.url(name))
    finally:
        server.drop_database(name)
