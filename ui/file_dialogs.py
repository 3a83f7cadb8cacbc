"""Choosing files: the native dialogs, behind classmethods that tests replace."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

DATABASES = "testlearn databases (*.sqlite *.db);;All files (*)"
OUTCOMES = "Outcome data (*.csv *.xlsx);;All files (*)"
SPREADSHEETS = "Excel workbooks (*.xlsx)"
NOTICES = "Procurement notices, OCDS JSON (*.json);;All files (*)"
RECEIPTS = "Registration receipts (*.receipt.json);;All files (*)"


class FileDialogs:
    """Each ``ask_*`` returns the chosen path, or None if the user cancelled."""

    @classmethod
    def ask_open_database(cls, parent: QWidget | None) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, "Open a database", "", DATABASES)
        return Path(name) if name else None

    @classmethod
    def ask_new_database(cls, parent: QWidget | None) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, "New database", "pilots.sqlite", DATABASES)
        return Path(name) if name else None

    @classmethod
    def ask_save_copy(cls, parent: QWidget | None, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, "Save a copy", suggested, DATABASES)
        return Path(name) if name else None

    @classmethod
    def ask_outcome_file(cls, parent: QWidget | None) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, "Import outcome data", "", OUTCOMES)
        return Path(name) if name else None

    @classmethod
    def ask_notice_file(cls, parent: QWidget | None) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, "Import procurement notices (Find a Tender)", "", NOTICES
        )
        return Path(name) if name else None

    @classmethod
    def ask_report_path(cls, parent: QWidget | None, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(parent, "Save the report", suggested, "PDF (*.pdf)")
        return Path(name) if name else None

    @classmethod
    def ask_folder(cls, parent: QWidget | None, title: str) -> Path | None:
        name = QFileDialog.getExistingDirectory(parent, title)
        return Path(name) if name else None

    @classmethod
    def ask_receipt_path(cls, parent: QWidget | None, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent, "Save the registration receipt", suggested, RECEIPTS
        )
        return Path(name) if name else None

    @classmethod
    def ask_department_files(cls, parent: QWidget | None) -> list[Path]:
        """Department files to merge; an empty list if the user cancelled."""
        names, _ = QFileDialog.getOpenFileNames(
            parent, "Choose department files to merge", "", DATABASES
        )
        return [Path(name) for name in names]

    @classmethod
    def ask_export_path(cls, parent: QWidget | None, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(
            parent, "Export for the central team", suggested, DATABASES
        )
        return Path(name) if name else None

    @classmethod
    def ask_xlsx_path(cls, parent: QWidget | None, title: str, suggested: str) -> Path | None:
        """Where to save a table as an Excel workbook (.xlsx added if the name lacks it)."""
        name, _ = QFileDialog.getSaveFileName(parent, title, suggested, SPREADSHEETS)
        if not name:
            return None
        path = Path(name)
        return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")
