"""Fuzzing the annotation import: random JSON, and real W3C exports with random damage, never
raise anything but a one-sentence AnnotatorError, and a refusal leaves the project unchanged."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from annotator.domain.errors import AnnotatorError
from annotator.exporters import export_report, import_annotations
from annotator.importers.base import ImportedText
from annotator.services.api import Project

FUZZ = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.reuse, Phase.generate],  # shrinking re-creates projects: slow
)
TEXT = "The harbour board cut the rate. The union called a strike on 4 March. 😀 Ships waited."
KEYS = ["type", "id", "items", "first", "body", "target", "selector", "source", "exact",
        "prefix", "suffix", "start", "end", "motivation", "purpose", "value", "rows", "uri",
        "text", "tags", "@context", "created", "modified", "creator"]  # fmt: skip

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**6) | st.text(max_size=12)
    | st.sampled_from(["Annotation", "AnnotationCollection", "TextQuoteSelector",
                       "TextPositionSelector", "assessing", "linking", "harbour"]),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)
    ),
    max_leaves=25,
)  # fmt: skip


def _project(path: Path) -> Project:
    project = Project.create(path)
    doc = project.add_document(
        ImportedText(text=TEXT, format="txt", title="Harbour"), b"h", "h.txt"
    )
    assert doc.created_id is not None
    a = project.create_claim(doc.created_id, 4, 17, project.label("disputed").id, note="n")
    b = project.create_claim(doc.created_id, 32, 63, project.label("sourced").id, tags=["t"])
    assert a.created_id and b.created_id
    project.create_link(a.created_id, b.created_id, "corroborates")
    return project


def _state(project: Project) -> Any:
    return project.change_number(), project.annotations(), project.links(), project.labels()


def _try_import(project: Project, path: Path) -> None:
    before = _state(project)
    try:
        import_annotations(project, path)
    except AnnotatorError as exc:
        assert "\n" not in str(exc).strip()
        assert _state(project) == before, "a refused import changed the project"


@FUZZ
@given(json_values)
def test_random_json_is_imported_or_refused(tmp_path_factory, value: Any) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fuzz")
    project = _project(folder / "p.annot")
    try:
        path = folder / "in.json"
        path.write_text(json.dumps(value), encoding="utf-8")
        _try_import(project, path)
    finally:
        project.close()


def _damage(value: Any, draw: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            choice = draw(st.integers(0, 9))
            if choice == 0:
                continue  # key dropped
            out[key] = draw(json_values) if choice == 1 else _damage(item, draw)
        return out
    if isinstance(value, list):
        return [_damage(item, draw) for item in value if draw(st.integers(0, 9))]
    return value


@FUZZ
@given(st.data())
def test_damaged_exports_are_imported_or_refused(tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fuzz")
    source = _project(folder / "source.annot")
    target = Project.create(folder / "target.annot")
    try:
        export_report(source, "jsonld", folder / "out.jsonld", generated=None)
        doc = ImportedText(text=TEXT, format="txt", title="Harbour")
        target.add_document(doc, b"h", "h.txt")
        exported = json.loads((folder / "out.jsonld").read_text(encoding="utf-8"))
        damaged = folder / "damaged.jsonld"
        damaged.write_text(json.dumps(_damage(exported, data.draw)), encoding="utf-8")
        _try_import(target, damaged)
    finally:
        source.close()
        target.close()
