"""Alembic, run from code: every open upgrades the project to the newest schema."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from annotator.storage.engine import ProjectTooNew, make_engine


def migrations_dir() -> Path:
    """The Alembic folder: inside the installed package, or `db/` of a source checkout."""
    shipped = resources.files("annotator") / "_db"
    if shipped.is_dir():
        return Path(str(shipped))
    return Path(__file__).resolve().parents[3] / "db"


def _config(engine: Engine | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    if engine is not None:
        cfg.attributes["engine"] = engine
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def needs_upgrade(engine: Engine) -> bool:
    current = current_revision(engine)
    check_not_newer(current)
    return current != head_revision()


def check_not_newer(current: str | None) -> None:
    if current is None:
        return
    script = ScriptDirectory.from_config(_config())
    try:
        script.get_revision(current)
    except Exception as exc:  # alembic raises several kinds for an unknown revision
        raise ProjectTooNew(
            "This project was saved by a newer version of Annotator "
            f"(schema {current}); update Annotator to open it. The file was not changed."
        ) from exc


def upgrade(path: Path) -> None:
    """Bring the schema of the project at `path` to head, on an engine of its own with foreign
    keys off (batch mode copies and drops tables, which would fire cascades); env.py runs
    `foreign_key_check` before committing."""
    engine = make_engine(path, foreign_keys=False)
    try:
        check_not_newer(current_revision(engine))
        command.upgrade(_config(engine), "head")
    finally:
        engine.dispose()
