"""Start-up builds only what the first frame shows: what `annotator gui PROJECT --open 1 --open 2`
has imported when its first frame is painted, in a real subprocess.

A structural guard, not a timing one: the heavy libraries and the app's parts that the first
frame does not show (search, exporters, importers, dialogs, the start screen, and the storage
stack itself: SQLAlchemy and the services) are imported later, when first needed. The first
frame is read with the standard library's sqlite3 (`storage.first_frame`), imported before Qt
(once PySide6 is loaded, its import hook reads the source of every module imported after it).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from annotator.app.demo import build_demo

CHILD = """
import io, json, sys

class FirstPaint(io.TextIOBase):
    \"\"\"stdout that notes the modules imported when the app reports its first frame.\"\"\"
    modules = None

    def write(self, text):
        if text.startswith("painted ") and self.modules is None:
            self.modules = list(sys.modules)  # in the order they were imported
        return sys.__stdout__.write(text)

    def flush(self):
        sys.__stdout__.flush()

watch = sys.stdout = FirstPaint()
from annotator.cli.main import main

code = main(["gui", sys.argv[1], "--open", "1", "--open", "2", "--exit-after-paint"])
sys.stdout = sys.__stdout__
print("MODULES " + json.dumps(watch.modules))
sys.exit(code)
"""

NOT_BEFORE_FIRST_PAINT = (
    # the storage stack: the first frame is read without it, the project opens right after
    "sqlalchemy",
    "annotator.services.api",
    "annotator.services.project",
    "annotator.storage.orm",
    "annotator.storage.engine",
    # heavy libraries
    "whoosh",
    "docx",
    "pypdfium2",
    "pypdf",
    "numpy",
    "krippendorff",
    "markdown_it",
    "selectolax",
    "trafilatura",
    "lxml",
    "jinja2",
    "alembic",
    "rapidfuzz",
    "edlib",
    "charset_normalizer",
    "psycopg",
    "urllib.request",
    # the app's parts the first frame does not show
    "annotator.search.service",
    "annotator.search.keeper",
    "annotator.exporters",
    "annotator.importers",
    "annotator.services.backup",
    "annotator.services.watch",
    "annotator.app.demo",
    "annotator.ui.start_screen",
    "annotator.ui.search_panel",
    "annotator.ui.export_dialog",
    "annotator.ui.pdf_export",
    "annotator.ui.agreement_panel",
    "annotator.ui.adjudication_dialog",
    "annotator.ui.labels_dialog",
    "annotator.ui.metadata_dialog",
    "annotator.ui.help_viewer",
)


@pytest.fixture(scope="module")
def start_up(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], str]:
    """The modules imported at the first paint, and what the app printed."""
    tmp = tmp_path_factory.mktemp("startup")
    project = tmp / "demo.annot"
    build_demo(project).close()
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["ANNOTATOR_SETTINGS_DIR"] = str(tmp / "settings")
    env["XDG_STATE_HOME"] = str(tmp / "state")
    result = subprocess.run(
        [sys.executable, "-c", CHILD, str(project)],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
        cwd=tmp,
    )
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("MODULES ")]
    assert lines, f"the app never reported its first paint:\n{result.stdout}\n{result.stderr}"
    modules = json.loads(lines[0].removeprefix("MODULES "))
    assert modules is not None, "the app quit without reporting its first paint"
    return list(modules), result.stdout


@pytest.fixture(scope="module")
def first_paint_modules(start_up: tuple[list[str], str]) -> list[str]:
    return start_up[0]


def _loaded(modules: list[str], name: str) -> list[str]:
    return [m for m in modules if m == name or m.startswith(name + ".")]


def test_the_first_frame_shows_the_project(first_paint_modules: list[str]) -> None:
    # the snapshot is of a real start-up: the window, its reader and the first frame's reads
    for needed in (
        "annotator.ui.main_window",
        "annotator.ui.reader.pane",
        "annotator.storage.first_frame",
    ):
        assert needed in first_paint_modules


def test_the_project_opens_after_its_first_frame(start_up: tuple[list[str], str]) -> None:
    times = {
        line.split()[0]: float(line.split()[1])
        for line in start_up[1].splitlines()
        if line.startswith(("painted ", "editable "))
    }
    assert set(times) == {"painted", "editable"}, start_up[1]
    assert times["painted"] <= times["editable"]


@pytest.mark.parametrize("name", NOT_BEFORE_FIRST_PAINT)
def test_what_the_first_frame_does_not_show_is_not_imported(
    first_paint_modules: list[str], name: str
) -> None:
    assert _loaded(first_paint_modules, name) == [], f"{name} imported before the first paint"


def test_the_first_frame_is_read_with_what_was_imported_before_qt(
    first_paint_modules: list[str],
) -> None:
    order = {name: k for k, name in enumerate(first_paint_modules)}
    for module in ("annotator.storage.first_frame", "annotator.domain.model", "sqlite3"):
        assert order[module] < order["PySide6"], f"{module} imported after Qt"
