"""The bulletin page for the fixed cast: the city office generates, edits and publishes;
a county user (甲区) sees and downloads published versions only; another county's user
(乙县) likewise, and neither may write (403)."""

import pytest
from django.urls import reverse

from jiangping.bulletins import services
from jiangping.bulletins.models import BulletinVersion, Status
from jiangping.bulletins.tests.conftest import PERIOD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("faces")]


def page(client, user, **query):
    client.force_login(user)
    return client.get(reverse("bulletins:page"), {"period": PERIOD, **query})


def download(client, version, fmt):
    return client.get(reverse("bulletins:download", args=[PERIOD, version, fmt]))


def test_office_generates_edits_and_publishes(client, cast, reviewed):
    client.force_login(cast.office)
    assert "生成通报" in page(client, cast.office).content.decode()
    response = client.post(reverse("bulletins:generate"), {"period": PERIOD})
    assert response.status_code == 302
    body = page(client, cast.office).content.decode()
    assert "市讲评办〔2026〕6号 · 第1版（草稿）" in body and "依据讲评结果第1版" in body
    assert '<article class="bulletin-preview">' in body and "讲评结果第1版：甲区98.00分。" in body
    assert "修改草稿" in body and ">发布第1版</button>" in body
    assert "部分县区项目开工率偏低，红岩县仅为45.0%。\n规模以上工业增加值" in body  # textarea
    client.post(reverse("bulletins:edit"), {
        "period": PERIOD, "number": "市讲评办〔2026〕8号", "date": "2026年7月2日",
        "problems": "一是招商引资到位资金偏少。\n乙县项目开工滞后。",
        "actions": "加快项目开工建设，确保年度计划开工项目全部开工。\n"
                   "抓好督办事项落实，逾期事项限期办结。"})
    draft = BulletinVersion.objects.get()
    assert draft.number == "市讲评办〔2026〕8号" and draft.date == "2026年7月2日"
    assert draft.edits == {"problems": ["招商引资到位资金偏少。", "乙县项目开工滞后。"]}
    client.post(reverse("bulletins:publish"), {"period": PERIOD})
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED and draft.published_by == cast.office
    body = page(client, cast.office).content.decode()
    assert "第1版（已发布）" in body and "修改草稿" not in body
    assert ">发布第1版</button>" not in body


def test_regenerating_an_unchanged_month_says_so(client, cast, reviewed):
    services.generate(reviewed, PERIOD)
    client.force_login(cast.office)
    response = client.post(reverse("bulletins:generate"), {"period": PERIOD}, follow=True)
    assert "数据未变，通报内容与第1版相同。" in response.content.decode()
    assert BulletinVersion.objects.count() == 1


def test_a_month_without_a_published_review_cannot_be_generated(client, cast):
    client.force_login(cast.office)
    body = page(client, cast.office).content.decode()
    assert "本月的考核排名尚未发布" in body
    response = client.post(reverse("bulletins:generate"), {"period": PERIOD}, follow=True)
    assert "2026年6月尚无已发布的讲评结果" in response.content.decode()
    assert not BulletinVersion.objects.exists()


def test_an_edit_refused_by_the_service_is_told_and_nothing_changes(client, cast, reviewed):
    services.generate(reviewed, PERIOD)
    client.force_login(cast.office)
    response = client.post(reverse("bulletins:edit"), {
        "period": PERIOD, "number": "号" * 101, "problems": "", "actions": ""}, follow=True)
    assert "文号超过100字" in response.content.decode()
    assert BulletinVersion.objects.get().number == "市讲评办〔2026〕6号"


@pytest.mark.parametrize("who", ["reporter_a", "reporter_b", "leader"])
def test_only_the_office_writes(client, cast, reviewed, who):
    services.generate(reviewed, PERIOD)
    client.force_login(getattr(cast, who))
    for name in ("bulletins:generate", "bulletins:edit", "bulletins:publish"):
        assert client.post(reverse(name), {"period": PERIOD, "problems": "x"}).status_code == 403
    draft = BulletinVersion.objects.get()
    assert draft.status == Status.DRAFT and draft.edits == {}


