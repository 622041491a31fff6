"""The memory cap of reading a file (JIANGPING_IMPORT_MEMORY_MB), measured.

Each hostile file is read in a fresh Python process; the peak resident memory of that
process (``RUSAGE_SELF``) and of the reading child it started (``RUSAGE_CHILDREN``) must
both stay under the documented cap, and the file must be refused.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from jiangping.intake.tests import hostile
from jiangping.intake.tests.test_hostile_files import CASES

CAP_MB = 1024  # the default of JIANGPING_IMPORT_MEMORY_MB, documented in docs/import-forms.md

_PROBE = r"""
import json, resource, sys
import django
django.setup()
from jiangping.intake.reading import ReadError, open_tables
outcome = "read"
try:
    tables = open_tables(sys.argv[1])
    try:
        for table in tables:
            for _row in table.rows:
                pass
    finally:
        tables.close()
except ReadError as exc:
    outcome = str(exc)
print(json.dumps({
    "outcome": outcome,
    "self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "child_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
}))
"""


def _measure(path: Path, tmp_path: Path) -> dict:
    environment = dict(os.environ)
    environment.update({
        "DJANGO_SETTINGS_MODULE": "jiangping.settings",
        "JIANGPING_DATA_DIR": str(tmp_path / "data"),
        "JIANGPING_SECRET_KEY": "memory-probe-" + "x" * 50,
        "JIANGPING_IMPORT_MEMORY_MB": str(CAP_MB),
        "PYTHONPATH": os.pathsep.join(filter(None, [
            str(Path(__file__).resolve().parents[3]), environment.get("PYTHONPATH")])),
    })
    environment.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", _PROBE, str(path)], env=environment,
                          capture_output=True, text=True, timeout=300, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


# name → (builder, a fragment of the message)
HEAVY = {
    # Declares a one-cell sheet, holds XFD1048576: only the child's limit stops calamine.
    "lying dimension, cell at XFD1048576": (
        lambda d: hostile.lying_xlsx(d / "lying.xlsx"), "超出内存上限（1024 MB）"),
    "sheet XML inflating to 200 MB": (
        lambda d: hostile.inflating_xlsx(d / "big.xlsx", 200, level=1), "压缩比"),
}


@pytest.mark.parametrize("case", [*CASES, *HEAVY])
def test_reading_a_hostile_file_stays_under_the_memory_cap(tmp_path, case):
    build, fragment = HEAVY[case] if case in HEAVY else CASES[case]
    measured = _measure(build(tmp_path), tmp_path)
    assert fragment in measured["outcome"], measured
    assert measured["self_mb"] < CAP_MB, measured
    assert measured["child_mb"] < CAP_MB, measured
