"""An amount in pounds, typed as people write it (250000, £250,000, £1.2m), shown as £250,000."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from testlearn.domain import formats


class MoneyField(QLineEdit):
    """``value()`` is the amount, None when blank, or the text itself when it is not an amount."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("£")
        # Written back as £250,000 when left, before the form reads it.
        self.editingFinished.connect(self.tidy)

    def value(self) -> float | str | None:
        text = self.text().strip()
        if not text:
            return None
        try:
            return formats.parse_money(text)
        except ValueError:
            return text  # the form saves it, and the message says how to write it

    def tidy(self) -> None:
        amount = self.value()
        if isinstance(amount, float) and self.text() != formats.format_money(amount):
            self.setText(formats.format_money(amount))
