"""Help that a new user finds: Help > User guide and Search syntax, a readable start screen that
says what to do, the first-run question for your name, and File > Settings changing the name on
the next claim. Real widgets, a real project file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel
from ui_study import LEFT_TEXT, create_study

from annotator.services import author
from annotator.services.api import Project
from annotator.ui import settings_dialog
from annotator.ui.help_viewer import HelpViewer, docs_dir
from annotator.ui.search_model import QUERY_HELP
from annotator.ui.settings import Settings
from annotator.ui.settings_dialog import FirstRunDialog, SettingsDialog, ask_name_on_first_run
from annotator.ui.start_screen import StartScreen, contrast_ratio, text_colors


@pytest.fixture(autouse=True)
def no_chosen_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with no name chosen for the process, and leaves none behind."""
    monkeypatch.setattr(author, "_chosen", "")
    monkeypatch.delenv(author.ENVIRONMENT_VARIABLE, raising=False)


@pytest.fixture
def study(tmp_path: Path) -> tuple[Path, str, str]:
    path = tmp_path / "study.annot"
    left, right = create_study(path)
    return path, left, right


def _viewers() -> list[HelpViewer]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, HelpViewer)]


def _menu_texts(window, title: str) -> list[str]:  # type: ignore[no-untyped-def]
    [menu] = [a.menu() for a in window.menuBar().actions() if a.text() == title]
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_help_user_guide_opens_the_guide_from_the_disk(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert docs_dir() is not None and (docs_dir() / "user-guide.md").is_file()  # type: ignore[operator]
    assert _menu_texts(window, "&Help")[:2] == ["&User guide", "&Search syntax"]
    window.window_actions.user_guide.trigger()
    [viewer] = _viewers()
    qtbot.addWidget(viewer)
    qtbot.waitExposed(viewer)
    assert viewer.first_heading() == "Annotator: user guide"
    assert {"Marking claims", "Search", "Your name on your claims"} <= set(viewer.headings())
    assert viewer.windowTitle() == "Annotator: user guide — Annotator"
    # a link to another guide opens it in the same viewer, at its heading
    viewer.browser.anchorClicked.emit(QUrl("reference.md#csv-columns"))
    assert viewer.first_heading() == "Annotator: reference"
    assert viewer.browser.textCursor().block().text() == "CSV columns"
    window.window_actions.search_syntax.trigger()  # the same viewer, not a second window
    assert _viewers() == [viewer] and viewer.first_heading() == "The query language"
    viewer.close()


def test_help_search_syntax_shows_the_query_language(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.window_actions.search_syntax.trigger()
    [viewer] = _viewers()
    qtbot.addWidget(viewer)
    assert viewer.first_heading() == "The query language"
    text = viewer.browser.toPlainText()
    assert "label:disputed" in text and "relation:contradicts" in text
    assert "CSV" not in text  # the section only, not the whole reference
    examples = [row.split("`")[1] for row in QUERY_HELP.splitlines() if row.startswith("| `")]
    assert len(examples) >= 10
    assert all(example in text for example in examples)
    viewer.close()


def test_start_screen_says_what_to_do(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert window.central.currentWidget() is window.start_screen
    words = " ".join(label.text() for label in window.start_screen.findChildren(QLabel))
    assert "No project is open" in words
    assert "new project" in words and "demo project" in words
    assert "Help › User guide" in words


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_start_screen_text_is_readable(qtbot, monkeypatch, scheme: str) -> None:  # type: ignore[no-untyped-def]
    from annotator.ui.app import apply_style, make_application

    monkeypatch.setenv("ANNOTATOR_COLOR_SCHEME", scheme)
    app = make_application()
    apply_style(app)
    try:
        screen = StartScreen()
        qtbot.addWidget(screen)
        screen.set_recent([str(Path.cwd())])
        screen.show()
        labels = [label for label in screen.findChildren(QLabel) if label.text().strip()]
        assert len(labels) >= 4
        for label in labels:
            foreground, background = text_colors(label)
            ratio = contrast_ratio(foreground, background)
            assert ratio >= 4.5, f"{label.text()[:30]!r}: {ratio:.2f} in {scheme}"
    finally:
        monkeypatch.delenv("ANNOTATOR_COLOR_SCHEME")
        apply_style(app)


def test_contrast_ratio_is_wcags() -> None:
    assert contrast_ratio(QColor("#000000"), QColor("#ffffff")) == pytest.approx(21.0)
    assert contrast_ratio(QColor("#777777"), QColor("#ffffff")) == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio(QColor("#bebebe"), QColor("#efefef")) < 4.5  # the old disabled grey


def test_first_run_question_asks_for_the_name_and_keeps_it(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    settings = Settings()
    assert settings.user_name() == ""
    # Headless (these tests), nobody could answer: the question is not asked.
    assert ask_name_on_first_run(settings) is None
    monkeypatch.setattr(settings_dialog, "HEADLESS_PLATFORMS", ())
    dialog = ask_name_on_first_run(settings)
    assert isinstance(dialog, FirstRunDialog)
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    assert dialog.name.text() == author.account_name()  # the suggestion: the account's name
    dialog.name.clear()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # no empty name
    qtbot.keyClicks(dialog.name, "Ada Lovelace")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert Settings().user_name() == "Ada Lovelace"  # saved for the next start
    assert author.chosen() == "Ada Lovelace"
    assert ask_name_on_first_run(Settings()) is None  # asked once


def _mark(qtbot, window, doc: str, quote: str, key: str) -> str:  # type: ignore[no-untyped-def]
    start = LEFT_TEXT.index(quote)
    window.pane_area.show_span(doc, start, start + len(quote))
    view = window.pane_area.pane(0).view
    view.setFocus()
    before = {a.id for a in window.project.annotations()}
    qtbot.keyClick(view, key)
    [new] = [a.id for a in window.project.annotations() if a.id not in before]
    return new


def _settings_dialog(window) -> SettingsDialog:  # type: ignore[no-untyped-def]
    window.window_actions.open_settings.trigger()
    [dialog] = window.findChildren(SettingsDialog)
    return dialog


def test_settings_changes_the_author_of_the_next_claim(qtbot, window, study) -> None:  # type: ignore[no-untyped-def]
    path, left, right = study
    assert "Se&ttings…" in _menu_texts(window, "&File")
    assert window.open_project(path, [left, right])
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    first = _mark(qtbot, window, left, "4,000 dockers walked out", "2")

    dialog = _settings_dialog(window)
    qtbot.waitExposed(dialog)
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "Ada Lovelace")
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(lambda: not window.findChildren(SettingsDialog))
    second = _mark(qtbot, window, left, "fewer than 900 pickets", "3")

    with Project.open(path) as project:  # what the file holds
        assert project.annotation(first).author == author.account_name()
        assert project.annotation(second).author == "Ada Lovelace"
    assert Settings().user_name() == "Ada Lovelace"


def test_settings_clears_the_recent_list(qtbot, window, study) -> None:  # type: ignore[no-untyped-def]
    path, left, right = study
    assert window.open_project(path, [left, right])
    window.close_project()
    assert window.start_screen.recent.count() == 1
    dialog = _settings_dialog(window)
    qtbot.mouseClick(dialog.clear_recent, Qt.MouseButton.LeftButton)
    assert window.settings.recent_projects() == []
    assert window.start_screen.recent.count() == 0
    assert not dialog.clear_recent.isEnabled()
    dialog.reject()
