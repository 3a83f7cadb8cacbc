"""The user guide, inside the app: it needs no browser and works offline."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget


class UserGuideWindow(QDialog):
    """docs/user-guide.md (and the pages it links to) rendered as rich text with its pictures."""

    def __init__(self, guide: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("testlearn user guide")
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenLinks(False)  # links are followed below: pages here, web outside
        self.browser.anchorClicked.connect(self._follow)
        self.browser.setSearchPaths([str(guide.parent)])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self._folder = guide.parent
        self.show_page(guide)
        screen = self.screen().availableGeometry()
        self.resize(min(900, screen.width() * 3 // 4), screen.height() * 3 // 4)

    def show_page(self, page: Path) -> None:
        try:
            text = page.read_text(encoding="utf-8")
        except OSError:
            text = (
                f"The user guide could not be read from {page}. It is also at "
                "docs/user-guide.md in the testlearn source."
            )
        self.browser.setMarkdown(text)

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "mailto"):
            QDesktopServices.openUrl(url)
            return
        target = (self._folder / url.path()).resolve()
        if target.suffix == ".md" and target.is_file():
            self.show_page(target)
        elif url.fragment():
            self.browser.scrollToAnchor(url.fragment())
