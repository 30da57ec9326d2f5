"""File › Open team project…: open a project on a PostgreSQL server, asking for its password
only when libpq has none.

The dialog asks for the host, port, database and user and lists the recent servers (their
URLs, never with a password). It connects on the task runner (a server far away must not
freeze the window); when the server asks for a password that neither the URL, `~/.pgpass`
(`PGPASSFILE`) nor a service file (`PGSERVICE`) gave, the dialog shows a password field and
asks again. The password lives in memory only: the project's location, the window's title,
the settings and the logs name the server without it.

`annotator gui URL` and the recent list take the same path without showing the dialog unless
it has something to ask or to say (`open_server_project`).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.domain.errors import AnnotatorError
from annotator.ui.tasks import runner

DEFAULT_PORT = 5432


def _needs_password(message: str) -> bool:
    """Whether the server's refusal (one sentence of `storage.server.connection_error`) is
    about the password."""
    return "refused the password" in message


class TeamOpenDialog(QDialog):
    """Where a team project is: host, port, database, user; a password only when asked."""

    opened = Signal(object)  # the Project, opened (the dialog closes)

    def __init__(self, parent: QWidget | None, recent: list[str], address: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open team project")
        self.setObjectName("TeamOpenDialog")
        self.setMinimumWidth(520)
        self._query: dict[str, Any] = {}
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("db.example.org")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit(self)
        self.database.setPlaceholderText("study")
        self.user = QLineEdit(self)
        self.user.setPlaceholderText("your login name on the server")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel("&Password:", self)
        self.password_label.setBuddy(self.password)
        form = QFormLayout()
        form.addRow("&Host:", self.host)
        form.addRow("P&ort:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User:", self.user)
        form.addRow(self.password_label, self.password)
        self.password_label.hide()
        self.password.hide()
        self.recent = QListWidget(self)
        self.recent.setObjectName("RecentServers")
        self.recent.setMaximumHeight(120)
        for url in recent:
            item = QListWidgetItem(url)
            item.setData(Qt.ItemDataRole.UserRole, url)
            self.recent.addItem(item)
        self.recent.currentItemChanged.connect(self._recent_chosen)
        self.recent.itemActivated.connect(lambda _item: self.try_open())
        self.message = QLabel(self)
        self.message.setObjectName("TeamOpenMessage")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.try_open)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        recent_title = QLabel("Recent servers:", self)
        layout.addWidget(recent_title)
        layout.addWidget(self.recent)
        recent_title.setVisible(bool(recent))
        self.recent.setVisible(bool(recent))
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.connecting = False
        if address is not None:
            self.set_address(address)

    # -- the address ---------------------------------------------------------------------------

    def set_address(self, address: Any) -> None:
        """Fill the fields from a `ServerAddress` (its password, if any, into the hidden
        password field: it is used, never shown)."""
        url = address.url
        self.host.setText(url.host or str(url.query.get("host") or ""))
        self.port.setValue(url.port or DEFAULT_PORT)
        self.database.setText(url.database or "")
        self.user.setText(url.username or "")
        self.password.setText(url.password or "")
        self._query = {k: v for k, v in url.query.items() if k != "host"}

    def _recent_chosen(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        from annotator.storage.server import ServerAddress, ServerError

        try:
            address = ServerAddress.parse(str(item.data(Qt.ItemDataRole.UserRole)))
        except ServerError as exc:
            self.message.setText(str(exc))
            return
        password = self.password.text()
        self.set_address(address)
        self.password.setText(password)  # the one typed for this session, if any

    def address(self) -> Any:
        """The `ServerAddress` the fields name."""
        from sqlalchemy import URL

        from annotator.storage.server import DRIVER, ServerAddress

        url = URL.create(
            DRIVER,
            username=self.user.text().strip() or None,
            password=self.password.text() or None,
            host=self.host.text().strip() or None,
            port=self.port.value() if self.port.value() != DEFAULT_PORT else None,
            database=self.database.text().strip() or None,
            query=self._query,
        )
        return ServerAddress(url)

    # -- connecting ----------------------------------------------------------------------------

    def try_open(self) -> None:
        """Connect on the task runner; `opened` (and the dialog closes) or one sentence."""
        if self.connecting:
            return
        if not self.database.text().strip() and "service" not in self._query:
            self.message.setText("Give the name of the project's database.")
            return
        from annotator.services.api import Project

        address = self.address()
        self.connecting = True
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(False)
        self.message.setText(f"Connecting to {address.where}…")
        runner().submit(lambda: Project.open(address), self._opened, self._failed, owner=self)

    def _opened(self, project: Any) -> None:
        self.connecting = False
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(True)
        self.message.clear()
        self.password.clear()  # the project holds it now; the dialog lets go of it
        self.accept()
        self.opened.emit(project)

    def _failed(self, exc: BaseException) -> None:
        self.connecting = False
        self.buttons.button(QDialogButtonBox.StandardButton.Open).setEnabled(True)
        message = (
            str(exc)
            if isinstance(exc, AnnotatorError)
            else f"The project could not be opened ({type(exc).__name__})."
        )
        if _needs_password(message):
            user = self.user.text().strip() or "your user"
            if not self.password.isVisible() and not self.password.text():
                message = (
                    f"The server asks for the password of {user} (none was found in "
                    "~/.pgpass): type it to connect."
                )
            self.password_label.show()
            self.password.show()
            self.password.selectAll()
            self.password.setFocus()
        self.message.setText(message)
        if not self.isVisible():
            self.open()


def open_server_project(
    window: Any, address: Any = None, open_docs: list[str] | None = None
) -> TeamOpenDialog:
    """Open a team project for `window` (its `adopt_project`): with an `address`, connect at
    once and show the dialog only to ask for a password or to say why it failed; without one,
    show the dialog."""
    dialog = TeamOpenDialog(window, window.settings.recent_servers(), address)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.opened.connect(lambda project: window.adopt_project(project, open_docs))
    window.team_dialog = dialog
    if address is None:
        dialog.open()
    else:
        dialog.try_open()
    return dialog
