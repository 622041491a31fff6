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
