"""Bulletin versions: generated from the published review, identical when nothing changed,
a new version for a new review, edits on a draft, publication, files written whole or not
at all, and the text diff between versions."""

import os
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jiangping.bulletins import render, services
from jiangping.bulletins.models import BulletinVersion, Status
from jiangping.bulletins.tests.conftest import PERIOD
from jiangping.indicators.services import set_value
from jiangping.orgs.scope import Scope
from jiangping.reviews import services as reviews

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("faces")]


def new_review_version(cast, office):
    """乙县's revenue corrected and June reviewed and published again (version 2)."""
    set_value(office, indicator=cast.revenue, unit=cast.county_b, period=PERIOD, value=D(6))
    reviews.compute(office, PERIOD)
    return reviews.publish(office, PERIOD, cast.office)


def test_first_generation_is_a_draft_of_the_published_review(cast, reviewed, monkeypatch):
    monkeypatch.setattr(services, "default_date", lambda: "2026年7月3日")
    made = services.generate(reviewed, PERIOD, user=cast.office)
    assert (made.version, made.status, made.run.version) == (1, Status.DRAFT, 1)
    assert made.number == "市讲评办〔2026〕6号" and made.date == "2026年7月3日"
    assert made.issuer == "示例市月讲评工作领导小组办公室"
    assert made.created_by == cast.office and made.edits == {}
    text = made.document().text()
    assert "讲评结果第1版：甲区98.00分。" in text
    assert text.startswith("关于2026年1—10月全市重点工作讲评情况的通报\n市讲评办〔2026〕6号\n")
    assert text.endswith("示例市月讲评工作领导小组办公室\n2026年7月3日")
    assert len(made.digest) == 64


def test_regenerating_an_unchanged_month_returns_the_same_version(reviewed):
    first = services.generate(reviewed, PERIOD, number="市讲评办〔2026〕9号", date="2026年7月1日")
    again = services.generate(reviewed, PERIOD)  # 文号 and date carried over
    assert again.pk == first.pk and again.digest == first.digest
    services.publish(reviewed, PERIOD)
    after = services.generate(reviewed, PERIOD)
    assert after.pk == first.pk and after.status == Status.PUBLISHED
    assert BulletinVersion.objects.count() == 1


def test_a_draft_is_rewritten_in_place_and_a_published_one_never(reviewed):
    draft = services.generate(reviewed, PERIOD, date="2026年7月1日")
    rewritten = services.generate(reviewed, PERIOD, date="2026年7月2日")
    assert rewritten.pk == draft.pk and rewritten.version == 1
    assert rewritten.document().date == "2026年7月2日"
    services.publish(reviewed, PERIOD)
    second = services.generate(reviewed, PERIOD, number="市讲评办〔2026〕7号")
    assert (second.version, second.status) == (2, Status.DRAFT)
    assert second.date == "2026年7月2日"  # carried over from version 1
    first = BulletinVersion.objects.get(version=1)
    assert first.number == "市讲评办〔2026〕6号" and first.status == Status.PUBLISHED


def test_a_new_review_version_rewrites_the_unpublished_draft(cast, reviewed):
    first = services.generate(reviewed, PERIOD)
    old_text = first.document().text()
    run = new_review_version(cast, reviewed)
    second = services.generate(reviewed, PERIOD)
    assert (second.pk, second.version, second.run_id, second.run.version) == (
        first.pk, 1, run.pk, 2)
    assert second.status == Status.DRAFT and BulletinVersion.objects.count() == 1
    assert "讲评结果第1版" in old_text and "讲评结果第2版" in second.document().text()


def test_after_publication_a_new_review_makes_a_new_version_and_no_draft_is_left_behind(
        cast, reviewed):
    first = services.generate(reviewed, PERIOD)
    services.publish(reviewed, PERIOD)
    services.edit(reviewed, PERIOD, problems=["到位资金偏少。"])  # version 2, a draft
    run = new_review_version(cast, reviewed)
    second = services.generate(reviewed, PERIOD)
    assert (second.version, second.run_id, second.status) == (2, run.pk, Status.DRAFT)
    assert second.edits == {"problems": ["到位资金偏少。"]}  # carried over
    published = services.publish(reviewed, PERIOD)
    assert published.version == 2
    assert [(v.version, v.status) for v in BulletinVersion.objects.order_by("version")] == [
        (1, Status.PUBLISHED), (2, Status.PUBLISHED)]
    rows = services.text_diff(first, published)
    changed = [(r.left, r.right) for r in rows if r.kind == "changed"]
    assert ("讲评结果第1版：甲区98.00分。", "讲评结果第2版：甲区98.00分。") in changed


