"""The import benchmark still runs end to end (tiny sizes; it measures, it does not judge)."""

import subprocess
import sys
from pathlib import Path

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
