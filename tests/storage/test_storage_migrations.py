"""Alembic, run from code: the migrations build exactly the models, and old files upgrade."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine

from annotator.services.api import Project
from annotator.storage import migrations
from annotator.storage.engine import make_engine, table_names
from annotator.storage.orm import Base
from annotator.storage.server import ServerAddress

FIXTURES = Path(__file__).parent / "fixtures"
"""A real project file from every schema version (TagStudio's idea): each migration is tested
on real old data. Regenerate one with `python tests/storage/make_fixture.py` (see there)."""


def _schema_diff(path: Path | ServerAddress) -> list[object]:
    engine = (
        make_engine(path) if isinstance(path, ServerAddress) else create_engine(f"sqlite:///{path}")
    )
    try:
        with engine.connect() as conn:
            return list(compare_metadata(MigrationContext.configure(conn), Base.metadata))
    finally:
        engine.dispose()


def test_empty_database_upgraded_to_head_equals_the_models(
    empty_location: Path | ServerAddress,
) -> None:
    path = empty_location
    migrations.upgrade(path)
    assert _schema_diff(path) == []


def test_upgrade_sets_head_and_is_idempotent(empty_location: Path | ServerAddress) -> None:
    path = empty_location
    migrations.upgrade(path)
    migrations.upgrade(path)
    engine = make_engine(path, readonly=True)
    try:
        assert migrations.current_revision(engine) == migrations.head_revision()
        assert not migrations.needs_upgrade(engine)
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(empty_location: Path | ServerAddress) -> None:
    path = empty_location
    migrations.upgrade(path)
    engine = make_engine(path, foreign_keys=False)
    try:
        cfg = Config()
        cfg.set_main_option("script_location", str(migrations.migrations_dir()))
        cfg.attributes["engine"] = engine
        command.downgrade(cfg, "base")
        assert table_names(engine) <= {"alembic_version"}
    finally:
        engine.dispose()
    migrations.upgrade(path)
    assert _schema_diff(path) == []


def test_migrations_ship_one_head() -> None:
    from alembic.script import ScriptDirectory

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations.migrations_dir()))
    assert len(ScriptDirectory.from_config(cfg).get_heads()) == 1


def test_project_create_runs_the_migrations(project: Project) -> None:
    assert _schema_diff(project.path) == []
    assert [label.name for label in project.labels()] == ["sourced", "disputed", "polemical"]


def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("project-*.annot"))


def test_there_is_a_fixture_for_the_head_revision() -> None:
    names = {p.name for p in _fixture_files()}
    assert f"project-{migrations.head_revision()}.annot" in names


@pytest.mark.parametrize("fixture", _fixture_files(), ids=lambda p: p.stem)
def test_old_project_files_open_and_keep_their_data(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    with Project.open(path) as p:
        assert _schema_diff(path) == []
        docs = p.documents()
        assert [d.title for d in docs] == ["Fixture: treaty report", "Fixture: rebuttal"]
        claims = p.annotations()
        assert len(claims) == 3
        for claim in claims:
            claim.check_against(p.document(claim.document_id).text)
        assert {c.note for c in claims} >= {"checked against the archive"}
        assert any(c.tags for c in claims) and any(c.evidence for c in claims)
        assert len(p.links()) == 1
        assert [s.name for s in p.saved_searches()] == ["treaty"]
        assert p.change_number() >= 1
        # The upgraded file takes new changes.
        before = p.change_number()
        p.update_claim(claims[0].id, note="after upgrade")
        assert p.change_number() == before + 1


def test_known_revisions_match_the_alembic_scripts() -> None:
    """Opening a current project skips Alembic by trusting KNOWN_REVISIONS: keep it true."""
    assert list(migrations.KNOWN_REVISIONS) == migrations.script_revisions()
