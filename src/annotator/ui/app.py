"""Starting the desktop app: the QApplication, its look, the error hook, and screenshot mode."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from annotator.domain.errors import AnnotatorError

SCREENSHOT_SIZE = (1400, 850)


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    """The QApplication, set up once: names, icon, Fusion style following the system's light or
    dark colour scheme."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv or sys.argv[:1]))
    from annotator.ui.app_icon import app_icon
    from annotator.ui.settings import APPLICATION, ORGANIZATION

    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setDesktopFileName("annotator")
    app.setWindowIcon(app_icon())
    apply_style(app)
    from annotator.ui.tasks import GarbageCollection

    GarbageCollection.install()
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    return app


SWITCH_INTERVAL_S = 0.001
"""How long a thread may keep the GIL while another waits for it (Python's default: 5 ms).
Every sqlite3 call lets the GIL go and must wait for it again; while a worker thread runs
Python (the search indexer after an import, a big document being prepared), each wait lasted
up to the whole interval, so the window's own small reads became slow: 1,000 rows fetched on
the GUI thread took 225-340 ms beside a busy thread with 5 ms, 23-36 ms with 1 ms (0.2 ms with
none). Workers switch a little more often; their throughput hardly changes."""


_QUIET = ("This plugin does not support propagateSizeHints()",)
"""Harmless Qt warnings of headless platforms that would only alarm a user in the terminal."""


def install_message_filter() -> None:
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, _context: object, message: str) -> None:
        if message in _QUIET:
            return
        if kind in (QtMsgType.QtDebugMsg, QtMsgType.QtInfoMsg):
            return
        print(message, file=sys.stderr)

    if not getattr(install_message_filter, "installed", False):
        qInstallMessageHandler(handler)
        install_message_filter.installed = True  # type: ignore[attr-defined]


def apply_style(app: QApplication) -> None:
    """Fusion everywhere (it looks the same on every platform), with the palette of the system's
    light or dark colour scheme. ANNOTATOR_COLOR_SCHEME=dark|light overrides the system."""
    app.setStyle("Fusion")
    _apply_palette(app)
    hints = app.styleHints()
    if hasattr(hints, "colorSchemeChanged") and not getattr(app, "_annotator_styled", False):
        hints.colorSchemeChanged.connect(lambda _scheme: _apply_palette(app))
        app._annotator_styled = True  # type: ignore[attr-defined]


def wants_dark(app: QApplication) -> bool:
    wanted = os.environ.get("ANNOTATOR_COLOR_SCHEME", "").lower()
    if wanted in ("dark", "light"):
        return wanted == "dark"
    hints = app.styleHints()
    return hasattr(hints, "colorScheme") and hints.colorScheme() == Qt.ColorScheme.Dark


def _apply_palette(app: QApplication) -> None:
    palette = app.style().standardPalette()
    if wants_dark(app) and palette.color(QPalette.ColorRole.Window).lightness() > 128:
        palette = dark_palette()  # the platform reports dark but gave no dark palette
    app.setPalette(palette)


def dark_palette() -> QPalette:
    """A dark palette for Fusion (what the platform would give on a dark desktop)."""
    p = QPalette()
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    colors = {
        role.Window: "#2b2d30",
        role.WindowText: "#dfe1e5",
        role.Base: "#1e1f22",
        role.AlternateBase: "#26282b",
        role.ToolTipBase: "#3c3f41",
        role.ToolTipText: "#dfe1e5",
        role.PlaceholderText: "#8c8f94",
        role.Text: "#dfe1e5",
        role.Button: "#36383c",
        role.ButtonText: "#dfe1e5",
        role.BrightText: "#ff6b6b",
        role.Light: "#45484d",
        role.Midlight: "#3c3f43",
        role.Mid: "#2f3134",
        role.Dark: "#1b1c1f",
        role.Shadow: "#111214",
        role.Highlight: "#3d6fb4",
        role.HighlightedText: "#ffffff",
        role.Link: "#6ea8fe",
        role.LinkVisited: "#b08cf5",
    }
    for r, color in colors.items():
        p.setColor(r, QColor(color))
    for r in (role.WindowText, role.Text, role.ButtonText):
        p.setColor(group.Disabled, r, QColor("#7a7d82"))
    return p


