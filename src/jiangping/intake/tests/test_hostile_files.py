"""Files that must never crash, hang or eat the machine: each is refused with its own
Chinese message, alike on the CLI (exit 1), the web import page and the API, and
nothing is written."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from jiangping.indicators.models import Value
from jiangping.intake.tests import hostile
from jiangping.intake.tests.helpers import write_xls

ROWS = [hostile.HEADER, ["甲区", "固投", "2019-11", "5"], ["乙县", "固投", "2019-11", "6"]]


def _base(folder):
    return hostile.xlsx(folder / "base.xlsx", ROWS)


# name → (builder(folder) → path, a fragment of the message)
CASES = {
    "stray cell at XFD1048576": (
        lambda d: hostile.xlsx(d / "far.xlsx", ROWS, stray="XFD1048576"), "XFD1048576"),
    "stray cell at AZ200000": (
        lambda d: hostile.xlsx(d / "az.xlsx", ROWS, stray="AZ200000"), "AZ200000"),
    "sheet XML that inflates far beyond its size": (
        lambda d: hostile.inflating_xlsx(d / "bomb.xlsx", 48), "压缩比"),
    "empty file": (lambda d: _empty(d / "empty.xlsx"), "空文件"),
    "PNG renamed .xlsx": (
        lambda d: hostile.png(d / "picture.xlsx"), "不是 Excel 文件，看起来是 PNG 图片"),
    "PNG renamed .csv": (
        lambda d: hostile.png(d / "picture.csv"), "不是 CSV 文件，看起来是 PNG 图片"),
    "ZIP that is not a workbook": (lambda d: hostile.plain_zip(d / "archive.xlsx"), "ZIP 压缩包"),
    "encrypted workbook": (
        lambda d: hostile.encrypted_xlsx(d / "locked.xlsx", _base(d)), "文件已加密"),
    "OLE2 file with an EncryptionInfo stream": (
        lambda d: hostile.ole_with_stream(d / "locked.xls", "EncryptionInfo"), "文件已加密"),
    "Word file renamed .xls": (
        lambda d: hostile.ole_with_stream(d / "letter.xls", "WordDocument"), "Word 文档"),
    "DTD entity bomb in sharedStrings": (
        lambda d: hostile.entity_bomb_xlsx(d / "laughs.xlsx"), "DTD"),
    "truncated zip": (lambda d: hostile.truncated(d / "cut.xlsx", _base(d)), "文件已损坏"),
    "web page saved as .xls": (
        lambda d: _text(d / "page.xls", "<html><body><table><tr><td>单位</td></tr></table>"),
        "网页"),
    "CSV field over the limit": (
        lambda d: _text(d / "long.csv", "单位,指标,期间,数值\n甲区,固投,2019-11,\"" + "9" * 200_000
                        + "\"\n"), "第2行有单元格过长"),
    "CSV line without end": (
        lambda d: _text(d / "line.csv", "单位,指标,期间,数值\n" + "1," * 2_500_000), "第2行过长"),
}


def _empty(path):
    path.write_bytes(b"")
    return path


def _text(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def _cli(path) -> tuple[int, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import", "indicators", str(path), "--apply", stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue() + err.getvalue() + str(exc)
    return 0, out.getvalue() + err.getvalue()


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_alike_everywhere(cast, tmp_path, case):
    build, fragment = CASES[case]
    path = build(tmp_path)
    code, output = _cli(path)
    assert code == 1, output
    assert fragment in output
    assert "save as" not in output.lower() and "另存为 UTF-8" not in output

    client = Client()
    client.force_login(cast.office)
    with path.open("rb") as upload:
        page = client.post("/intake/import/", {"form": "indicators", "file": upload})
    assert page.status_code == 422
    assert fragment in page.content.decode()
    assert "/apply/" not in page.content.decode()

    with path.open("rb") as upload:
        answer = client.post("/api/intake/import", {"form": "indicators", "file": upload,
                                                    "apply": "true"})
    assert answer.status_code == 422, answer.content
    data = answer.json()
    assert fragment in data["detail"] and not data["applied"]
    assert any(fragment in error["message"] for error in data["errors"])
    assert Value.objects.count() == 0


def test_the_child_memory_limit_catches_what_the_checks_let_through(cast, tmp_path, settings):
    """With the extent checks disabled, calamine tries to build XFD1048576 densely: the
    reading child aborts at its address-space limit and the import is refused."""
    from jiangping.intake.reading import ReadError, open_tables
    from jiangping.intake.sniff import Limits

    settings.JIANGPING_IMPORT_MEMORY_MB = 400
    path = hostile.xlsx(tmp_path / "far.xlsx", ROWS, stray="XFD1048576")
    loose = Limits(max_dense_cells=10**12, stray_floor=10**12)
    with pytest.raises(ReadError, match="超出内存上限（400 MB）"):
        tables = open_tables(path, loose)
        try:
            for table in tables:
                list(table.rows)
        finally:
            tables.close()


def test_the_child_time_limit_stops_a_slow_read(cast, tmp_path, settings):
    from jiangping.intake.reading import ReadError, open_tables
    from jiangping.intake.sniff import Limits

    settings.JIANGPING_IMPORT_SECONDS = 1
    path = hostile.inflating_xlsx(tmp_path / "slow.xlsx", 120, level=1)
    loose = Limits(max_ratio=10**6, max_dense_cells=10**12, stray_floor=10**12)
    with pytest.raises(ReadError, match="时间上限（1 秒）"):
        tables = open_tables(path, loose)
        try:
            for table in tables:
                list(table.rows)
        finally:
            tables.close()


def test_siblings_that_are_workbooks_are_read(cast, tmp_path):
    """A real .xls, an .ods, a workbook renamed .csv, and CSV text saved as .xls."""
    good = [hostile.HEADER, ["甲区", "固投", "2019-11", "7"]]
    files = [
        write_xls(tmp_path / "legacy.xls", good),
        hostile.ods(tmp_path / "open.ods"),
        hostile.xlsx(tmp_path / "renamed.csv", good),
        _text(tmp_path / "text.xls", "单位\t指标\t期间\t数值\n甲区\t固投\t2019-11\t7\n"),
    ]
    for path in files:
        out = StringIO()
        call_command("import", "indicators", str(path), "--json", stdout=out)
        data = json.loads(out.getvalue())
        assert (data["rows_ok"], data["errors"]) == (1, []), path.name


def test_read_only_and_city_only_refusals_on_the_web_and_api(cast, tmp_path):
    path = hostile.xlsx(tmp_path / "ok.xlsx", ROWS)
    leader = Client()
    leader.force_login(cast.leader)
    assert leader.get("/intake/import/").status_code == 403
    with path.open("rb") as upload:
        answer = leader.post("/api/intake/import", {"form": "indicators", "file": upload})
    assert answer.status_code == 403 and "只能查看" in answer.json()["detail"]
    county = Client()
    county.force_login(cast.reporter_a)
    with path.open("rb") as upload:
        answer = county.post("/api/intake/import", {"form": "targets", "file": upload})
    assert answer.status_code == 403 and "仅限市级" in answer.json()["detail"]
    page = county.get("/intake/import/")
    assert page.status_code == 200 and 'value="targets"' not in page.content.decode()
