"""The command → module map that lets one command import only its own module."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

from annotator.cli.main import COMMAND_MODULES, COMMANDS


def test_the_map_matches_what_each_module_registers() -> None:
    registered: dict[str, str] = {}
    for name in COMMAND_MODULES:
        sub = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(name).register(sub)
        registered.update(dict.fromkeys(sub.choices, name))
    assert registered == COMMANDS


def test_help_still_lists_every_command() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "annotator", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for command in COMMANDS:
        assert command in out


def test_one_command_imports_only_its_module() -> None:
    code = (
        "import sys; from annotator.cli.main import build_parser; build_parser('gui'); "
        "print(sorted(m for m in sys.modules if m.startswith('annotator.cli.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "annotator.cli.project_cmds" not in out.stdout
    assert "annotator.cli.gui_cmd" in out.stdout
