"""Help > User guide and Help > Search syntax: the guides under docs/, shown in the app.

The guides are Markdown files read from the disk (no network): `docs/` at the top of a source
checkout, `annotator/_docs` in an installed wheel or bundle. `HelpViewer` renders one with
Qt's Markdown support; links to the other guides open in the same viewer, links within a guide
scroll to their heading, and web links open in the browser only when clicked.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextCursor
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

USER_GUIDE = "user-guide.md"
REFERENCE = "reference.md"
SEARCH_SYNTAX_HEADING = "The query language"


def docs_dir() -> Path | None:
    """`annotator/_docs` in a wheel, `docs/` at the top of a source checkout."""
    package = Path(__file__).resolve().parents[1]
    for candidate in (package / "_docs", package.parents[1] / "docs"):
        if (candidate / USER_GUIDE).is_file():
            return candidate
    return None


def read_guide(name: str) -> str | None:
    """The Markdown text of docs/`name`, or None when the guides are not installed."""
    folder = docs_dir()
    if folder is None or not (folder / name).is_file():
        return None
    return (folder / name).read_text(encoding="utf-8")


def slug(heading: str) -> str:
    """The anchor Markdown renderers give a heading (`#the-query-language`)."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def section(markdown: str, heading: str) -> str:
    """The section of `markdown` under the heading titled `heading`, heading included, up to the
    next heading of the same or a higher level ("" when there is no such heading)."""
    lines = markdown.splitlines()
    level = 0
    out: list[str] = []
    in_code = False
    for line in lines:
        if line.startswith("```"):
            in_code = not in_code
        is_heading = not in_code and re.match(r"^(#+) ", line)
        if level == 0:
            if is_heading and line.lstrip("#").strip() == heading:
                level = len(is_heading.group(1))
                out.append(line)
            continue
        if is_heading and len(is_heading.group(1)) <= level:
            break
        out.append(line)
    return "\n".join(out).strip() + ("\n" if out else "")


NOT_INSTALLED = (
    "# The guide is missing\n\nThe user guide is not installed with this copy of Annotator. "
    "It is the folder `docs` of the source archive.\n"
)


class HelpViewer(QDialog):
    """A window showing one guide (or one section of it), rendered from Markdown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annotator help")
        self.resize(820, 700)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)  # links are followed by _follow
        self.browser.anchorClicked.connect(self._follow)
        folder = docs_dir()
        if folder is not None:
            self.browser.setSearchPaths([str(folder)])  # images beside the guides
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.current = ""

    def show_guide(self, name: str, heading: str = "", *, only_section: bool = False) -> None:
        """Show docs/`name`; with `heading`, scroll to it (or show only its section)."""
        text = read_guide(name)
        if text is None:
            text, heading = NOT_INSTALLED, ""
        elif heading and only_section:
            text = section(text, heading) or text
        self.current = name
        self.browser.setMarkdown(text)
        title = self.first_heading()
        self.setWindowTitle(f"{title} — Annotator" if title else "Annotator help")
        if heading and not only_section:
            self.scroll_to(slug(heading))
        else:
            self.browser.moveCursor(QTextCursor.MoveOperation.Start)

    def first_heading(self) -> str:
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                return block.text()
            block = block.next()
        return ""

    def headings(self) -> list[str]:
        out = []
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                out.append(block.text())
            block = block.next()
        return out

    def scroll_to(self, anchor: str) -> bool:
        """Put the heading whose anchor is `anchor` at the top of the view."""
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0 and slug(block.text()) == anchor:
                bar = self.browser.verticalScrollBar()
                bar.setValue(bar.maximum())  # then back up: the heading ends at the top
                cursor = QTextCursor(block)
                self.browser.setTextCursor(cursor)
                self.browser.ensureCursorVisible()
                return True
            block = block.next()
        return False

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        path, anchor = url.path(), url.fragment()
        name = Path(path).name if path else self.current
        if name.endswith(".md") and name != self.current:
            self.show_guide(name)
        if anchor:
            self.scroll_to(anchor)


def _viewer(parent: QWidget | None) -> HelpViewer:
    """The window's open help viewer (one is enough), or a new one."""
    if parent is not None:
        for viewer in parent.findChildren(HelpViewer):
            if viewer.isVisible():
                viewer.raise_()
                viewer.activateWindow()
                return viewer
    viewer = HelpViewer(parent)
    viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return viewer


def show_user_guide(parent: QWidget | None = None) -> HelpViewer:
    """Help > User guide."""
    viewer = _viewer(parent)
    viewer.show_guide(USER_GUIDE)
    viewer.show()
    return viewer


def show_search_syntax(parent: QWidget | None = None) -> HelpViewer:
    """Help > Search syntax: the query-language section of the reference."""
    viewer = _viewer(parent)
    viewer.show_guide(REFERENCE, SEARCH_SYNTAX_HEADING, only_section=True)
    viewer.show()
    return viewer
