"""Reports carry their own fonts, so a brief looks the same on every laptop."""

from __future__ import annotations

from pathlib import Path

from reportlab.pdfbase import pdfmetrics

from reports import page


def test_every_report_font_ships_with_the_package_and_its_licence() -> None:
    packaged = Path(page.__file__).parent / "fonts"
    assert page.FONT_FOLDERS[0] == packaged
    for file in page._FONT_FILES.values():
        assert (packaged / file).is_file(), file
    assert "Bitstream" in (packaged / "LICENSE").read_text(encoding="utf-8")


def test_the_packaged_fonts_are_the_ones_registered() -> None:
    fonts = page.fonts()
    assert fonts.regular == "TL-Sans" and fonts.bold == "TL-Sans-Bold"
    face = pdfmetrics.getFont(fonts.regular).face
    assert Path(face.filename).parent == Path(page.__file__).parent / "fonts"
