"""What the main window does with claims, labels, panes and imports (kept out of the window's
module so that each stays readable). Every change goes through the window's undo stack."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QFileDialog, QPlainTextEdit

from annotator.domain.errors import AnnotatorError
from annotator.ui.commands import (
    CreateClaimCommand,
    CreateLinkCommand,
    DeleteClaimCommand,
    EditClaimCommand,
)
from annotator.ui.errors import report, show_error
from annotator.ui.library import swatch

if TYPE_CHECKING:
    from annotator.ui.main_window import MainWindow

PROJECT_SUFFIX = ".annot"


# -- claims ------------------------------------------------------------------------------------


def create_claim(w: MainWindow, document_id: str, start: int, end: int, label_id: str) -> str:
    """Mark `[start, end)` of a document with a label; returns the new claim's id or ""."""
    if w.project is None:
        return ""
    quote = _shown_text(w, document_id, start, end)
    if quote is None:
        try:
            quote = w.project.document_slice(document_id, start, end)
        except AnnotatorError as exc:
            show_error(w, str(exc))
            return ""
    command = CreateClaimCommand(w.project, document_id, start, end, label_id, quote)
    if not w.stack.run(command):
        return ""
    if w.pane_area is not None:
        w.pane_area.select_claim(command.claim_id, False)
    w.inspector.set_claim(command.claim_id, w.claims.model.claim(command.claim_id))
    w.claims.select_claim(command.claim_id)
    return command.claim_id


def _shown_text(w: MainWindow, document_id: str, start: int, end: int) -> str | None:
    """`text[start:end]` of a document a pane shows (the reader holds its text), else None."""
    area = w.pane_area
    if area is None:
        return None
    for i in range(area.pane_count()):
        view = area.pane(i).view
        if view.document_id == document_id and 0 <= start <= end <= len(view.text):
            return str(view.text[start:end])
    return None


def selected_claim(w: MainWindow) -> str:
    """The claim selected in the current pane, else the inspector's claim."""
    if w.pane_area is not None:
        current = w.pane_area.current_pane()
        for pane, claim_id in w.pane_area.selected_claims():
            if pane == current and claim_id:
                return str(claim_id)
    return w.inspector.current_claim()


def delete_claim(w: MainWindow, claim_id: str) -> bool:
    if w.project is None:
        return False
    if not claim_id:
        w.statusBar().showMessage("Select a claim first, then press Del to delete it.", 5000)
        return False
    try:
        claim = w.project.annotation(claim_id)
    except AnnotatorError as exc:
        show_error(w, str(exc))
        return False
    return w.stack.run(DeleteClaimCommand(w.project, claim))


def relabel_claim(w: MainWindow, claim_id: str, label_id: str) -> bool:
    if w.project is None:
        return False
    try:
        claim = w.project.annotation(claim_id)
        label = w.project.label(label_id)
    except AnnotatorError as exc:
        show_error(w, str(exc))
        return False
    if claim.label_id == label.id:
        return False
    return w.stack.run(EditClaimCommand(w.project, claim, "label_id", label.id, label.name))


def context_action(w: MainWindow, name: str, claim_id: str) -> None:
    if name == "delete":
        delete_claim(w, claim_id)
    elif name == "link":
        link_selected(w, claim_id)
    elif name.startswith("label:"):
        relabel_claim(w, claim_id, name.split(":", 1)[1])


def link_pair(w: MainWindow, prefer: str = "") -> tuple[str, str] | None:
    """The two claims to link: selected in two different panes, the left one first. With
    `prefer` (a claim's context menu), that claim and the first other selected one."""
    if w.pane_area is None:
        return None
    claims: list[str] = []
    for _pane, claim_id in sorted(w.pane_area.selected_claims()):
        if claim_id and claim_id not in claims:
            claims.append(claim_id)
    if prefer:
        others = [c for c in claims if c != prefer]
        if not others:
            return None
        pair = [prefer, others[0]]
        if prefer in claims and claims.index(prefer) > claims.index(others[0]):
            pair.reverse()
        return pair[0], pair[1]
    return (claims[0], claims[1]) if len(claims) >= 2 else None


def link_dialog(w: MainWindow, source_id: str, target_id: str) -> Any:
    from annotator.ui.link_dialog import LinkDialog

    assert w.project is not None
    titles = {d.id: d.title for d in w.project.documents()}
    last = str(w.settings.value("link/relation", "corroborates"))
    return LinkDialog(
        w.project.annotation(source_id), w.project.annotation(target_id), titles, w, last
    )


def link_selected(w: MainWindow, prefer: str = "") -> bool:
    if w.project is None:
        return False
    pair = link_pair(w, prefer)
    if pair is None:
        w.statusBar().showMessage(
            "To link, select a claim in each of two panes, then press L.", 6000
        )
        QApplication.beep()
        return False
    try:
        dialog = link_dialog(w, *pair)
    except AnnotatorError as exc:
        show_error(w, str(exc))
        return False
    if dialog.exec() != dialog.DialogCode.Accepted:
        return False
    return create_link_from_dialog(w, dialog)


