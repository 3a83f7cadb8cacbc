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
        self.widgets: dict[str, QWidget] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in fields:
            info = self._declared[name]
            title = str(info.title or name)
            widget = self._make(name, info.annotation, long=name in long_text)
            widget.setObjectName(name)
            widget.setAccessibleName(title)
            if info.description:
                widget.setToolTip(str(info.description))
                widget.setAccessibleDescription(str(info.description))
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

    def set_value(self, view: Any) -> None:
        """Show ``view``'s fields; nothing is saved by showing."""
        self._view = view
        for name, widget in self.widgets.items():
            value = getattr(view, name, None) if view is not None else None
            widget.blockSignals(True)
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value)))
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(self._text(name, value))
            elif isinstance(widget, QLineEdit):
                widget.setText(self._text(name, value))
                widget.setCursorPosition(0)
            widget.blockSignals(False)
            self._shown[name] = self._read(name)

    def value(self) -> dict[str, Any]:
        """The values as typed: text for numbers and dates (the service parses and checks them)."""
        return {name: self._read(name) for name in self.widgets}

    def view(self) -> Any:
        return self._view

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.widgets.values():
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)

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

    def _left(self, name: str) -> None:
        if self._view is None or not self.widgets[name].isEnabled():
            return
        widget = self.widgets[name]
        if isinstance(widget, QLineEdit | QPlainTextEdit) and widget.isReadOnly():
            return
        new = self._read(name)
        if new == self._shown.get(name):
            return
        self._shown[name] = new
        self.edited.emit(name, getattr(self._view, name, None), new)


def _label(vocabulary: type[Term] | None, code: Any) -> str:
    if vocabulary is None:
        return str(code)
    try:
        return vocabulary(code).label
    except ValueError:
        return str(code)
