"""Review benchmark: the monthly review of a province-scale month.

Builds the province demo (every city with its county-level units) in a temporary data dir,
then reviews the latest month for every county-level unit of the province (at least 120) with
the demo scheme — every metric it names, the lists and the gap analysis — and prints the time
of each step. Goal: the whole review within 2 s. The floor printed beside it is the same
review without the gap analysis, measured in the same run::

    .venv/bin/python bench/review_bench.py [--scale province] [--repeat 3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jp_bench .venv/bin/python bench/review_bench.py

With ``DATABASE_URL`` set, the demo is built in (and replaces) that database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_SECONDS = 2.0


def _setup(data_dir: str) -> None:
    os.environ["JIANGPING_DATA_DIR"] = data_dir
    os.environ.setdefault("JIANGPING_SECRET_KEY", "bench-" + "x" * 50)
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiangping.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def build(data_dir: str, scale: str) -> None:
    env = {**os.environ, "JIANGPING_DATA_DIR": data_dir, "JIANGPING_DEMO": "1",
           "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-m", "jiangping", "demo", "--scale", scale, "--no-serve",
                    "--reset"], env=env, check=True, stdout=subprocess.DEVNULL)


GROUP_OF = {"district": "城区组", "zone": "功能区"}  # the demo's kinds; others 县市组


def province_inputs(scheme, period: str, units: list) -> dict:
    """The frozen inputs of ``period``'s review of ``units`` (every county-level unit of
    the province), grouped as the demo scheme groups them: what a stored run holds."""
    from jiangping.reviews import services

    frozen = services.gather(scheme, period, units)
    frozen["units"] = [{"code": u.code, "name": u.short_name or u.name,
                        "group": GROUP_OF.get(u.group, "县市组")} for u in units]
    frozen.update(services._context(period, [u.code for u in units]))
    return frozen


def measure(repeat: int) -> dict:
    from jiangping.demo.models import DemoDataset
    from jiangping.indicators import formulas
    from jiangping.orgs.models import Level, OrgUnit
    from jiangping.reviews import engine, services
    from jiangping.reviews.demo import demo_scheme

    period = DemoDataset.objects.order_by("-pk").first().latest_period
    text = demo_scheme(formulas.parse_period(period)[0])
    units = list(OrgUnit.objects.filter(level=Level.COUNTY).order_by("path"))
    scheme = services.check_scheme(text)
    runs: dict[str, list[float]] = {"gather": [], "score": [], "floor": [], "total": []}
    for _ in range(repeat):
        started = time.perf_counter()
        frozen = province_inputs(scheme, period, units)
        gathered = time.perf_counter()
        result = services.score(scheme, period, frozen)
        scored = time.perf_counter()
        runs["gather"].append(gathered - started)
        runs["score"].append(scored - gathered)
        runs["total"].append(scored - started)
        catalog = services.metric_catalog()
        inputs = {code: {u: engine.Entry(services._number(e["value"]),
                                         services._number(e["target"]))
                         for u, e in per.items()} for code, per in frozen["items"].items()}
        plain = [engine.Unit(u["code"], u["name"], u["group"]) for u in frozen["units"]]
        floor_started = time.perf_counter()
        engine.review(scheme, plain, inputs, {c: m.direction for c, m in catalog.items()},
                      gaps=False)
        runs["floor"].append(time.perf_counter() - floor_started)
    moves = sum(len(u["gap"]["move_up"]) for u in result["units"])
    return {"period": period, "units": len(units), "items": len(scheme.items), "moves": moves,
            **{k: statistics.median(v) for k, v in runs.items()}}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province", choices=["small", "city", "province"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", help="keep the demo in this data dir: built there when "
                        "the dir is empty or missing, reused (no build) when it holds one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jp-review-bench-") as tmp:
        data_dir = args.data_dir or tmp
        if not args.data_dir or not any(Path(data_dir).glob("*")):
            started = time.perf_counter()
            build(data_dir, args.scale)
            print(f"demo ({args.scale}) built in {time.perf_counter() - started:.1f} s")
        _setup(data_dir)
        from django.db import connection

        figures = measure(args.repeat)
        print(f"database: {connection.vendor}; month {figures['period']}; "
              f"{figures['units']} county-level units × {figures['items']} items; "
              f"{figures['moves']} gap moves found")
        print(f"gather inputs (metrics): {figures['gather']:.3f} s")
        print(f"score, rank, lists, gap:  {figures['score']:.3f} s")
        print(f"floor (scoring without gap analysis): {figures['floor']:.3f} s")
        print(f"total: {figures['total']:.3f} s = {figures['total'] / GOAL_SECONDS:.2f} × the "
              f"{GOAL_SECONDS:.0f} s goal; {figures['total'] / max(figures['floor'], 1e-9):.1f} × "
              "the floor")
        return 0 if figures["total"] <= GOAL_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
