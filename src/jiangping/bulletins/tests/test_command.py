"""``jiangping bulletin``: writes the month's files and prints their paths; refuses a month
without a published review (status 1) and wrong usage (status 2), writing nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiangping.bulletins import services
from jiangping.bulletins.models import BulletinVersion
from jiangping.bulletins.tests.conftest import PERIOD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("faces")]


def run(*args):
    out = StringIO()
    call_command("bulletin", *args, stdout=out)
    return out.getvalue()


def test_writes_every_format_to_the_data_dir_and_prints_the_paths(reviewed, faces):
    output = run("--period", PERIOD)
    made = BulletinVersion.objects.get()
    key = services.content_key(made)
    folder = faces / "bulletins" / PERIOD
    assert output.splitlines() == [
        "2026年6月通报第1版（草稿），市讲评办〔2026〕6号：",
        f"  DOCX {folder}/bulletin-2026-06-v1-{key}.docx",
        f"  HTML {folder}/bulletin-2026-06-v1-{key}.html",
        f"  PDF  {folder}/bulletin-2026-06-v1-{key}.pdf",
    ]
    assert run("--period", PERIOD) == output  # unchanged month: the same version and files
    assert BulletinVersion.objects.count() == 1


def test_out_dir_gets_the_formats_asked(reviewed, tmp_path):
    out = tmp_path / "给市领导"
    out.mkdir()
    output = run("--period", PERIOD, "--format", "pdf,docx", "--out", str(out))
    assert output.splitlines()[1:] == [f"  PDF  {out}/bulletin-2026-06-v1.pdf",
                                       f"  DOCX {out}/bulletin-2026-06-v1.docx"]
    assert sorted(p.name for p in out.iterdir()) == ["bulletin-2026-06-v1.docx",
                                                     "bulletin-2026-06-v1.pdf"]
    assert (out / "bulletin-2026-06-v1.pdf").read_bytes().startswith(b"%PDF-1.7\n")


def test_a_month_without_a_published_review_is_refused(cast, faces):
    with pytest.raises(CommandError, match="2026年6月尚无已发布的讲评结果") as refused:
        run("--period", PERIOD)
    assert refused.value.returncode == 1
    assert not BulletinVersion.objects.exists() and not (faces / "bulletins").exists()


@pytest.mark.parametrize(("args", "message"), [
    ([], "请用 --period YYYY-MM 指定通报月份"),
    (["--period", "2026-6"], "期间“2026-6”格式不正确"),
    (["--period", PERIOD, "--format", "docx,odt"], "格式“odt”无效，可选：docx,html,pdf"),
])
def test_wrong_usage_is_refused_with_status_2(reviewed, args, message):
    with pytest.raises(CommandError, match=message) as refused:
        run(*args)
    assert refused.value.returncode == 2
    assert not BulletinVersion.objects.exists()


def test_a_missing_out_dir_is_refused(reviewed, tmp_path):
    with pytest.raises(CommandError, match=r"输出目录“.*nope”不存在") as refused:
        run("--period", PERIOD, "--out", str(tmp_path / "nope"))
    assert refused.value.returncode == 1
    assert not BulletinVersion.objects.exists()
