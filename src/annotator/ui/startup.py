"""What the desktop app does before it imports Qt, so that its first frame comes sooner.

`before_qt()` is called by the `gui` command before anything imports PySide6:
- it turns Python's cyclic collector off. The app keeps it off for good (the policy's owner,
  `annotator.ui.tasks.GarbageCollection`, collects on the GUI thread from a timer and freezes
  what start-up made); turning it off this early spares the full collections that importing
  the storage stack would otherwise run (about a fifth of that import's time, measured here);
- it imports the storage stack: SQLAlchemy, the SQLite dialect that opening a project loads,
  and our services. Once PySide6 is loaded, its import hook reads the source of every module
  imported after it (looking for `from __feature__ import ...`): some 250 modules here that
  need none of that.
"""

from __future__ import annotations

import gc


def before_qt() -> None:
    gc.disable()
    import sqlalchemy.dialects.sqlite  # noqa: F401

    import annotator.services.api  # noqa: F401
