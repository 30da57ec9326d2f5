"""File > Export report… and File > Import annotations… driven through their dialogs."""

from __future__ import annotations

import json
import re

import pytest


def test_export_html_through_the_dialog_and_choices_come_back(qtbot, opened, tmp_path) -> None:  # type: ignore[no-untyped-def]
    action = opened.window_actions.export_report
    assert action.isEnabled() and action.shortcut().toString() == "Ctrl+E"
    dialog = opened.export_report()
    qtbot.addWidget(dialog)
    assert dialog.fmt() == "html"
    qtbot.waitUntil(lambda: not dialog.preview_pending())  # built on a worker thread
    assert "Union pamphlet" in dialog.preview.toPlainText()  # the HTML preview
    assert dialog.preview_note.isHidden()  # every claim is in it
    # labels scope: only "disputed"
    disputed = opened.project.label("disputed").id
    dialog.scope_buttons["labels"].setChecked(True)
    dialog.set_checked_labels([disputed])
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    dialog.path_edit.setText(str(out.with_suffix("")))
    dialog.title_edit.setText("Strike study")
    with qtbot.waitSignal(dialog.exported, timeout=10000):
        dialog.export_button.click()
    assert out.exists()
    text = out.read_text(encoding="utf-8")
    assert "Strike study" in text and "4,000 dockers walked out" in text
    assert "about 900 pickets" not in text
    assert "report.html" in opened.status_message()
    saved = json.loads(opened.project.setting("export.last"))
    assert saved["scope"] == "labels" and saved["labels"] == [disputed]

    again = opened.export_report()
    qtbot.addWidget(again)
    assert again.scope_key() == "labels"
    assert again.checked_labels() == [disputed]
    assert again.path_edit.text() == str(out)
    assert again.title_edit.text() == "Strike study"
    again.set_format("csv")
    assert again.path_edit.text().endswith("report.csv")
    assert again.excel_bom.isEnabled()
    again.reject()


def test_export_search_results_scope(qtbot, opened, study, tmp_path) -> None:  # type: ignore[no-untyped-def]
    panel = opened.search_panel
    panel.set_query("pickets")
    qtbot.waitUntil(lambda: panel.results is not None and panel.results.total == 1)
    dialog = opened.export_report()
    qtbot.addWidget(dialog)
    assert dialog.scope_buttons["search"].isEnabled()
    dialog.set_scope("search")
    dialog.set_format("md")
    out = tmp_path / "found.md"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=10000):
        dialog.start_export()
    text = out.read_text(encoding="utf-8")
    assert "about 900 pickets" in text and "4,000 dockers" not in text


def test_export_error_goes_to_the_error_dialog(qtbot, opened, tmp_path, error_dialogs) -> None:  # type: ignore[no-untyped-def]
    dialog = opened.export_report()
    qtbot.addWidget(dialog)
    dialog.path_edit.setText(str(tmp_path / "missing" / "r.html"))
    dialog.start_export()
    qtbot.waitUntil(lambda: bool(error_dialogs), timeout=5000)
    assert "no such folder" in error_dialogs[-1][0]
    assert dialog.isVisible()
    dialog.reject()


def _row(ident: str, exact: str) -> dict:  # type: ignore[type-arg]
    return {
        "id": ident,
        "uri": "https://example.org/pamphlet",
        "document": {"title": ["Union pamphlet"]},
        "text": "From the web.",
        "tags": ["web"],
        "target": [
            {
                "source": "https://example.org/pamphlet",
                "selector": [{"type": "TextQuoteSelector", "exact": exact}],
            }
        ],
        "user": "acct:alice@hypothes.is",
        "created": "2024-01-01T00:00:00Z",
        "updated": "2024-01-01T00:00:00Z",
    }


