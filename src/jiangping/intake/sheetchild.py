"""The reading child (读取子进程): parses one workbook under memory and CPU limits.

``python -m jiangping.intake.sheetchild PATH LIMITS_JSON`` — run by
:mod:`jiangping.intake.reading`, never by hand. calamine is native code: a workbook it
cannot hold aborts the process (no Python exception), and it builds each sheet densely
before the first row. So it runs here, in a process of its own with ``RLIMIT_AS`` and
``RLIMIT_CPU`` set before calamine is loaded; whatever goes wrong in it ends this
process, not the server or the CLI. The child touches no database and no settings: it
writes length-prefixed pickled messages to stdout, rows in batches, and blocks while the
parent has not read them, so memory stays flat whatever the file's length.

Messages: ``("sheets", names, hidden_sheets)``, then per visible sheet ``("sheet", i,
merged)``, ``("rows", [(number, cells), …])``…, ``("end", i, hidden_rows, hidden_columns)``; finally
``("done",)``, or ``("refused", code, params)`` at any point.
"""

from __future__ import annotations

import json
import pickle
import resource
import struct
import sys
import zipfile

from jiangping.intake.sniff import XLSX, Limits, Refused

BATCH = 1000


def _send(out, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    out.write(struct.pack("<I", len(data)))
    out.write(data)
    out.flush()


def _limit(memory_bytes: int, cpu_seconds: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def read_workbook(path: str, kind: str, limits: Limits, out) -> None:
    from python_calamine import CalamineWorkbook

    from jiangping.intake import survey as surveys
    from jiangping.intake.normalize import PercentCell
    from jiangping.intake.unread import ErrorCell, FormulaCell

    with open(path, "rb") as stream:
        try:
            workbook = CalamineWorkbook.from_filelike(stream)
        except Exception as exc:  # calamine raises its own error types per format
            if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
                raise Refused("encrypted") from None
            raise Refused("unreadable") from None
    archive = zipfile.ZipFile(path) if kind == XLSX else None
    styles = surveys.percent_styles(archive) if archive is not None else set()
    parts = surveys.sheet_parts(archive) if archive is not None else {}
    stale = surveys.recalculated_on_load(archive) if archive is not None else False
    visible, hidden = [], []
    for meta in workbook.sheets_metadata:
        if not str(getattr(meta, "typ", "WorkSheet")).endswith("WorkSheet"):
            continue
        state = str(getattr(meta, "visible", "Visible"))
        if state.endswith("VeryHidden"):
            continue  # hidden by a program (a template's lists), not by a user: not data
        if state.endswith("Hidden"):
            hidden.append(meta.name)
        else:
            visible.append(meta.name)
    _send(out, ("sheets", visible, hidden))
    for position, name in enumerate(visible):
        found = None
        if archive is not None and name in parts:
            found = surveys.survey_sheet(archive, parts[name], name, styles, limits,
                                          stale)
        try:
            sheet = workbook.get_sheet_by_name(name)
        except Exception:  # a chart sheet or a broken sheet is passed over
            _send(out, ("sheet", position, []))
            _send(out, ("end", position, []))
            continue
        first_cell = sheet.start[1] if sheet.start else 0
        merged = [
            (r0 + 1, c0 - first_cell, r1 + 1, c1 - first_cell)
            for (r0, c0), (r1, c1) in (sheet.merged_cell_ranges or ())
        ]
        _send(out, ("sheet", position, merged))
        marks: dict[int, list[tuple[int, object]]] = {}
        hidden_rows: set[int] = set()
        hidden_columns: list[int] = []
        if found is not None:
            hidden_rows = found.hidden_rows
            hidden_columns = sorted(found.hidden_columns)
            for row, columns in found.percent.items():
                marks.setdefault(row, []).extend((column, PercentCell) for column in columns)
            for (row, column), (what, text) in found.unread.items():
                marker = FormulaCell(text) if what == "formula" else ErrorCell(text)
                marks.setdefault(row, []).append((column, marker))
        skipped: list[int] = []
        skipped_columns: set[int] = set()
        batch: list = []
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if number in hidden_rows:
                if any(cell not in (None, "") for cell in cells):
                    skipped.append(number)
                continue
            for column in hidden_columns:  # a hidden column is not read, like a hidden row
                index = column - first_cell
                if 0 <= index < len(cells) and cells[index] not in (None, ""):
                    cells[index] = ""
                    skipped_columns.add(column)
            for column, mark in marks.get(number, ()):
                index = column - first_cell
                if not 0 <= index < len(cells):
                    continue
                if mark is PercentCell:
                    if cells[index].__class__ is float:
                        cells[index] = PercentCell(cells[index])
                else:
                    cells[index] = mark
            batch.append((number, tuple(cells)))  # untracked by the importer's GC
            if len(batch) >= BATCH:
                _send(out, ("rows", batch))
                batch = []
        if batch:
            _send(out, ("rows", batch))
        del sheet
        _send(out, ("end", position, skipped, sorted(skipped_columns)))
    _send(out, ("done",))


def main(argv: list[str]) -> int:
    path, kind, settings = argv[0], argv[1], json.loads(argv[2])
    _limit(settings["memory_bytes"], settings["cpu_seconds"])
    limits = Limits(**settings["limits"])
    out = sys.stdout.buffer
    try:
        read_workbook(path, kind, limits, out)
    except Refused as refusal:
        _send(out, ("refused", refusal.code, refusal.params))
    except MemoryError:
        _send(out, ("refused", "memory", {}))
    except (zipfile.BadZipFile, EOFError):
        _send(out, ("refused", "broken_zip", {}))
    except Exception:
        _send(out, ("refused", "unreadable", {}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