@pytest.mark.parametrize("who", ["reporter_a", "reporter_b"])
def test_counties_see_and_download_published_versions_only(client, cast, reviewed, who):
    services.generate(reviewed, PERIOD)
    user = getattr(cast, who)
    body = page(client, user).content.decode()
    assert "本月尚无已发布的通报" in body and "讲评结果第1版" not in body
    assert "生成通报" not in body and "修改草稿" not in body
    assert download(client, 1, "docx").status_code == 404  # a draft
    assert page(client, user, version=1).status_code == 404
    services.publish(reviewed, PERIOD)
    services.generate(reviewed, PERIOD, number="市讲评办〔2026〕7号")  # version 2, a draft
    body = page(client, user).content.decode()
    assert "市讲评办〔2026〕6号 · 第1版（已发布）" in body and "修改草稿" not in body
    assert "市讲评办〔2026〕7号" not in body
    response = download(client, 1, "pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "%E9%80%9A%E6%8A%A5" in response["Content-Disposition"]  # 通报… as the file name
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.7\n")
    assert download(client, 2, "pdf").status_code == 404


def test_office_downloads_a_draft_in_every_format(client, cast, reviewed):
    services.generate(reviewed, PERIOD)
    client.force_login(cast.office)
    types = {fmt: download(client, 1, fmt)["Content-Type"] for fmt in services.FORMATS}
    assert types == {
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "html": "text/html; charset=utf-8", "pdf": "application/pdf"}
    assert download(client, 1, "odt").status_code == 404
    assert download(client, 3, "pdf").status_code == 404


def test_a_village_cadre_downloads_a_published_bulletin_but_has_no_page(client, cast, reviewed):
    services.generate(reviewed, PERIOD)
    services.publish(reviewed, PERIOD)
    client.force_login(cast.cadre)
    assert download(client, 1, "docx").status_code == 200
    assert client.get(reverse("bulletins:page")).status_code == 403


def test_history_links_each_version_to_the_diff_with_the_one_before(client, cast, reviewed):
    services.generate(reviewed, PERIOD)
    services.publish(reviewed, PERIOD)
    services.generate(reviewed, PERIOD, number="市讲评办〔2026〕7号")
    body = page(client, cast.office).content.decode()
    link = f"{reverse('bulletins:diff')}?period={PERIOD}&amp;old=1&amp;new=2"
    assert f'hx-get="{link}"' in body and "与第1版比较" in body
    fragment = client.get(reverse("bulletins:diff"), {"period": PERIOD, "old": 1, "new": 2},
                          headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and "第1版 → 第2版" in fragment
    assert '<tr class="diff-changed">' in fragment
    assert "市讲评办〔2026〕6号" in fragment and "市讲评办〔2026〕7号" in fragment
    whole = client.get(reverse("bulletins:diff"), {"period": PERIOD, "old": 1, "new": 2})
    assert "<html" in whole.content.decode() and "通报版本比较" in whole.content.decode()
    client.force_login(cast.reporter_a)  # version 2 is a draft: not for a county
    assert client.get(reverse("bulletins:diff"),
                      {"period": PERIOD, "old": 1, "new": 2}).status_code == 404


def test_bad_period_is_refused(client, cast):
    client.force_login(cast.office)
    assert client.get(reverse("bulletins:page"), {"period": "2026-13"}).status_code == 404
    assert client.post(reverse("bulletins:generate"), {"period": "x"}).status_code == 404
    assert client.get(reverse("bulletins:download", args=["2026-13", 1, "pdf"])).status_code \
        == 404


def test_the_navigation_has_the_bulletin_for_readers(client, cast):
    client.force_login(cast.reporter_a)
    assert f'href="{reverse("bulletins:page")}"' in client.get("/").content.decode()
    client.force_login(cast.cadre)
    assert f'href="{reverse("bulletins:page")}"' not in client.get("/").content.decode()


def test_the_page_costs_the_same_queries_however_many_versions(client, cast, reviewed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.generate(reviewed, PERIOD)
    client.force_login(cast.office)
    client.get(reverse("bulletins:page"), {"period": PERIOD})  # warm: the session, the user
    with CaptureQueriesContext(connection) as one:
        page(client, cast.office)
    for number in (7, 8):
        services.publish(reviewed, PERIOD)
        services.generate(reviewed, PERIOD, number=f"市讲评办〔2026〕{number}号")
    with CaptureQueriesContext(connection) as three:
        body = page(client, cast.office).content.decode()
    assert "与第2版比较" in body and len(three) == len(one)


def test_a_published_bulletin_is_corrected_from_the_page_in_a_new_version(client, cast,
                                                                           reviewed):
    services.generate(reviewed, PERIOD)
    first = services.publish(reviewed, PERIOD)
    body = page(client, cast.office).content.decode()
    assert "<h2>修改并生成新版本</h2>" in body and ">修改并生成新版本</button>" in body
    assert '<textarea name="problems"' in body and ">发布第1版</button>" not in body
    response = client.post(reverse("bulletins:edit"), {
        "period": PERIOD, "version": 1, "digest": first.digest, "number": first.number,
        "date": first.date, "issuer": first.issuer, "problems": "一、到位资金偏少。",
        "actions": ""}, follow=True)
    assert "已生成第2版（草稿），发布前仅市级可见。" in response.content.decode()
    second = BulletinVersion.objects.get(version=2)
    assert second.status == Status.DRAFT and second.edits == {"problems": ["到位资金偏少。"]}
    first.refresh_from_db()
    assert first.status == Status.PUBLISHED and first.edits == {}
    body = page(client, cast.office).content.decode()
    assert "<h2>修改草稿</h2>" in body and ">发布第2版</button>" in body


def test_the_edit_form_and_publish_carry_the_version_and_digest_shown(client, cast, reviewed):
    draft = services.generate(reviewed, PERIOD)
    body = page(client, cast.office).content.decode()
    assert body.count('<input type="hidden" name="version" value="1">') == 2
    assert body.count(f'<input type="hidden" name="digest" value="{draft.digest}">') == 2
    services.edit(reviewed, PERIOD, number="市讲评办〔2026〕8号")  # meanwhile, elsewhere
    response = client.post(reverse("bulletins:publish"), {
        "period": PERIOD, "version": 1, "digest": draft.digest}, follow=True)
    assert "通报已有变动：第1版在您打开页面后又被修改或重新生成。请核对最新内容后再发布。" in \
        response.content.decode()
    assert BulletinVersion.objects.get().status == Status.DRAFT


def test_a_refused_edit_shows_the_form_again_with_what_was_typed(client, cast, reviewed):
    draft = services.generate(reviewed, PERIOD)
    client.force_login(cast.office)
    typed = {"period": PERIOD, "version": 1, "digest": draft.digest,
             "number": "市讲评办〔2026〕8号", "date": "2026-02-30", "issuer": "示例市讲评办",
             "problems": "到位资金偏少。\n乙县<项目>开工滞后。", "actions": "加快进度。"}
    response = client.post(reverse("bulletins:edit"), typed)
    body = response.content.decode()
    assert response.status_code == 422
    assert "成文日期“2026-02-30”不是存在的日期：2026年2月没有30日。" in body
    shown = ('<textarea name="problems" rows="6">'
             "到位资金偏少。\n乙县&lt;项目&gt;开工滞后。</textarea>")
    assert shown in body
    assert 'name="date" value="2026-02-30"' in body and 'value="市讲评办〔2026〕8号"' in body
    assert BulletinVersion.objects.get().digest == draft.digest
    services.edit(reviewed, PERIOD, number="市讲评办〔2026〕9号")  # meanwhile, elsewhere
    response = client.post(reverse("bulletins:edit"), {**typed, "date": "2026-07-03"})
    body = response.content.decode()
    assert response.status_code == 422 and "请核对最新内容后再保存修改" in body
    assert "到位资金偏少。\n乙县&lt;项目&gt;开工滞后。</textarea>" in body
    current = BulletinVersion.objects.get()
    assert f'name="digest" value="{current.digest}"' in body  # sending again overwrites
    response = client.post(reverse("bulletins:edit"), {**typed, "date": "2026-07-03",
                                                       "digest": current.digest})
    assert response.status_code == 302
    assert BulletinVersion.objects.get().number == "市讲评办〔2026〕8号"


def test_a_nul_typed_in_the_page_is_refused_by_name_not_as_a_bad_form(client, cast, reviewed):
    services.generate(reviewed, PERIOD)
    client.force_login(cast.office)
    response = client.post(reverse("bulletins:edit"), {
        "period": PERIOD, "number": "市讲评办\x00〔2026〕8号", "problems": "", "actions": ""})
    assert response.status_code == 422
    assert "文号含有不可见的控制字符（U+0000），请删除后重新输入。" in response.content.decode()
