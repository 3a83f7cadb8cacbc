"""Tables written to .xlsx read back as Excel would show them: types, formats, header, widths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from testlearn.services.spreadsheets import SheetColumn, SpreadsheetError, write_table

COLUMNS = [
    SheetColumn("Reference"),
    SheetColumn("Spend", "money"),
    SheetColumn("Hypotheses", "number"),
    SheetColumn("Start", "date"),
    SheetColumn("Analysed at (UTC)", "datetime"),
]


def test_numbers_stay_numbers_and_dates_stay_dates(tmp_path: Path) -> None:
    out = tmp_path / "pilots.xlsx"
    rows = [
        [
            "DFE-TL-001",
            12_500.0,
            2,
            dt.date(2026, 4, 1),
            dt.datetime(2026, 5, 1, 10, 30, tzinfo=dt.UTC),
        ],
        ["A much longer reference, to widen its column", None, 0, None, None],
    ]
    assert write_table(out, sheet="Pilots: all/some", columns=COLUMNS, rows=rows) == 2
    book = openpyxl.load_workbook(out)
    sheet = book.active
    assert sheet.title == "Pilots  all some"  # characters Excel refuses in a sheet name
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Reference", "Spend", "Hypotheses", "Start", "Analysed at (UTC)")
    assert values[1] == (
        "DFE-TL-001",
        12_500,
        2,
        dt.datetime(2026, 4, 1),
        dt.datetime(2026, 5, 1, 10, 30),
    )
    assert values[2][1:] == (None, 0, None, None)
    assert all(cell.font.b for cell in sheet[1])
    assert sheet["B2"].number_format == '"£"#,##0'
    assert sheet["D2"].number_format == "dd/mm/yyyy"
    assert sheet["D2"].is_date and sheet["E2"].is_date
    assert sheet.column_dimensions["A"].width > len(rows[1][0])
    assert sheet.column_dimensions["D"].width >= 11
    assert sheet.freeze_panes == "A2"


def test_ten_thousand_rows_are_all_written(tmp_path: Path) -> None:
    out = tmp_path / "large.xlsx"
    rows = [[f"T-{i:05d}", float(i), i, dt.date(2026, 1, 1), None] for i in range(10_000)]
    write_table(out, sheet="Pilots", columns=COLUMNS, rows=rows)
    sheet = openpyxl.load_workbook(out, read_only=True).active
    last = list(sheet.iter_rows(values_only=True))[-1]
    assert last[:3] == ("T-09999", 9999, 9999)


def test_a_folder_that_does_not_exist_is_named_in_one_line(tmp_path: Path) -> None:
    out = tmp_path / "missing" / "pilots.xlsx"
    with pytest.raises(SpreadsheetError) as raised:
        write_table(out, sheet="Pilots", columns=COLUMNS, rows=[])
    message = str(raised.value)
    assert str(out) in message and "does not exist" in message and "\n" not in message


def test_a_target_that_is_a_folder_is_refused_and_nothing_is_left_behind(tmp_path: Path) -> None:
    out = tmp_path / "pilots.xlsx"
    out.mkdir()
    with pytest.raises(SpreadsheetError) as raised:
        write_table(out, sheet="Pilots", columns=COLUMNS, rows=[["T-1", 1.0, 1, None, None]])
    assert str(out) in str(raised.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pilots.xlsx"]  # no partial file
    assert out.is_dir()


def test_an_existing_file_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "pilots.xlsx"
    write_table(out, sheet="Pilots", columns=COLUMNS, rows=[["OLD", 1.0, 1, None, None]])
    write_table(out, sheet="Pilots", columns=COLUMNS, rows=[["NEW", 2.0, 2, None, None]])
    values = list(openpyxl.load_workbook(out).active.iter_rows(values_only=True))
    assert [v[0] for v in values] == ["Reference", "NEW"]
