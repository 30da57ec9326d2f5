"""The app's own settings (not the project's): your name, recent projects, window layout, open
documents.

Kept with QSettings. Tests and portable set-ups point `ANNOTATOR_SETTINGS_DIR` at a folder; the
settings then live in `annotator.ini` there instead of the platform's usual place.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "Annotator"
APPLICATION = "Annotator"
MAX_RECENT = 10


def _qsettings() -> QSettings:
    folder = os.environ.get("ANNOTATOR_SETTINGS_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return QSettings(str(Path(folder) / "annotator.ini"), QSettings.Format.IniFormat)
    return QSettings(ORGANIZATION, APPLICATION)


class Settings:
    """Typed access to the app's QSettings."""

    def __init__(self) -> None:
        self._s = _qsettings()

    def sync(self) -> None:
        self._s.sync()

    @property
    def file_name(self) -> str:
        return self._s.fileName()

    # -- who you are -------------------------------------------------------------------------

    def user_name(self) -> str:
        """The name put on your claims ("" until you have chosen one)."""
        return " ".join(str(self._s.value("user/name", "") or "").split())

    def set_user_name(self, name: str) -> None:
        self._s.setValue("user/name", " ".join(name.split()))

    # -- recent projects ---------------------------------------------------------------------

    def recent_projects(self) -> list[str]:
        value: Any = self._s.value("recent/projects", [])
        if isinstance(value, str):
            value = [value] if value else []
        return [str(v) for v in (value or [])]

    def add_recent_project(self, path: str | Path) -> None:
        """Put a project first in the recent list: a file's resolved path, or a server
        project's URL without its password."""
        path = project_key(path)
        if not path:
            return
        items = [p for p in self.recent_projects() if p != path]
        self._s.setValue("recent/projects", [path, *items][:MAX_RECENT])

    def remove_recent_project(self, path: str | Path) -> None:
        path = project_key(path)
        self._s.setValue("recent/projects", [p for p in self.recent_projects() if p != path])

    def recent_servers(self) -> list[str]:
        """The recent projects on a server: their URLs, without passwords."""
        return [p for p in self.recent_projects() if "://" in p]

    def clear_recent_projects(self) -> None:
        self._s.setValue("recent/projects", [])

    # -- window ------------------------------------------------------------------------------

    def window_geometry(self) -> QByteArray | None:
        return _bytes(self._s.value("window/geometry"))

    def window_state(self) -> QByteArray | None:
        return _bytes(self._s.value("window/state"))

    def set_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._s.setValue("window/geometry", geometry)
        self._s.setValue("window/state", state)

    def splitter_sizes(self, name: str) -> list[int]:
        value: Any = self._s.value(f"splitters/{name}", [])
        if isinstance(value, str):
            value = [value]
        try:
            return [int(v) for v in (value or [])]
        except (TypeError, ValueError):
            return []

    def set_splitter_sizes(self, name: str, sizes: list[int]) -> None:
        self._s.setValue(f"splitters/{name}", [int(s) for s in sizes])

    # -- per project -------------------------------------------------------------------------

    def project_state(self, path: str | Path) -> dict[str, Any]:
        """What was open in a project last time (the reader area's state and the shell's)."""
        raw = self._s.value(f"projects/{_key(path)}", "")
        if not raw:
            return {}
        try:
            value = json.loads(str(raw))
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def set_project_state(self, path: str | Path, state: dict[str, Any]) -> None:
        self._s.setValue(f"projects/{_key(path)}", json.dumps(state))

    # -- reading -----------------------------------------------------------------------------

    def snap_selection_to_words(self) -> bool:
        """Whether a drag in the reader selects whole words (Alt+drag selects exact characters)."""
        return str(self._s.value("reader/snapToWords", "true")).lower() not in ("false", "0")

    def set_snap_selection_to_words(self, on: bool) -> None:
        self._s.setValue("reader/snapToWords", "true" if on else "false")

    # -- misc --------------------------------------------------------------------------------

    def value(self, key: str, default: Any = None) -> Any:
        return self._s.value(key, default)

    def set_value(self, key: str, value: Any) -> None:
        self._s.setValue(key, value)


def project_key(location: object) -> str:
    """What names a project in the settings: a file's resolved path, or a server project's URL
    without its password (a password is never written to the settings)."""
    if isinstance(location, str | Path) and "://" not in str(location):
        return str(Path(location).resolve())
    from annotator.storage.server import ServerAddress, ServerError, parse_location

    try:
        found = parse_location(location if isinstance(location, ServerAddress) else str(location))
    except ServerError:
        return ""
    return found.display if isinstance(found, ServerAddress) else str(found.resolve())


def _key(path: str | Path) -> str:
    """A settings key for a project path (QSettings keys cannot hold slashes safely)."""
    import hashlib

    return hashlib.sha1(project_key(path).encode()).hexdigest()[:16]


def _bytes(value: Any) -> QByteArray | None:
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    if isinstance(value, bytes | bytearray) and value:
        return QByteArray(bytes(value))
    return None
