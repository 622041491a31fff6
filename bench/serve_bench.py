"""Serving benchmark: the pages of a review-day morning under load, as ``jiangping serve`` runs.

Runs standalone::

    .venv/bin/python bench/serve_bench.py [--scale city province] [--db sqlite postgres]
        [--seconds 10] [--modes 1 10 50 paced] [--pages home compare ...] [--keep DIR]
        [--workers N] [--threads N]

For each scale and database it builds the demo (``jiangping demo --scale S --no-serve``)
in a fresh data dir (SQLite) or a fresh database (PostgreSQL: ``--pg-url`` with the
database names ``--pg-prefix``_city / _prov), starts ``jiangping serve`` on loopback, logs
in as the city office (``office``) and as a county reporter (the demo's first
填报单位 account), takes an API token for each, and drives every page with wrk.

Load generator: wrk (Debian's ``wrk`` package). It is a C program of a few threads, so on
a 2-core machine it takes far less of the CPU it measures than a Python generator
(locust spends a core of its own to drive a few hundred requests a second), and its
latency histogram gives exact percentiles. Each cell is one page at one load:

- ``1``, ``10``, ``50``: that many connections, each sending its next request as soon as
  the previous answer came (no think time);
- ``paced``: 50 users, each on its own keep-alive connection, waiting a think time after
  an answer before its next request: 50 users at (a little under, by the latency) one
  request per second each. The think time is drawn at random, exponential with a mean of
  1 s, as independent users' are (a fixed 1 s keeps the 50 in step, all sending at the
  same instant). These users are Python threads timing each request from its first byte
  sent to its last byte read, not wrk: wrk's ``delay()`` pacing reported second-long
  tails (p95 1.1 s on the task board) that the same users timed one request at a time did
  not see on the same server (p95 27 ms), so its paced figures were not kept. At 50
  requests a second the threads cost the machine little.

Any answer but 200 counts as an error (a redirect to the login page included); a cell in
which no request completed says so (wrk counts only completed requests). Printed:
p50/p95/p99 (ms), throughput (req/s) and errors per cell; the ratio of each page's p50
at province vs city scale; the throughput ratio 50 connections / 1 connection.
"""

from __future__ import annotations

import argparse
import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SCALES = {"small": "small", "city": "city", "province": "prov"}
MODES = ("1", "10", "50", "paced")
PASSWORD = "jiangping-demo"  # the demo's printed password

# name -> (who, path); "who" is office/county (session) or office-api/county-api (token).
PAGES = {
    "home-office": ("office", "/"),
    "home-county": ("county", "/"),
    "compare-counties": ("office", "/indicators/compare/?tier=counties"),
    "compare-cities": ("office", "/indicators/compare/?tier=cities"),
    "board-office": ("office", "/tasks/"),
    "board-county": ("county", "/tasks/"),
    "queue": ("office", "/intake/queue/"),
    "api-units": ("office-api", "/api/orgs/units"),
    "api-values": ("county-api", "/api/indicators/values?period={period}"),
    "api-tasks": ("office-api", "/api/tasks/"),
    "api-submissions": ("office-api", "/api/intake/submissions"),
}

SETTLE_SECONDS = 3

