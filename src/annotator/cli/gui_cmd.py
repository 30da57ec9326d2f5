"""`annotator gui`: start the desktop app (plain `annotator` does too).

Qt is imported only inside the handler, so the rest of the command line never pays for it.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from annotator.cli.locations import project_location


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "gui",
        help="start the desktop app",
        description="Start the desktop app, optionally with a project and documents open side by "
        "side. With --screenshot, render the window to a PNG and exit (works without a display).",
    )
    p.add_argument(
        "project", metavar="PROJECT", nargs="?", type=project_location, help="project to open"
    )
    p.add_argument(
        "--open",
        metavar="DOC",
        action="append",
        default=[],
        dest="open_docs",
        help="open a document in the next pane: id, number or title prefix (repeat)",
    )
    p.add_argument(
        "--import",
        metavar="FILE",
        action="append",
        default=[],
        dest="import_files",
        type=Path,
        help="import a file into the project on start (repeat)",
    )
    p.add_argument(
        "--screenshot",
        metavar="FILE",
        type=Path,
        help="write a PNG of the window (1400x850) and exit",
    )
    p.add_argument(
        "--exit-after-paint",
        action="store_true",
        help="for start-up benchmarks: print 'painted <Unix time>' when the window's first "
        "frame is painted and 'editable <Unix time>' once its project is open, then quit",
    )
    p.set_defaults(func=cmd_gui)


def cmd_gui(args: argparse.Namespace) -> int:
    from annotator.cli.main import UsageError

    if args.screenshot is not None and not isinstance(args.project, Path | None):
        raise UsageError("--screenshot opens project files only, not a server's.")
    if (args.open_docs or args.import_files) and args.project is None:
        raise UsageError("--open and --import need a PROJECT.")
    if args.exit_after_paint and (args.screenshot is not None or args.import_files):
        raise UsageError("--exit-after-paint cannot be combined with --screenshot or --import.")
    if args.screenshot is not None and args.import_files:
        raise UsageError("--import cannot be combined with --screenshot.")
    if (
        args.screenshot is not None
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from annotator.ui.startup import before_qt

    before_qt()  # what the first frame is read with, imported before Qt
    from annotator.ui.app import run_app

    return run_app(
        args.project,
        args.open_docs,
        args.screenshot,
        args.import_files,
        exit_after_paint=args.exit_after_paint,
    )
