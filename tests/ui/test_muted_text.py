"""Secondary text (the inspector's hint and the claim's document and location, a document's
file facts) is quieter than the text and still readable on the light and the dark palette."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from annotator.importers import read_file
from annotator.services.api import Project
from annotator.ui.metadata_dialog import MetadataDialog
from annotator.ui.muted_label import MutedLabel
from annotator.ui.start_screen import contrast_ratio, relative_luminance, text_colors

DATA = Path(__file__).parents[1] / "importers" / "data"


@pytest.fixture(params=["light", "dark"])
def scheme(request, monkeypatch):  # type: ignore[no-untyped-def]
    from annotator.ui.app import apply_style, make_application

    monkeypatch.setenv("ANNOTATOR_COLOR_SCHEME", request.param)
    app = make_application()
    apply_style(app)
    yield request.param
    monkeypatch.delenv("ANNOTATOR_COLOR_SCHEME")
    apply_style(app)


def _readable(label: QLabel, scheme: str) -> None:
    foreground, background = text_colors(label)
    ratio = contrast_ratio(foreground, background)
    assert ratio >= 4.5, f"{label.text()[:40]!r}: {ratio:.2f} in {scheme}"
    # ... and still muted: between the window's colour and its normal text colour
    normal = label.palette().color(label.palette().ColorRole.Text)
    assert contrast_ratio(normal, background) > ratio


def test_the_inspectors_hint_and_claim_facts_are_readable(qtbot, window, scheme) -> None:  # type: ignore[no-untyped-def]
    inspector = window.inspector
    muted = inspector.findChildren(MutedLabel)
    assert {inspector.document_title, inspector.info} <= set(muted)
    hint = [label for label in muted if "No claim selected" in label.text()]
    assert hint and hint[0].isEnabled()
    inspector.document_title.setText("Velmora dock strike of 1931 · paragraph 4")
    inspector.info.setText("By Ada · created 2026-12-02 05:40")
    for label in (hint[0], inspector.document_title, inspector.info):
        _readable(label, scheme)


def test_a_documents_file_facts_are_readable(qtbot, project: Project, scheme) -> None:  # type: ignore[no-untyped-def]
    imported, data = read_file(DATA / "formatted.html")
    doc_id = project.add_document(imported, data, "formatted.html").created_id
    dialog = MetadataDialog(project.document(doc_id))
    qtbot.addWidget(dialog)
    dialog.show()
    facts = [label for label in dialog.findChildren(MutedLabel) if "SHA-256" in label.text()]
    assert facts
    _readable(facts[0], scheme)


def test_a_muted_label_follows_a_change_of_colour_scheme(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui.app import apply_style, make_application

    app = make_application()
    monkeypatch.setenv("ANNOTATOR_COLOR_SCHEME", "light")
    apply_style(app)
    label = MutedLabel("Imported: 2026-12-02")
    qtbot.addWidget(label)
    on_light = relative_luminance(text_colors(label)[0])
    try:
        monkeypatch.setenv("ANNOTATOR_COLOR_SCHEME", "dark")
        apply_style(app)
        qtbot.waitUntil(lambda: relative_luminance(text_colors(label)[0]) > on_light)
        _readable(label, "dark")
    finally:
        monkeypatch.delenv("ANNOTATOR_COLOR_SCHEME")
        apply_style(app)