def create_link_from_dialog(w: MainWindow, dialog: Any) -> bool:
    assert w.project is not None
    relation = dialog.relation()
    w.settings.set_value("link/relation", relation)
    return w.stack.run(
        CreateLinkCommand(
            w.project, dialog.source.id, dialog.target.id, relation, dialog.note_text()
        )
    )


# -- labels ------------------------------------------------------------------------------------


def rebuild_label_actions(w: MainWindow) -> None:
    """The Labels toolbar and Edit > Mark selection as: one entry per label."""
    w.label_bar.clear()
    menu = w.window_actions.mark_menu
    menu.clear()
    if w.project is None:
        return
    for label in w.project.labels():
        key = f" ({label.key})" if label.key else ""
        action = QAction(swatch(label.color, 14), label.name, w)
        action.setToolTip(f"Mark the selection as {label.name}{key}")
        action.setStatusTip(f"Mark the selected text as a claim labelled {label.name}")
        action.triggered.connect(lambda _=False, lid=label.id: mark_selection(w, lid))
        w.label_bar.addAction(action)
        # the key is shown but not registered: the reader handles it with the selection
        menu_action = QAction(swatch(label.color, 14), f"{label.name}\t{label.key or ''}", w)
        menu_action.triggered.connect(lambda _=False, lid=label.id: mark_selection(w, lid))
        menu.addAction(menu_action)
    w.label_bar.addSeparator()
    w.label_bar.addAction(w.window_actions.link)
    w.label_bar.addAction(w.window_actions.delete_claim)
    w.label_bar.addSeparator()
    w.label_bar.addAction(w.window_actions.find)
    w.label_bar.addAction(w.window_actions.add_pane)


def reader_views(w: MainWindow) -> list[QPlainTextEdit]:
    """The reader panes' text views, left to right."""
    area = w.pane_area
    if area is None:
        return []
    return [area.pane(i).view for i in range(area.pane_count())]


def current_view(w: MainWindow) -> Any:
    area = w.pane_area
    if area is None or not area.pane_count():
        return None
    return area.pane(area.current_pane()).view


def mark_selection(w: MainWindow, label_id: str) -> bool:
    """Mark the current pane's selection (the toolbar and the Edit menu; keys go through the
    reader, which asks the same way)."""
    view = current_view(w)
    if view is None or not view.request_claim(label_id):
        w.statusBar().showMessage("Select some text in a document first.", 5000)
        return False
    return True


def focus_pane(w: MainWindow, index: int) -> None:
    views = reader_views(w)
    if 0 <= index < len(views):
        views[index].setFocus(Qt.FocusReason.ShortcutFocusReason)  # makes the pane current


# -- imports -----------------------------------------------------------------------------------


def import_dialog(w: MainWindow) -> None:
    if w.project is None:
        return
    from annotator.importers.base import supported_extensions

    patterns = " ".join(f"*{ext}" for ext in supported_extensions())
    paths, _ = QFileDialog.getOpenFileNames(
        w,
        "Import documents",
        str(w.settings.value("import/folder", str(Path.home()))),
        f"Documents ({patterns});;All files (*)",
    )
    if paths:
        w.settings.set_value("import/folder", str(Path(paths[0]).parent))
        import_paths(w, [Path(p) for p in paths])


def import_paths(w: MainWindow, paths: list[Path]) -> Any:
    """Import in the background with a progress dialog; returns the job (or None)."""
    from annotator.ui.workers import ImportJob

    if w.project is None or not paths:
        return None
    if w.import_job is not None and w.import_job.running:
        show_error(w, "An import is running already; wait for it to finish, or cancel it.")
        return None
    before = set(w.pane_area.documents()) if w.pane_area is not None else set()
    job = ImportJob(w.project, paths, w)
    job.done.connect(lambda results, cancelled: _imported(w, job, results, cancelled, before))
    job.failed.connect(lambda exc: report(w, exc, "importing"))
    w.import_job = job
    job.start()
    return job


def _imported(w: MainWindow, job: Any, results: list, cancelled: bool, before: set) -> None:
    from annotator.ui.workers import summarize

    new_docs = [r.document_id for r in results if r.status == "imported" and r.document_id]
    count = len(new_docs)
    w.statusBar().showMessage(
        f"Imported {count} document{'s' if count != 1 else ''}"
        + (" (cancelled)" if cancelled else "")
        + ".",
        8000,
    )
    area = w.pane_area
    if area is not None:
        # new documents go into the empty panes, left to right: drop two, see them side by side
        docs = area.documents()
        empty = [i for i, d in enumerate(docs) if not d]
        for pane, doc_id in zip(empty, new_docs, strict=False):
            area.open_document(doc_id, pane)
        w.library.select_document(new_docs[-1]) if new_docs else None
    if cancelled:
        return
    message, details = summarize(results, len(job.paths), cancelled)
    if message:
        show_error(w, message, details, "Import")


def handle_dropped(w: MainWindow, paths: list[Path]) -> None:
    projects = [p for p in paths if p.suffix.lower() == PROJECT_SUFFIX]
    if projects:
        w.open_project(projects[0])
        return
    if w.project is None:
        show_error(
            w, "Open or create a project first, then drop documents on the window to import them."
        )
        return
    import_paths(w, paths)
