"""Speech decomposition against the org registry: units with their level and county, the
text's home unit (``--unit``), and a mapping the office stored resolving the next proposal."""

import datetime as dt
import json

import pytest
from django.core.management import call_command

from jiangping.orgs.models import Level, OrgUnit
from jiangping.tasks.gazetteer import propose_json, registry_gazetteer

DAY = dt.date(2025, 3, 10)


@pytest.fixture
def registry(cast):
    county = OrgUnit.objects.create(code="D0201", name="乙县财政局", level=Level.DEPARTMENT,
                                    parent=cast.county_b)
    city = OrgUnit.objects.create(code="D0102", name="示例市财政局", short_name="市财政局",
                                  level=Level.DEPARTMENT, parent=cast.city)
    return cast, county, city


def test_entries_carry_level_and_county(registry):
    _cast, _county, _city = registry
    entries = {e.name: e for e in registry_gazetteer().entries}
    assert entries["乙县财政局"].county == "乙县" and entries["乙县财政局"].rank == "county"
    assert entries["示例市财政局"].county == "" and entries["示例市财政局"].rank == "city"
    assert entries["示例市"].level == "city" and entries["乙县北镇"].county == "乙县"
    assert "样本市" not in entries


def test_a_county_unit_resolves_in_its_countys_text_only(registry):
    text = "县财政局要加快资金拨付。"
    [in_county], _ = propose_json(text, DAY, home="乙县")
    assert in_county.lead_units == ["乙县财政局"]
    [in_city], _ = propose_json(text, DAY, home="示例市")
    assert in_city.lead_units == ["县财政局"] and in_city.units[0]["unit"] is None
    assert in_city.units[0]["candidates"][0] == "乙县财政局"
    assert "示例市财政局" in in_city.units[0]["candidates"]


def test_a_mapping_stored_as_a_synonym_resolves_the_next_proposal(registry):
    _cast, county, _city = registry
    text = "县国土资源局要在6月底前完成土地报批。"
    [before], _ = propose_json(text, DAY, home="乙县")
    assert before.units[0]["unit"] is None and before.lead_units == ["县国土资源局"]
    county.synonyms = "县国土资源局"
    county.save()
    [after], _ = propose_json(text, DAY, home="乙县")
    assert after.units[0]["unit"] == "乙县财政局" and after.lead_units == ["乙县财政局"]


def test_command_takes_the_texts_unit(registry, tmp_path, capsys):
    speech = tmp_path / "minute.txt"
    speech.write_text("会议要求，县财政局在15个工作日内完成资金拨付。", encoding="utf-8")
    call_command("tasks", "propose", str(speech), "--date", "2025-03-10", "--json",
                 "--unit", "乙县")
    [task] = json.loads(capsys.readouterr().out)["tasks"]
    assert task["lead_units"] == ["乙县财政局"] and task["needs_unit"] is False
    assert task["units"][0]["level"] == "county"
    call_command("tasks", "propose", str(speech), "--date", "2025-03-10")
    out = capsys.readouterr().out
    assert "名录中无此单位：县财政局" in out and "乙县财政局" in out
