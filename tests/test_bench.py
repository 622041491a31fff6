"""The benchmarks still run end to end (tiny sizes; they measure, they do not judge)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "import_bench.py"


def test_import_bench_runs():
    completed = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "2000", "--small-rows", "500",
         "--baseline-rows", "200"],
        capture_output=True, text=True, check=False, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    out = completed.stdout
    assert "ours, CSV -> SQLite" in out and "2000 rows" in out
    assert "speed-up vs naive" in out


SERVE_BENCH = BENCH.parent / "serve_bench.py"


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk (Debian package) not installed")
def test_serve_bench_runs():
    completed = subprocess.run(
        [sys.executable, str(SERVE_BENCH), "--scale", "small", "--db", "sqlite",
         "--seconds", "1", "--modes", "1", "--pages", "home-county", "api-values"],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    rows = [line.split() for line in completed.stdout.splitlines()
            if line.startswith("small    sqlite")]
    assert [row[2:4] for row in rows] == [["home-county", "1"], ["api-values", "1"]]
    for row in rows:
        requests_per_second, errors = float(row[7]), int(row[8])
        assert requests_per_second > 0 and errors == 0