WRK_SCRIPT = r"""
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body) if status ~= 200 then bad = bad + 1 end end
function done(summary, latency, requests)
  local bad_total = 0
  for _, t in ipairs(threads) do bad_total = bad_total + t:get("bad") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "p50": %d, "p95": %d, "p99": %d, '
    .. '"bad": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), bad_total, e.connect + e.read + e.write + e.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Site:
    """One demo: its environment, its server, its logins."""

    def __init__(self, scale: str, db: str, data_dir: Path, pg_url: str, pg_prefix: str):
        self.scale, self.db, self.data_dir = scale, db, data_dir
        self.env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "JIANGPING_DEMO": "1",
                    "JIANGPING_DATA_DIR": str(data_dir), "JIANGPING_LOG_LEVEL": "ERROR"}
        self.env.pop("DATABASE_URL", None)
        self.database = None
        if db == "postgres":
            self.database = f"{pg_prefix}_{SCALES[scale]}"
            self.env["DATABASE_URL"] = f"{pg_url.rstrip('/')}/{self.database}"
        self.server = None

    def jiangping(self, *args: str, timeout: int = 3600) -> str:
        done = subprocess.run([PYTHON, "-m", "jiangping", *args], env=self.env, text=True,
                              capture_output=True, timeout=timeout, check=False)
        if done.returncode:
            sys.exit(f"jiangping {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def build(self, fresh: bool, pg_url: str) -> float:
        """Build the demo (unless kept from an earlier run); returns the seconds taken."""
        if self.database and fresh:
            import psycopg

            with psycopg.connect(f"{pg_url.rstrip('/')}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.database}"')
                conn.execute(f'CREATE DATABASE "{self.database}"')
        started = time.perf_counter()
        out = self.jiangping("demo", "--scale", self.scale, "--no-serve")
        self.county_user = next(
            line.split()[0] for line in out.splitlines() if "填报单位" in line
            and re.match(r"\s+\w+\s", line))
        self.period = re.search(r"period=(\d{4}-\d{2})", out).group(1)
        return time.perf_counter() - started

    def serve(self, workers: int | None, threads: int | None) -> None:
        self.port = free_port()
        command = [PYTHON, "-m", "jiangping", "serve", "--port", str(self.port)]
        if workers:
            command += ["--workers", str(workers)]
        if threads:
            command += ["--threads", str(threads)]
        self.log = open(self.data_dir / "serve.log", "w")  # noqa: SIM115  (closed in stop)
        self.server = subprocess.Popen(command, env=self.env, stdout=self.log,
                                       stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.server.poll() is not None:
                sys.exit(f"jiangping serve stopped: see {self.data_dir / 'serve.log'}")
            try:
                urllib.request.urlopen(self.url("/login/"), timeout=5).read()
                return
            except OSError:
                time.sleep(0.2)
        sys.exit("jiangping serve did not answer within 120 s")

    def stop(self) -> None:
        if self.server is not None:
            self.server.terminate()
            self.server.wait(timeout=120)
            self.log.close()
            self.server = None

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def session_cookie(self, username: str) -> str:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(self.url("/login/"), timeout=30).read()
        csrf = next(c.value for c in jar if c.name == "csrftoken")
        form = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": csrf}).encode()
        opener.open(urllib.request.Request(self.url("/login/"), data=form, headers={
            "Referer": self.url("/login/")}), timeout=30).read()
        cookies = {c.name: c.value for c in jar}
        if "sessionid" not in cookies:
            sys.exit(f"could not log in as {username}")
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    def headers(self) -> dict[str, str]:
        """The header that authenticates each kind of caller."""
        office_token = self.jiangping("token", "office", "--name", "bench").strip()
        county_token = self.jiangping("token", self.county_user, "--name", "bench").strip()
        return {
            "office": "Cookie: " + self.session_cookie("office"),
            "county": "Cookie: " + self.session_cookie(self.county_user),
            "office-api": "Authorization: Bearer " + office_token,
            "county-api": "Authorization: Bearer " + county_token,
        }


def paced(url: str, header: str, seconds: int, users: int = 50) -> dict:
    """``users`` users with an exponential think time of mean 1 s (see the module doc)."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    name, value = header.split(": ", 1)
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def user(seed: int) -> None:
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(parts.netloc, timeout=30)
        time.sleep(rng.random())
        while time.monotonic() < end:
            started = time.monotonic()
            ok = False
            for _attempt in (1, 2):
                try:
                    connection.request("GET", target, headers={name: value})
                    answer = connection.getresponse()
                    answer.read()
                    ok = answer.status == 200
                    break
                except (OSError, http.client.HTTPException):
                    # The server closed the idle keep-alive connection (after its
                    # keepalive seconds) as the request went out: a browser opens a new
                    # one and sends it again, once.
                    connection.close()
            took = time.monotonic() - started
            with lock:
                if ok:
                    latencies.append(took * 1000)
                else:
                    errors[0] += 1
            time.sleep(rng.expovariate(1.0))

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def at(q: float) -> float:
        return latencies[int(q * (len(latencies) - 1))] if latencies else float("nan")

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99),
            "rps": len(latencies) / seconds, "errors": errors[0], "requests": len(latencies)}


def wrk(url: str, header: str, mode: str, seconds: int, script: Path) -> dict:
    if mode == "paced":
        return paced(url, header, seconds)
    connections = int(mode)
    command = ["wrk", "-t", str(min(2, connections)), "-c", str(connections),
               "-d", f"{seconds}s", "--timeout", "30s", "-H", header, "-s", str(script),
               url]
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          timeout=seconds + 120)
    line = next((line for line in done.stdout.splitlines() if line.startswith("{")), None)
    if line is None:
        sys.exit(f"wrk failed: {done.stdout}\n{done.stderr}")
    result = json.loads(line)
    return {
        "p50": result["p50"] / 1000, "p95": result["p95"] / 1000, "p99": result["p99"] / 1000,
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "errors": result["bad"] + result["socket_errors"], "requests": result["requests"],
    }


def check_page(site: Site, header: str, path: str) -> None:
    """One request before the load: the page answers 200 (a wrong login fails loudly)."""
    name, value = header.split(": ", 1)
    request = urllib.request.Request(site.url(path), headers={name: value})
    with urllib.request.urlopen(request, timeout=120) as answer:
        if answer.status != 200 or answer.url.rstrip("/").endswith("/login"):
            sys.exit(f"{path} answered {answer.status} at {answer.url}")


