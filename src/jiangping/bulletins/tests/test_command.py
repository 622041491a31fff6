"""``jiangping bulletin``: writes the month's files and prints their paths; refuses a month
without a published review (status 1) and wrong usage (status 2), writing nothing."""

import errno
import os
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


def refused(*args) -> CommandError:
    with pytest.raises(CommandError) as error:
        run(*args)
    assert error.value.returncode == 1
    return error.value


def test_out_files_get_the_usual_permissions(reviewed, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    old = os.umask(0o022)
    try:
        run("--period", PERIOD, "--format", "pdf", "--out", str(out))
    finally:
        os.umask(old)
    assert oct((out / "bulletin-2026-06-v1.pdf").stat().st_mode & 0o777) == "0o644"


@pytest.mark.parametrize(("given", "message"), [
    ("", "输出目录不能为空：请给出一个已有目录，如 --out .。"),
    ("  ", "输出目录不能为空：请给出一个已有目录，如 --out .。"),
])
def test_an_empty_out_is_refused(reviewed, given, message):
    assert str(refused("--period", PERIOD, "--out", given)) == message
    assert not BulletinVersion.objects.exists()


def test_a_file_given_as_the_out_folder_is_refused(reviewed, tmp_path):
    given = tmp_path / "通报.docx"
    given.write_bytes(b"kept")
    error = refused("--period", PERIOD, "--out", str(given))
    assert str(error) == f"“{given}”不是目录，而是一个已有的文件：--out 应给出目录。"
    assert given.read_bytes() == b"kept" and not BulletinVersion.objects.exists()


def test_a_folder_where_no_file_can_be_made_is_told_in_one_line(reviewed):
    error = refused("--period", PERIOD, "--out", "/proc")
    assert str(error) == "无法写入目录“/proc”：该位置不能创建文件（No such file or directory）。"
    assert not BulletinVersion.objects.exists()


@pytest.mark.parametrize(("failure", "reason"), [
    (OSError(errno.ENOSPC, "No space left on device"), "磁盘空间不足（No space left on device）"),
    (PermissionError(errno.EACCES, "Permission denied"), "没有写入权限（Permission denied）"),
])
def test_a_failed_copy_is_told_and_leaves_nothing(reviewed, tmp_path, monkeypatch, failure,
                                                  reason):
    out = tmp_path / "out"
    out.mkdir()
    real_fsync = os.fsync
    synced = []

    def fails_on_the_second_file(fd):
        synced.append(fd)
        if len(synced) == 2:
            raise failure
        real_fsync(fd)

    run("--period", PERIOD)  # the data dir's files: only the copy writes below
    before = BulletinVersion.objects.get()
    monkeypatch.setattr(services.os, "fsync", fails_on_the_second_file)
    error = refused("--period", PERIOD, "--format", "pdf,docx", "--out", str(out))
    assert str(error) == f"无法写入目录“{out}”：{reason}。"
    assert list(out.iterdir()) == []  # neither file, no temporary file
    assert BulletinVersion.objects.get().updated_at == before.updated_at


def test_a_full_data_dir_is_told_and_keeps_no_new_version(reviewed, faces, monkeypatch):
    def disk_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(services.os, "fsync", disk_full)
    error = refused("--period", PERIOD)
    folder = faces / "bulletins" / PERIOD
    assert str(error) == f"无法写入目录“{folder}”：磁盘空间不足（No space left on device）。"
    assert not BulletinVersion.objects.exists() and list(folder.iterdir()) == []
