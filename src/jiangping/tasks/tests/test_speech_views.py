"""The speech page (讲话分解): the office pastes or uploads a speech, edits the proposed
tasks and confirms them all at once; a refused row refuses them all; 甲区 and the
leader are refused the page."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jiangping.tasks.models import SourceKind, Task

SPEECH = reverse("tasks:speech")
MEETING = dt.date(2024, 12, 5)
TITLE = "市长在全市11月份经济运行讲评会上的讲话"
TEXT = """同志们：
一、全力冲刺全年目标
市发改委牵头，甲区配合，12月底前完成重点项目投资计划，开工率达到95%。
乙县要加快秸秆综合利用，年底前综合利用率达到90%。
各县（市、区）要抓好安全生产，春节前完成隐患排查。
市直有关单位要落实减税降费政策<b>。
"""


def analyse(client, user, **extra):
    client.force_login(user)
    data = {"text": TEXT, "meeting_date": MEETING.isoformat(), "source_title": TITLE, **extra}
    return client.post(SPEECH, data)


def confirm_data(response, edits: dict[int, dict]) -> dict:
    """The confirmation POST of the rows as proposed: the rows in ``edits`` (by index)
    ticked with their edited values, the others unticked."""
    rows = response.context["rows"]
    data = {
        "text": response.context["form"].cleaned_data["text"],
        "meeting_date": MEETING.isoformat(), "source_title": TITLE, "confirm": "1",
        "form-TOTAL_FORMS": str(len(rows.forms)), "form-INITIAL_FORMS": str(len(rows.forms)),
    }
    for i, form in enumerate(rows.forms):
        row = {**form.initial, **edits.get(i, {})}
        prefix = f"form-{i}-"
        if i in edits:
            data[prefix + "include"] = "on"
        for key in ("title", "deadline", "target", "sentence", "unmatched"):
            data[prefix + key] = row.get(key) or ""
        data[prefix + "lead_unit"] = row.get("lead_unit") or ""
        data[prefix + "co_units"] = [str(pk) for pk in row.get("co_units") or ()]
    return data


def test_pasted_speech_shows_proposals_marked(client, cast):
    response = analyse(client, cast.office)
    assert response.status_code == 200
    html = response.content.decode()
    initial = [form.initial for form in response.context["rows"].forms]
    assert len(initial) == 4
    assert initial[0]["lead_unit"] == cast.department.pk
    assert initial[0]["co_units"] == [cast.county_a.pk]
    assert initial[0]["deadline"] == "2024-12-31"
    assert initial[1]["lead_unit"] == cast.county_b.pk
    # 各县(市、区): no lead, every county-level unit but the zone as co-unit.
    assert initial[2]["lead_unit"] is None
    assert set(initial[2]["co_units"]) == {cast.county_a.pk, cast.county_b.pk, cast.county_c.pk}
    assert initial[3]["lead_unit"] is None and initial[3]["unmatched"] == "市直有关单位"
    assert '<span class="m-unit">市发改委</span>' in html
    assert '<span class="m-deadline">12月底前</span>' in html
    assert '<span class="m-target">达到95%</span>' in html
    assert "<b>" not in html and "&lt;b&gt;" in html


def test_confirming_three_creates_exactly_three(client, cast):
    proposed = analyse(client, cast.office)
    data = confirm_data(proposed, {
        0: {"title": "完成重点项目年度投资计划", "deadline": "2024-12-20"},
        1: {},
        2: {"lead_unit": cast.county_c.pk, "co_units": [cast.county_a.pk]},
    })
    response = client.post(SPEECH, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("tasks:board")
    assert "已立项 3 项" in response.content.decode()
    tasks = list(Task.objects.order_by("pk"))
    assert len(tasks) == 3
    first, second, third = tasks
    assert first.title == "完成重点项目年度投资计划"
    assert first.deadline == dt.date(2024, 12, 20)
    assert first.lead_unit == cast.department
    assert list(first.co_units.all()) == [cast.county_a]
    assert first.target == "开工率达到95%"
    assert second.lead_unit == cast.county_b and second.deadline == dt.date(2024, 12, 31)
    assert third.lead_unit == cast.county_c and list(third.co_units.all()) == [cast.county_a]
    for task in tasks:
        assert (task.source_kind, task.source_title, task.source_date) == (
            SourceKind.SPEECH, TITLE, MEETING)
        assert task.created_by == cast.office


@pytest.mark.parametrize("lead", ["", "999999"])
def test_a_row_without_a_known_lead_refuses_them_all(client, cast, lead):
    proposed = analyse(client, cast.office)
    data = confirm_data(proposed, {0: {}, 1: {}, 3: {"lead_unit": lead}})
    response = client.post(SPEECH, data)
    assert response.status_code == 422
    assert Task.objects.count() == 0
    html = response.content.decode()
    assert "未立项任何事项" in html or "field-error" in html
    assert 'class="proposal-row invalid" id="row-4"' in html


def test_the_service_refuses_them_all(cast):
    from django.core.exceptions import ValidationError

    from jiangping.orgs.scope import Scope
    from jiangping.tasks import services

    rows = [{"title": "甲", "lead_unit": cast.county_a},
            {"title": "", "lead_unit": None}]
    with pytest.raises(ValidationError) as refused:
        services.create_tasks(Scope.for_user(cast.office), rows, source_title=TITLE,
                              source_date=MEETING, user=cast.office)
    assert refused.value.messages == ["第2项：请填写督办事项。", "第2项：请选择牵头单位。"]
    assert Task.objects.count() == 0


@pytest.mark.parametrize("who", ["reporter_a", "leader"])
def test_others_are_refused(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(SPEECH).status_code == 403
    assert analyse(client, getattr(cast, who)).status_code == 403


def test_a_county_cannot_confirm(client, cast):
    """甲区 posting a filled, ticked confirmation (as the office's page would) is refused
    and nothing is assigned."""
    data = confirm_data(analyse(client, cast.office), {1: {"lead_unit": cast.county_b.pk}})
    client.force_login(cast.reporter_a)
    assert client.post(SPEECH, data).status_code == 403
    assert Task.objects.count() == 0
    client.force_login(cast.office)
    assert client.post(SPEECH, data).status_code == 302
    assert Task.objects.count() == 1


def test_docx_upload(client, cast):
    import docx

    document = docx.Document()
    for line in TEXT.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    upload = SimpleUploadedFile("讲话.docx", buffer.getvalue())
    client.force_login(cast.office)
    response = client.post(SPEECH, {"file": upload, "meeting_date": MEETING.isoformat(),
                                    "source_title": TITLE})
    assert response.status_code == 200
    assert len(response.context["rows"].forms) == 4


def test_txt_upload_must_be_utf8(client, cast):
    client.force_login(cast.office)
    upload = SimpleUploadedFile("讲话.txt", TEXT.encode("gbk"))
    response = client.post(SPEECH, {"file": upload, "meeting_date": MEETING.isoformat(),
                                    "source_title": TITLE})
    assert response.status_code == 422
    assert "不是 UTF-8 编码" in response.content.decode()


def test_example_speech_loads(client, cast):
    client.force_login(cast.office)
    response = client.get(SPEECH, {"example": "november"})
    assert response.status_code == 200
    form = response.context["form"]
    assert "经济运行讲评会" in form.initial["text"]
    assert form.initial["source_title"].startswith("市长")
    assert 'name="meeting_date" value="2025-12-05"' in response.content.decode()


@pytest.mark.parametrize("key", ["november", "first-quarter"])
def test_example_speeches_decompose(client, cast, key):
    from jiangping.tasks.speech import example

    text, title, day = example(key)
    client.force_login(cast.office)
    response = client.post(SPEECH, {"text": text, "meeting_date": day.isoformat(),
                                    "source_title": title})
    rows = [form.initial for form in response.context["rows"].forms]
    assert len(rows) >= 8
    assert sum(1 for row in rows if row["lead_unit"] == cast.department.pk) >= 1
    assert all(row["deadline"] for row in rows[:3])