def run(args) -> list[dict]:
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed (apt-get install wrk)")
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="jp-serve-bench-"))
    script = base / "bench.lua"
    base.mkdir(parents=True, exist_ok=True)
    script.write_text(WRK_SCRIPT)
    cells = []
    try:
        for db in args.db:
            for scale in args.scale:
                data_dir = base / f"{scale}-{db}"
                fresh = not (args.keep and data_dir.exists())
                if fresh and data_dir.exists():
                    shutil.rmtree(data_dir)
                site = Site(scale, db, data_dir, args.pg_url, args.pg_prefix)
                built = site.build(fresh, args.pg_url)
                print(f"# {scale} on {db}: demo {'built' if fresh else 'kept'} in {built:.1f} s;"
                      f" county user {site.county_user}; period {site.period}", flush=True)
                site.serve(args.workers, args.threads)
                try:
                    headers = site.headers()
                    for page in args.pages:
                        who, path = PAGES[page]
                        path = path.format(period=site.period)
                        check_page(site, headers[who], path)
                        for mode in args.modes:
                            # Let the requests a previous cell left queued (its
                            # connections closed, the server still answering them)
                            # finish before this cell starts.
                            time.sleep(SETTLE_SECONDS)
                            load = os.getloadavg()[0]
                            cell = wrk(site.url(path), headers[who], mode, args.seconds, script)
                            cell.update(scale=scale, db=db, page=page, mode=mode, load=load,
                                        seconds=args.seconds)
                            cells.append(cell)
                            print(row(cell), flush=True)
                finally:
                    site.stop()
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    return cells


HEADER = (f"{'scale':8} {'db':8} {'page':17} {'conns':>6} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'req/s':>8} {'errors':>6}  load1")


def row(cell: dict) -> str:
    if not cell["requests"]:
        return (f"{cell['scale']:8} {cell['db']:8} {cell['page']:17} {cell['mode']:>6} "
                f"  no answer within the cell's {cell['seconds']} s  {cell['load']:.1f}")
    return (f"{cell['scale']:8} {cell['db']:8} {cell['page']:17} {cell['mode']:>6} "
            f"{cell['p50']:8.1f} {cell['p95']:8.1f} {cell['p99']:8.1f} {cell['rps']:8.1f} "
            f"{cell['errors']:6d}  {cell['load']:.1f}")


def summary(cells: list[dict]) -> str:
    """The ratios: province p50 / city p50 per page and mode, 50 conn / 1 conn throughput."""
    lines = []
    by = {(c["scale"], c["db"], c["page"], c["mode"]): c for c in cells}
    ratios = []
    for (scale, db, page, mode), cell in sorted(by.items()):
        city = by.get(("city", db, page, mode))
        if scale == "province" and city and city["requests"] and cell["requests"]:
            ratios.append(f"{db:8} {page:17} {mode:>6} {cell['p50'] / city['p50']:8.2f}")
    if ratios:
        lines += ["", "p50 province / city", f"{'db':8} {'page':17} {'conns':>6} {'ratio':>8}",
                  *ratios]
    scaling = []
    for (scale, db, page, mode), cell in sorted(by.items()):
        one = by.get((scale, db, page, "1"))
        if mode == "50" and one and one["requests"]:
            scaling.append(f"{scale:8} {db:8} {page:17} {cell['rps'] / one['rps']:8.2f}")
    if scaling:
        lines += ["", "throughput 50 conn / 1 conn", f"{'scale':8} {'db':8} {'page':17} "
                  f"{'ratio':>8}", *scaling]
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", nargs="+", choices=list(SCALES), default=["city", "province"])
    parser.add_argument("--db", nargs="+", choices=["sqlite", "postgres"],
                        default=["sqlite", "postgres"])
    parser.add_argument("--seconds", type=int, default=10, help="per cell (default 10)")
    parser.add_argument("--modes", nargs="+", choices=MODES, default=list(MODES))
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    parser.add_argument("--workers", type=int, help="jiangping serve --workers")
    parser.add_argument("--threads", type=int, help="jiangping serve --threads")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432",
                        help="PostgreSQL server (without database name)")
    parser.add_argument("--pg-prefix", default="jp_serve_bench",
                        help="databases <prefix>_city, <prefix>_prov are dropped and rebuilt")
    parser.add_argument("--keep", metavar="DIR",
                        help="build the demos in DIR and keep them; a later run reuses them")
    args = parser.parse_args(argv)
    print(f"# cores {os.cpu_count()}; load average {os.getloadavg()[0]:.1f} at the start; "
          f"workers {args.workers or 'default'}, threads {args.threads or 'default'}; "
          f"{args.seconds} s per cell", flush=True)
    print(HEADER, flush=True)
    cells = run(args)
    print(summary(cells))
    print(f"# load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
