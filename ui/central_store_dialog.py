"""Asking for a central store on a PostgreSQL server: its address and, if need be, a password."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

EXAMPLE = "postgresql://you@server.example.gov.uk:5432/testlearn"


@dataclass(frozen=True)
class ServerChoice:
    """What the user asked for: the address without a password, and the password apart."""

    address: str
    password: str | None


def split_address(text: str) -> ServerChoice | None:
    """``text`` as a server address and a password typed into it, or None if it is not one.

    A password typed inside the address (``postgresql://me:secret@host/db``) is taken out of
    it, so that the address remembered in File > Open recent and shown in the title never
    carries it.
    """
    from testlearn.services.databases import split_server_address

    found = split_server_address(text)
    return None if found is None else ServerChoice(*found)


class CentralStoreDialog(QDialog):
    """File > Open a central store: ``ask`` returns the choice, or None when cancelled.

    The password is never kept: testlearn holds it in memory while it runs, and an empty field
    leaves the server to libpq's own ways (PGPASSWORD, a .pgpass file).
    """

    def __init__(self, parent: QWidget | None = None, *, address: str = "", why: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a central store")
        intro = QLabel(
            why
            or "A central store on a PostgreSQL server holds the pilots merged from every "
            "department. Ask your central team for its address.",
            self,
        )
        intro.setWordWrap(True)
        self.address = QLineEdit(address, self)
        self.address.setPlaceholderText(EXAMPLE)
        self.address.setAccessibleName("Server address")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        self.password.setPlaceholderText("if the server asks for one")
        form = QFormLayout()
        form.addRow("&Address:", self.address)
        form.addRow("&Password:", self.password)
        note = QLabel(
            "The password is used while testlearn is open and is never saved. Left empty, "
            "testlearn uses PGPASSWORD or your .pgpass file, as other PostgreSQL tools do.",
            self,
        )
        note.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("What is wrong with the address")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Open)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.address.textChanged.connect(self._changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(520, self.sizeHint().height())
        (self.password if address else self.address).setFocus()
        self._changed(address)

    def choice(self) -> ServerChoice | None:
        found = split_address(self.address.text())
        if found is None:
            return None
        typed = self.password.text()
        return ServerChoice(found.address, typed or found.password)

    def _changed(self, text: str) -> None:
        # Open waits for an address it can use, and says what is missing, rather than failing.
        usable = split_address(text) is not None
        self.ok.setEnabled(usable)
        self.problem.setText(
            ""
            if usable or not text.strip()
            else f"Not a server address yet: it reads like {EXAMPLE} (server, port, database)."
        )

    @classmethod
    def ask(
        cls, parent: QWidget | None, *, address: str = "", why: str = ""
    ) -> ServerChoice | None:
        dialog = cls(parent, address=address, why=why)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.choice()
            return None
        finally:
            dialog.deleteLater()
