"""First use from the command line (DESIGN §13): every contract command run by the real
console entry point in a new, empty data dir with no keys in the environment. Text tools
work; every other command refuses in Chinese, on stderr, with the contract's status, and
no refused command leaves a database file behind."""

import os
import re
import subprocess
import sys

import pytest

NOT_INITIALISED = "数据库尚未初始化，请先运行 jiangping migrate（或 jiangping demo）。"
KEY = "first-use-test-key-" + "x" * 40
# Words a Chinese refusal may hold: commands, settings, file names, check ids.
ALLOWED_WORDS = re.compile(
    r"jiangping|migrate|demo|serve|python|cryptography|fernet|Fernet|generate_key|decode|"
    r"imprt|from|print|import|JIANGPING_\w+|YYYY|help|[\w./-]*(?:tmp|pytest)[\w./-]*|\.(?:txt|xlsx|csv)"
)


def console(*args, data_dir, key=False, cwd=None):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATABASE_URL", "JIANGPING_"))}
    env["JIANGPING_DATA_DIR"] = str(data_dir)
    if key:
        env["JIANGPING_SECRET_KEY"] = KEY
    return subprocess.run([sys.executable, "-m", "jiangping", *map(str, args)],
                          capture_output=True, text=True, check=False, env=env, cwd=cwd)


def assert_chinese_refusal(done, status: int) -> None:
    assert done.returncode == status, done.stderr
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert re.search(r"[\u4e00-\u9fff]", done.stderr)
    english = re.findall(r"[A-Za-z]{3,}", ALLOWED_WORDS.sub("", done.stderr))
    assert english == [], done.stderr


def no_database(data_dir) -> bool:
    return not any(p.name.startswith("jiangping.sqlite3") for p in data_dir.iterdir())


