"""The benchmarks still run end to end (tiny sizes; they measure, they do not judge)."""

import importlib.util
import json
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
    # The bench builds its own demo in a temporary SQLite data dir, not in the suite's database.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    completed = subprocess.run(
        [sys.executable, str(bench), "--scale", "small", "--repeat", "1"],
        capture_output=True, text=True, check=False, timeout=300, env=env,
    )
    out = completed.stdout
    assert "county-level units" in out and "gap moves found" in out, completed.stderr
    assert "× the 2 s goal" in out and "the floor" in out


def test_bulletin_bench_runs():
    bench = BENCH.with_name("bulletin_bench.py")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    completed = subprocess.run(
        [sys.executable, str(bench), "--scale", "small", "--repeat", "1"],
        capture_output=True, text=True, check=False, timeout=600, env=env,
    )
    out = completed.stdout
    assert "compose (data → document)" in out, completed.stderr
    assert "write DOCX" in out and "write HTML" in out and "write PDF" in out
    assert "× the 5 s goal" in out and "× the 15 s goal" in out


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
         "--seconds", "1", "--modes", "1", "paced", "--pages", "home-county", "api-values"],
        capture_output=True, text=True, check=False, timeout=600,
    )
    assert completed.returncode == 0, completed.stdout + completed.stderr
    rows = [line.split() for line in completed.stdout.splitlines()
            if line.startswith("small    sqlite")]
    assert [row[2:4] for row in rows] == [["home-county", "1"], ["home-county", "paced"],
                                          ["api-values", "1"], ["api-values", "paced"]]
    for row in rows:
        requests_per_second, errors = float(row[7]), int(row[8])
        assert requests_per_second > 0 and errors == 0


SPEECH_EVAL = BENCH.parent / "speech_eval.py"
CORPUS = BENCH.parents[1] / "src" / "jiangping" / "tasks" / "tests" / "corpus"
SPEECH_METRICS = ("task detection", "lead units", "co units", "targets (subj+val+unit)",
                  "targets (val+unit)", "deadline exact", "proposals with no unit",
                  "matched, gold lead but none", "milestone recall")


def run_speech_eval(*args):
    env = {**os.environ, "PYTHONPATH": str(BENCH.parents[1] / "src")}
    return subprocess.run([sys.executable, str(SPEECH_EVAL), *args], capture_output=True,
                          text=True, check=False, timeout=300, env=env)


def test_speech_eval_prints_every_metric_on_the_tune_part():
    completed = run_speech_eval("--part", "tune")
    assert completed.returncode == 0, completed.stderr
    documents = sorted(p.stem for p in (CORPUS / "tune").glob("*.json"))
    assert f"== tune: {len(documents)} documents" in completed.stdout
    for metric in SPEECH_METRICS:
        assert metric in completed.stdout, metric
    for stem in documents:
        assert stem in completed.stdout


def test_speech_eval_json_has_rates_between_zero_and_one():
    completed = run_speech_eval("--part", "tune", "--json")
    assert completed.returncode == 0, completed.stderr
    figures = json.loads(completed.stdout)["tune"]["figures"]
    rates = [figures["task"][k] for k in ("precision", "recall", "f1")]
    rates += [figures[k][m] for k in ("lead", "co", "target", "target_value_unit")
              for m in ("precision", "recall")]
    rates += [figures["no_unit_share"], figures["deadline"]["accuracy"]]
    assert all(r is None or 0 <= r <= 1 for r in rates)
    gold = sum(len(json.loads(p.read_text(encoding="utf-8"))["tasks"])
               for p in (CORPUS / "tune").glob("*.json"))
    assert figures["gold_tasks"] == gold


def load_speech_eval():
    spec = importlib.util.spec_from_file_location("speech_eval", SPEECH_EVAL)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their annotations through it
    spec.loader.exec_module(module)
    return module


def test_speech_eval_scores_units_by_written_form_and_synonym():
    ev = load_speech_eval()
    tally = ev.Tally()
    gold = {"lead_units": ["市发展改革委", "縣財政局"], "co_units": ["县水务局"],
            "deadline": "2025-06-30", "targets": [
                {"subject": "征地", "value": "X", "unit": "亩"},
                {"subject": "投资", "value": "3", "unit": "亿元"}]}
    proposal = {"units": [
        {"text": "市发改委", "unit": None, "role": "lead"},
        {"text": "县财政局", "unit": "东山县财政局", "role": "lead"},
        {"text": "县林业局", "unit": None, "role": "lead"},
        {"text": "县水务局等", "unit": None, "role": "co"}],
        "lead_units": ["x"], "co_units": ["y"], "deadline": "2025-06-30",
        "targets": [{"subject": "征地", "value": None, "unit": "亩", "placeholder": True},
                    {"subject": "", "value": "3", "unit": "亿元"}]}
    ev.compare_task(tally, gold, proposal, ev.Gazetteer.build([]))
    assert tally.pairs["lead"] == [2, 3, 2, 2]
    assert tally.pairs["co"] == [1, 1, 1, 1]
    assert tally.pairs["target"] == [1, 2, 1, 2]
    assert tally.pairs["target_value_unit"] == [2, 2, 2, 2]
    assert (tally.deadline_right, tally.deadline_gold, tally.deadline_gold_right) == (1, 1, 1)
    assert tally.lead_missing == 0 and tally.lead_expected == 1


def test_speech_eval_falls_back_to_unit_strings_and_counts_missing_leads():
    ev = load_speech_eval()
    tally = ev.Tally()
    gold = {"lead_units": ["各乡镇"], "co_units": [], "deadline": None, "targets": [],
            "milestones": [{"deadline": "2019-07-31"}, {"deadline": "2019-08-31"}]}
    proposal = {"lead_units": [], "co_units": ["乡镇"], "deadline": "2019-07-31",
                "targets": [], "milestones": [{"deadline": "2019-07-31"}]}
    ev.compare_task(tally, gold, proposal, ev.Gazetteer.build([]))
    assert tally.pairs["lead"] == [0, 0, 0, 1]
    assert tally.pairs["co"] == [0, 1, 0, 0]
    assert tally.lead_missing == 1
    assert tally.deadline_right == 0 and tally.deadline_gold == 0
    assert tally.milestones == [1, 2, 1]
