"""The rows of the speech page from proposals (pure): which mention leads, what a
collective stands for, what is left unresolved, and a target with its indicator."""

import pytest

from jiangping.tasks.proposals import Proposal
from jiangping.tasks.speech import collective_kind, mention_state, row_of, target_phrase

UNITS = {"示例市发展和改革委员会": 1, "甲区": 2, "乙县": 3, "乙县北镇": 4, "示例高新区": 5}
COLLECTIVES = {"counties": [2, 3], "townships": [4], "zones": [5]}


def unit(text, role="lead", name=None, collective=False, candidates=()):
    return {"text": text, "start": 0, "end": len(text), "role": role, "level": "",
            "unit": name, "collective": collective, "candidates": list(candidates)}


def proposal(*units, targets=(), milestones=(), note=""):
    return Proposal(sentence="句子。", start=0, end=3, heading=[], lead_units=[], co_units=[],
                    deadline=None, deadline_text="", targets=list(targets), topic="主题",
                    units=list(units), needs_unit=False, milestones=list(milestones),
                    deadline_note=note)


def test_the_first_resolved_lead_leads_and_the_others_co_operate():
    row = row_of(proposal(unit("市发改委", name="示例市发展和改革委员会"),
                          unit("甲区", name="甲区"), unit("乙县", "co", name="乙县")),
                 UNITS, COLLECTIVES)
    assert (row.lead_unit, row.co_units, row.needs_unit) == (1, [2, 3], False)
    assert [m["state"] for m in row.mentions] == ["resolved"] * 3
    assert row.unmatched == []


def test_an_unresolved_lead_leaves_the_lead_to_the_office():
    row = row_of(proposal(unit("县国土资源局", candidates=["乙县", "不在名录"]),
                          unit("乙县", "co", name="乙县")), UNITS, COLLECTIVES)
    assert (row.lead_unit, row.co_units, row.needs_unit) == (None, [3], True)
    first = row.mentions[0]
    assert (first["state"], first["candidates"], first["unit"]) == ("unresolved", [3], None)
    assert row.unmatched == ["县国土资源局"]


@pytest.mark.parametrize(("text", "members"), [
    ("各县（市、区）", [2, 3]), ("各县区", [2, 3]), ("各乡镇", [4]), ("各镇", [4]),
    ("各开发区", [5]), ("县直各部门", []), ("相关部门", []),
])
def test_a_collective_stands_for_its_units_as_co_units(text, members):
    row = row_of(proposal(unit(text, collective=True)), UNITS, COLLECTIVES)
    assert row.lead_unit is None and row.co_units == members
    assert row.mentions[0]["state"] == "collective" and row.mentions[0]["members"] == members
    assert row.unmatched == ([] if members else [text])


def test_a_registered_unit_the_page_cannot_assign_is_unresolved():
    row = row_of(proposal(unit("东村", name="东村")), UNITS, COLLECTIVES)
    assert row.mentions[0]["state"] == "unresolved" and row.lead_unit is None


def test_states_and_kinds():
    assert mention_state(unit("甲区", name="甲区")) == "resolved"
    assert mention_state(unit("各乡镇")) == "collective"  # by its form, even unmarked
    assert mention_state(unit("县财政局")) == "unresolved"
    forms = ("各县(市)", "各街道", "各园区", "各县直部门", "县直各部门")
    assert [collective_kind(t) for t in forms] == ["counties", "townships", "zones", "", ""]


def test_milestones_note_and_targets_are_carried():
    milestones = [{"deadline": "2026-09-30", "deadline_text": "9月底前", "text": "上报"},
                  {"deadline": "2026-10-31", "deadline_text": "10月底前", "text": "发放到位"}]
    row = row_of(proposal(unit("甲区", name="甲区"), milestones=milestones, note="暂按双休日",
                          targets=[{"text": "增长6%", "subject": "一般公共预算收入"},
                                   {"text": "报征土地1135亩", "subject": "报征土地"}]),
                 UNITS, COLLECTIVES)
    assert row.milestones == milestones and row.deadline_note == "暂按双休日"
    assert row.target == "一般公共预算收入增长6%；报征土地1135亩"


@pytest.mark.parametrize(("target", "phrase"), [
    ({"text": "下降5%", "subject": "PM10"}, "PM10下降5%"),
    ({"text": "新建高标准农田2万亩", "subject": "高标准农田"}, "新建高标准农田2万亩"),
    ({"text": "达到95%", "subject": "率"}, "达到95%"),
    ({"text": "达到95%", "subject": ""}, "达到95%"),
    ({"text": "达到95%"}, "达到95%"),
])
def test_a_target_keeps_its_indicator(target, phrase):
    assert target_phrase(target) == phrase


def test_a_mention_as_the_page_shows_it():
    mention = {**unit("县财政局", candidates=["乙县"]), "level": "county"}
    del mention["role"]
    row = row_of(proposal(mention, unit("乙县", "lead", name="乙县")), UNITS, COLLECTIVES)
    assert row.lead_unit == 3
    assert row.mentions == [
        {"text": "县财政局", "role": "co", "level": "county", "state": "unresolved",
         "unit": None, "members": [], "candidates": [3]},
        {"text": "乙县", "role": "lead", "level": "", "state": "resolved", "unit": 3,
         "members": [], "candidates": []},
    ]


def test_the_title_is_the_topic_or_the_sentence_opening():
    untitled = proposal(unit("甲区", name="甲区"))
    untitled.topic, untitled.sentence = "", "甲" * 70
    assert row_of(untitled, UNITS, COLLECTIVES).title == "甲" * 60
    assert row_of(proposal(), UNITS, COLLECTIVES).title == "主题"


def test_a_two_character_indicator_is_kept():
    assert target_phrase({"text": "增长6%", "subject": "税收"}) == "税收增长6%"