def test_a_month_without_a_published_review_is_refused(cast):
    office = Scope.for_user(cast.office)
    with pytest.raises(ValidationError, match="2026年6月尚无已发布的讲评结果"):
        services.generate(office, PERIOD)
    with pytest.raises(ValidationError, match="期间“2026-13”无效"):
        services.generate(office, "2026-13")
    assert not BulletinVersion.objects.exists()


@pytest.mark.parametrize("who", ["reporter_a", "reporter_b", "leader"])
def test_only_the_city_office_generates_edits_and_publishes(cast, reviewed, who):
    services.generate(reviewed, PERIOD)
    scope = Scope.for_user(getattr(cast, who))
    with pytest.raises(PermissionDenied):
        services.generate(scope, PERIOD, number="x")
    with pytest.raises(PermissionDenied):
        services.edit(scope, PERIOD, problems=["x"])
    with pytest.raises(PermissionDenied):
        services.publish(scope, PERIOD)
    assert BulletinVersion.objects.get().status == Status.DRAFT


def test_edit_puts_the_offices_paragraphs_in_the_draft(reviewed):
    services.generate(reviewed, PERIOD)
    typed = "一是：招商引资到位资金偏少。\n\n 乙县项目开工滞后。"
    edited = services.edit(reviewed, PERIOD, problems=typed, number="市讲评办〔2026〕8号")
    assert edited.version == 1 and edited.number == "市讲评办〔2026〕8号"
    assert edited.edits == {"problems": ["招商引资到位资金偏少。", "乙县项目开工滞后。"]}
    text = edited.document().text()
    assert "一是招商引资到位资金偏少。\n二是乙县项目开工滞后。" in text
    assert "一是要加快项目开工建设" in text  # next steps still drafted from the data
    reset = services.edit(reviewed, PERIOD, problems="")
    assert reset.edits == {} and "红岩县仅为45.0%" in reset.document().text()


def test_unchanged_drafted_paragraphs_are_not_recorded_as_edits(reviewed):
    draft = services.generate(reviewed, PERIOD)
    shown = services.paragraphs(draft, "actions")
    assert shown == ["加快项目开工建设，确保年度计划开工项目全部开工。",
                     "抓好督办事项落实，逾期事项限期办结。"]
    assert services.edit(reviewed, PERIOD, actions="\n".join(shown)).edits == {}


def test_edit_refuses_without_a_bulletin_or_after_a_new_review(cast, reviewed):
    with pytest.raises(ValidationError, match="2026年6月还没有通报，请先生成"):
        services.edit(reviewed, PERIOD, problems=["x"])
    services.generate(reviewed, PERIOD)
    new_review_version(cast, reviewed)
    with pytest.raises(ValidationError, match="讲评结果已更新为第2版，请先重新生成通报"):
        services.edit(reviewed, PERIOD, problems=["x"])
    with pytest.raises(ValidationError, match="请先重新生成通报再发布"):
        services.publish(reviewed, PERIOD)
    assert BulletinVersion.objects.get().edits == {}


def test_edits_are_checked_and_name_what_is_wrong(reviewed):
    services.generate(reviewed, PERIOD)
    with pytest.raises(ValidationError, match=r"存在问题第2段超过500字：长+…（共501字）"):
        services.edit(reviewed, PERIOD, problems=["短。", "长" * 501])
    with pytest.raises(ValidationError, match="下步工作最多20段，现有21段"):
        services.edit(reviewed, PERIOD, actions=[f"第{n}项。" for n in range(21)])
    with pytest.raises(ValidationError, match="不能修改“headline”"):
        services.generate(reviewed, PERIOD, edits={"headline": ["x"]})
    with pytest.raises(ValidationError, match="文号超过100字"):
        services.generate(reviewed, PERIOD, number="号" * 101)


@pytest.mark.parametrize(("typed", "kept"), [
    ("一是加快进度", "加快进度"), ("二是要，抓好落实", "抓好落实"), ("（三）压实责任", "压实责任"),
    ("4. 强化督查", "强化督查"), ("是否达标需核实", "是否达标需核实"),
])
def test_typed_ordinals_are_removed(typed, kept):
    assert services.clean_paragraphs([typed], "存在问题") == [kept]


def test_publish_freezes_the_draft_and_writes_its_three_files(cast, reviewed, faces):
    draft = services.generate(reviewed, PERIOD)
    published = services.publish(reviewed, PERIOD, cast.office)
    assert published.pk == draft.pk and published.status == Status.PUBLISHED
    assert published.published_by == cast.office and published.published_at is not None
    folder = faces / "bulletins" / PERIOD
    names = sorted(p.name for p in folder.iterdir())
    key = services.content_key(published)
    assert names == [f"bulletin-2026-06-v1-{key}.{fmt}" for fmt in ("docx", "html", "pdf")]
    pdf = folder / f"bulletin-2026-06-v1-{key}.pdf"
    assert pdf.read_bytes().startswith("%PDF-1.7\n关于2026年1—10月".encode())
    assert oct(pdf.stat().st_mode & 0o777) == "0o600"
    with pytest.raises(ValidationError, match="没有待发布的通报草稿"):
        services.publish(reviewed, PERIOD)


