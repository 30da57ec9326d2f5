"""The child scripts of the start-up benchmark (benchmarks/bench_startup.py), each run as
`python -c SCRIPT ARGS...` in a new process.

- BARE / BARE_PAINTED: the baseline the issue names, a bare PySide6 window with a
  QPlainTextEdit (BARE ends with a screenshot, for old checkouts without --exit-after-paint;
  BARE_PAINTED prints the Unix time of its first paint);
- WINDOW_ONLY: the in-process span of building the main window, opening the project as start-up
  does (its first frame, where the app has one) and painting it (or the bare window) with every
  module imported before;
- COMPARABLE: a window of pure PySide6 widgets with the same content as the app's first frame,
  and nothing of the app (no storage, no app module): the menus, the label toolbar, the library
  with its table and filter, two reading panes showing the demo's two texts side by side, the
  inspector's form with its two tables, the claim list with its filters and rows, and the
  legend. Its argument is a JSON file of the demo's texts and claims. It prints the Unix time
  of its first paint, like BARE_PAINTED. It is what the start-up target could be measured
  against instead of a single text box.
"""

from __future__ import annotations

UNTIL_PAINTED = """
class Painted(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            app.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (print(f"painted {time.time():.6f}"), app.quit()))
        return False

watch = Painted()
app.installEventFilter(watch)
w.show()
app.exec()
"""
"""The end of a script that shows its window `w` of QApplication `app`: at the first paint,
print "painted <Unix time>" and quit."""


BARE = """
import sys
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication(sys.argv[:1])
w = QPlainTextEdit()
w.setPlainText("A bare window.\\n" * 40)
w.resize(1400, 850)
w.show()
for _ in range(10):
    app.processEvents()
if len(sys.argv) > 1:
    w.grab().save(sys.argv[1])
"""

BARE_PAINTED = (
    """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication(sys.argv[:1])
w = QPlainTextEdit()
w.setPlainText("A bare window.\\n" * 40)
w.resize(1400, 850)

"""
    + UNTIL_PAINTED
)


WINDOW_ONLY = """
import pkgutil, sys, time
from pathlib import Path
from annotator.ui.app import make_application
from annotator.ui.first_paint import after_first_paint
app = make_application()
if sys.argv[1] == "app":
    import annotator.services, annotator.ui
    for package in (annotator.services, annotator.ui):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            __import__(module.name)
    from annotator.ui.main_window import MainWindow
    start = time.perf_counter()
    try:
        window = MainWindow(start_screen=False)  # as `annotator gui PROJECT` builds it
    except TypeError:  # a checkout from before the start screen was built lazily
        window = MainWindow()
    window.show()
    # as `annotator gui PROJECT` opens it: its first frame first, where the app has that
    getattr(window, "open_at_start", window.open_project)(Path(sys.argv[2]), ["1", "2"])
else:
    from PySide6.QtWidgets import QPlainTextEdit
    start = time.perf_counter()
    window = QPlainTextEdit()
    window.setPlainText("A bare window.\\n" * 40)
    window.resize(1400, 850)
    window.show()

def painted():
    print(f"window {(time.perf_counter() - start) * 1000:.3f}", flush=True)
    app.quit()

try:
    after_first_paint(window, painted, first=True)  # before the project opens after its frame
except TypeError:  # a checkout from before `first`
    after_first_paint(window, painted)
app.exec()
"""


