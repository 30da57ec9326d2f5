"""Who makes the changes: the name this process puts on the claims, notes and links it makes.

One person works in one process, so the name is chosen once for the process: by `--author` on
the command line, by the desktop app from its settings (asked on first run, changed in File >
Settings), or by the environment variable `ANNOTATOR_AUTHOR`. `Project.author` falls back to the
project's own `author` setting, then to `account_name()`.
"""

from __future__ import annotations

import getpass
import os

ENVIRONMENT_VARIABLE = "ANNOTATOR_AUTHOR"

_chosen = ""


def choose(name: str) -> None:
    """Put `name` on every change this process makes from now on ("" forgets the choice)."""
    global _chosen
    _chosen = " ".join(name.split())


def chosen() -> str:
    """The name chosen for this process, else `ANNOTATOR_AUTHOR`, else ""."""
    return _chosen or " ".join(os.environ.get(ENVIRONMENT_VARIABLE, "").split())


def account_name() -> str:
    """The account's full name (the passwd GECOS field up to its first comma), else its login
    name, else "unknown"."""
    try:
        import pwd

        gecos = pwd.getpwuid(os.getuid()).pw_gecos
    except (ImportError, KeyError, AttributeError):  # no passwd database (Windows, containers)
        gecos = ""
    full = " ".join(gecos.split(",")[0].split())
    if full:
        return full
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


def default_name() -> str:
    """The name to suggest to a user who has not chosen one: `ANNOTATOR_AUTHOR`, else the
    account's full name, else its login name."""
    return chosen() or account_name()
