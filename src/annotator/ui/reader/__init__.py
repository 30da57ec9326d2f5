"""The reader: documents side by side, claims highlighted, links drawn between panes."""

from annotator.ui.reader.area import PaneArea
from annotator.ui.reader.gutter import LinkGutter
from annotator.ui.reader.pane import ReaderPane
from annotator.ui.reader.view import ReaderView

__all__ = ["LinkGutter", "PaneArea", "ReaderPane", "ReaderView"]