COMPARABLE = (
    """
import json, sys, time
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QApplication, QComboBox, QDockWidget, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
    QMainWindow, QPlainTextEdit, QPushButton, QSplitter, QTableView, QTextEdit, QToolBar,
    QToolButton, QTreeView, QVBoxLayout, QWidget,
)
app = QApplication(sys.argv[:1])
data = json.loads(open(sys.argv[1], encoding="utf-8").read())
w = QMainWindow()
for name, count in (("&File", 12), ("&Edit", 10), ("&View", 9), ("&Help", 4)):
    menu = w.menuBar().addMenu(name)
    for k in range(count):
        menu.addAction(f"{name[1:]} action {k}")
bar = QToolBar("Labels")
for name in ("sourced", "disputed", "polemical", "Link claims", "Delete claim",
             "Find in document", "Add a pane"):
    bar.addAction(name)
w.addToolBar(bar)

def table(headers, rows, tree=False):
    model = QStandardItemModel(0, len(headers))
    model.setHorizontalHeaderLabels(headers)
    for row in rows:
        model.appendRow([QStandardItem(str(cell)) for cell in row])
    view = QTreeView() if tree else QTableView()
    view.setModel(model)
    view._model = model
    return view

def dock(title, widget, area):
    d = QDockWidget(title)
    d.setWidget(widget)
    w.addDockWidget(area, d)
    return d

library = QWidget()
lay = QVBoxLayout(library)
lay.addWidget(QLineEdit(placeholderText="Filter documents"))
lay.addWidget(table(["#", "Title", "s", "d", "p"],
                    [(k + 1, d["title"], 1, 1, 1) for k, d in enumerate(data["documents"])], True))
buttons = QHBoxLayout()
buttons.addWidget(QPushButton("Import..."))
buttons.addWidget(QPushButton("Details..."))
lay.addLayout(buttons)
left = dock("Library", library, Qt.DockWidgetArea.LeftDockWidgetArea)
search = dock("Search", QLineEdit(placeholderText="Search"), Qt.DockWidgetArea.LeftDockWidgetArea)
w.tabifyDockWidget(left, search)
left.raise_()

panes = QSplitter()
for doc in data["documents"]:
    pane = QWidget()
    col = QVBoxLayout(pane)
    head = QHBoxLayout()
    combo = QComboBox()
    combo.addItems([d["title"] for d in data["documents"]])
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(20)
    combo.setCurrentText(doc["title"])
    head.addWidget(combo, 1)
    for icon in ("Find", "Split", "Close"):
        head.addWidget(QToolButton(text=icon))
    col.addLayout(head)
    col.addWidget(QLabel(doc["byline"]))
    text = QPlainTextEdit(readOnly=True)
    text.setFont(QFont("serif", 13))
    text.setPlainText(doc["text"])
    col.addWidget(text)
    panes.addWidget(pane)
w.setCentralWidget(panes)

inspector = QWidget()
form = QFormLayout(inspector)
form.addRow(QLabel(data["claims"][0]["quote"], wordWrap=True))
label = QComboBox()
label.addItems(["sourced", "disputed", "polemical"])
form.addRow("Label:", label)
form.addRow("Note:", QTextEdit(plainText=data["claims"][0]["note"]))
form.addRow("Tags:", QLineEdit(data["claims"][0]["tags"]))
form.addRow(table(["Citation", "URL"], [("Notice posted at the gates", "")]))
form.addRow(QPushButton("Add evidence"), QPushButton("Remove"))
form.addRow(table(["Relation", "Other claim", "Document"], [("corroborates", "...", "...")]))
dock("Inspector", inspector, Qt.DockWidgetArea.RightDockWidgetArea)

claims = QWidget()
lay = QVBoxLayout(claims)
filters = QHBoxLayout()
for items in (["Whole project", "This document"], ["All labels", "sourced"]):
    combo = QComboBox()
    combo.addItems(items)
    filters.addWidget(combo)
filters.addWidget(QLineEdit(placeholderText="Filter claims"), 1)
filters.addWidget(QLabel(f"{len(data['claims'])} claims"))
lay.addLayout(filters)
lay.addWidget(table(["Label", "Quote", "Note", "Tags", "Document"],
                    [(c["label"], c["quote"], c["note"], c["tags"], c["document"])
                     for c in data["claims"]]))
dock("Claims", claims, Qt.DockWidgetArea.BottomDockWidgetArea)
for name in ("sourced", "disputed", "polemical"):
    w.statusBar().addPermanentWidget(QLabel(name))
w.resize(1400, 850)

"""
    + UNTIL_PAINTED
)
