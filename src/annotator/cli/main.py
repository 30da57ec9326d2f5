"""The `annotator` command: thin over the services. Its contract is used by users' scripts.

Exit status: 0 on success, 1 with a one-line message on a user error, 2 on a usage error.
`--author NAME`, before the command, names who makes the changes (else `ANNOTATOR_AUTHOR`; see
`annotator.services.author`).
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
    "annotator.cli.adjudication_cmds",
    "annotator.cli.gui_cmd",
    "annotator.cli.selftest_cmd",
    "annotator.cli.export_cmds",
    "annotator.cli.backup_cmds",
    "annotator.cli.transfer_cmds",
    "annotator.cli.members_cmds",
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
    "adjudicate": "annotator.cli.adjudication_cmds",
    "settle": "annotator.cli.adjudication_cmds",
    "gui": "annotator.cli.gui_cmd",
    "selftest": "annotator.cli.selftest_cmd",
    "export": "annotator.cli.export_cmds",
    "import-annotations": "annotator.cli.export_cmds",
    "backup": "annotator.cli.backup_cmds",
    "restore": "annotator.cli.backup_cmds",
    "push": "annotator.cli.transfer_cmds",
    "pull": "annotator.cli.transfer_cmds",
    "members": "annotator.cli.members_cmds",
    "blind": "annotator.cli.members_cmds",
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
    parser.add_argument(
        "--author",
        dest="acting_author",
        metavar="NAME",
        help="the name put on the claims and links this command makes "
        "(default: $ANNOTATOR_AUTHOR, else the account's full name)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    if command == "--version":
        modules: Sequence[str] = ()
    else:
        modules = [COMMANDS[command]] if command in COMMANDS else COMMAND_MODULES
    for name in modules:
        importlib.import_module(name).register(sub)
    return parser


def _command(args: Sequence[str]) -> str | None:
    """The sub-command's name: the first argument after the global options."""
    i = 0
    while i < len(args):
        if args[i] == "--author":
            i += 2
        elif args[i].startswith("--author="):
            i += 1
        else:
            return args[i]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    command = _command(args_list)
    if command is None:
        args_list.append("gui")  # plain `annotator` starts the app
        command = "gui"
    parser = build_parser(command)
    args = parser.parse_args(args_list)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return 2
    if args.acting_author is not None:
        if not args.acting_author.strip():
            parser.error("--author needs a name")
        from annotator.services.author import choose

        choose(args.acting_author)
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
