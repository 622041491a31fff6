"""The speech page and the unit names it does not know: a county's minute shows its
unregistered units with their likely matches; the office maps one to a registered unit
(remembered as a synonym, so the next decomposition resolves it) or creates it while
confirming; counties are refused and nothing is learnt from them."""

import datetime as dt

import pytest
from django.urls import reverse

from jiangping.orgs.models import Level, OrgUnit
from jiangping.orgs.services import create_unit
from jiangping.tasks.models import Task

SPEECH = reverse("tasks:speech")
MEETING = dt.date(2026, 11, 18)
TITLE = "乙县人民政府常务会议纪要"
MINUTE = """乙县人民政府常务会议纪要
一、关于工业园区基础设施建设
会议要求，县工业园区管委会牵头，县财政局配合，12月31日前完成园区道路管网工程招标。
二、关于冬季安全生产
各乡镇要抓紧开展安全隐患排查，12月15日前上报排查情况。
"""
PARK = "乙县经济开发区管理委员会"


@pytest.fixture
def park(cast):
    return create_unit(PARK, Level.DEPARTMENT, cast.county_b, cast.office)


def analyse(client, user, text=MINUTE, home=None, day=MEETING):
    client.force_login(user)
    return client.post(SPEECH, {"text": text, "meeting_date": day.isoformat(),
                                "source_title": TITLE, "home": home.pk if home else ""})


def row_with(response, words):
    for i, form in enumerate(response.context["rows"].forms):
        if words in form.initial["sentence"]:
            return i, form
    raise AssertionError(words)


def confirm_data(response, home, edits: dict[int, dict]) -> dict:
    """The confirmation POST of the rows as proposed, the rows in ``edits`` ticked with
    their edited values (mapping fields included), the others unticked."""
    rows = response.context["rows"]
    data = {"text": MINUTE, "meeting_date": MEETING.isoformat(), "source_title": TITLE,
            "home": home.pk, "confirm": "1", "form-TOTAL_FORMS": str(len(rows.forms)),
            "form-INITIAL_FORMS": str(len(rows.forms))}
    for i, form in enumerate(rows.forms):
        row = {**form.initial, **edits.get(i, {})}
        prefix = f"form-{i}-"
        if i in edits:
            data[prefix + "include"] = "on"
        for key in ("title", "deadline", "target", "sentence", "unmatched", "mentions"):
            data[prefix + key] = row.get(key) or ""
        data[prefix + "lead_unit"] = row.get("lead_unit") or ""
        data[prefix + "co_units"] = [str(pk) for pk in row.get("co_units") or ()]
        for key, value in row.items():
            if key.startswith(("map_", "level_", "parent_")):
                data[prefix + key] = value
    return data


def mention(form, text):
    return next(m for m in form.unit_mentions if m["text"] == text)


def test_a_countys_minute_shows_its_unregistered_units(client, cast, park):
    response = analyse(client, cast.office, home=cast.county_b)
    assert response.status_code == 200
    html = response.content.decode()
    _i, form = row_with(response, "园区道路管网")
    assert form.initial["lead_unit"] is None and form.initial["needs_unit"]
    assert mention(form, "县工业园区管委会")["state"] == "unresolved"
    assert mention(form, "县工业园区管委会")["role"] == "lead"
    assert "未登记：" in html and "需指定牵头单位" in html
    assert 'class="m-unit unresolved">县工业园区管委会</span>' in html
    # 乙县's own units are offered to map it to.
    assert park.pk in dict(form.fields["lead_unit"].choices)
    _j, safety = row_with(response, "安全隐患排查")
    township = OrgUnit.objects.get(name="乙县北镇")
    assert mention(safety, "各乡镇")["state"] == "collective"
    assert safety.initial["co_units"] == [township.pk]


