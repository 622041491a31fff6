"""A reference column of a new kind plugs into the engine through its resolver alone: a
``project`` column, its names, its unit of measure, its write guard and its template
drop-down, with no change to the engine."""

from dataclasses import dataclass
from decimal import Decimal

import openpyxl
from django.core.exceptions import PermissionDenied

from jiangping.intake.engine import run_import
from jiangping.intake.references import OrgUnits, Reference
from jiangping.intake.registry import Column, ColumnType, Form
from jiangping.intake.resolve import NameIndex
from jiangping.intake.template import write_template
from jiangping.intake.tests.helpers import write_csv
from jiangping.orgs.scope import Scope


@dataclass(frozen=True)
class Project:
    id: int
    name: str
    unit: str


PROJECTS = {1: Project(1, "东环路改造", "万元"), 2: Project(2, "北区污水厂", "亿元"),
            3: Project(3, "封存项目", "万元")}


class Projects(Reference):
    def load(self, context):
        index = NameIndex()
        for project in PROJECTS.values():
            index.add(project.name, project.id)
            index.add(f"P{project.id:03d}", project.id)
        return index, PROJECTS

    def unknown(self, name):
        return f"未知的项目“{name}”。"

    def stored_unit(self, info):
        return info.unit

    def guard(self, context, info):
        if info.id == 3:
            raise PermissionDenied("项目已封存。")

    def choices(self, form, scope):
        return [project.name for project in PROJECTS.values()]


def _form(written: list) -> Form:
    def apply(context, records):
        written.extend(records)
        return len(records), 0

    return Form(
        name="progress_test", title="项目进度", key=("project",), apply=apply,
        columns=(
            Column("project", "项目", ColumnType.REFERENCE, reference=Projects()),
            Column("unit", "所属县区", ColumnType.REFERENCE, reference=OrgUnits()),
            Column("done", "完成投资", ColumnType.DECIMAL, unit_of="project"),
        ))


def test_a_new_kind_of_reference_needs_no_change_to_the_engine(cast, tmp_path):
    written = []
    path = write_csv(tmp_path / "p.csv", [
        ["项目", "所属县区", "完成投资（万元）"], ["东环路改造", "甲区", "12"],
        ["P002", "乙县", "3,000"], ["西区公园", "甲区", "1"], ["封存项目", "甲区", "1"]])
    result = run_import(_form(written), path, scope=Scope.operator(), apply=True)
    assert [(e["row"], e["column"], e["message"]) for e in result.as_dict()["errors"]] == [
        (4, "项目", "未知的项目“西区公园”。"), (5, "项目", "项目已封存。")]
    path = write_csv(tmp_path / "ok.csv", [
        ["项目", "所属县区", "完成投资（万元）"], ["东环路改造", "甲区", "12"],
        ["P002", "乙县", "3,000"]])
    assert run_import(_form(written), path, scope=Scope.operator(), apply=True).ok
    assert written == [(1, cast.county_a.pk, Decimal("12")), (2, cast.county_b.pk,
                                                               Decimal("0.3"))]


def test_the_template_offers_the_resolvers_names(cast, tmp_path):
    path = write_template(_form([]), tmp_path / "t.xlsx", Scope.operator())
    lists = openpyxl.load_workbook(path)["lists"]
    assert [row[0] for row in lists.iter_rows(values_only=True)][:3] == [
        "东环路改造", "北区污水厂", "封存项目"]
