"""The `annotator` command: thin over the services. Its contract is used by users' scripts.

Exit status: 0 on success, 1 with a one-line message on a user error, 2 on a usage error.
Each command module exposes `register(subparsers)`, which adds its sub-commands; a sub-command's
handler is `func(args) -> int`.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from annotator import __version__
from annotator.domain.errors import AnnotatorError

# Modules that add sub-commands, in the order `annotator --help` lists them.
COMMAND_MODULES = (
    "annotator.cli.project_cmds",
    "annotator.cli.search_cmds",
    "annotator.cli.claim_cmds",
    "annotator.cli.agreement_cmds",
    "annotator.cli.gui_cmd",
    "annotator.cli.selftest_cmd",
    "annotator.cli.export_cmds",
    "annotator.cli.backup_cmds",
)

COMMANDS = {
    "new": "annotator.cli.project_cmds",
    "import": "annotator.cli.project_cmds",
    "docs": "annotator.cli.project_cmds",
    "labels": "annotator.cli.project_cmds",
    "check": "annotator.cli.project_cmds",
    "demo": "annotator.cli.project_cmds",
    "search": "annotator.cli.search_cmds",
    "reindex": "annotator.cli.search_cmds",
    "annotate": "annotator.cli.claim_cmds",
    "annotations": "annotator.cli.claim_cmds",
    "edit": "annotator.cli.claim_cmds",
    "delete": "annotator.cli.claim_cmds",
    "link": "annotator.cli.claim_cmds",
    "agreement": "annotator.cli.agreement_cmds",
    "gui": "annotator.cli.gui_cmd",
    "selftest": "annotator.cli.selftest_cmd",
    "export": "annotator.cli.export_cmds",
    "import-annotations": "annotator.cli.export_cmds",
    "backup": "annotator.cli.backup_cmds",
    "restore": "annotator.cli.backup_cmds",
}
"""Which module defines each sub-command: running one imports only its module (start-up time:
`annotator gui` need not import the services for every other command first). A test keeps it
equal to what the modules register."""


class UsageError(Exception):
    """Wrong arguments: exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(2)


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser; with a known `command`, only that command's module is imported (with
    `--version`, none: it answers before any sub-command is parsed)."""
    parser = _Parser(
        prog="annotator",
        description="Annotator: mark, judge and link the claims of polemical sources.",
    )
    parser.add_argument("--version", action="version", version=f"annotator {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if command == "--version":
        modules: Sequence[str] = ()
    else:
        modules = [COMMANDS[command]] if command in COMMANDS else COMMAND_MODULES
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list:
        args_list = ["gui"]  # plain `annotator` starts the app
    parser = build_parser(args_list[0])
    args = parser.parse_args(args_list)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    try:
        return int(func(args) or 0)
    except UsageError as exc:
        print(f"annotator: error: {exc}", file=sys.stderr)
        return 2
    except AnnotatorError as exc:
        # One line, whatever the message holds (SQLite's reports can span several).
        print(f"annotator: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("annotator: interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
