"""The benchmarks still run end to end (tiny sizes; they measure, they do not judge)."""

import os
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
    floor = next(line for line in out.splitlines() if line.startswith("SQLite "))
    assert "ours/floor" in floor or "shell not installed" in floor


def test_review_bench_runs():
    bench = BENCH.with_name("review_bench.py")
    completed = subprocess.run(
        [sys.executable, str(bench), "--scale", "small", "--repeat", "1"],
        capture_output=True, text=True, check=False, timeout=300,
    )
    out = completed.stdout
    assert "county-level units" in out and "gap moves found" in out, completed.stderr
    assert "× the 2 s goal" in out and "the floor" in out


PAGE_BENCH = BENCH.parent / "page_bench.py"


def test_page_bench_runs(tmp_path):
    """Builds the small demo and renders every page once (figures not judged)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    completed = subprocess.run(
        [sys.executable, str(PAGE_BENCH), "--build", "--scales", "small", "--repeat", "1",
         "--dir", str(tmp_path), "--slowest", "1"],
        capture_output=True, text=True, check=False, timeout=600, env=env,
    )
    assert completed.returncode == 0, completed.stderr + completed.stdout
    out = completed.stdout
    assert "compare counties" in out and "api comparison" in out
    assert "slowest statements at small scale" in out


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
