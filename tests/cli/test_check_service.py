"""`services.check.check_project` in-process, on real project files tampered with by SQL."""

from __future__ import annotations

from pathlib import Path

from cli_helpers import sql

from annotator.domain.model import Evidence
from annotator.services.api import Project
from annotator.services.check import CheckReport, check_project

TEXT = "The harbour board cut the rate. The dockers struck for nineteen days. 😀 Then peace."


def _study(path: Path) -> tuple[str, str, str]:
    """A closed project with one document, two claims and a link; returns their ids."""
    from annotator.importers.base import ImportedText

    with Project.create(path) as p:
        doc = p.add_document(ImportedText(TEXT, "txt", title="Harbour"), TEXT.encode(), "h.txt")
        doc_id = doc.created_id
        assert doc_id is not None
        label = p.label("sourced").id
        start = TEXT.index("The dockers")
        a = p.create_claim(doc_id, start, start + 18, label, evidence=[Evidence("Minutes")])
        start = TEXT.index("Then peace")
        b = p.create_claim(doc_id, start, start + 10, p.label("disputed").id, tags=["x"])
        assert a.created_id and b.created_id
        p.create_link(a.created_id, b.created_id, "contradicts")
        return doc_id, a.created_id, b.created_id


def _check(path: Path) -> CheckReport:
    with Project.open(path) as p:
        return check_project(p)


def test_a_fresh_project_is_ok(project: Project) -> None:
    report = check_project(project)
    assert report.ok, report.problems
    assert report.counts == {"documents": 0, "labels": 3, "claims": 0, "links": 0}
    assert report.checked[0] == "SQLite integrity check: ok."
    assert any(line.startswith("Change number") for line in report.checked)


def test_a_project_with_claims_is_ok(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    _study(path)
    report = _check(path)
    assert report.ok, report.problems
    assert report.counts == {"documents": 1, "labels": 3, "claims": 2, "links": 1}


def test_a_changed_quote_is_found(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    _doc, a, _b = _study(path)
    sql(path, f"UPDATE annotations SET exact = 'zzz' WHERE id = '{a}'")
    report = _check(path)
    assert not report.ok
    (problem,) = report.problems
    assert (problem.kind, problem.entity, problem.entity_id) == ("quote", "annotation", a)
    assert "“zzz”" in problem.message and "“The dockers struck”" in problem.message


def test_a_span_outside_the_text_and_changed_context_are_found(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    _doc, a, b = _study(path)
    sql(
        path,
        f"UPDATE annotations SET start = 5000, \"end\" = 5010 WHERE id = '{a}'",
        f"UPDATE annotations SET prefix = 'elsewhere' WHERE id = '{b}'",
    )
    problems = _check(path).problems_of("quote")
    assert [p.entity_id for p in problems] == [a, b] or [p.entity_id for p in problems] == [b, a]
    assert any("outside its document" in p.message for p in problems)
    assert any("context" in p.message for p in problems)


def test_broken_references_are_found(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    _doc, a, b = _study(path)
    sql(
        path,
        f"UPDATE links SET source_id = 'gone' WHERE target_id = '{b}'",
        f"UPDATE annotations SET label_id = 'no-label' WHERE id = '{a}'",
    )
    report = _check(path)
    kinds = {p.kind for p in report.problems}
    assert {"foreign_key", "link", "label"} <= kinds
    assert any("gone does not exist" in p.message for p in report.problems_of("link"))
    assert any(p.entity_id == a for p in report.problems_of("label"))


def test_document_facts_and_change_number_are_checked(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    doc, _a, _b = _study(path)
    sql(
        path,
        f"UPDATE documents SET text_length = 3, published = 'soon' WHERE id = '{doc}'",
        f"UPDATE document_originals SET data = X'00' WHERE document_id = '{doc}'",
        "UPDATE project_meta SET value = '0' WHERE key = 'change_number'",
    )
    report = _check(path)
    messages = " ".join(p.message for p in report.problems_of("document"))
    assert "length of 3" in messages
    assert "publication date" in messages
    assert "checksum" in messages
    assert report.problems_of("change_number")


def test_an_integrity_failure_is_reported_not_raised(tmp_path: Path) -> None:
    path = tmp_path / "p.annot"
    _study(path)
    # Drop an index's entries behind SQLite's back: integrity_check notices, the file still opens.
    sql(
        path,
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = replace(sql, 'document_id, start', 'start, document_id') "
        "WHERE name = 'ix_annotations_document_spans'",
    )
    with Project.open(path) as p:
        report = check_project(p)
    assert report.problems_of("integrity"), report.checked
    assert report.checked[0].startswith("SQLite integrity check: ")
