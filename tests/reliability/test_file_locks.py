"""A project open in this process keeps its SQLite locks whatever else the process does with its
file. SQLite's locks are POSIX locks, which belong to the process: a descriptor of the file
closed by Python drops them all, and another program closing its last connection then deletes
the -wal this process still writes into (what it commits afterwards is seen by nobody else).
Each test commits, lets another process open and close the file, commits again, and checks
that the other process sees the second commit. Real files, a real second process."""

from __future__ import annotations

import pytest

from annotator.services.api import Project
from annotator.services.backup import list_backups, read_project_id
from file_locks import commits_stay_visible


def test_listing_the_open_projects_backups_keeps_its_locks(project, add_text, project_path):  # type: ignore[no-untyped-def]
    add_text("Some words to mark, and then some more words.")
    list_backups(project_path)  # File › Restore from backup… with the project open
    assert read_project_id(project_path) == project.project_id()
    commits_stay_visible(project, project_path)


def test_opening_the_open_project_again_keeps_its_locks(project, add_text, project_path):  # type: ignore[no-untyped-def]
    add_text("Some words to mark, and then some more words.")
    Project.open(project_path).close()  # File › Open of the project already open
    commits_stay_visible(project, project_path)


def test_a_report_is_never_written_over_the_open_project(project, add_text, project_path):  # type: ignore[no-untyped-def]
    from annotator.exporters import ExportRefused, export_report

    add_text("Some words to mark, and then some more words.")
    before = project_path.stat().st_ino
    with pytest.raises(ExportRefused, match="is the open project itself"):
        export_report(project, "html", project_path)
    assert project_path.stat().st_ino == before  # not replaced
    commits_stay_visible(project, project_path)


def test_the_open_project_is_never_read_as_a_file_of_annotations(  # type: ignore[no-untyped-def]
    project, add_text, project_path
):
    from annotator.exporters.interchange import AnnotationImportRefused, import_annotations

    add_text("Some words to mark, and then some more words.")
    with pytest.raises(AnnotationImportRefused, match="is the open project itself"):
        import_annotations(project, project_path)
    commits_stay_visible(project, project_path)
