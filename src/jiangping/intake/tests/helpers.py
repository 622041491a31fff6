"""Workbooks and CSV files built in the tests (no binary fixtures in the repository)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl


def write_xlsx(path: Path, rows: list[list], merges: tuple[str, ...] = (),
               sheet: str = "Sheet1") -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    for merge in merges:
        worksheet.merge_cells(merge)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xls(path: Path, rows: list[list], merges: tuple[tuple[int, int, int, int], ...] = (),
              sheet: str = "Sheet1") -> Path:
    """A legacy Excel 97–2003 workbook, as older county systems still export.

    ``merges`` are (first_row, last_row, first_col, last_col), 0-based, inclusive.
    """
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    worksheet = workbook.add_sheet(sheet)
    merged = {(r, c) for r0, r1, c0, c1 in merges for r in range(r0, r1 + 1)
              for c in range(c0, c1 + 1) if (r, c) != (r0, c0)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None and (r, c) not in merged:
                worksheet.write(r, c, value)
    for r0, r1, c0, c1 in merges:
        worksheet.merge(r0, r1, c0, c1)
    workbook.save(str(path))
    return path
