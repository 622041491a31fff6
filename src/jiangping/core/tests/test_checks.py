"""Settings helpers and the system checks an operator sees before anything fails."""

import os
import subprocess
import sys

from jiangping import settings as jp_settings


def test_envsecret_reads_file(tmp_path, monkeypatch):
    secret = tmp_path / "key"
    secret.write_text("from-file\n", encoding="utf-8")
    monkeypatch.setenv("SOME_KEY", "from-env")
    monkeypatch.setenv("SOME_KEY_FILE", str(secret))
    assert jp_settings.envsecret("SOME_KEY") == "from-file"
    monkeypatch.delenv("SOME_KEY_FILE")
    assert jp_settings.envsecret("SOME_KEY") == "from-env"


def test_envbool_and_envint(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    monkeypatch.setenv("NUM", "7")
    assert jp_settings.envbool("FLAG") is True
    assert jp_settings.envbool("MISSING_FLAG", default=True) is True
    assert jp_settings.envint("NUM", 1) == 7


def _run_check(tmp_path, **env):
    base = {
        k: v for k, v in os.environ.items()
        if not k.startswith("JIANGPING_") and k != "DATABASE_URL"
    }
    base.update({"JIANGPING_DATA_DIR": str(tmp_path / "data")}, **env)
    return subprocess.run(
        [sys.executable, "-c", "from jiangping.cli import main; main(['migrate', '--check'])"],
        capture_output=True, text=True, env=base, check=False,
    )


def test_missing_secret_key_stops_commands_outside_demo(tmp_path):
    result = _run_check(tmp_path)
    assert result.returncode != 0
    assert "jiangping.E001" in result.stderr
    assert "JIANGPING_SECRET_KEY" in result.stderr


def test_configured_keys_pass_the_checks(tmp_path):
    result = _run_check(
        tmp_path,
        JIANGPING_SECRET_KEY="k" * 50,
        JIANGPING_FIELD_KEY="eD2QbLqnuQQ6aQHbGWgS3cWcZz_-7C5V4XJXgSPYY8w=",
    )
    assert "jiangping.E001" not in result.stderr
    assert "jiangping.W001" not in result.stderr


def test_demo_mode_generates_keys_in_the_data_dir(tmp_path):
    result = _run_check(tmp_path, JIANGPING_DEMO="1")
    assert "jiangping.E001" not in result.stderr
    assert (tmp_path / "data" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "data" / "field_key").exists()


def test_a_bad_growth_tolerance_is_reported(settings):
    from jiangping.core.checks import growth_tolerance_is_a_number

    settings.GROWTH_TOLERANCE_PP = "半个点"
    (error,) = growth_tolerance_is_a_number(None)
    assert error.id == "jiangping.E002" and "半个点" in error.msg
    settings.GROWTH_TOLERANCE_PP = "0.5"
    assert growth_tolerance_is_a_number(None) == []


def test_an_unreadable_secret_file_is_named(tmp_path):
    result = _run_check(tmp_path, JIANGPING_SECRET_KEY_FILE=str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "JIANGPING_SECRET_KEY_FILE" in result.stderr and "missing" in result.stderr