def test_files_are_written_once_and_a_changed_draft_replaces_its_old_files(reviewed, faces):
    draft = services.generate(reviewed, PERIOD)
    calls = []
    real = render.formats["docx"]
    render.formats["docx"] = lambda b: calls.append(b.number) or real(b)
    first = services.files(draft, ["docx"])["docx"]
    assert services.files(draft, "docx")["docx"] == first and calls == ["市讲评办〔2026〕6号"]
    changed = services.edit(reviewed, PERIOD, number="市讲评办〔2026〕9号")
    second = services.files(changed, ["docx"])["docx"]
    assert second != first and not first.exists() and second.exists()
    assert "市讲评办〔2026〕9号".encode() in second.read_bytes()


def test_a_failing_writer_leaves_no_file_and_publishes_nothing(reviewed, faces, monkeypatch):
    services.generate(reviewed, PERIOD)

    def broken(bulletin):
        raise RuntimeError("字体缺失")

    monkeypatch.setitem(render.formats, "pdf", broken)
    with pytest.raises(RuntimeError, match="字体缺失"):
        services.publish(reviewed, PERIOD)
    assert BulletinVersion.objects.get().status == Status.DRAFT
    assert not (faces / "bulletins").exists() or not any((faces / "bulletins").rglob("*"))


def test_write_files_writes_all_or_none(faces, monkeypatch):
    folder = faces / "out"
    good, bad = folder / "a.docx", folder / "b.pdf"
    real_fsync = os.fsync
    synced = []

    def disk_full_on_the_second(fd):
        synced.append(fd)
        if len(synced) == 2:
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(services.os, "fsync", disk_full_on_the_second)
    with pytest.raises(OSError, match="No space left"):
        services.write_files({good: b"1", bad: b"2"})
    assert list(folder.iterdir()) == []  # neither file, no temporary file left
    monkeypatch.setattr(services.os, "fsync", real_fsync)
    services.write_files({good: b"3", bad: b"4"})
    assert (good.read_bytes(), bad.read_bytes()) == (b"3", b"4")
    assert sorted(p.name for p in folder.iterdir()) == ["a.docx", "b.pdf"]


def test_formats_are_checked():
    assert services.check_formats("PDF, docx,pdf") == ["pdf", "docx"]
    with pytest.raises(ValidationError, match="格式“odt”无效，可选：docx,html,pdf"):
        services.check_formats("docx,odt")
    with pytest.raises(ValidationError, match="请指定格式"):
        services.check_formats(" , ")


def test_county_users_see_published_versions_only(cast, reviewed):
    services.generate(reviewed, PERIOD)
    county = Scope.for_user(cast.reporter_b)
    assert services.visible_version(county, PERIOD) is None
    assert services.visible_version(reviewed, PERIOD).version == 1
    services.publish(reviewed, PERIOD)
    services.generate(reviewed, PERIOD, number="市讲评办〔2026〕7号")  # version 2, a draft
    assert [v.version for v in services.visible_versions(county, PERIOD)] == [1]
    assert [v.version for v in services.visible_versions(reviewed, PERIOD)] == [2, 1]
    assert services.visible_version(county, PERIOD, 2) is None


def test_unified_diff_names_the_versions(cast, reviewed):
    first = services.generate(reviewed, PERIOD)
    services.publish(reviewed, PERIOD)
    second = services.generate(reviewed, PERIOD, number="市讲评办〔2026〕7号")
    diff = services.unified_diff(first, second, context=0)
    assert diff.splitlines() == ["--- 第1版", "+++ 第2版", "@@ -2 +2 @@",
                                 "-市讲评办〔2026〕6号", "+市讲评办〔2026〕7号"]
    assert services.unified_diff(first, first) == ""


