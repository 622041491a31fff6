"""The SQLite file (sessions, password hashes) and the data dir are owner-only."""

import os
import stat
import subprocess
import sys

import pytest
from django.db.utils import ConnectionHandler

from jiangping.core.dbfiles import restrict


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_sqlite_database_and_its_wal_files_are_owner_only(tmp_path, open_umask,
                                                                 django_db_blocker):
    name = tmp_path / "fresh.sqlite3"
    handler = ConnectionHandler({"default": {
        "ENGINE": "django.db.backends.sqlite3", "NAME": name,
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"}}})
    connection = handler["default"]
    files = [name, tmp_path / "fresh.sqlite3-wal", tmp_path / "fresh.sqlite3-shm"]
    with django_db_blocker.unblock():
        try:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                cursor.execute("CREATE TABLE t (x integer)")
                cursor.execute("INSERT INTO t VALUES (1)")
            assert all(path.exists() for path in files)
            modes = {path.name: mode(path) for path in files}
        finally:
            connection.close()
    assert modes == {path.name: 0o600 for path in files}


def test_restrict_leaves_an_owner_only_file_alone_and_skips_missing(tmp_path):
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"")
    path.chmod(0o644)
    restrict(path)
    assert mode(path) == 0o600
    restrict(tmp_path / "missing.sqlite3")


def test_migrate_into_a_new_data_dir(tmp_path):
    data_dir = tmp_path / "new" / "data"
    env = {**os.environ, "JIANGPING_DATA_DIR": str(data_dir), "JIANGPING_SECRET_KEY": "k" * 50}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "-m", "jiangping", "migrate", "-v0"], env=env, check=True,
                   capture_output=True)
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "jiangping.sqlite3") == 0o600
