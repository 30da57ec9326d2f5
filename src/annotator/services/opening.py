"""Getting a project's file or a server's database ready to be opened or created: the checks
that refuse what is not a project (in one sentence, changing nothing), and the schema upgrade,
after a verified backup for a file (`services.project.Project.open` and `.create` call these,
then open the engine)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError

from annotator.storage import migrations
from annotator.storage.engine import (
    ProjectDamaged,
    ProjectError,
    check_file,
    make_engine,
    quick_check,
    table_names,
    write_blocker,
)
from annotator.storage.orm import ProjectMetaRow
from annotator.storage.server import ServerAddress, connection_error, server_tables


def create_file(path: Path) -> None:
    """A new project file at `path`, with the newest schema (nothing else in it yet)."""
    if path.exists():
        raise ProjectError(f"{path}: a file of that name exists already.")
    if not path.parent.is_dir():
        raise ProjectError(f"{path.parent}: no such folder.")
    try:
        migrations.upgrade(path)
    except OperationalError as exc:
        path.unlink(missing_ok=True)
        raise ProjectError(f"{path}: cannot create the project ({exc.orig}).") from exc


def prepare_file(path: Path, *, readonly: bool) -> str:
    """Check the project file at `path` and bring its schema up to date (a backup first);
    return why it cannot be written ("" when it can: it then opens read-only). Refuses a
    damaged, foreign or newer file, and an upgrade that could not be saved, unchanged."""
    check_file(path)
    blocker = "" if readonly else write_blocker(path)
    probe = make_engine(path, readonly=True)
    try:
        quick_check(probe, path)
        tables = table_names(probe)
        if "alembic_version" not in tables or "project_meta" not in tables:
            raise ProjectDamaged(f"{path.name} is a SQLite database but not an Annotator project.")
        upgrade = migrations.needs_upgrade(probe)
    except DatabaseError as exc:
        raise ProjectDamaged(f"{path.name} is damaged and cannot be read ({exc.orig}).") from exc
    finally:
        probe.dispose()
    if upgrade:
        if blocker:
            raise ProjectError(
                f"{path.name} needs a schema upgrade, which cannot be saved because {blocker}."
            )
        if readonly:
            raise ProjectError(
                f"{path.name} needs a schema upgrade, which a read-only open cannot do."
            )
        _backup_before_upgrade(path)
        try:
            migrations.upgrade(path)
        except (DatabaseError, RuntimeError) as exc:
            # The migrations run in one transaction: a failure leaves the file as it was.
            raise ProjectError(
                f"{path.name} could not be upgraded to this version's schema "
                f"({db_reason(exc)}); the file was not changed."
            ) from exc
    return blocker


def prepare_server(address: ServerAddress, *, readonly: bool) -> None:
    """Check that a server's database holds a project and bring its schema up to date (in one
    transaction: a failure leaves it as it was)."""
    if _probe_server(address, _holds_a_project):
        if readonly:
            raise ProjectError(
                f"{address.name} needs a schema upgrade, which a read-only open cannot do."
            )
        _upgrade_server(address)


def prepare_new_server(address: ServerAddress) -> None:
    """Check that a server's database is empty enough for a new project and give it the
    schema."""
    if _probe_server(address, _holds_no_project):
        _upgrade_server(address)


def _upgrade_server(address: ServerAddress) -> None:
    try:
        migrations.upgrade(address)
        _refresh_rights(address)
    except DBAPIError as exc:
        if isinstance(exc, OperationalError):
            raise connection_error(address, exc) from exc
        raise ProjectError(
            f"{address.name} could not be upgraded to this version's schema "
            f"({db_reason(exc)}); the database was not changed."
        ) from exc


def _refresh_rights(address: ServerAddress) -> None:
    """After a schema upgrade of a team project, cover its new tables with the rights."""
    from annotator.storage import server_rights

    engine = make_engine(address)
    try:
        with engine.begin() as conn:
            if server_rights.rights_set_up(conn):
                server_rights.set_up_tables(conn)
    finally:
        engine.dispose()


def _probe_server(
    address: ServerAddress, check: Callable[[ServerAddress, Engine, set[str]], None]
) -> bool:
    """`check(address, engine, tables)` the server's database on a read-only engine of its
    own, then say whether its schema needs an upgrade. A server that cannot be reached (down,
    wrong password, no database) is a `ServerError` of one sentence."""
    probe = make_engine(address, readonly=True)
    try:
        check(address, probe, server_tables(probe, address))
        return migrations.needs_upgrade(probe)
    except DBAPIError as exc:
        raise connection_error(address, exc) from exc
    finally:
        probe.dispose()


def _holds_a_project(address: ServerAddress, _probe: Engine, tables: set[str]) -> None:
    if "alembic_version" not in tables or "project_meta" not in tables:
        raise ProjectError(
            f"The database {address.name} on {address.where} holds no Annotator project "
            f"(`annotator new {address.display}` makes one in an empty database)."
        )


def _holds_no_project(address: ServerAddress, probe: Engine, tables: set[str]) -> None:
    """Refuse a database with a project, or with tables of something else, for a new one (a
    database with the schema alone, as made by a template, is empty enough)."""
    if "project_meta" in tables:
        with probe.connect() as conn:
            found = conn.execute(
                select(ProjectMetaRow.value).where(ProjectMetaRow.key == "project_id")
            ).first()
        if found is not None:
            raise ProjectError(
                f"The database {address.name} on {address.where} holds a project already: "
                "open it instead."
            )
    elif tables - {"alembic_version"}:
        raise ProjectError(
            f"The database {address.name} on {address.where} holds other tables: a new project "
            "needs an empty database."
        )


def db_reason(exc: Exception) -> str:
    """The first line of what the database said, for a sentence of ours."""
    orig = getattr(exc, "orig", None)
    lines = str(orig or exc).strip().splitlines() or [type(exc).__name__]
    return lines[0].rstrip(".")


def _backup_before_upgrade(path: Path) -> None:
    """A verified copy of the file as it is, among its backups, before its schema changes: the
    version of Annotator that wrote it can still open that copy. No copy, no upgrade."""
    from annotator.services.backup import BackupError, backup_before_upgrade

    try:
        backup_before_upgrade(path)
    except BackupError as exc:
        raise ProjectError(
            f"{path.name} needs a schema upgrade, and the backup taken before it could not be "
            f"made ({exc}); the file was not changed."
        ) from exc