@pytest.fixture
def fresh(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    speech = tmp_path / "speech.txt"
    speech.write_text("各县（市、区）要在12月底前完成项目建设。", encoding="utf-8")
    return data, speech


def test_text_tools_need_no_key_and_no_database(fresh):
    data, speech = fresh
    cleaned = console("text", "clean", speech, data_dir=data)
    assert cleaned.returncode == 0 and cleaned.stderr == ""
    assert cleaned.stdout == "各县（市、区）要在12月底前完成项目建设。\n"
    proposed = console("tasks", "propose", speech, "--json", data_dir=data)
    assert proposed.returncode == 0 and proposed.stderr == ""
    assert '"tasks"' in proposed.stdout
    assert no_database(data)


@pytest.mark.parametrize("key", [False, True], ids=["no key", "key"])
def test_commands_that_need_the_database_refuse_before_it_exists(fresh, key):
    data, speech = fresh
    out = fresh[1].parent / "out"
    out.mkdir()
    commands = [
        ("token", "office"),
        ("template", "indicators", "-o", out / "t.xlsx"),
        ("import", "indicators", speech),
        ("import", "indicators", speech, "--apply", "--json"),
        ("serve", "--port", "1"),
    ]
    for command in commands:
        done = console(*command, data_dir=data, key=key)
        assert_chinese_refusal(done, 1)
        if key:
            assert done.stderr.strip().endswith(NOT_INITIALISED), command
        else:
            assert "JIANGPING_SECRET_KEY" in done.stderr and "系统检查" in done.stderr
        assert no_database(data), command
    assert not (out / "t.xlsx").exists()
    reminded = console("tasks", "remind", data_dir=data)
    assert_chinese_refusal(reminded, 1)
    assert reminded.stderr.strip() == NOT_INITIALISED and no_database(data)


def test_a_missing_input_file_is_status_1_in_every_command(fresh):
    data, speech = fresh
    missing = speech.parent / "missing.txt"
    for command in (("text", "clean", missing), ("tasks", "propose", missing)):
        done = console(*command, data_dir=data)
        assert_chinese_refusal(done, 1)
        assert done.stderr.strip() == f"文件“{missing}”不存在。"
    assert console("migrate", "-v", "0", data_dir=data, key=True).returncode == 0
    for command in (("import", "indicators", missing), ("import", "indicators", missing,
                                                        "--json", "--apply")):
        done = console(*command, data_dir=data, key=True)
        assert_chinese_refusal(done, 1)
        assert done.stderr.strip().endswith(f"文件“{missing}”不存在。")
    folder = console("import", "indicators", speech.parent, data_dir=data, key=True)
    assert_chinese_refusal(folder, 1)
    assert "是目录，不是文件" in folder.stderr


def test_template_into_a_missing_folder_is_refused(fresh):
    data, _speech = fresh
    assert console("migrate", "-v", "0", data_dir=data, key=True).returncode == 0
    target = data / "no" / "such" / "t.xlsx"
    done = console("template", "indicators", "-o", target, data_dir=data, key=True)
    assert_chinese_refusal(done, 1)
    assert "输出目录" in done.stderr and "不存在" in done.stderr
    assert not (data / "no").exists()
    written = console("template", "indicators", "-o", data / "t.xlsx", data_dir=data, key=True)
    assert written.returncode == 0 and (data / "t.xlsx").is_file()


@pytest.mark.parametrize("command", [("import",), ("template",), ("token",), ("serve",),
                                     ("demo",), ("text", "clean"), ("tasks", "propose")])
def test_help_is_chinese(fresh, command):
    data, _speech = fresh
    done = console(*command, "--help", data_dir=data)
    assert done.returncode == 0 and done.stderr == ""
    assert done.stdout.startswith("用法：jiangping " + " ".join(command))
    for english in ("usage:", "options:", "positional arguments", "show this help",
                    "Verbosity level", "Display a full stack trace", "Skip system checks",
                    "colorize", "Python path"):
        assert english not in done.stdout, english
    assert no_database(data)


def test_check_warnings_are_chinese(fresh):
    data, _speech = fresh
    done = console("migrate", "-v", "0", data_dir=data, key=True)
    assert done.returncode == 0
    listed = console("template", "indicators", "-o", data / "t.xlsx", data_dir=data, key=True)
    assert listed.returncode == 0
    assert listed.stderr.startswith("系统检查发现以下问题：\n警告：\n（jiangping.W001）")
    assert "WARNINGS" not in listed.stderr and "HINT" not in listed.stderr


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="PostgreSQL runs only")
def test_an_empty_postgresql_database_is_not_initialised(fresh):
    """On PostgreSQL the database exists before migrate: its tables are asked for."""
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    empty = f"{db['NAME']}_empty"
    dsn = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432,
           "user": db["USER"] or "postgres", "dbname": "postgres", "autocommit": True}
    with psycopg.connect(**dsn) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{empty}"')
        admin.execute(f'CREATE DATABASE "{empty}"')
    try:
        data, _speech = fresh
        url = f"postgres://{dsn['user']}@{dsn['host']}:{dsn['port']}/{empty}"
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DATABASE_URL", "JIANGPING_"))}
        env.update(JIANGPING_DATA_DIR=str(data), JIANGPING_SECRET_KEY=KEY, DATABASE_URL=url)
        done = subprocess.run([sys.executable, "-m", "jiangping", "token", "office"],
                              capture_output=True, text=True, check=False, env=env)
        assert_chinese_refusal(done, 1)
        assert done.stderr.strip().endswith(NOT_INITIALISED)
    finally:
        with psycopg.connect(**dsn) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{empty}"')


def test_the_command_list_and_an_unknown_command_are_chinese(fresh):
    data, _speech = fresh
    for args in ((), ("help",), ("--help",)):
        listed = console(*args, data_dir=data)
        assert listed.returncode == 0 and listed.stderr == ""
        assert listed.stdout.startswith("用法：jiangping 命令 [参数]")
        assert "  import    导入表格文件" in listed.stdout and "Type '" not in listed.stdout
    unknown = console("imprt", "indicators", data_dir=data)
    assert_chinese_refusal(unknown, 2)
    assert unknown.stderr == "未知的命令“imprt”。运行“jiangping help”查看可用的命令。\n"
    assert no_database(data)
