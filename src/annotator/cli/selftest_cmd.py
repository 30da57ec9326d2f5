"""`annotator selftest`: check that this installation works, without a display.

Creates a project in a temporary folder, imports a generated document, annotates, searches,
exports HTML and, when the desktop part is installed, renders the main window offscreen. One
line per step; exit status 0 when every step passed, 1 naming the step that failed. Packagers
run it on the installed copy (see packaging/check_bundle.py and `make wheel-check`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from annotator.app.selftest import SelfTestFailed, SelfTestState, Step, StepResult

GUI_STEP_NAME = "desktop window (offscreen)"


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "selftest",
        help="check that this installation works (no display needed)",
        description="Create a project in a temporary folder, import a generated document, "
        "annotate it, search it, export an HTML report and render the main window offscreen. "
        "Prints one line per step; exits 1 naming the step that failed.",
    )
    p.add_argument(
        "--keep",
        metavar="DIR",
        type=Path,
        help="work in DIR (created if missing, must be empty) and keep what was made there",
    )
    p.add_argument("--no-gui", action="store_true", help="skip the desktop window (Qt) step")
    p.set_defaults(func=cmd_selftest)


def cmd_selftest(args: argparse.Namespace) -> int:
    from annotator.app.selftest import run_selftest
    from annotator.cli.main import UsageError

    extra, skipped = ([], "skipped (--no-gui)") if args.no_gui else gui_steps()
    ok_mark, fail_mark = _marks()

    def report(result: StepResult) -> None:
        mark = ok_mark if result.ok else fail_mark
        line = f"{mark} {result.name}: {result.detail} ({result.seconds:.2f} s)"
        print(_printable(line), flush=True)

    started = time.perf_counter()
    if args.keep is not None:
        folder = args.keep
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise UsageError(f"{folder}: --keep needs an empty or new folder.")
        folder.mkdir(parents=True, exist_ok=True)
        with _isolated(folder):
            results = run_selftest(folder, extra, report)
    else:
        with (
            tempfile.TemporaryDirectory(prefix="annotator-selftest-") as tmp,
            _isolated(Path(tmp)),
        ):
            results = run_selftest(Path(tmp), extra, report)
    failed = [r for r in results if not r.ok]
    if failed:
        raise SelfTestFailed(f"The self-test failed at step “{failed[0].name}”.")
    if skipped:
        print(f"- {GUI_STEP_NAME}: {skipped}")
    elapsed = time.perf_counter() - started
    print(f"Self-test passed: {len(results)} steps in {elapsed:.1f} s.")
    return 0


def gui_steps() -> tuple[list[Step], str]:
    """The desktop step, or none and why it is skipped. PySide6 missing is a skip (a core-only
    install); PySide6 present but failing to load (a missing system library) is a failure."""
    if importlib.util.find_spec("PySide6") is None:
        return [], "skipped, PySide6 is not installed"
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    try:
        from annotator.ui.selftest import WINDOW_STEP
    except ImportError as exc:
        message = " ".join(str(exc).split())

        def cannot_load(state: SelfTestState) -> str:
            raise SelfTestFailed(f"The desktop part does not load: {message}")

        return [Step(GUI_STEP_NAME, cannot_load)], ""
    return [WINDOW_STEP], ""


@contextmanager
def _isolated(folder: Path) -> Iterator[None]:
    """Keep the run's search index and app settings inside `folder`, whatever opens them."""
    wanted = {
        "ANNOTATOR_CACHE_DIR": str(folder / "cache"),
        "ANNOTATOR_SETTINGS_DIR": str(folder / "settings"),
    }
    previous = {key: os.environ.get(key) for key in wanted}
    os.environ.update(wanted)
    try:
        yield
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _encoding() -> str:
    return getattr(sys.stdout, "encoding", None) or "ascii"


def _marks() -> tuple[str, str]:
    """✓ and ✗, or plain words on a terminal that cannot show them."""
    try:
        "✓✗".encode(_encoding())
    except (UnicodeEncodeError, LookupError):
        return "OK", "FAILED"
    return "✓", "✗"


def _printable(text: str) -> str:
    """`text` with what stdout cannot encode replaced by `?` (an ASCII-only terminal)."""
    try:
        return text.encode(_encoding(), "replace").decode(_encoding())
    except LookupError:
        return text.encode("ascii", "replace").decode("ascii")
