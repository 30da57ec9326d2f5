"""File > Export report… (Ctrl+E): format, scope, output file, and a preview of the file.

The report is written by `annotator.exporters.export_report` on the app's task runner
(`ui.tasks`) while a busy bar shows; errors go to the error dialog. A PDF is printed by Qt in a
child process (`ui.pdf_export`: Qt objects are never made on a worker thread), which reports
the page it prints. The preview is built on the runner too, from the first claims only
(`annotator.exporters.preview`), so opening the dialog on a project of any size does not stop
the window. It shows what the file will look like in the chosen format: the report laid out
(HTML), its first pages printed by the child process (PDF), the file rendered or its text
(Markdown, Word, CSV, JSON-LD). The last choices are kept in the project (`export.last`,
JSON) and come back the next time.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.ui.errors import report
from annotator.ui.tasks import Task, runner

SETTING_KEY = "export.last"
SCOPES = ("project", "open", "search", "labels")


class PreviewBrowser(QTextBrowser):
    """Shows the generated HTML; never loads anything from outside (no remote resources)."""

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        return None

    def setSource(self, *args: Any, **kwargs: Any) -> None:  # clicking a link does nothing
        return None


PDF_PREVIEW_PAGES = 2
PDF_PREVIEW_WIDTH = 760
"""Pixels across a previewed PDF page (A4 at about 90 dpi)."""


@dataclass
class PreviewOutcome:
    """What the preview worker made: the preview, the PDF's first pages (PNG), a problem."""

    preview: Any
    images: list[bytes] = field(default_factory=list)
    problem: str = ""


def _preview_job(project: Any, scope: Any, fmt: str) -> PreviewOutcome | str:
    """The preview (worker thread: plain Python, a PDF printed by a child process); an error
    becomes the sentence the preview shows."""
    from annotator.exporters.preview import preview
    from annotator.ui.pdf_export import PrintFailed, print_in_child

    try:
        made = preview(project, scope, fmt)
    except AnnotatorError as exc:
        return str(exc)
    except Exception as exc:  # never into Qt: the preview says what happened
        return f"The preview failed ({type(exc).__name__})."
    if fmt != "pdf":
        return PreviewOutcome(made)
    try:
        printed = print_in_child(
            made.printable,
            getattr(scope, "title", "") or "",
            preview_pages=PDF_PREVIEW_PAGES,
            preview_width=PDF_PREVIEW_WIDTH,
        )
    except PrintFailed as exc:
        return PreviewOutcome(made, problem=str(exc))
    return PreviewOutcome(made, printed.images)