# --- typed input reaches no version unchecked -------------------------------------
@pytest.mark.parametrize(("given", "message"), [
    ({"problems": ["到位资金偏少。", "开工\x00滞后。"]},
     "存在问题第2段含有不可见的控制字符（U+0000），请删除后重新输入。"),
    ({"actions": "加快进度\ud800。"}, "下步工作第1段含有无效的字符（U+D800），请删除后重新输入。"),
    ({"number": "市讲评办\x0b〔2026〕8号"},
     "文号含有不可见的控制字符（U+000B），请删除后重新输入。"),
    ({"issuer": "示例市\x1f办公室"}, "发文机关含有不可见的控制字符（U+001F），请删除后重新输入。"),
    ({"date": "2026年7月\x003日"}, "成文日期含有不可见的控制字符（U+0000），请删除后重新输入。"),
    ({"date": "2026-02-30"}, "成文日期“2026-02-30”不是存在的日期：2026年2月没有30日。"),
])
def test_edit_refuses_what_no_document_can_hold_and_changes_nothing(reviewed, given, message):
    draft = services.generate(reviewed, PERIOD)
    with pytest.raises(ValidationError) as refused:
        services.edit(reviewed, PERIOD, **given)
    assert refused.value.messages == [message]
    after = BulletinVersion.objects.get()
    assert (after.updated_at, after.digest, after.edits) == (draft.updated_at, draft.digest, {})
    with pytest.raises(ValidationError):
        services.generate(reviewed, PERIOD, **{k: v for k, v in given.items()
                                               if k in ("number", "date", "issuer")}
                          or {"edits": given})
    assert BulletinVersion.objects.get().digest == draft.digest


def test_typed_text_is_normalised_split_and_dated_before_it_is_stored(reviewed):
    services.generate(reviewed, PERIOD)
    edited = services.edit(reviewed, PERIOD, problems=["招商\u200b引资\u202e偏少。\n开工滞后。"],
                           number="\ufeff市讲评办〔2026〕8号", date="2026/7/3",
                           issuer="示例市讲评办")
    assert edited.edits == {"problems": ["招商引资偏少。", "开工滞后。"]}
    assert (edited.number, edited.date, edited.issuer) == (
        "市讲评办〔2026〕8号", "2026年7月3日", "示例市讲评办")
    assert edited.document().text().endswith("示例市讲评办\n2026年7月3日")
    published = services.publish(reviewed, PERIOD)  # the files are written
    assert published.status == Status.PUBLISHED


# --- correcting a published bulletin, and what the user saw -----------------------
def test_editing_a_published_version_makes_the_next_draft_with_the_edits(cast, reviewed):
    first = services.generate(reviewed, PERIOD)
    services.publish(reviewed, PERIOD, cast.office)
    unchanged = services.edit(reviewed, PERIOD, problems="\n".join(
        services.paragraphs(first, "problems")), version=1, digest=first.digest)
    assert unchanged.pk == first.pk and BulletinVersion.objects.count() == 1
    second = services.edit(reviewed, PERIOD, problems="一、到位资金偏少。", version=1,
                           digest=first.digest, user=cast.office)
    assert (second.version, second.status, second.created_by) == (2, Status.DRAFT, cast.office)
    assert second.edits == {"problems": ["到位资金偏少。"]}
    assert second.number == first.number and second.run_id == first.run_id
    first.refresh_from_db()
    assert first.status == Status.PUBLISHED and first.edits == {}
    again = services.edit(reviewed, PERIOD, number="市讲评办〔2026〕9号", version=2,
                          digest=second.digest)
    assert again.pk == second.pk and again.version == 2  # the draft is rewritten


def test_an_edit_or_a_publication_of_what_changed_since_is_refused(reviewed):
    seen = services.generate(reviewed, PERIOD)
    changed = services.edit(reviewed, PERIOD, number="市讲评办〔2026〕8号")
    with pytest.raises(services.StaleVersion) as refused:
        services.edit(reviewed, PERIOD, problems=["甲。"], version=1, digest=seen.digest)
    assert refused.value.messages == [
        "通报已有变动：第1版在您打开页面后又被修改或重新生成。请核对最新内容后再保存修改。"]
    with pytest.raises(services.StaleVersion, match="请核对最新内容后再发布"):
        services.publish(reviewed, PERIOD, version=1, digest=seen.digest)
    assert BulletinVersion.objects.get().status == Status.DRAFT
    services.publish(reviewed, PERIOD, version=1, digest=changed.digest)
    services.edit(reviewed, PERIOD, problems=["甲。"])  # version 2
    with pytest.raises(services.StaleVersion) as refused:
        services.edit(reviewed, PERIOD, problems=["乙。"], version=1, digest=changed.digest)
    assert refused.value.messages == [
        "通报已有变动：您看到的是第1版，现在最新的是第2版（草稿）。请核对最新内容后再保存修改。"]
    assert BulletinVersion.objects.get(version=2).edits == {"problems": ["甲。"]}


def test_without_a_bulletin_what_the_user_saw_is_gone(reviewed):
    with pytest.raises(services.StaleVersion, match="您看到的版本已不存在"):
        services.publish(reviewed, PERIOD, version=1)
