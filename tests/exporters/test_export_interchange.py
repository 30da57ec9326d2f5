"""W3C Web Annotation round trip, Hypothesis import, and refusals that leave the project as it
was."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from export_helpers import BLOG, BULLETIN, DATA, HERALD, add_doc, cid

from annotator.exporters import (
    AnnotationImportRefused,
    ExportOptions,
    export_report,
    import_annotations,
)
from annotator.services.api import Project


def same_documents(target: Project) -> None:
    """The fixed project's documents, imported afresh (so with other document ids)."""
    add_doc(
        target,
        BULLETIN,
        "bulletin",
        title="Monthly bulletin",
        url="https://stats.example/bulletin/2017-02",
    )
    add_doc(target, HERALD, "herald", title="Daily Herald", url="https://herald.example/front")
    add_doc(target, BLOG, "blog", title="A blog post")


def claim_facts(project: Project) -> dict[str, tuple[Any, ...]]:
    labels = {lab.id: lab.name for lab in project.labels()}
    titles = {d.id: d.title for d in project.documents()}
    return {
        a.id: (
            titles[a.document_id],
            a.start,
            a.end,
            a.quote,
            labels[a.label_id],
            a.note,
            a.tags,
            a.evidence,
            a.author,
            a.created,
            a.modified,
            a.revision,
        )
        for a in project.annotations()
    }


def link_facts(project: Project) -> set[tuple[Any, ...]]:
    return {
        (k.id, k.source_id, k.target_id, k.relation, k.note, k.author, k.created)
        for k in project.links()
    }


def label_facts(project: Project) -> set[tuple[str, str, str]]:
    return {(lab.name, lab.color, lab.description) for lab in project.labels()}


def state(project: Project) -> tuple[int, int, int, int]:
    return (
        project.change_number(),
        project.annotation_count(),
        len(project.links()),
        len(project.labels()),
    )