class ExportDialog(QDialog):
    exported = Signal(object)  # ExportResult

    def __init__(self, project: Any, window: Any = None, search: Any = None) -> None:
        super().__init__(window)
        from annotator.exporters import formats

        self.project = project
        self.window_ = window
        self.search = search
        self.export_result: Any = None
        self.error: BaseException | None = None
        self.setWindowTitle("Export report")
        self.tasks = runner()
        self._preview_key = f"export-preview-{id(self)}"
        self._preview_generation = 0  # the newest preview asked for
        self._preview_shown = 0  # the one on screen
        self.writing: Task | None = None

        self.formats = formats()
        self.format_combo = QComboBox(self)
        for info in self.formats:
            self.format_combo.addItem(f"{_NAMES.get(info.format, info.description)}", info.format)
        self.format_combo.currentIndexChanged.connect(self._format_changed)
        self.excel_bom = QCheckBox("Start with a byte order mark (for Excel)", self)
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(Path(project.path).stem)

        self.scope_group = QButtonGroup(self)
        self.scope_buttons: dict[str, QRadioButton] = {}
        scope_box = QVBoxLayout()
        scope_box.setSpacing(2)
        for key, text in (
            ("project", "The whole project"),
            ("open", "The documents open in the panes"),
            ("search", "The claims the current search finds"),
            ("labels", "Claims with these labels:"),
        ):
            button = QRadioButton(text, self)
            self.scope_group.addButton(button)
            self.scope_buttons[key] = button
            scope_box.addWidget(button)
            button.toggled.connect(lambda _on: self._scope_changed())
        self.labels = QListWidget(self)
        self.labels.setMaximumHeight(110)
        for lab in project.labels():
            item = QListWidgetItem(lab.name)
            item.setData(Qt.ItemDataRole.UserRole, lab.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.labels.addItem(item)
        scope_box.addWidget(self.labels)
        query = search.query.text().strip() if search is not None and search.has_query() else ""
        if query:
            self.scope_buttons["search"].setText(f"The claims the current search finds: {query}")
        self.scope_buttons["search"].setEnabled(bool(search is not None and search.has_query()))
        self.scope_buttons["open"].setEnabled(bool(self._open_documents()))

        self.path_edit = QLineEdit(self)
        choose = QPushButton("Choose…", self)
        choose.clicked.connect(self.choose_file)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(choose)

        form = QFormLayout()
        form.addRow("Format:", self.format_combo)
        form.addRow("", self.excel_bom)
        form.addRow("Title:", self.title_edit)
        form.addRow("Include:", scope_box)
        form.addRow("Save as:", path_row)
        left = QWidget(self)
        left.setLayout(form)

        self.preview = PreviewBrowser(self)
        self.preview.setOpenLinks(False)
        self.pages = QWidget(self)  # a PDF's first pages, as printed
        self.pages.setObjectName("PreviewPages")
        self.pages_layout = QVBoxLayout(self.pages)
        self.pages_layout.setSpacing(12)
        self.pages_scroll = QScrollArea(self)
        self.pages_scroll.setWidgetResizable(True)
        self.pages_scroll.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.pages_scroll.setWidget(self.pages)
        self.pages_scroll.setStyleSheet("QScrollArea { background: #8a929c; }")
        self.preview_stack = QStackedWidget(self)
        self.preview_stack.addWidget(self.preview)
        self.preview_stack.addWidget(self.pages_scroll)
        self.page_images: list[QPixmap] = []
        self.page_labels: list[QLabel] = []
        self.shown_preview: Any = None
        self.show_source = QCheckBox("Show the file's text", self)
        self.show_source.setToolTip("The Markdown, CSV or JSON-LD text the file will hold")
        self.show_source.toggled.connect(lambda _on: self._show_text())
        self.show_source.hide()
        self.preview_button = QPushButton("Preview", self)
        self.preview_button.clicked.connect(self.update_preview)
        right = QWidget(self)
        rl = QVBoxLayout(right)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.preview_stack, 1)
        self.preview_note = QLabel(self)
        self.preview_note.setWordWrap(True)
        self.preview_note.hide()
        preview_row = QHBoxLayout()
        preview_row.addWidget(self.preview_note, 1)
        preview_row.addWidget(self.show_source)
        preview_row.addWidget(self.preview_button, 0, Qt.AlignmentFlag.AlignRight)
        rl.addLayout(preview_row)
        self.splitter = QSplitter(self)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setSizes([380, 420])

        self.busy = QProgressBar(self)
        self.busy.setRange(0, 0)
        self.busy.setMaximumHeight(10)
        self.busy.setTextVisible(False)
        self.busy.hide()
        self.status = QLabel(self)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(
            "Export", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.busy)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(bottom)
        self.resize(900, 560)
        self._restore_choices()

    # -- choices -----------------------------------------------------------------------------

    def fmt(self) -> str:
        return str(self.format_combo.currentData())

    def extension(self) -> str:
        info = next(i for i in self.formats if i.format == self.fmt())
        return info.extension

    def scope_key(self) -> str:
        return next((k for k, b in self.scope_buttons.items() if b.isChecked()), "project")

    def set_scope(self, key: str) -> None:
        button = self.scope_buttons.get(key)
        if button is None or not button.isEnabled():
            button = self.scope_buttons["project"]
        button.setChecked(True)

    def set_format(self, fmt: str) -> None:
        index = self.format_combo.findData(fmt)
        if index >= 0:
            self.format_combo.setCurrentIndex(index)

    def checked_labels(self) -> list[str]:
        out = []
        for row in range(self.labels.count()):
            item = self.labels.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return out

    def set_checked_labels(self, ids: list[str]) -> None:
        for row in range(self.labels.count()):
            item = self.labels.item(row)
            on = item.data(Qt.ItemDataRole.UserRole) in ids
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def choices(self) -> dict[str, Any]:
        return {
            "format": self.fmt(),
            "excel_bom": self.excel_bom.isChecked(),
            "scope": self.scope_key(),
            "labels": self.checked_labels(),
            "path": self.path_edit.text().strip(),
            "title": self.title_edit.text().strip(),
        }

    def _restore_choices(self) -> None:
        try:
            last = json.loads(self.project.setting(SETTING_KEY) or "{}")
        except (ValueError, AnnotatorError):
            last = {}
        if not isinstance(last, dict):
            last = {}
        self.set_format(str(last.get("format", "html")))
        self.excel_bom.setChecked(bool(last.get("excel_bom", False)))
        self.set_checked_labels([str(x) for x in last.get("labels", [])])
        self.set_scope(str(last.get("scope", "project")))
        self.title_edit.setText(str(last.get("title", "")))
        path = str(last.get("path", ""))
        if not path:
            project_path = Path(self.project.path)
            path = str(project_path.with_name(f"{project_path.stem}-report{self.extension()}"))
        self.path_edit.setText(path)
        self._format_changed()
        self._scope_changed()

    def _remember(self) -> None:
        with contextlib.suppress(AnnotatorError):  # a read-only project keeps nothing
            self.project.set_setting(SETTING_KEY, json.dumps(self.choices(), sort_keys=True))

    def _format_changed(self) -> None:
        fmt = self.fmt()
        self.excel_bom.setEnabled(fmt == "csv")
        text = self.path_edit.text().strip()
        if text:
            self.path_edit.setText(str(Path(text).with_suffix(self.extension())))
        self.update_preview()

    def _scope_changed(self) -> None:
        self.labels.setEnabled(self.scope_key() == "labels")

    def choose_file(self) -> None:
        info = next(i for i in self.formats if i.format == self.fmt())
        current = self.path_edit.text().strip() or str(Path(self.project.path).parent)
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export report",
            current,
            f"{info.description} (*{info.extension});;All files (*)",
        )
        if path:
            if not Path(path).suffix:
                path += info.extension
            self.path_edit.setText(path)

    def _open_documents(self) -> list[str]:
        area = getattr(self.window_, "pane_area", None)
        return [d for d in area.documents() if d] if area is not None else []

    def scope(self) -> Any:
        from annotator.exporters import ReportScope

        title = self.title_edit.text().strip()
        key = self.scope_key()
        if key == "open":
            return ReportScope(documents=tuple(self._open_documents()), title=title)
        if key == "search" and self.search is not None:
            ids = self.search.claim_ids()
            query = self.search.query.text().strip()
            return ReportScope(query=query, claim_ids=ids or frozenset(), title=title)
        if key == "labels":
            return ReportScope(labels=tuple(self.checked_labels()), title=title)
        return ReportScope(title=title)

    # -- preview and export ------------------------------------------------------------------

    def update_preview(self) -> None:
        """Build the preview on the worker thread; a newer request supersedes an older one."""
        self._preview_generation += 1
        try:
            scope = self.scope()
        except AnnotatorError as exc:
            self._preview_shown = self._preview_generation
            self._show_message(str(exc))
            return
        fmt = self.fmt()
        self.preview_note.setText(
            "Printing the first pages…" if fmt == "pdf" else "Preparing the preview…"
        )
        self.preview_note.show()
        generation, project = self._preview_generation, self.project
        self.tasks.submit(
            lambda: _preview_job(project, scope, fmt),
            lambda preview: self._preview_ready(generation, preview),
            key=self._preview_key,
            owner=self,
        )

    def preview_pending(self) -> bool:
        return self._preview_shown != self._preview_generation

    def _preview_ready(self, generation: int, outcome: PreviewOutcome | str) -> None:
        if generation != self._preview_generation:
            return  # an older request, superseded
        self._preview_shown = generation
        if isinstance(outcome, str):
            self._show_message(outcome)
            return
        made = self.shown_preview = outcome.preview
        self.show_source.setVisible(bool(made.source))
        note = " ".join(n for n in (outcome.problem, made.note) if n)
        self.preview_note.setText(note)
        self.preview_note.setVisible(bool(note))
        self._show_pages(outcome.images)
        if not self.page_images:
            self._show_text()

    def _show_message(self, text: str) -> None:
        self.shown_preview = None
        self.show_source.hide()
        self.preview.setPlainText(text)
        self.preview_stack.setCurrentWidget(self.preview)
        self.preview_note.hide()

    def _show_text(self) -> None:
        """The page laid out, or the file's own text when asked for (and it has one)."""
        made = self.shown_preview
        if made is None or self.page_images:
            return
        if self.show_source.isChecked() and made.source:
            self.preview.setPlainText(made.source)
        else:
            self.preview.setHtml(made.display)
        self.preview_stack.setCurrentWidget(self.preview)

    def _show_pages(self, images: list[bytes]) -> None:
        """A PDF's first pages, one under the other (empty `images`: none)."""
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.page_images = []
        self.page_labels = []
        for data in images:
            pixmap = QPixmap()
            if pixmap.loadFromData(data, "PNG"):
                self.page_images.append(pixmap)
                label = QLabel(self.pages)
                label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
                self.page_labels.append(label)
                self.pages_layout.addWidget(label)
        if self.page_images:
            self.pages_layout.addStretch(1)
            self.preview_stack.setCurrentWidget(self.pages_scroll)
            self._fit_pages()

    def _fit_pages(self) -> None:
        """Each page as wide as the preview (never wider than printed for the preview)."""
        width = max(200, self.pages_scroll.viewport().width() - 40)
        for label, pixmap in zip(self.page_labels, self.page_images, strict=False):
            label.setPixmap(
                pixmap.scaledToWidth(
                    min(width, pixmap.width()), Qt.TransformationMode.SmoothTransformation
                )
            )

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self.page_images:
            self._fit_pages()

    def start_export(self) -> None:
        from annotator.exporters import ExportOptions, export_report
        from annotator.exporters.pdf import register_renderer
        from annotator.ui.pdf_export import html_to_pdf

        register_renderer(html_to_pdf)  # the core prints a PDF with the UI's printer
        text = self.path_edit.text().strip()
        if not text:
            self.status.setText("Choose where to save the report.")
            return
        out = Path(text).expanduser()
        if not out.suffix:
            out = out.with_suffix(self.extension())
            self.path_edit.setText(str(out))
        try:
            scope = self.scope()
        except AnnotatorError as exc:
            report(self, exc)
            return
        fmt, options = self.fmt(), ExportOptions(excel_bom=self.excel_bom.isChecked())
        project = self.project
        self._remember()
        self._set_busy(True)

        from annotator.ui.pdf_export import reporting

        tasks = self.tasks

        def progress(done: int, total: int, what: str) -> None:  # on the worker thread
            tasks.post(lambda: self._progress(done, total, what))

        def write() -> Any:
            with reporting(progress):
                return export_report(project, fmt, out, scope, options=options)

        self.writing = tasks.submit(
            write,
            lambda result: self._done(result, None),
            lambda error: self._done(None, error),
            owner=self,
        )

    def _progress(self, done: int, total: int, what: str) -> None:
        if self.writing is not None and not self.writing.done() and what:
            self.status.setText(f"{what}…")

    def _set_busy(self, busy: bool) -> None:
        """While a report is written the dialog stays open: closing it would have to wait for
        the writer (a PDF of 10,000 claims takes about 20 s) with the window stopped."""
        self.busy.setVisible(busy)
        self.buttons.setEnabled(not busy)
        self.splitter.setEnabled(not busy)
        self.status.setText("Writing the report…" if busy else "")

    def _done(self, result: Any, error: Any) -> None:
        self._set_busy(False)
        if error is not None:
            self.error = error
            report(self, error, "exporting the report")
            return
        self.export_result = result
        if self.window_ is not None:
            self.window_.statusBar().showMessage(result.message, 10000)
        self.exported.emit(result)
        self.accept()

    def reject(self) -> None:
        if self.buttons.isEnabled():  # Esc or the close box while writing: wait for it
            super().reject()

    def wait(self) -> None:
        if self.writing is not None:
            self.writing.wait()

    def done(self, code: int) -> None:
        self.tasks.cancel(self._preview_key)
        self.wait()  # never leave a report half-written after the dialog is gone
        super().done(code)


_NAMES = {
    "html": "HTML (.html)",
    "pdf": "PDF (.pdf)",
    "md": "Markdown (.md)",
    "docx": "Word (.docx)",
    "csv": "CSV spreadsheet (.csv)",
    "jsonld": "JSON-LD web annotations (.jsonld)",
}