def test_mapping_a_unit_remembers_it_for_the_next_proposal(client, cast, park):
    proposed = analyse(client, cast.office, home=cast.county_b)
    i, form = row_with(proposed, "园区道路管网")
    j = next(n for n, m in enumerate(form.unit_mentions) if m["text"] == "县工业园区管委会")
    response = client.post(SPEECH, confirm_data(proposed, cast.county_b, {i: {
        f"map_{j}": str(park.pk)}}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("tasks:board")
    html = response.content.decode()
    assert "已立项 1 项" in html and f"“县工业园区管委会”即{PARK}" in html
    (task,) = Task.objects.all()
    assert task.lead_unit == park
    assert "县工业园区管委会" in OrgUnit.objects.get(pk=park.pk).synonyms

    again = analyse(client, cast.office, home=cast.county_b)
    _i, form = row_with(again, "园区道路管网")
    assert mention(form, "县工业园区管委会")["state"] == "resolved"
    assert form.initial["lead_unit"] == park.pk and not form.initial["needs_unit"]


def test_creating_the_unit_while_confirming(client, cast):
    proposed = analyse(client, cast.office, home=cast.county_b)
    i, form = row_with(proposed, "园区道路管网")
    j = next(n for n, m in enumerate(form.unit_mentions) if m["text"] == "县工业园区管委会")
    assert form.fields[f"parent_{j}"].initial == cast.county_b.pk
    response = client.post(SPEECH, confirm_data(proposed, cast.county_b, {i: {
        f"map_{j}": "new", f"level_{j}": Level.DEPARTMENT,
        f"parent_{j}": str(cast.county_b.pk)}}))
    assert response.status_code == 302
    unit = OrgUnit.objects.get(name="县工业园区管委会")
    assert unit.parent == cast.county_b and unit.level == Level.DEPARTMENT
    assert Task.objects.get().lead_unit == unit


def test_a_row_without_a_lead_cannot_be_confirmed(client, cast, park):
    proposed = analyse(client, cast.office, home=cast.county_b)
    i, _form = row_with(proposed, "园区道路管网")
    response = client.post(SPEECH, confirm_data(proposed, cast.county_b, {i: {}}))
    assert response.status_code == 422
    html = response.content.decode()
    assert "请选择牵头单位。" in html
    assert "需指定牵头单位" in html and "未登记：" in html  # the row as it was shown
    assert Task.objects.count() == 0


def test_a_refused_mapping_writes_nothing(client, cast, park):
    """One name mapped to two units: the second is refused with its message, and no
    task is created, no name learnt."""
    text = ("县工业园区管委会牵头，12月31日前完成园区道路招标。\n"
            "县工业园区管委会要在12月20日前完成消防整改。\n")
    proposed = analyse(client, cast.office, text=text, home=cast.county_b)
    assert len(proposed.context["rows"].forms) == 2
    data = confirm_data(proposed, cast.county_b, {0: {"map_0": str(park.pk)},
                                                   1: {"map_0": str(cast.county_b.pk)}})
    data["text"] = text
    response = client.post(SPEECH, data)
    assert response.status_code == 422
    assert (f"第2项：“县工业园区管委会”已是“{PARK}”的名称或别名，不能再作为“乙县”的别名。"
            in response.content.decode())
    assert Task.objects.count() == 0
    assert OrgUnit.objects.get(pk=park.pk).synonyms == ""


@pytest.mark.parametrize("who", ["reporter_a", "reporter_b", "leader"])
def test_counties_cannot_map_or_confirm(client, cast, park, who):
    proposed = analyse(client, cast.office, home=cast.county_b)
    i, form = row_with(proposed, "园区道路管网")
    j = next(n for n, m in enumerate(form.unit_mentions) if m["text"] == "县工业园区管委会")
    data = confirm_data(proposed, cast.county_b, {i: {f"map_{j}": str(park.pk)}})
    client.force_login(getattr(cast, who))
    assert client.post(SPEECH, data).status_code == 403
    assert Task.objects.count() == 0
    assert OrgUnit.objects.get(pk=park.pk).synonyms == ""


def test_milestones_are_shown(client, cast):
    text = "市发改委要在2027年9月底前完成项目申报，10月底前全部发放到位。\n"
    response = analyse(client, cast.office, text=text, day=dt.date(2027, 3, 1))
    html = response.content.decode()
    _i, form = row_with(response, "项目申报")
    assert [m["deadline"] for m in form.initial["milestones"]] == ["2027-09-30", "2027-10-31"]
    assert form.initial["deadline"] == "2027-09-30"
    assert "分阶段时限" in html and '<time datetime="2027-10-31">' in html
    assert '<span class="m-deadline">10月底前</span>' in html  # marked in the text too


def test_an_estimated_deadline_is_marked(client, cast, monkeypatch):
    """A deadline counted on weekends only (no holiday arrangement entered for its year)
    carries the extractor's note, shown beside the row's deadline."""
    from jiangping.tasks import views

    def estimating(*args, **kwargs):
        normal, proposals = views_propose(*args, **kwargs)
        for proposal in proposals:
            proposal.deadline_estimated = True
            proposal.deadline_note = "节假日安排未公布，暂按双休日计算"
        return normal, proposals

    views_propose = views.propose
    monkeypatch.setattr(views, "propose", estimating)
    response = analyse(client, cast.office, text="乙县要在15个工作日内完成整改。\n",
                       day=dt.date(2027, 3, 1))
    (form,) = response.context["rows"].forms
    assert form.initial["deadline_note"] == "节假日安排未公布，暂按双休日计算"
    assert ('<span class="hint estimated">节假日安排未公布，暂按双休日计算</span>'
            in response.content.decode())
    monkeypatch.undo()
    plain = analyse(client, cast.office, text="乙县要在2027年3月底前完成整改。\n")
    assert "hint estimated" not in plain.content.decode()


def test_the_page_asks_the_database_the_same_for_more_rows(client, cast, park,
                                                           django_assert_max_num_queries):
    """No query per row or per mention: four times the minute costs what it once does."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    analyse(client, cast.office, home=cast.county_b)  # warm the session and caches
    with CaptureQueriesContext(connection) as once:
        analyse(client, cast.office, home=cast.county_b)
    with django_assert_max_num_queries(len(once.captured_queries)):
        response = analyse(client, cast.office, text=MINUTE * 4, home=cast.county_b)
    assert len(response.context["rows"].forms) == 8
