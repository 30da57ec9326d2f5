"""Opening a project in the window: a file, a server's URL, the demo, a new file, and at start-up
a file's first frame before the project itself. A refused open says why in one sentence (with
"Restore from backup…" where a backup can help) and changes nothing shown.

`ProjectOpening` decides how a project is opened; the window shows it (`ProjectView`: the
panes, docks and title). The first frame (`storage.first_frame.FirstFrame`, read with sqlite3
alone, before SQLAlchemy and the services are loaded) is shown by `show_first_frame`, and the
project opens right after that frame is on screen, in place of it (`_open_after_frame`).
Until then nothing can be changed: the project's menus are off, the window's `project` is
None, and a mark asked for is refused with a word in the status bar.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtWidgets import QFileDialog, QWidget

from annotator.domain.errors import AnnotatorError
from annotator.ui.document_imports import PROJECT_SUFFIX
from annotator.ui.errors import report, show_error
from annotator.ui.first_paint import after_first_paint

if TYPE_CHECKING:
    from annotator.services.api import Project
    from annotator.storage.first_frame import FirstFrame
    from annotator.ui.session import ProjectSession
    from annotator.ui.settings import Settings

log = logging.getLogger(__name__)

PROJECT_FILTER = "Annotator projects (*.annot);;All files (*)"


class ProjectView(Protocol):
    """What the window does to show a project (or its first frame)."""

    def adopt_project(self, project: Project, open_docs: list[str] | None) -> bool: ...

    def show_frame(self, frame: FirstFrame, docs: list[str]) -> None: ...

    def keep_panes_for(self, project: Project) -> bool: ...

    def take_frame_off(self) -> None: ...

    def close_project(self) -> None: ...


class ProjectOpening:
    """How the window's project is opened. `frame` is the first frame shown while its project
    is not open yet (None otherwise)."""

    def __init__(self, window: Any, session: ProjectSession, settings: Settings) -> None:
        self.view: ProjectView = window
        self.parent: QWidget = window
        self.session = session
        self.settings = settings
        self.frame: FirstFrame | None = None

    # -- asking the user -----------------------------------------------------------------------

    def new_project_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self.parent,
            "New project",
            str(self._dialog_folder() / f"study{PROJECT_SUFFIX}"),
            PROJECT_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            if not Path(path).suffix:
                path += PROJECT_SUFFIX
            self.new_project(Path(path))

    def open_project_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self.parent, "Open project", str(self._dialog_folder()), PROJECT_FILTER
        )
        if path:
            self.open_project(Path(path))

    def open_team_project_dialog(self) -> Any:
        """File › Open team project…: a project on a PostgreSQL server."""
        from annotator.ui.team_open import open_server_project

        return open_server_project(self.parent)

    def _dialog_folder(self) -> Path:
        recent = [p for p in self.settings.recent_projects() if "://" not in p]
        return Path(recent[0]).parent if recent else Path.home()

    # -- opening ---------------------------------------------------------------------------------

    def new_project(self, path: Path) -> bool:
        try:
            project = self.session.create_file(path)
        except AnnotatorError as exc:
            show_error(self.parent, str(exc))
            return False
        self.view.adopt_project(project, [])
        return True

    def open_project(self, path: Path | str | Any, open_docs: list[str] | None = None) -> bool:
        """Open a project (closing the current one). A refused file shows an error and changes
        nothing: the current project or the start screen stays. A server URL (str or
        `ServerAddress`) connects in the background (`ui.team_open`): True means it started."""
        if not isinstance(path, Path):
            if "://" not in str(path):
                path = Path(path)
            else:
                from annotator.storage.server import ServerError, parse_location
                from annotator.ui.team_open import open_server_project

                try:
                    address = parse_location(path)
                except ServerError as exc:
                    show_error(self.parent, str(exc))
                    return False
                open_server_project(self.parent, address, open_docs)
                return True
        project = self._open_file(path, open_docs)
        return project is not None and self.view.adopt_project(project, open_docs)

    def _open_file(self, path: Path, open_docs: list[str] | None) -> Project | None:
        """The project file at `path` opened, or None once the refusal is shown."""
        try:
            return self.session.open_file(path)
        except AnnotatorError as exc:
            from annotator.ui.backup_dialog import open_failed

            open_failed(self.parent, path, exc, open_docs)
        except Exception as exc:  # a file SQLite chokes on in an unforeseen way
            report(self.parent, exc, f"opening {path.name}")
        return None

    def open_demo(self) -> None:
        from platformdirs import user_data_dir

        folder = Path(user_data_dir("annotator", "Annotator"))
        path = folder / f"demo{PROJECT_SUFFIX}"
        if not path.exists():
            try:
                folder.mkdir(parents=True, exist_ok=True)
                from annotator.app.demo import build_demo

                build_demo(path).close()
            except AnnotatorError as exc:
                show_error(self.parent, str(exc))
                return
        self.open_project(path, ["1", "2"])

    # -- start-up: the first frame before the project ----------------------------------------

    def open_at_start(self, path: Path, open_docs: list[str] | None = None) -> bool:
        """Open the project file the app was started with, its first frame first
        (`show_first_frame`); a file the frame cannot be read from (not this version's schema,
        damaged, missing) opens the usual way at once (`open_project`)."""
        return self.show_first_frame(path, open_docs) or self.open_project(path, open_docs)

    def show_first_frame(self, path: Path, open_docs: list[str] | None = None) -> bool:
        """Show the first frame of the project file at `path`; its project opens right after
        that frame is on screen. False (and nothing shown) when the file gives no frame, a
        document asked for is not in it, or a text the frame shows cannot be read: the usual
        open then says why. Start-up calls it before the window is first shown, so that the
        panes are laid out with the window and its first frame is the finished one."""
        from annotator.storage.first_frame import FirstFrame
        from annotator.ui.claim_store import BACKGROUND_CLAIMS

        frame = FirstFrame.read(path, max_claims=BACKGROUND_CLAIMS)
        if frame is None:
            return False
        try:
            docs = [frame.find_document(ref).id for ref in open_docs or []]
        except AnnotatorError:  # the usual open says which reference is wrong
            frame.close()
            return False
        self.view.close_project()  # the project (or frame) shown before
        self.frame = frame
        try:
            self.view.show_frame(frame, docs)
        except Exception:  # a damaged page in a text the frame shows: the usual open says so
            log.info("no first frame for %s", path, exc_info=True)
            self.drop_frame()
            return False
        after_first_paint(self.parent, lambda: self._open_after_frame(frame, open_docs), first=True)
        return True

    def _open_after_frame(self, frame: FirstFrame, open_docs: list[str] | None) -> None:
        """Open the project the first frame showed, in its place. Its panes stay when the
        project is as the frame read it (the same change number and project id); else the
        frame goes and the project is shown anew; a refused open takes the frame off and says
        why."""
        if self.frame is not frame:
            return  # taken off meanwhile (the window closed, another project opened)
        # Closed before the project opens: no connection of this process is left on the file
        # but the project's own (`storage.sqlite_files`: its locks are the process's). A pane
        # still reading from the frame reads again from the project (`PaneArea.set_project`).
        frame.close()
        project = self._open_file(frame.path, open_docs)
        self.frame = None
        if project is None:
            self.view.take_frame_off()
        elif (
            project.change_number() != frame.change_number()
            or project.project_id() != frame.project_id()
            or not self.view.keep_panes_for(project)
        ):
            self.view.take_frame_off()  # changed since the frame was read: shown anew
            self.view.adopt_project(project, open_docs)

    def drop_frame(self) -> None:
        """Take the first frame off the window before its project opened (none: nothing)."""
        frame, self.frame = self.frame, None
        if frame is not None:
            frame.close()
            self.view.take_frame_off()
