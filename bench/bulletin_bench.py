"""Bulletin benchmark: the bulletin (通报) of a province-scale month in DOCX, HTML and PDF.

Builds the province demo in a temporary data dir (the demo publishes the latest month's
review of the city), then reviews that month for every county-level unit of the province
(at least 120, as ``bench/review_bench.py`` does) and gives that result to the bulletin in
place of the city's: the ranking section's tables, lists and charts then run to the
province's size, the other sections stay the city's. It times composing the bulletin from
the data (every registered section) and writing it in each format, and prints each against
its goal: a DOCX within 5 s, the three formats together within 15 s, composing included
in both::

    .venv/bin/python bench/bulletin_bench.py [--scale province] [--repeat 3]
    .venv/bin/python bench/bulletin_bench.py --data-dir DIR   # a data dir holding the demo

With ``DATABASE_URL`` set, the demo is built in (and replaces) that database.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
# The review bench's demo build and setup, and its province-wide review inputs.
from review_bench import _setup, build, province_inputs

DOCX_GOAL = 5.0
ALL_GOAL = 15.0
FORMATS = ("docx", "html", "pdf")


def province_review(period: str, version: int) -> dict:
    """The month reviewed for every county-level unit of the province with the demo scheme,
    as a published result of ``version`` reads (the city's run names its items)."""
    from jiangping.indicators import formulas
    from jiangping.orgs.models import Level, OrgUnit
    from jiangping.reviews import services
    from jiangping.reviews.demo import demo_scheme

    scheme = services.check_scheme(demo_scheme(formulas.parse_period(period)[0]))
    units = list(OrgUnit.objects.filter(level=Level.COUNTY).order_by("path"))
    frozen = province_inputs(scheme, period, units)
    return {**services.score(scheme, period, frozen), "version": version}


def measure(repeat: int) -> dict:
    from jiangping.bulletins import render
    from jiangping.bulletins.services import default_issuer, default_number, published_run
    from jiangping.demo.models import DemoDataset

    period = DemoDataset.objects.order_by("-pk").first().latest_period
    run = published_run(period)
    if run is None:
        raise SystemExit(f"no published review for {period}: the demo did not publish one")
    review = province_review(period, run.version)
    times: dict[str, list[float]] = {"compose": [], **{fmt: [] for fmt in FORMATS}}
    sizes: dict[str, int] = {}
    bulletin = None
    for _ in range(repeat):
        started = time.perf_counter()
        context = render.context_for(period)
        context.review = review
        bulletin = render.compose(context, number=default_number(period),
                                  date="2026年1月5日", issuer=default_issuer())
        times["compose"].append(time.perf_counter() - started)
        for fmt in FORMATS:
            started = time.perf_counter()
            data = render.formats[fmt](bulletin)
            times[fmt].append(time.perf_counter() - started)
            sizes[fmt] = len(data)
    blocks = [block for section in bulletin.sections for block in section.blocks]
    median = {k: statistics.median(v) for k, v in times.items()}
    return {"period": period, "review": run.version, "units": len(review["units"]),
            "sections": len(bulletin.sections),
            "tables": sum(b.kind == "table" for b in blocks),
            "charts": sum(b.kind == "chart" for b in blocks),
            "rows": sum(len(b.rows) for b in blocks if b.kind == "table"),
            "sizes": sizes, **median}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="province", choices=["small", "city", "province"])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--data-dir", help="keep the demo in this data dir: built there when "
                        "the dir is empty or missing, reused (no build) when it holds one")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="jp-bulletin-bench-") as tmp:
        data_dir = args.data_dir or tmp
        if not args.data_dir or not any(Path(data_dir).glob("*")):
            started = time.perf_counter()
            build(data_dir, args.scale)
            print(f"demo ({args.scale}) built in {time.perf_counter() - started:.1f} s")
        _setup(data_dir)
        from django.db import connection

        f = measure(args.repeat)
        print(f"database: {connection.vendor}; month {f['period']}, review version "
              f"{f['review']}, {f['units']} units reviewed")
        print(f"bulletin: {f['sections']} sections, {f['tables']} tables ({f['rows']} rows), "
              f"{f['charts']} charts; median of {args.repeat}")
        print(f"compose (data → document): {f['compose']:.3f} s")
        for fmt in FORMATS:
            print(f"write {fmt.upper():<4}: {f[fmt]:.3f} s  ({f['sizes'][fmt] / 1024:.0f} KiB)")
        docx = f["compose"] + f["docx"]
        together = f["compose"] + sum(f[fmt] for fmt in FORMATS)
        print(f"DOCX from the data: {docx:.3f} s = {docx / DOCX_GOAL:.2f} × the "
              f"{DOCX_GOAL:.0f} s goal")
        print(f"all three from the data: {together:.3f} s = {together / ALL_GOAL:.2f} × the "
              f"{ALL_GOAL:.0f} s goal")
        return 0 if docx <= DOCX_GOAL and together <= ALL_GOAL else 1


if __name__ == "__main__":
    raise SystemExit(main())