def test_w3c_round_trip_recreates_claims_exactly(
    fixed: Any, fresh_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "study.jsonld"
    export_report(fixed.project, "jsonld", out, options=ExportOptions(page_size=3))
    same_documents(fresh_project)
    report = import_annotations(fresh_project, out)
    assert report.format == "W3C Web Annotation"
    assert report.skipped == () and report.moved == ()
    assert sorted(report.claims) == [cid(n) for n in range(1, 8)]
    assert len(report.links) == 4
    assert report.labels == ("satire",)
    assert claim_facts(fresh_project) == claim_facts(fixed.project)
    assert link_facts(fresh_project) == link_facts(fixed.project)
    assert label_facts(fresh_project) == label_facts(fixed.project)

    # Importing the same file again changes nothing and says why.
    before = state(fresh_project)
    again = import_annotations(fresh_project, out)
    assert again.claims == () and again.links == () and again.labels == ()
    assert len(again.skipped) == 11
    assert all("already" in issue.reason for issue in again.skipped)
    assert state(fresh_project) == before


def test_w3c_export_reimports_into_its_own_project_as_duplicates(
    fixed: Any, tmp_path: Path
) -> None:
    out = tmp_path / "study.jsonld"
    export_report(fixed.project, "jsonld", out)
    before = state(fixed.project)
    report = import_annotations(fixed.project, out)
    assert report.claims == () and len(report.skipped) == 11
    assert state(fixed.project) == before
    assert "11 not imported" in report.message


def test_moved_text_is_found_by_quote(fixed: Any, fresh_project: Project, tmp_path: Path) -> None:
    out = tmp_path / "study.jsonld"
    export_report(fixed.project, "jsonld", out)
    add_doc(
        fresh_project,
        "A new first line.\n\n" + HERALD,
        "herald",
        title="Daily Herald",
        url="https://herald.example/front",
    )
    report = import_annotations(fresh_project, out)
    assert sorted(report.claims) == [cid(3), cid(4), cid(5)]
    assert len(report.moved) == 3 and all("anchored by quote" in m.reason for m in report.moved)
    shift = len("A new first line.\n\n")
    moved = {a.id: a.start for a in fresh_project.annotations()}
    original = {a.id: a.start for a in fixed.project.annotations()}
    assert all(moved[i] == original[i] + shift for i in moved)
    reasons = " ".join(i.reason for i in report.skipped)
    assert "no document “Monthly bulletin” here" in reasons
    assert "is not in the project" in reasons  # links to the missing bulletin claims
    assert report.links == ()


def herald_project(project: Project) -> str:
    return add_doc(
        project, HERALD, "herald", title="Daily Herald", url="https://herald.example/front"
    )


def test_hypothesis_import(project: Project) -> None:
    herald = herald_project(project)
    report = import_annotations(project, DATA / "hypothesis_sample.json")
    assert report.format == "Hypothesis" and report.read == 7
    assert len(report.claims) == 3
    assert report.labels == ("unassessed",)
    skipped = {i.ref.rsplit("/", 1)[-1][:3]: i.reason for i in report.skipped}
    assert set(skipped) == {"hA3", "hA4", "hA5", "hA6"}
    assert "not in the document" in skipped["hA3"]
    assert "reply" in skipped["hA4"]
    assert "page note" in skipped["hA5"]
    assert "Another page" in skipped["hA6"]
    moved = {i.ref.rsplit("/", 1)[-1][:3]: i.reason for i in report.moved}
    assert set(moved) == {"hA1", "hA7"}  # hA2 gave no position: nothing moved
    assert "quote" in moved["hA1"] and "fuzzy" in moved["hA7"]

    labels = {lab.id: lab.name for lab in project.labels()}
    claims = {a.quote.exact: a for a in project.annotations(document_id=herald)}
    first = claims["unemployment fell to 4.1% in January"]
    assert labels[first.label_id] == "sourced" and first.tags == ("economy",)
    assert first.note == "Copied from the ministry's bulletin."
    assert first.author == "Ada L."
    assert first.created.isoformat() == "2023-05-02T08:15:30.123000+00:00"
    second = claims["The minister resigned on Friday"]
    assert labels[second.label_id] == "unassessed" and second.tags == ("politics",)
    assert second.author == "bob"
    fuzzy = next(a for q, a in claims.items() if "fairy tale" in q)
    assert labels[fuzzy.label_id] == "polemical" and fuzzy.tags == ("rhetoric",)
    assert project.label("unassessed").color == "#757575"

    before = state(project)
    again = import_annotations(project, DATA / "hypothesis_sample.json")
    assert again.claims == () and state(project) == before


def test_hypothesis_default_label_option(project: Project) -> None:
    herald_project(project)
    report = import_annotations(project, DATA / "hypothesis_sample.json", default_label="disputed")
    assert report.labels == ()
    names = {lab.id: lab.name for lab in project.labels()}
    assert sorted(names[a.label_id] for a in project.annotations()) == [
        "disputed",
        "polemical",
        "sourced",
    ]


def test_hypothesis_list_of_rows(project: Project, tmp_path: Path) -> None:
    herald_project(project)
    rows = json.loads((DATA / "hypothesis_sample.json").read_text("utf-8"))["rows"][:2]
    path = tmp_path / "rows.json"
    path.write_text(json.dumps(rows), "utf-8")
    assert len(import_annotations(project, path).claims) == 2


def test_foreign_w3c_annotations(project: Project, tmp_path: Path) -> None:
    herald_project(project)
    single = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "http://example.org/anno1",
        "type": "Annotation",
        "bodyValue": "A comment from another tool.",
        "target": {
            "source": "https://herald.example/front",
            "selector": {"type": "TextQuoteSelector", "exact": "The minister resigned on Friday"},
        },
    }
    page = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationPage",
        "items": [
            {
                "id": "http://example.org/anno2",
                "type": "Annotation",
                "motivation": "tagging",
                "body": [{"type": "TextualBody", "purpose": "tagging", "value": "vote"}],
                "target": {
                    "source": {"id": "https://herald.example/front"},
                    "selector": [{"type": "TextQuoteSelector", "exact": "after the vote"}],
                },
            },
            {
                "id": "http://example.org/anno3",
                "type": "Annotation",
                "target": "https://herald.example/front",
            },
        ],
    }
    (tmp_path / "one.jsonld").write_text(json.dumps(single), "utf-8")
    (tmp_path / "page.jsonld").write_text(json.dumps(page), "utf-8")
    one = import_annotations(project, tmp_path / "one.jsonld")
    assert len(one.claims) == 1
    claim = project.annotation(one.claims[0])
    assert claim.note == "A comment from another tool."
    assert project.label(claim.label_id).name == "unassessed"
    # The same foreign id maps to the same claim id: no duplicate on a second import.
    assert import_annotations(project, tmp_path / "one.jsonld").claims == ()
    paged = import_annotations(project, tmp_path / "page.jsonld")
    assert len(paged.claims) == 1 and project.annotation(paged.claims[0]).tags == ("vote",)
    assert "no text selector" in paged.skipped[0].reason


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "is not valid JSON"),
        (b"\xff\xfe\x00garbage", "is not UTF-8 text"),
        (b'{"foo": 1}', "neither W3C Web Annotations nor Hypothesis"),
        (b"[1, 2, 3]", "neither W3C Web Annotations nor Hypothesis"),
        (b'{"rows": []}', "holds no annotations"),
        (b'{"type": "AnnotationCollection", "total": 0}', "holds no annotations"),
    ],
)
def test_refusals_change_nothing(fixed: Any, tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = state(fixed.project)
    with pytest.raises(AnnotationImportRefused, match=message) as info:
        import_annotations(fixed.project, path)
    assert str(info.value).count(". ") == 0 and str(info.value).endswith(".")
    assert state(fixed.project) == before


def test_annotations_for_missing_documents_are_refused(
    fixed: Any, fresh_project: Project, tmp_path: Path
) -> None:
    out = tmp_path / "study.jsonld"
    export_report(fixed.project, "jsonld", out)
    add_doc(fresh_project, "Something else entirely.", "other", title="Other")
    before = state(fresh_project)
    refused = r"None of the 7 annotations in study\.jsonld"
    with pytest.raises(AnnotationImportRefused, match=refused):
        import_annotations(fresh_project, out)
    assert state(fresh_project) == before
    with pytest.raises(AnnotationImportRefused, match="None of the 5 annotations"):
        import_annotations(fresh_project, DATA / "hypothesis_sample.json")
    with pytest.raises(AnnotationImportRefused, match="cannot be read"):
        import_annotations(fresh_project, tmp_path / "missing.json")
    assert state(fresh_project) == before


def test_unknown_default_label_is_refused(project: Project) -> None:
    from annotator.domain.errors import NotFoundError

    herald_project(project)
    with pytest.raises(NotFoundError, match="No label"):
        import_annotations(project, DATA / "hypothesis_sample.json", default_label="nope")
