"""Confirming a speech's rows (立项) while teaching the registry the unit names it did not
know: a mapped name becomes a synonym, a new unit is created once, and any refusal
writes nothing at all."""

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiangping.orgs.models import Level, OrgUnit
from jiangping.orgs.scope import Scope
from jiangping.tasks.confirm import confirm_speech
from jiangping.tasks.forms import ProposalForm, parse_mentions, text_homes
from jiangping.tasks.models import Task

DAY = dt.date(2026, 11, 18)


def confirm(cast, rows, user=None):
    user = user or cast.office
    return confirm_speech(Scope.for_user(user), rows, source_title="县长办公会议纪要",
                          source_date=DAY, user=user)


def row(title="完成园区道路招标", lead=None, co=(), mentions=()):
    return {"title": title, "lead_unit": lead, "co_units": list(co), "deadline": None,
            "target": "", "mentions": list(mentions)}


def test_a_mapped_lead_leads_and_is_remembered(cast):
    tasks, learnt = confirm(cast, [row(mentions=[
        {"text": "县工业园区管委会", "role": "lead", "unit": cast.county_b}])])
    (task,) = tasks
    assert task.lead_unit == cast.county_b and list(task.co_units.all()) == []
    assert learnt == [("县工业园区管委会", cast.county_b)]
    assert OrgUnit.objects.get(pk=cast.county_b.pk).synonyms == "乙,县工业园区管委会"


def test_the_offices_lead_wins_over_a_mapped_lead(cast):
    (task,), _learnt = confirm(cast, [row(lead=cast.county_a, mentions=[
        {"text": "县工业园区管委会", "role": "lead", "unit": cast.county_b},
        {"text": "园区办", "role": "co", "unit": cast.county_a}])])
    assert task.lead_unit == cast.county_a
    assert list(task.co_units.all()) == [cast.county_b]


def test_a_new_unit_is_created_once_for_every_row_naming_it(cast):
    new = {"level": Level.DEPARTMENT, "parent": cast.county_b}
    tasks, learnt = confirm(cast, [
        row("甲", mentions=[{"text": "县国土资源局", "role": "lead", "new": new}]),
        row("乙", lead=cast.county_b,
            mentions=[{"text": "县国土资源局", "role": "co", "new": new}]),
    ])
    bureau = OrgUnit.objects.get(name="县国土资源局")
    assert bureau.parent == cast.county_b and bureau.level == Level.DEPARTMENT
    assert learnt == [("县国土资源局", bureau)]
    assert tasks[0].lead_unit == bureau
    assert list(tasks[1].co_units.all()) == [bureau]


def test_one_refused_name_writes_nothing(cast):
    cast.county_a.synonyms = "甲,县工业园区管委会"
    cast.county_a.save()
    with pytest.raises(ValidationError) as refused:
        confirm(cast, [
            row("甲", mentions=[{"text": "县国土资源局", "role": "lead", "new": {
                "level": Level.DEPARTMENT, "parent": cast.county_b}}]),
            row("乙", mentions=[{"text": "县工业园区管委会", "role": "lead",
                                 "unit": cast.county_b}]),
        ])
    assert refused.value.messages == [
        "第2项：“县工业园区管委会”已是“甲区”的名称或别名，不能再作为“乙县”的别名。"]
    assert Task.objects.count() == 0
    assert not OrgUnit.objects.filter(name="县国土资源局").exists()
    assert OrgUnit.objects.get(pk=cast.county_b.pk).synonyms == "乙"


def test_a_row_left_without_lead_refuses_all(cast):
    with pytest.raises(ValidationError):
        confirm(cast, [row(mentions=[{"text": "县财政局", "role": "co", "unit": cast.county_b}])])
    assert OrgUnit.objects.get(pk=cast.county_b.pk).synonyms == "乙"
    assert Task.objects.count() == 0


@pytest.mark.parametrize("who", ["reporter_a", "reporter_b", "leader"])
def test_only_the_office_confirms(cast, who):
    with pytest.raises(PermissionDenied):
        confirm(cast, [row(lead=cast.county_a, mentions=[
            {"text": "县工业园区管委会", "role": "co", "unit": cast.county_b}])],
                user=getattr(cast, who))
    assert OrgUnit.objects.get(pk=cast.county_b.pk).synonyms == "乙"


MENTIONS = [
    {"text": "县工业园区管委会", "role": "lead", "level": "county", "state": "unresolved",
     "unit": None, "members": [], "candidates": []},
    {"text": "各乡镇", "role": "co", "level": "township", "state": "collective", "unit": None,
     "members": [], "candidates": []},
]


