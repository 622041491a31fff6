"""CPU cost per request of the pages the load benchmark drives, steady on a busy machine.

On 2 cores, 50 requests a second leave each request well under 40 ms of CPU. Wall-clock
timings mean little while other work shares the machine; this process's CPU time
(``time.process_time``) does not count the others. Each page is requested through
Django's test client in this process (no HTTP, no server): the pages with a session, the
API lists with a bearer token, as ``bench/serve_bench.py`` asks for them::

    JIANGPING_DATA_DIR=/tmp/jp-cpu PYTHONPATH=src .venv/bin/jiangping demo --scale city --no-serve
    JIANGPING_DATA_DIR=/tmp/jp-cpu PYTHONPATH=src .venv/bin/python bench/page_cpu.py [--repeat 30]
        [--only TEXT] [--profile cumulative|tottime] [--json]

It prints, per page, the median CPU ms of ``--repeat`` requests (after three to warm up)
and the number of SQL statements of one request. ``--profile`` prints cProfile's
statistics of the requests instead; ``--json`` the figures as JSON; ``--sql`` the SQL
statements of one request of each page as well. Two API tokens are
issued to the demo's ``office`` and its first county's user (named ``page-cpu``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

PAGES = [
    # (name, user: office / leader / county, or *-api for a token; path with {period})
    ("home", "county", "/"),
    ("home", "leader", "/"),
    ("home", "office", "/"),
    ("task board", "office", "/tasks/"),
    ("task board", "county", "/tasks/"),
    ("approval queue", "office", "/intake/queue/"),
    ("api values", "county-api", "/api/indicators/values?period={period}"),
    ("api values", "office-api", "/api/indicators/values?period={period}"),
    ("api tasks", "office-api", "/api/tasks/"),
    ("api submissions", "office-api", "/api/intake/submissions"),
    ("api units", "office-api", "/api/orgs/units"),
    ("compare counties", "office", "/indicators/compare/?period={period}&tier=counties"),
    ("compare cities", "office", "/indicators/compare/?period={period}&tier=cities"),
]


class _Statements(list):
    """An execute wrapper keeping the SQL of each statement run."""

    def __call__(self, execute, sql, params, many, context):
        self.append(sql)
        return execute(sql, params, many, context)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--only", default="", help="pages whose name or user holds this")
    parser.add_argument("--profile", choices=["cumulative", "tottime"])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sql", action="store_true",
                        help="print the SQL statements of one request of each page")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiangping.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from jiangping.core.periods import review_month
    from jiangping.orgs.models import Level, Role, User
    from jiangping.orgs.services import create_api_token

    setup_test_environment()
    users = {
        "office": User.objects.get(username="office"),
        "leader": User.objects.filter(role=Role.LEADER).order_by("pk").first(),
        "county": User.objects.filter(role=Role.REPORTER, unit__level=Level.COUNTY,
                                      unit__parent__is_home=True).order_by("pk").first(),
    }
    clients = {}
    for who, user in users.items():
        clients[who] = Client()
        clients[who].force_login(user)
        token = Client(HTTP_AUTHORIZATION="Bearer " + create_api_token(user, "page-cpu"))
        clients[f"{who}-api"] = token
    period = review_month()
    figures = {}
    for name, who, path in PAGES:
        if args.only and args.only not in f"{name} {who}":
            continue
        url, client = path.format(period=period), clients[who]
        for _warm in range(3):
            if client.get(url).status_code != 200:
                raise SystemExit(f"{name} as {who}: {url} did not answer 200")
        statements = _Statements()
        with connection.execute_wrapper(statements):
            client.get(url)
        if args.sql:
            print(f"== {name} ({who}): {len(statements)} statements")
            for sql in statements:
                print("  " + sql[:300])
        if args.profile:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
            for _run in range(args.repeat):
                client.get(url)
            profile.disable()
            print(f"== {name} ({who})")
            pstats.Stats(profile).sort_stats(args.profile).print_stats(40)
            continue
        spent = []
        for _run in range(args.repeat):
            started = time.process_time()
            client.get(url)
            spent.append((time.process_time() - started) * 1000)
        figures[f"{name} ({who})"] = {"cpu_ms": round(statistics.median(spent), 2),
                                      "queries": len(statements)}
    if args.json:
        json.dump(figures, sys.stdout)
    elif figures:
        print(f"{'page':<28}{'cpu ms':>8}{'queries':>9}")
        for key, row in figures.items():
            print(f"{key:<28}{row['cpu_ms']:>8.1f}{row['queries']:>9}")


if __name__ == "__main__":
    main()
