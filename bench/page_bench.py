"""Page benchmark: what each page and API list costs in-process, at city and province scale.

Whether a page's cost follows what it shows or the whole history: every page is rendered
through Django's test client in this process (no HTTP, no server), logged in as the city
office, a leader and a county's reporter, and timed with every SQL statement it runs::

    .venv/bin/python bench/page_bench.py [--engine sqlite|postgres|both] [--repeat 7]
        [--build] [--dir /tmp/jiangping-pages] [--pg postgres://postgres@127.0.0.1:5432/jp_pages]
        [--scales city province] [--slowest 3] [--no-cache]

Each demo keeps its keys (and its SQLite file) in ``DIR/<engine>-<scale>``; on PostgreSQL
its data is in the database ``<PG>_<scale>``. ``--build`` (re)builds the demos with
``jiangping demo --reset --no-serve``. Each scale is measured in a child process of its
own (Django's settings name one database), which renders every page once to warm up and
then ``--repeat`` times. The figures are medians: the number of queries, the time spent
in the database (executing and fetching), the total time of the request, and the ratio
of the last scale to the first (province / city). ``--slowest`` lists the costliest
statements of each page at the last scale; ``--no-cache`` renders every page in full, as
the first view after a write does (by default a table is rendered once and then read
from the cache). The HTTP load benchmark
(``bench/serve_bench.py``) measures the served product; this one isolates the pages.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OFFICE, COUNTY, LEADER = "office", "county", "leader"

# (name, user, path); ``{period}``, ``{year}`` and ``{task}`` are filled in per database.
PAGES = [
    ("home", OFFICE, "/"),
    ("home", COUNTY, "/"),
    ("home", LEADER, "/"),
    ("compare counties", OFFICE, "/indicators/compare/?period={period}&tier=counties"),
    ("compare counties", COUNTY, "/indicators/compare/?period={period}&tier=counties"),
    ("compare cities", OFFICE, "/indicators/compare/?period={period}&tier=cities"),
    ("compare (default month)", OFFICE, "/indicators/compare/"),
    ("entry", OFFICE, "/indicators/entry/"),
    ("entry", COUNTY, "/indicators/entry/"),
    ("approval queue", OFFICE, "/intake/queue/"),
    ("submissions", COUNTY, "/intake/queue/"),
    ("import page", OFFICE, "/intake/import/"),
    ("import page", COUNTY, "/intake/import/"),
    ("task board", OFFICE, "/tasks/"),
    ("task board", COUNTY, "/tasks/"),
    ("task detail", COUNTY, "/tasks/{task}/"),
    ("calendar", OFFICE, "/tasks/calendar/"),
    ("speech page", OFFICE, "/tasks/speech/"),
    ("bulletin (preview)", OFFICE, "/bulletins/?period={period}"),
    ("bulletin (preview)", COUNTY, "/bulletins/?period={period}"),
    ("api months", OFFICE, "/api/months/"),
    ("api units", OFFICE, "/api/orgs/units"),
    ("api catalog", OFFICE, "/api/indicators/"),
    ("api values (month)", OFFICE, "/api/indicators/values?period={period}&limit=500"),
    ("api values (month)", COUNTY, "/api/indicators/values?period={period}&limit=500"),
    ("api targets", OFFICE, "/api/indicators/targets?year={year}&limit=500"),
    ("api comparison", OFFICE, "/api/indicators/comparison?period={period}"),
    ("api submissions", OFFICE, "/api/intake/submissions"),
    ("api tasks", OFFICE, "/api/tasks/"),
    ("api tasks", COUNTY, "/api/tasks/"),
    ("api bulletins", COUNTY, "/api/bulletins/{period}"),
]


def _env(engine: str, scale: str, args) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT / "src")
    env["JIANGPING_DATA_DIR"] = str(Path(args.dir) / f"{engine}-{scale}")
    if engine == "postgres":
        env["DATABASE_URL"] = f"{args.pg}_{scale}"
    else:
        env.pop("DATABASE_URL", None)
    return env


def _ensure_pg_database(url: str) -> None:
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def build(engine: str, scale: str, args) -> None:
    env = _env(engine, scale, args)
    Path(env["JIANGPING_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    if engine == "postgres":
        _ensure_pg_database(env["DATABASE_URL"])
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "jiangping", "demo", "--scale", scale, "--reset",
                    "--no-serve"], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"built {scale} on {engine} in {time.perf_counter() - started:.0f} s", flush=True)


# --- the child: one database, every page ---------------------------------------------
class _Recorder:
    """An execute wrapper keeping each statement's SQL and its time: the execution and the
    fetching of its rows (SQLite runs a query while its rows are fetched)."""

    def __init__(self):
        self.statements: list[list] = []

    def __call__(self, execute, sql, params, many, context):
        entry = [0.0, sql]
        self.statements.append(entry)
        context["cursor"].bench_entry = entry
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            entry[0] += time.perf_counter() - started


def _time_fetches() -> None:
    """Add each fetch's time to the statement it reads (see :class:`_Recorder`)."""
    from django.db.backends.utils import CursorWrapper

    def timed(name):
        def fetch(self, *args):
            started = time.perf_counter()
            try:
                with self.db.wrap_database_errors:
                    return getattr(self.cursor, name)(*args)
            finally:
                entry = getattr(self, "bench_entry", None)
                if entry is not None:
                    entry[0] += time.perf_counter() - started
        return fetch

    for name in ("fetchone", "fetchmany", "fetchall"):
        setattr(CursorWrapper, name, timed(name))


