"""When to back up an open project (the backups themselves: services.backup)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from annotator.services.backup import (
    DEFAULT_INTERVAL,
    DEFAULT_KEEP,
    BackupInfo,
    backups_of,
    make_backup,
)

if TYPE_CHECKING:
    from annotator.services.api import Project


class BackupScheduler:
    """When to back up an open project; Qt-free (the UI calls `maybe_backup()` from a QTimer).

    The first call backs up if the project changed since its newest backup (the "at open"
    backup); later calls back up when `interval` seconds have passed since the last backup
    and the project has changed since. Calling it more often than `interval` is cheap."""

    def __init__(
        self, project: Project, *, interval: float = DEFAULT_INTERVAL, keep: int = DEFAULT_KEEP
    ) -> None:
        self.project = project
        self.interval = interval
        self.keep = keep
        self.last_backup: BackupInfo | None = None
        self._last_time: float | None = None

    def maybe_backup(self, now: float | None = None) -> BackupInfo | None:
        """Back up if it is due and something changed; returns the new backup, or None.
        `now` is a `time.monotonic()` value (the default). Raises BackupError when the backup
        fails (shown to the user); the next try comes an interval later."""
        if self.project.server is not None:
            return None  # the server's backups are its administrator's (pg_dump)
        now = time.monotonic() if now is None else now
        if self._last_time is not None and now - self._last_time < self.interval:
            return None
        self._last_time = now
        if not self._changed():
            return None
        return self.backup_now()

    def backup_now(self) -> BackupInfo:
        """Back up at once (also when nothing changed), e.g. for a "Back up now" action."""
        self.last_backup = make_backup(self.project, keep=self.keep)
        return self.last_backup

    def _changed(self) -> bool:
        """Does the project's change number differ from its newest backup's?"""
        project_id = self.project.project_id()
        if not project_id:
            return False
        newest = backups_of(project_id)
        return not newest or newest[0].change_number != self.project.change_number()
