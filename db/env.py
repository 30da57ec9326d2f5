"""Alembic environment. The engine comes from annotator.storage.migrations (run from code)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from annotator.storage.orm import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        from sqlalchemy import create_engine

        engine = create_engine(config.get_main_option("sqlalchemy.url") or "sqlite://")
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            # SQLite's DDL is transactional, though Alembic assumes not (and would commit
            # each revision apart): all revisions and the foreign key check below run in one
            # transaction, so a failure anywhere leaves the file as it was. PostgreSQL's DDL is
            # transactional too; there batch mode alters tables in place.
            transactional_ddl=True,
        )
        with context.begin_transaction():
            context.run_migrations()
            # A server checks every foreign key as the rows change; SQLite's were off.
            if connection.dialect.name == "sqlite":
                problems = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
                if problems:
                    raise RuntimeError(f"Migration left {len(problems)} broken foreign key(s).")


run_migrations_online()
