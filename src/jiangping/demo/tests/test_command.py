"""``jiangping demo``: builds, prints the logins, reuses its own data, refuses others'."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jiangping.demo.accounts import DEMO_PASSWORD
from jiangping.demo.models import DemoDataset
from jiangping.orgs.models import OrgUnit, User


def run(*args):
    out = StringIO()
    call_command("demo", "--scale", "small", "--no-serve", "--latest", "2026-10", *args,
                 stdout=out)
    return out.getvalue()


# The bulletin's composer and writers are replaced by the fakes of the bulletin tests: the
# demo is checked for writing and printing the files, not for their content.
pytestmark = pytest.mark.usefixtures("faces")


@pytest.mark.django_db(transaction=True)  # --reset flushes, which needs no open transaction
def test_demo_builds_prints_logins_and_reuses_its_data(settings, faces):
    settings.DEMO_MODE = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    output = run()
    assert User.objects.get(username="office").check_password(DEMO_PASSWORD)
    assert User.objects.get(username="admin").is_superuser
    assert "office" in output and "leader" in output and "cadre" in output
    assert DEMO_PASSWORD in output
    assert "/indicators/compare/?period=2026-10" in output
    # --no-serve: the address is told as where to look once served, not as serving
    assert "未启动网页服务。运行 jiangping serve 后" in output
    assert "本月指标对比：http" not in output
    assert "127.0.0.1:8000" in output
    assert "2026年10月通报第1版已发布（市讲评办〔2026〕10号），文件：" in output
    folder = faces / "bulletins" / "2026-10"
    written = sorted(p.name for p in folder.iterdir())
    assert [name.rsplit(".", 1)[1] for name in written] == ["docx", "html", "pdf"]
    assert all(f"{folder / name}" in output for name in written)

    again = run()
    assert "沿用" in again and "office" in again
    assert "2026年10月通报第1版已发布" in again  # the same version, not a second one
    assert DemoDataset.objects.count() == 1

    with pytest.raises(CommandError, match="--reset"):
        run("--seed", "2")

    rebuilt = run("--seed", "2", "--reset")
    assert "office" in rebuilt
    assert DemoDataset.objects.get().seed == 2


@pytest.mark.django_db
def test_demo_refuses_a_database_with_real_data():
    OrgUnit.objects.create(code="110000", name="真实数据", level="province")
    with pytest.raises(CommandError, match="不是演示数据"):
        run()
    assert OrgUnit.objects.count() == 1


@pytest.mark.django_db
def test_demo_outside_demo_mode_sets_no_password():
    output = run()
    assert "未设置密码" in output
    assert DEMO_PASSWORD not in output
    assert not User.objects.filter(password__startswith="pbkdf2").exists()


def test_a_bad_latest_month_is_refused_in_chinese(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["JIANGPING_DATA_DIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "jiangping", "demo", "--latest", "2026-13",
                           "--no-serve"], env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert done.stderr.startswith("参数 --latest：期间应为 YYYY-MM，如 2026-10。")
