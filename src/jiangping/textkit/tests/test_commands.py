import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args):
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


@pytest.fixture
def speech(tmp_path):
    path = tmp_path / "speech.txt"
    path.write_text("各縣(市、區(qū))要加快建設(shè)項(xiàng)目。\n", encoding="utf-8")
    return path


def test_clean_prints_simplified_text(speech):
    assert run("text", "clean", str(speech)) == (0, "各县(市、区)要加快建设项目。\n", "")


def test_keep_traditional(speech):
    code, out, _err = run("text", "clean", str(speech), "--keep-traditional")
    assert (code, out) == (0, "各縣(市、區)要加快建設項目。\n")


def test_refused_input_exits_1(tmp_path):
    code, _out, err = run("text", "clean", str(tmp_path / "missing.txt"))
    assert code == 1 and "不存在" in err
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("建设项目".encode("gbk"))
    code, _out, err = run("text", "clean", str(gbk))
    assert code == 1 and "UTF-8" in err
    code, _out, err = run("text", "clean", str(tmp_path))
    assert code == 1 and "目录" in err


def test_console_exit_codes(speech, tmp_path):
    def console(*args):
        return subprocess.run([sys.executable, "-m", "jiangping", "text", *args],
                              capture_output=True, text=True, encoding="utf-8", check=False)

    done = console("clean", str(speech))
    assert done.returncode == 0 and done.stdout == "各县(市、区)要加快建设项目。\n"
    done = console("clean", str(tmp_path / "missing.txt"))
    assert done.returncode == 1 and "不存在" in done.stderr and "Traceback" not in done.stderr
    done = console("clean")
    assert done.returncode == 2 and "缺少参数" in done.stderr
    done = console()
    assert done.returncode == 2 and "缺少参数" in done.stderr
    done = console("fix", str(speech))
    assert done.returncode == 2 and "无效" in done.stderr