def test_import_annotations_lists_unanchored_claims(qtbot, opened, study, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "hypothesis.json"
    rows = [_row("h1", "fewer than 900 pickets"), _row("h2", "a quote that is not there")]
    path.write_text(json.dumps({"rows": rows}), encoding="utf-8")
    before = len(opened.project.annotations())
    job = opened.import_annotations(path)
    assert job is not None
    qtbot.waitUntil(lambda: job.done, timeout=10_000)  # imported on the task runner
    dialog = job.dialog
    assert dialog is not None and dialog.isVisible()  # a child of the window, closed with it
    assert len(opened.project.annotations()) == before + 1
    assert dialog.skipped.count() == 1
    assert "a quote that is not there" in dialog.skipped.item(0).text()
    assert "1 claim(s)" in dialog.report.message
    # the claim list refreshed through the change relay
    qtbot.waitUntil(lambda: opened.claims.model.rowCount() >= before + 1, timeout=3000)
    dialog.close()


def test_import_refused_file_shows_one_sentence(qtbot, opened, tmp_path, error_dialogs) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "nonsense.json"
    path.write_text("not json", encoding="utf-8")
    job = opened.import_annotations(path)
    qtbot.waitUntil(lambda: job.done, timeout=10_000)
    assert job.dialog is None
    assert error_dialogs and "\n" not in error_dialogs[-1][0]


def test_menu_has_the_new_actions(opened) -> None:  # type: ignore[no-untyped-def]
    file_menu = opened.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert "Import &annotations…" in texts and "Restore from &backup…" in texts
    assert "&Export report…" in texts
    view = opened.window_actions.view_menu
    assert any(a.text() == "Search" for a in view.actions())


def test_the_preview_of_a_big_report_shows_its_first_claims(qtbot, opened, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from annotator.exporters import preview

    monkeypatch.setattr(preview, "PREVIEW_CLAIMS", 2)
    total = len(opened.project.annotations())
    assert total > 2
    dialog = opened.export_report()
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.preview_pending())
    assert dialog.preview.toPlainText().strip()
    assert dialog.preview_note.isVisible()
    assert dialog.preview_note.text() == (
        f"The preview shows the first 2 of {total} claims; the report will have all of them."
    )


def test_pdf_export_through_the_dialog(qtbot, opened, tmp_path) -> None:  # type: ignore[no-untyped-def]
    dialog = opened.export_report()
    qtbot.addWidget(dialog)
    dialog.set_format("pdf")
    out = tmp_path / "report.pdf"
    dialog.path_edit.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=30000):
        dialog.export_button.click()
        dialog.reject()  # Esc while the PDF is printed: the dialog waits for it
        assert dialog.isVisible() and not dialog.buttons.isEnabled()
    assert dialog.writing is not None and dialog.writing.wait(5)
    assert out.read_bytes().startswith(b"%PDF")
    # printed by a child process: this process made no Qt text document on a worker thread
    assert "report.pdf" in opened.status_message()


SHOTS = None  # a folder (Path) to save screenshots of the previews in, when looking at them
RUN_TOGETHER = re.compile(
    r"C\d+(sourced|disputed|polemical)|(sourced|disputed|polemical)(characters|paragraph|¶)"
)
"""A claim's number, label and location glued together: the preview lost the layout."""


def _preview_of(qtbot, dialog, fmt: str):  # type: ignore[no-untyped-def]
    dialog.set_format(fmt)
    qtbot.waitUntil(lambda: not dialog.preview_pending(), timeout=60_000)
    return dialog.shown_preview


@pytest.mark.parametrize("fmt", ["html", "md", "docx", "csv", "jsonld"])
def test_each_format_previews_with_its_fields_apart(qtbot, opened, fmt) -> None:  # type: ignore[no-untyped-def]
    """The preview is never empty, and a claim's number, label and location stay apart (they
    ran together, "C1disputedcharacters 547–607root…", when the browser report was shown
    without its stylesheet)."""
    dialog = opened.export_report()
    qtbot.addWidget(dialog)
    made = _preview_of(qtbot, dialog, fmt)
    assert made is not None and made.format == fmt
    assert dialog.preview_stack.currentWidget() is dialog.preview
    text = dialog.preview.toPlainText()
    assert "Union pamphlet" in text or fmt in ("csv", "jsonld")
    assert len(text.strip()) > 200
    assert not RUN_TOGETHER.search(text), text[:400]
    if fmt in ("html", "md", "docx"):
        # the summary is a laid-out table, not numbers stacked under their titles
        assert "Summary" in text
        summary = dialog.preview.document().toHtml()
        assert "<table" in summary
    if fmt == "html":
        lines = [line.strip() for line in text.splitlines()]
        assert any(re.fullmatch(r"C1\s+(sourced|disputed|polemical)\s+\S.*", ln) for ln in lines)
    if fmt in ("md", "csv", "jsonld"):
        dialog.show_source.setChecked(True)
        shown = dialog.preview.toPlainText().strip()
        assert shown == made.source.replace("\r\n", "\n").strip()
        dialog.show_source.setChecked(False)
    dialog.done(0)


def test_the_pdf_preview_shows_the_first_pages_as_printed(qtbot, opened) -> None:  # type: ignore[no-untyped-def]
    dialog = opened.export_report()
    qtbot.addWidget(dialog)
    _preview_of(qtbot, dialog, "pdf")
    assert dialog.preview_stack.currentWidget() is dialog.pages_scroll
    assert dialog.page_images, dialog.preview_note.text()
    page = dialog.page_images[0].toImage()
    assert page.width() > 500 and page.height() > page.width()  # an A4 page, upright
    inked = sum(
        1
        for y in range(0, page.height(), 8)
        for x in range(0, page.width(), 8)
        if page.pixelColor(x, y).lightness() < 200
    )
    assert inked > 50  # text and tables drawn on it, not a blank page
    dialog.grab().save(str(SHOTS / "export-preview-pdf.png")) if SHOTS else None
    dialog.set_format("html")  # back to a text preview
    qtbot.waitUntil(lambda: not dialog.preview_pending(), timeout=30_000)
    assert dialog.preview_stack.currentWidget() is dialog.preview
    dialog.done(0)