def measure(repeat: int, slowest: int, width: int = 300, cache: bool = True) -> list[dict]:
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiangping.settings"
    import django

    django.setup()
    if not cache:
        from django.test.utils import override_settings

        override_settings(CACHES={"default": {
            "BACKEND": "django.core.cache.backends.dummy.DummyCache"}}).enable()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from jiangping.core.periods import review_month
    from jiangping.orgs.models import Level, Role, User
    from jiangping.tasks.models import Task

    setup_test_environment()
    _time_fetches()
    period = review_month()
    # the demo's office, and the first county's reporter (珞澜区's luolanqu in the demos)
    users = {OFFICE: User.objects.get(username="office"),
             LEADER: User.objects.filter(role=Role.LEADER).order_by("pk").first(),
             COUNTY: User.objects.filter(role=Role.REPORTER, unit__level=Level.COUNTY,
                                         unit__parent__is_home=True).order_by("pk").first()}
    county = users[COUNTY]
    task = (Task.objects.filter(lead_unit=county.unit).order_by("pk").values_list("pk", flat=True)
            .first())
    fill = {"period": period, "year": period[:4], "task": task}
    clients = {}
    for who, user in users.items():
        clients[who] = Client()
        clients[who].force_login(user)

    results = []
    for name, who, path in PAGES:
        url = path.format(**fill)
        client = clients[who]
        client.get(url)  # warm-up: templates, translations, the database's pages
        runs = []
        for _run in range(repeat):
            recorder = _Recorder()
            with connection.execute_wrapper(recorder):
                started, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                total, cpu = time.perf_counter() - started, time.process_time() - cpu
            if response.status_code != 200:
                raise SystemExit(f"{name} as {who}: {url} answered {response.status_code}")
            runs.append((total, recorder.statements, cpu))
        statements = runs[len(runs) // 2][1]
        top = sorted(statements, reverse=True)[:slowest]
        results.append({
            "page": name, "user": who, "url": url,
            "queries": statistics.median(len(s) for _t, s, _c in runs),
            "db_ms": statistics.median(sum(t for t, _sql in s) * 1000 for _t, s, _c in runs),
            "total_ms": statistics.median(t * 1000 for t, _s, _c in runs),
            "cpu_ms": statistics.median(c * 1000 for _t, _s, c in runs),
            "slowest": [[round(t * 1000, 2), sql[:width]] for t, sql in top],
        })
    return results


# --- the parent: run each scale, print the table ------------------------------------
def run_scale(engine: str, scale: str, args) -> list[dict]:
    completed = subprocess.run(
        [sys.executable, __file__, "--measure", "--repeat", str(args.repeat),
         "--slowest", str(args.slowest), "--width", str(args.width),
         *(["--no-cache"] if args.no_cache else [])],
        env=_env(engine, scale, args), capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"{scale} on {engine} failed:\n{completed.stderr[-3000:]}"
                         f"{completed.stdout[-2000:]}")
    return json.loads(completed.stdout)


def report(engine: str, scales: list[str], results: dict[str, list[dict]], slowest: int) -> None:
    first, last = scales[0], scales[-1]
    header = f"{'page':<26}{'user':<10}"
    for scale in scales:
        header += f"{scale + ' q':>12}{'db ms':>8}{'cpu ms':>8}{'total ms':>9}"
    header += f"{'ratio':>7}{'cpu r':>7}"
    print(f"\n== {engine}: medians; ratio = total ms {last} / {first}, cpu r = the same of "
          "this process's CPU time (steadier on a busy machine; no PostgreSQL server time)")
    print(header)
    for index, row in enumerate(results[first]):
        line = f"{row['page']:<26}{row['user']:<10}"
        for scale in scales:
            cell = results[scale][index]
            line += (f"{cell['queries']:>12g}{cell['db_ms']:>8.1f}{cell['cpu_ms']:>8.1f}"
                     f"{cell['total_ms']:>9.1f}")
        ratio = results[last][index]["total_ms"] / max(row["total_ms"], 0.001)
        cpu_ratio = results[last][index]["cpu_ms"] / max(row["cpu_ms"], 0.001)
        print(line + f"{ratio:>7.2f}{cpu_ratio:>7.2f}")
    if slowest:
        print(f"\n-- slowest statements at {last} scale ({engine})")
        for row in results[last]:
            print(f"{row['page']} ({row['user']}):")
            for ms, sql in row["slowest"]:
                print(f"  {ms:8.2f} ms  {sql}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=["sqlite", "postgres", "both"], default="sqlite")
    parser.add_argument("--scales", nargs="+", default=["city", "province"])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--slowest", type=int, default=0,
                        help="list this many costliest statements per page (last scale)")
    parser.add_argument("--width", type=int, default=300,
                        help="characters of each listed statement")
    parser.add_argument("--no-cache", action="store_true",
                        help="render every page in full (no cached tables): the cost of a "
                             "first view after a write")
    parser.add_argument("--build", action="store_true", help="(re)build the demos first")
    parser.add_argument("--dir", default="/tmp/jiangping-pages",
                        help="data directories of the demos: DIR/<engine>-<scale>")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/jp_pages",
                        help="PostgreSQL demos: the databases <PG>_<scale>")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        json.dump(measure(args.repeat, args.slowest, args.width, cache=not args.no_cache),
                  sys.stdout)
        return
    engines = ["sqlite", "postgres"] if args.engine == "both" else [args.engine]
    for engine in engines:
        if args.build:
            for scale in args.scales:
                build(engine, scale, args)
        results = {scale: run_scale(engine, scale, args) for scale in args.scales}
        report(engine, args.scales, results, args.slowest)


if __name__ == "__main__":
    main()
