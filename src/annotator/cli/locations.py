"""The PROJECT argument of a command: a project file's path or a PostgreSQL server URL."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from annotator.storage.server import ServerAddress

PROJECT_HELP = "the project: its file, or postgresql://user@host:port/database on a server"


def project_location(text: str) -> Path | ServerAddress:
    """argparse `type` of a PROJECT: a `ServerAddress` for a URL (`postgresql://...`), else a
    `Path`. Both have `.name` for messages; neither prints a password. Files import nothing."""
    if "://" not in text:
        return Path(text)
    from annotator.storage.server import ServerError, is_server_url, parse_location

    if not is_server_url(text):
        scheme = text.partition("://")[0]
        raise argparse.ArgumentTypeError(
            f"{scheme}:// is not a project address: give a file or a postgresql:// URL"
        )
    try:
        return parse_location(text)
    except ServerError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
