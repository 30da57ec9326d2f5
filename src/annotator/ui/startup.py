"""What the desktop app does before it imports Qt, so that its first frame comes sooner.

`before_qt()` is called by the `gui` command before anything imports PySide6:
- it turns Python's cyclic collector off. The app keeps it off for good (the policy's owner,
  `annotator.ui.tasks.GarbageCollection`, collects on the GUI thread from a timer and freezes
  what start-up made); turning it off this early spares the full collections that importing
  would otherwise run;
- it imports what the first frame is read with: `storage.first_frame` (the standard library's
  sqlite3 and the domain model). Once PySide6 is loaded, its import hook reads the source of
  every module imported after it (looking for `from __feature__ import ...`), which these
  need none of.

SQLAlchemy and the services are not imported here: a project file's first frame is painted
without them, and they are loaded right after it
(`ui.project_opening.ProjectOpening.open_at_start`).
"""

from __future__ import annotations

import gc


def before_qt() -> None:
    gc.disable()
    import annotator.storage.first_frame  # noqa: F401