def run_app(
    project: str | Path | None = None,
    open_docs: Sequence[str] = (),
    screenshot: str | Path | None = None,
    import_files: Sequence[str | Path] = (),
    *,
    exit_after_paint: bool = False,
) -> int:
    """Start the app (or, with `screenshot`, render one window to a PNG and return).
    `import_files` are imported into the project in the background once the window is up.
    With `exit_after_paint`, print "painted <Unix time>" at the window's first frame, then
    "editable <Unix time>" once its project is open (at once when it opened before the first
    frame), and quit (what the start-up benchmark measures)."""
    if screenshot is not None:
        return take_screenshot(project, open_docs, Path(screenshot))
    app = make_application()
    install_message_filter()
    from annotator.ui.errors import install_excepthook
    from annotator.ui.main_window import MainWindow

    install_excepthook()
    # with a project to open, the first frame shows it: no start screen is built for it
    window = MainWindow(start_screen=project is None)
    # a server's address (or URL) stays whole: Path() would spoil it
    where = (
        Path(project) if isinstance(project, Path | str) and "://" not in str(project) else project
    )
    # A project file's first frame is laid out before the window is shown, so that the first
    # frame painted is the finished one (panes added to a shown window are laid out a moment
    # later, and their first paint would show them half laid out).
    framed = isinstance(where, Path) and window.opening.show_first_frame(
        where, list(open_docs) or None
    )
    window.show()
    from annotator.ui.settings_dialog import apply_user_name, ask_name_on_first_run

    apply_user_name(window.settings)
    if not exit_after_paint:
        ask_name_on_first_run(window.settings, window)
    if where is not None:
        opened = framed or window.open_project(where, list(open_docs) or None)
        files = [Path(f) for f in import_files]
        if opened and files and window.project is not None:
            window.import_paths(files)
        elif opened and files:  # opens after its first frame, or in the background (a server)
            window.projectOpened.connect(lambda _where: files and window.import_paths(files.copy()))
            window.projectOpened.connect(lambda _where: files.clear())
        if not opened and window.project is None:  # refused: the start screen after all
            window._show_project_state()
    if exit_after_paint:
        import time

        from annotator.ui.first_paint import after_first_paint

        def painted() -> None:
            print(f"painted {time.time():.6f}", flush=True)
            if window.project is not None or not window.showing_first_frame():
                editable()
            else:  # the project opens in place of its first frame, right after it
                window.projectOpened.connect(lambda _where: editable())

        def editable() -> None:
            print(f"editable {time.time():.6f}", flush=True)
            app.quit()

        # first: what the project's opening queued for after the first frame (search, backups,
        # the watcher) is no part of getting it on screen
        after_first_paint(window, painted, first=True)
    # What start-up created lives as long as the app: out of the collector's sight (the
    # policy's owner, ui.tasks.GarbageCollection, says why).
    from annotator.ui.tasks import GarbageCollection

    GarbageCollection.freeze_startup()
    return app.exec()


def take_screenshot(project: str | Path | None, open_docs: Sequence[str], path: Path) -> int:
    """Render the window (1400x850) with `open_docs` side by side and write a PNG. Errors are
    raised (the CLI prints them) instead of shown in dialogs."""
    from annotator.services.api import Project

    # A throw-away settings folder: the shot never depends on, nor changes, the user's layout.
    settings_dir = tempfile.TemporaryDirectory(prefix="annotator-shot-")
    previous = os.environ.get("ANNOTATOR_SETTINGS_DIR")
    os.environ["ANNOTATOR_SETTINGS_DIR"] = settings_dir.name
    opened: Project | None = None
    try:
        if project is not None:  # refuse a bad project or document before Qt starts
            opened = Project.open(Path(project))
            try:
                docs = [opened.find_document(ref).id for ref in open_docs]
            except AnnotatorError:
                opened.close()
                raise
        app = make_application()
        install_message_filter()
        from annotator.ui.main_window import MainWindow

        window = MainWindow()
        window.resize(*SCREENSHOT_SIZE)
        window.show()
        if opened is not None:
            window.adopt_project(opened, docs)
            _select_a_linked_claim(window, docs)
        window.resize(*SCREENSHOT_SIZE)
        for _ in range(10):
            app.processEvents()
        ok = window.save_screenshot(path)
        window.close()
        app.processEvents()
        if not ok:
            raise AnnotatorError(f"Could not write the screenshot to {path}.")
        return 0
    finally:
        if previous is None:
            os.environ.pop("ANNOTATOR_SETTINGS_DIR", None)
        else:
            os.environ["ANNOTATOR_SETTINGS_DIR"] = previous
        settings_dir.cleanup()


def _select_a_linked_claim(window: object, docs: list[str]) -> None:
    """Show something in the inspector: the first linked claim of the first open document."""
    project = getattr(window, "project", None)
    if project is None or not docs:
        return
    claims = project.annotations(document_id=docs[0])
    for claim in claims:
        if project.links(claim.id):
            window.select_claim(claim.id)  # type: ignore[attr-defined]
            return
    if claims:
        window.select_claim(claims[0].id)  # type: ignore[attr-defined]
