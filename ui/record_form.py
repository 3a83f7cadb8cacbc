"""A form over one record's fields, saving each field when the user leaves it.

Labels, tooltips and accessible names come from the field declarations in
``testlearn.domain.records``, so the form and the error messages use the same words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from testlearn.domain import formats
from testlearn.domain.fields import Kind, field_kind
from testlearn.domain.vocabulary import Term
from ui.choice_box import ChoiceBox
from ui.choice_list import ChoiceList
from ui.date_field import DateField
from ui.money_field import MoneyField


class RecordForm(QWidget):
    """Widgets for ``fields`` of the record class ``fields_of``; ``edited`` fires on leaving one.

    Args:
        fields_of: an ``XFields`` class (its ``model_fields`` give titles and descriptions).
        fields: the field names to show, in tab order.
        vocabularies: the vocabulary of each coded field (shown as a list of labels).
        long_text: fields shown as several lines.
    """

    edited = Signal(str, object, object)  # field, old value, new value
    changed = Signal()  # any keystroke or choice, before it is saved

    def __init__(
        self,
        fields_of: Any,
        fields: Sequence[str],
        *,
        vocabularies: Mapping[str, type[Term]] | None = None,
        long_text: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._declared = fields_of.model_fields
        self._vocabularies = dict(vocabularies or {})
        self._view: Any = None
        self._shown: dict[str, Any] = {}
        #: Values stored while the user sat in the field; shown when the user leaves it.
        self._deferred: dict[str, Any] = {}
        #: Fields whose save was refused: the typed text stays until corrected.
        self._refused: dict[str, str] = {}
        self._descriptions: dict[str, str] = {}
        self._saves: Any = None
        self.widgets: dict[str, QWidget] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # A long label goes above its field when the pane is narrow, rather than widening it.
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name in fields:
            info = self._declared[name]
            title = str(info.title or name)
            widget = self._make(name, info.annotation, long=name in long_text)
            widget.setObjectName(name)
            widget.setAccessibleName(title)
            if info.description:
                widget.setToolTip(str(info.description))
                widget.setAccessibleDescription(str(info.description))
                self._descriptions[name] = str(info.description)
            label = QLabel(f"{title}:", self)
            label.setBuddy(widget)
            layout.addRow(label, widget)
            self.widgets[name] = widget

    def _make(self, name: str, annotation: Any, *, long: bool) -> QWidget:
        kind = field_kind(self._declared[name])
        if name in self._vocabularies:
            combo = ChoiceBox(self)
            # Long choices (study designs, routes) must not widen the form past a narrow
            # details pane; the open list still shows them in full.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
            combo.addItem("(not set)", None)
            for term in self._vocabularies[name]:
                combo.addItem(term.label, term.value)
            # Saved once, when chosen from the open list or left; never per wheel or arrow step.
            combo.left.connect(lambda n=name: self._left(n))
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
            return combo
        if annotation is bool or annotation == bool | None:
            check = QCheckBox(self)
            check.clicked.connect(lambda _c, n=name: self._left(n))
            return check
        if long:
            text = QPlainTextEdit(self)
            text.setTabChangesFocus(True)
            text.installEventFilter(self)
            text.textChanged.connect(self.changed)
            height = text.fontMetrics().lineSpacing() * 4 + 12
            text.setMinimumHeight(height)
            text.setMaximumHeight(height * 2)
            return text
        line = self._line(name, kind)
        line.editingFinished.connect(lambda n=name: self._left(n))
        line.textEdited.connect(lambda _t: self.changed.emit())
        return line

    def _line(self, name: str, kind: Kind | None) -> QLineEdit:
        """A one-line field: a date, an amount, a list of choices or plain text."""
        listed = self._list_vocabulary(name)
        if listed is not None:
            return ChoiceList(listed, self)
        if kind is not None and kind.name == "date":
            return DateField(self)
        if kind is not None and kind.name == "money":
            return MoneyField(self)
        return QLineEdit(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and isinstance(watched, QPlainTextEdit):
            self._left(watched.objectName())
        return super().eventFilter(watched, event)

    # -- value in, value out ---------------------------------------------------------------

    def follow(self, saves: Any) -> None:
        """Ask ``saves`` (the pilot session) which fields are being saved, and hear the outcome.

        ``saves`` has ``is_saving(row_id, field) -> bool`` and a ``save_finished(row_id, field,
        error)`` signal. While a field's save is queued, a reload never writes into it: the
        reload may have been read before the save ran.
        """
        self._saves = saves
        saves.save_finished.connect(self._save_finished)

    def set_value(self, view: Any) -> None:
        """Show ``view``'s fields; nothing is saved by showing.

        When ``view`` is the record already shown (a reload after a save), only fields whose
        stored value changed are written, and never a field the user is typing in, has changed
        without leaving, or whose save is still queued: those keep what the user typed. When it
        is another record, what was typed into this one is saved first.
        """
        same = _same_record(self._view, view)
        if not same:
            self.flush()
            self._deferred.clear()
            self._refused.clear()
        self._view = view
        for name, widget in self.widgets.items():
            value = getattr(view, name, None) if view is not None else None
            if same and self._keeps_typing(name, widget):
                if widget.hasFocus() and not self._changed(name):
                    self._deferred[name] = value  # shown when the user leaves the field
                continue
            self._show(name, widget, value)

    def flush(self) -> None:
        """Save every field changed but not yet left (before another record or a close)."""
        if self._view is None:
            return
        for name in self.widgets:
            if self._changed(name):
                self._left(name)

    def has_unsaved_text(self) -> bool:
        return self._view is not None and any(self._changed(name) for name in self.widgets)

    def value(self) -> dict[str, Any]:
        """The values as typed: text for numbers and dates (the service parses and checks them)."""
        return {name: self._read(name) for name in self.widgets}

    def view(self) -> Any:
        return self._view

    def set_read_only(self, read_only: bool) -> None:
        """Read-only fields look like text, not like boxes to type in (and say so to readers)."""
        for name, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                widget.setReadOnly(read_only)
                widget.setFrame(not read_only)
            elif isinstance(widget, QPlainTextEdit):
                widget.setReadOnly(read_only)
                widget.setFrameShape(
                    QPlainTextEdit.Shape.NoFrame if read_only else QPlainTextEdit.Shape.StyledPanel
                )
                widget.setBackgroundVisible(False)
            else:
                widget.setEnabled(not read_only)
            description = self._descriptions.get(name, "")
            widget.setAccessibleDescription(
                f"Read-only. {description}".strip() if read_only else description
            )

    # -- internals -------------------------------------------------------------------------

    def _text(self, name: str, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, list | tuple):
            vocabulary = self._list_vocabulary(name)
            return "; ".join(_label(vocabulary, v) for v in value)
        kind = field_kind(self._declared[name])
        if isinstance(value, int | float) and kind is not None and kind.name == "money":
            return formats.format_money(value)
        if isinstance(value, int) and kind is not None and kind.name == "count":
            return formats.format_count(value)
        if isinstance(value, float):
            # Plain digits (1350000, not 1.35e+06), as people type them back in.
            return format(value, "f").rstrip("0").rstrip(".") if value == value else ""
        if isinstance(value, dt.date):
            return formats.format_date(value)
        return str(value)

    def text_of(self, name: str, value: Any) -> str:
        """``value`` of field ``name`` as this form shows it (£250,000, 15/12/2026, labels)."""
        return self._text(name, value)

    def _list_vocabulary(self, name: str) -> type[Term] | None:
        return self._vocabularies.get(f"{name}[]")

    def _read(self, name: str) -> Any:
        widget = self.widgets[name]
        if isinstance(widget, QComboBox):
            return widget.currentData()
        if isinstance(widget, QCheckBox):
            return widget.isChecked()
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, ChoiceList):
            return widget.codes()
        if isinstance(widget, DateField | MoneyField):
            # The date or amount itself, so 250000 and £250,000 are one value; text that is
            # neither is passed on as typed, for the service to refuse with a message.
            return widget.value()
        text = widget.text().strip() if isinstance(widget, QLineEdit) else ""
        current = getattr(self._view, name, None) if self._view is not None else None
        if isinstance(current, list) or self._list_vocabulary(name) is not None:
            return [part.strip() for part in text.split(";") if part.strip()]
        return text if text or isinstance(current, str) else None

    def _show(self, name: str, widget: QWidget, value: Any) -> None:
        """Write ``value`` into ``widget`` if it shows something else; the text's own undo
        history and cursor survive a reload that changes nothing."""
        widget.blockSignals(True)
        try:
            if isinstance(widget, QComboBox):
                index = max(0, widget.findData(value))
                if widget.currentIndex() != index:
                    widget.setCurrentIndex(index)
            elif isinstance(widget, QCheckBox):
                if widget.isChecked() != bool(value):
                    widget.setChecked(bool(value))
            elif isinstance(widget, QPlainTextEdit):
                text = self._text(name, value)
                if widget.toPlainText() != text:
                    widget.setPlainText(text)
            elif isinstance(widget, QLineEdit):
                text = self._text(name, value)
                if widget.text() != text:
                    widget.setText(text)
                    widget.setCursorPosition(0)
        finally:
            widget.blockSignals(False)
        self._shown[name] = self._read(name)
        self._deferred.pop(name, None)

    def _changed(self, name: str) -> bool:
        """True if the user changed the field since it was last shown or saved."""
        return name in self._shown and self._read(name) != self._shown[name]

    def _keeps_typing(self, name: str, widget: QWidget) -> bool:
        if self._changed(name) or name in self._refused:
            return True
        if isinstance(widget, QLineEdit | QPlainTextEdit) and widget.hasFocus():
            return True
        view_id = getattr(self._view, "id", None)
        return self._saves is not None and self._saves.is_saving(view_id, name)

    def _save_finished(self, row_id: Any, name: str, error: str | None) -> None:
        if name not in self.widgets or row_id != getattr(self._view, "id", None):
            return
        widget = self.widgets[name]
        if error is None:
            self._refused.pop(name, None)
            widget.setAccessibleDescription(self._descriptions.get(name, ""))
            widget.setToolTip(self._descriptions.get(name, ""))
            widget.setStyleSheet("")
            return
        # The text stays as typed, marked, so the user can correct it rather than retype it.
        self._refused[name] = error
        widget.setAccessibleDescription(f"Not saved: {error}")
        widget.setToolTip(f"Not saved: {error}")
        widget.setStyleSheet("border: 2px solid #c62828;")

    def _left(self, name: str) -> None:
        if self._view is None or not self.widgets[name].isEnabled():
            return
        widget = self.widgets[name]
        if isinstance(widget, QLineEdit | QPlainTextEdit) and widget.isReadOnly():
            return
        new = self._read(name)
        if new == self._shown.get(name):
            if name in self._deferred:
                # Stored while the user sat in the field without typing (an undo, a merge).
                self._show(name, widget, self._deferred[name])
            return
        self._shown[name] = new
        self._deferred.pop(name, None)
        self.edited.emit(name, getattr(self._view, name, None), new)


def _same_record(shown: Any, view: Any) -> bool:
    if shown is None or view is None:
        return False
    return getattr(shown, "id", None) is not None and shown.id == getattr(view, "id", None)


def _label(vocabulary: type[Term] | None, code: Any) -> str:
    if vocabulary is None:
        return str(code)
    try:
        return vocabulary(code).label
    except ValueError:
        return str(code)