def form(cast, data, mentions=MENTIONS):
    units = [cast.county_a, cast.county_b, cast.department]
    base = {"include": "on", "title": "完成园区道路招标", "mentions": json.dumps(mentions)}
    return ProposalForm({**base, **data}, units=units, parents=list(text_homes()),
                        home=cast.county_b)


def test_the_form_maps_an_unresolved_lead(cast):
    mapped = form(cast, {"map_0": str(cast.county_b.pk)})
    assert mapped.is_valid(), mapped.errors
    assert mapped.row()["lead_unit"] is None
    assert mapped.row()["mentions"] == [
        {"text": "县工业园区管委会", "role": "lead", "unit": cast.county_b}]
    assert "map_1" not in mapped.fields  # a collective is not mapped


def test_the_form_needs_a_lead(cast):
    left_out = form(cast, {"map_0": ""})
    assert not left_out.is_valid()
    assert left_out.errors["lead_unit"] == ["请选择牵头单位。"]
    assert form(cast, {"map_0": "", "include": ""}).is_valid()


def test_a_new_unit_needs_its_parent(cast):
    new = form(cast, {"map_0": "new", "level_0": Level.DEPARTMENT, "parent_0": ""})
    assert not new.is_valid()
    assert new.errors["parent_0"] == ["新建单位“县工业园区管委会”：请选择上级单位。"]
    new = form(cast, {"map_0": "new", "level_0": Level.DEPARTMENT,
                      "parent_0": str(cast.county_b.pk)})
    assert new.is_valid(), new.errors
    assert new.row()["mentions"] == [{"text": "县工业园区管委会", "role": "lead", "new": {
        "level": Level.DEPARTMENT, "parent": cast.county_b}}]


def test_the_form_defaults_a_new_units_parent_to_the_texts_county(cast):
    unbound = ProposalForm(initial={"mentions": json.dumps(MENTIONS)},
                           units=[cast.county_b], parents=list(text_homes()), home=cast.county_b)
    assert unbound.fields["parent_0"].initial == cast.county_b.pk
    assert unbound.fields["level_0"].initial == Level.DEPARTMENT
    city_unit = {**MENTIONS[0], "text": "市自然资源和规划局", "level": "city"}
    town = {**MENTIONS[0], "text": "北关镇", "level": "township"}
    for home in (None, cast.county_b):
        unbound = ProposalForm(initial={"mentions": json.dumps([city_unit, town, MENTIONS[0]])},
                               units=[cast.county_b], parents=list(text_homes()), home=home)
        assert unbound.fields["parent_0"].initial == cast.city.pk
        assert unbound.fields["level_1"].initial == Level.TOWNSHIP
        expected = cast.county_b.pk if home else None
        assert unbound.fields["parent_1"].initial == unbound.fields["parent_2"].initial == expected


@pytest.mark.parametrize("raw", [
    "not json", "{}", '[{"text": 1, "state": "resolved"}]', '[{"text": "甲", "state": "x"}]',
    json.dumps([{"text": "长" * 51, "state": "unresolved"}]), json.dumps([1] * 101),
])
def test_broken_mentions_are_refused(cast, raw):
    with pytest.raises(ValidationError):
        parse_mentions(raw)
    broken = ProposalForm({"include": "on", "title": "甲", "lead_unit": str(cast.county_a.pk),
                           "mentions": raw}, units=[cast.county_a])
    assert not broken.is_valid()
    assert broken.non_field_errors() == ["页面数据不完整，请重新分解讲话稿。"]


def test_mentions_are_cleaned(cast):
    (mention,) = parse_mentions(json.dumps([{
        "text": "县财政局", "role": "boss", "level": 3, "state": "unresolved",
        "unit": "x", "members": "1", "candidates": [1, "2", None]}]))
    assert mention == {"text": "县财政局", "role": "co", "level": "", "state": "unresolved",
                       "unit": None, "members": [], "candidates": [1]}


def test_the_deadline_as_written_reaches_the_task(cast):
    kept = form(cast, {"map_0": str(cast.county_b.pk), "deadline": "2027-02-04",
                       "deadline_text": "春节前"})
    assert kept.is_valid(), kept.errors
    assert kept.row()["deadline_text"] == "春节前"
    cleared = form(cast, {"map_0": str(cast.county_b.pk), "deadline_text": "春节前"})
    assert cleared.is_valid() and cleared.row()["deadline_text"] == ""  # no date, no text
    (task,), _learnt = confirm(cast, [{**row(lead=cast.county_b), "deadline": dt.date(2027, 2, 4),
                                       "deadline_text": "春节前"}])
    assert task.deadline_text == "春节前"
