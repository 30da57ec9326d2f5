"""Alembic, run from code: every open upgrades the project to the newest schema.

Opening a project that is already at the newest schema does not import Alembic (and Mako) at
all: the revisions this version knows are listed in `KNOWN_REVISIONS`, which a test keeps equal
to the scripts in `db/versions/`. Alembic is loaded only when a migration is due.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DatabaseError

from annotator.storage.engine import Location, ProjectTooNew, make_engine
from annotator.storage.revisions import HEAD_REVISION, KNOWN_REVISIONS

if TYPE_CHECKING:
    from alembic.config import Config


def migrations_dir() -> Path:
    """The Alembic folder: inside the installed package, or `db/` of a source checkout."""
    shipped = resources.files("annotator") / "_db"
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parents[3] / "db"


def _config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    return HEAD_REVISION


def script_revisions() -> list[str]:
    """The revisions of the Alembic scripts, oldest first (what KNOWN_REVISIONS must equal)."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_config())
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            rows = conn.execute(text("SELECT version_num FROM alembic_version")).fetchall()
        except DatabaseError:
            # No alembic_version table: an empty database (on a server the failed statement
            # ends the transaction, which the block's exit rolls back).
            return None
        return rows[0][0] if rows else None


def needs_upgrade(engine: Engine) -> bool:
    current = current_revision(engine)
    check_not_newer(current)
    return current != head_revision()


def check_not_newer(current: str | None) -> None:
    if current is None or current in KNOWN_REVISIONS:
        return
    raise ProjectTooNew(
        "This project was saved by a newer version of Annotator "
        f"(schema {current}); update Annotator to open it. The file was not changed."
    )


def upgrade(path: Location) -> None:
    """Bring the schema of the project at `path` (a file or a server's database) to head, on an
    engine of its own, in one transaction. On SQLite foreign keys are off (batch mode copies and
    drops tables, which would fire cascades) and env.py runs `foreign_key_check` before
    committing; a server alters tables in place and checks foreign keys as it goes."""
    from alembic import command

    engine = make_engine(path, foreign_keys=False)
    try:
        check_not_newer(current_revision(engine))
        command.upgrade(_config(engine), "head")
    finally:
        engine.dispose()


def upgrade_in(connection: Connection) -> None:
    """Bring the schema of the database behind `connection` to head inside the transaction the
    caller has begun on it (nothing is committed here): a server's DDL is transactional, so the
    caller's later failure takes the new schema back too. For a server's database only (SQLite
    migrations need foreign keys off: `upgrade`)."""
    from alembic.runtime.environment import EnvironmentContext
    from alembic.script import ScriptDirectory

    from annotator.storage.orm import Base

    cfg = _config()
    script = ScriptDirectory.from_config(cfg)

    def steps(revision: Any, _context: Any) -> Any:
        return script._upgrade_revs("head", revision)

    with EnvironmentContext(cfg, script, fn=steps, destination_rev="head") as env:
        env.configure(
            connection=connection,
            target_metadata=Base.metadata,
            render_as_batch=True,
            transactional_ddl=True,
        )
        with env.begin_transaction():  # the caller's transaction: a no-op here
            env.run_migrations()
