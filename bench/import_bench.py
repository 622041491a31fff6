r"""Import benchmark: our intake path against the engine's floor and a naive baseline.

Runs on a temporary SQLite data dir, and on PostgreSQL too when given a server::

    .venv/bin/python bench/import_bench.py [--rows 100000] [--baseline-rows 10000]
        [--postgres postgres://postgres@127.0.0.1:5432/NAME] [--floor-only]

It builds a catalog (org units and indicators), writes long-form ``indicators``
files of generated values as CSV and as XLSX (xlsxwriter, constant memory), then
times each import in a fresh subprocess on a fresh copy of the database, so the
peak resident memory (ru_maxrss) of each run is its own.

The floor is what the database itself takes to load the same CSV into a table of the
values table's shape (its unique key, its period index, the indexes of its foreign
keys): the sqlite3 shell's ``.import`` (WAL, synchronous=NORMAL, as the product runs)
and PostgreSQL's ``COPY … FROM STDIN`` (what psql's ``\copy`` sends). Our applied import
of that CSV is printed beside it with the ratio, in wall-clock seconds and in CPU
seconds (on PostgreSQL the client's and the server process's, read from /proc when the
server runs on this machine): on a busy machine the wall clock mostly measures the
wait for a core. On PostgreSQL the databases ``NAME_bench_base``, ``NAME_bench_run`` and
``NAME_bench_floor`` are created and dropped again. The naive baseline reads with
openpyxl and saves one ORM object per row; it is timed on a slice and its rows/s
extrapolated, as said in the output.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNITS = 100
INDICATORS = 50


def _django(data_dir: Path, url: str | None = None) -> None:
    # SQLite in a fresh data dir (the embedded default), or the PostgreSQL database ``url``.
    if url:
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["JIANGPING_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("JIANGPING_SECRET_KEY", "bench-" + "x" * 50)
    os.environ.setdefault("JIANGPING_FIELD_KEY", "eD2QbLqnuQQ6aQHbGWgS3cWcZz_-7C5V4XJXgSPYY8w=")
    os.environ["DJANGO_SETTINGS_MODULE"] = "jiangping.settings"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


# --- setup (parent process) -----------------------------------------------------
def build_catalog(data_dir: Path, url: str | None = None) -> None:
    _django(data_dir, url)
    from django.core.management import call_command

    from jiangping.indicators.models import Indicator, Kind
    from jiangping.orgs.models import Level, OrgUnit

    call_command("migrate", verbosity=0)
    province = OrgUnit.objects.create(code="B0", name="基准省", level=Level.PROVINCE)
    city = OrgUnit.objects.create(code="B01", name="基准市", level=Level.CITY, parent=province,
                                  is_home=True)
    for n in range(UNITS):
        OrgUnit.objects.create(code=f"B01{n:03d}", name=f"基准{n:03d}区", level=Level.COUNTY,
                               parent=city)
    Indicator.objects.bulk_create(
        Indicator(code=f"ind{n:03d}", name=f"基准指标{n:03d}", unit="亿元", kind=Kind.FLOW)
        for n in range(INDICATORS)
    )
    from django.db import connection

    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()


def generated_rows(count: int, seed: int = 7):
    """Long-form rows: every unit × indicator for as many months as needed."""
    rng = random.Random(seed)
    produced = 0
    month = 0
    while produced < count:
        period = f"{2000 + month // 12:04d}-{month % 12 + 1:02d}"
        for unit in range(UNITS):
            for indicator in range(INDICATORS):
                if produced >= count:
                    return
                value = Decimal(rng.randrange(1, 10**7)) / 100
                yield [f"基准{unit:03d}区", f"基准指标{indicator:03d}", period, str(value)]
                produced += 1
        month += 1


HEADER = ["单位", "指标", "期间", "数值"]


def write_csv(path: Path, count: int, seed: int = 7) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(generated_rows(count, seed))


def write_xlsx(path: Path, count: int) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, HEADER)
    for number, row in enumerate(generated_rows(count), start=1):
        sheet.write_row(number, 0, [row[0], row[1], row[2], float(row[3])])
    workbook.close()


# --- one timed run (child process) ---------------------------------------------
def run_ours(data_dir: Path, path: Path, before: Path | None = None,
             url: str | None = None) -> dict:
    """One applied import; with ``before`` that file is imported first, untimed: the same
    keys with other values (the timed run updates every value) or the same file (the
    timed run finds every value unchanged)."""
    _django(data_dir, url)
    from jiangping.intake.engine import run_import
    from jiangping.orgs.scope import Scope

    if before is not None:
        run_import("indicators", before, scope=Scope.operator(), apply=True)
    server = _Backend(url)
    start, cpu = time.perf_counter(), time.process_time()
    result = run_import("indicators", path, scope=Scope.operator(), apply=True)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if not result.ok:
        raise SystemExit(json.dumps(result.as_dict(), ensure_ascii=False)[:2000])
    if url is not None:  # the server's share too, or no CPU figure
        server_cpu = server.used()
        cpu = None if server_cpu is None else cpu + server_cpu
    return {"rows": result.rows_read, "created": result.created, "updated": result.updated,
            "seconds": seconds, "cpu_seconds": cpu}


class _Backend:
    """The CPU seconds the PostgreSQL backend serving this process's Django connection
    uses from now on (read from /proc: the server must run on this machine)."""

    def __init__(self, url: str | None):
        self.pid = self.start = None
        if url:
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.start = _process_cpu(self.pid)

    def used(self) -> float | None:
        end = _process_cpu(self.pid) if self.pid else None
        return None if end is None or self.start is None else end - self.start


def _process_cpu(pid: int) -> float | None:
    """User and system CPU seconds of process ``pid`` so far, or None if unreadable."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_naive(data_dir: Path, path: Path) -> dict:
    """What a first attempt looks like: openpyxl, a query per name, a save per row."""
    _django(data_dir)
    import openpyxl

    from jiangping.indicators.models import Indicator, Value
    from jiangping.orgs.models import OrgUnit

    start = time.perf_counter()
    workbook = openpyxl.load_workbook(path)
    rows = 0
    for unit_name, indicator_name, period, value in workbook.active.iter_rows(
            min_row=2, values_only=True):
        unit = OrgUnit.objects.get(name=unit_name)
        indicator = Indicator.objects.get(name=indicator_name)
        Value.objects.update_or_create(indicator=indicator, unit=unit, period=period,
                                       defaults={"value": Decimal(str(value))})
        rows += 1
    return {"rows": rows, "created": rows, "seconds": time.perf_counter() - start}


def child(args) -> None:
    if args.child == "naive":
        outcome = run_naive(Path(args.data_dir), Path(args.file))
    else:
        before = Path(args.before) if args.before else None
        outcome = run_ours(Path(args.data_dir), Path(args.file), before, args.url)
    outcome["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome))


def timed(kind: str, base: Path, work: Path, name: str, path: Path,
          before: Path | None = None, url: str | None = None) -> dict:
    data_dir = work / name
    data_dir.mkdir()
    if url is None:
        shutil.copy(base / "jiangping.sqlite3", data_dir / "jiangping.sqlite3")
    command = [sys.executable, __file__, "--child", kind, "--data-dir", str(data_dir),
               "--file", str(path)]
    if before is not None:
        command += ["--before", str(before)]
    if url is not None:
        command += ["--url", url]
    completed = subprocess.run(command, capture_output=True, text=True)
    if completed.returncode:
        raise SystemExit(completed.stderr[-3000:])
    outcome = json.loads(completed.stdout.strip().splitlines()[-1])
    outcome["rows_per_s"] = outcome["rows"] / outcome["seconds"]
    return outcome


# --- the floor: the database loading the same CSV by itself ------------------------------
# The values table's indexes: its unique key, its period index and the indexes of its
# foreign keys to indicators and units (the CSV names them; the table holds their ids).
FLOOR_TABLE = ("CREATE TABLE floor (unit text NOT NULL, indicator text NOT NULL, "
               "period varchar(7) NOT NULL, value numeric(20, 6) NOT NULL, "
               "UNIQUE (indicator, unit, period)); "
               "CREATE INDEX floor_period ON floor (period, indicator); "
               "CREATE INDEX floor_indicator ON floor (indicator); "
               "CREATE INDEX floor_unit ON floor (unit);")


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def floor_sqlite(work: Path, path: Path) -> tuple[float, float] | None:
    """Seconds (wall, CPU) the sqlite3 shell takes to ``.import`` ``path``; None without
    the shell."""
    shell = shutil.which("sqlite3")
    if shell is None:
        return None
    database = work / "floor.sqlite3"
    subprocess.run([shell, str(database), "PRAGMA journal_mode=WAL;", FLOOR_TABLE],
                   check=True, capture_output=True)
    start, cpu = time.perf_counter(), _children_cpu()
    subprocess.run([shell, str(database), "PRAGMA synchronous=NORMAL;",
                    f".import --csv --skip 1 {path} floor"], check=True, capture_output=True)
    return time.perf_counter() - start, _children_cpu() - cpu


def floor_postgres(url: str, path: Path) -> tuple[float, float | None]:
    """Seconds (wall, CPU of client and server) PostgreSQL's ``COPY … FROM STDIN`` takes
    to load ``path`` (what psql's ``\\copy`` sends); CPU None if the server's process
    cannot be read."""
    import psycopg

    floor = _pg_database(url, "floor", fresh=True)
    try:
        with psycopg.connect(floor, autocommit=True) as database:
            database.execute(FLOOR_TABLE)
            pid = database.execute("SELECT pg_backend_pid()").fetchone()[0]
            server = _process_cpu(pid)
            start, cpu = time.perf_counter(), time.process_time()
            with database.cursor() as cursor, path.open("rb") as source, cursor.copy(
                    "COPY floor FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                while block := source.read(1 << 16):
                    copy.write(block)
            wall, cpu = time.perf_counter() - start, time.process_time() - cpu
            used = _process_cpu(pid)
        return wall, (cpu + used - server) if None not in (server, used) else None
    finally:
        _pg_drop(url, "floor")


def _pg_url(url: str, suffix: str) -> str:
    head, _slash, name = url.rpartition("/")
    return f"{head}/{name}_bench_{suffix}"


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    head, _slash, _name = url.rpartition("/")
    with psycopg.connect(f"{head}/postgres", autocommit=True) as admin:
        admin.execute(sql)


def _pg_database(url: str, suffix: str, fresh: bool = False, template: str | None = None) -> str:
    """The URL of database ``NAME_bench_<suffix>``, created empty or from ``template``."""
    target = _pg_url(url, suffix)
    name = target.rpartition("/")[2]
    _pg_drop(url, suffix)
    if fresh or template:
        source = f" TEMPLATE {_pg_url(url, template).rpartition('/')[2]}" if template else ""
        _pg_admin(url, f'CREATE DATABASE "{name}"{source}')
    return target


def _pg_drop(url: str, suffix: str) -> None:
    name = _pg_url(url, suffix).rpartition("/")[2]
    _pg_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def floors(args, work: Path, base: Path, path: Path) -> list[tuple]:
    """(database, floor seconds, our outcome) for SQLite and, if given, PostgreSQL."""
    lines = [("SQLite", floor_sqlite(work, path),
              timed("ours", base, work, "floor_ours_sqlite", path))]
    if args.postgres:
        base_url = _pg_database(args.postgres, "base", fresh=True)
        try:
            subprocess.run([sys.executable, __file__, "--child", "catalog", "--data-dir",
                            str(work), "--url", base_url], check=True)
            floor = floor_postgres(args.postgres, path)
            run_url = _pg_database(args.postgres, "run", template="base")
            try:
                ours = timed("ours", base, work, "floor_ours_pg", path, url=run_url)
            finally:
                _pg_drop(args.postgres, "run")
        finally:
            _pg_drop(args.postgres, "base")
        lines.append(("PostgreSQL", floor, ours))
    return lines


def _print_floors(lines: list[tuple], rows: int) -> None:
    print(f"Floor: the database loading the same {rows}-row CSV by itself "
          "(sqlite3 .import / COPY FROM STDIN) against our applied import (checked, "
          "resolved, merged); wall clock, and CPU (PostgreSQL: client and server process)")
    for database, floor, ours in lines:
        if floor is None:
            print(f"{database:<11} floor n/a (shell not installed)  ours "
                  f"{ours['seconds']:6.2f} s")
            continue
        wall, cpu = floor
        line = (f"{database:<11} floor {wall:6.2f} s  ours {ours['seconds']:6.2f} s "
                f"({ours['rows_per_s']:,.0f} rows/s)  ours/floor {ours['seconds'] / wall:4.1f}x")
        if cpu and ours.get("cpu_seconds"):
            line += (f"; CPU floor {cpu:5.2f} s ours {ours['cpu_seconds']:5.2f} s "
                     f"ours/floor {ours['cpu_seconds'] / cpu:4.1f}x")
        print(line)
    print("load average (1, 5, 15 min): " + ", ".join(f"{n:.1f}" for n in os.getloadavg()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--small-rows", type=int, default=25_000)
    parser.add_argument("--baseline-rows", type=int, default=10_000)
    parser.add_argument("--child")
    parser.add_argument("--data-dir")
    parser.add_argument("--file")
    parser.add_argument("--before")
    parser.add_argument("--url")
    parser.add_argument("--postgres", metavar="URL",
                        help="also measure on PostgreSQL (databases NAME_bench_* are used)")
    parser.add_argument("--floor-only", action="store_true",
                        help="only the floor comparison, not the other runs")
    args = parser.parse_args()
    if args.child == "catalog":
        build_catalog(Path(args.data_dir), args.url)
        return
    if args.child:
        child(args)
        return
    with tempfile.TemporaryDirectory(prefix="jiangping-bench-") as tmp:
        work = Path(tmp)
        base = work / "base"
        base.mkdir()
        subprocess.run([sys.executable, __file__, "--child", "catalog", "--data-dir",
                        str(base)], check=True)
        if args.floor_only:
            path = work / "big.csv"
            write_csv(path, args.rows)
            _print_floors(floors(args, work, base, path), args.rows)
            return
        files = {}
        for label, count in (("big", args.rows), ("small", args.small_rows),
                             ("slice", args.baseline_rows)):
            files[f"{label}.csv"] = work / f"{label}.csv"
            files[f"{label}.xlsx"] = work / f"{label}.xlsx"
            write_csv(files[f"{label}.csv"], count)
            write_xlsx(files[f"{label}.xlsx"], count)
        files["other.csv"] = work / "other.csv"
        write_csv(files["other.csv"], args.rows, seed=8)
        report = {
            "ours_csv": timed("ours", base, work, "ours_csv", files["big.csv"]),
            "ours_xlsx": timed("ours", base, work, "ours_xlsx", files["big.xlsx"]),
            "ours_csv_again": timed("ours", base, work, "ours_csv_again", files["big.csv"],
                                    files["other.csv"]),
            "ours_csv_same": timed("ours", base, work, "ours_csv_same", files["big.csv"],
                                   files["big.csv"]),
            "ours_csv_small": timed("ours", base, work, "ours_csv_small", files["small.csv"]),
            "ours_xlsx_small": timed("ours", base, work, "ours_xlsx_small", files["small.xlsx"]),
            "naive_slice": timed("naive", base, work, "naive", files["slice.xlsx"]),
        }
        lines = floors(args, work, base, files["big.csv"])
    _print(report, args)
    _print_floors(lines, args.rows)


def _print(report: dict, args) -> None:
    def line(label, outcome):
        print(f"{label:<44} {outcome['rows']:>8} rows {outcome['seconds']:>8.2f} s "
              f"{outcome['rows_per_s']:>10,.0f} rows/s  peak RSS {outcome['maxrss_mb']:>6.1f} MB")

    print(f"Import benchmark: long-form indicators, {UNITS} units x {INDICATORS} indicators, "
          "SQLite (WAL), fresh database per run")
    line("ours, CSV -> SQLite", report["ours_csv"])
    line("ours, XLSX (calamine) -> SQLite", report["ours_xlsx"])
    line("ours, CSV again (every value updated)", report["ours_csv_again"])
    line("ours, CSV again (every value unchanged)", report["ours_csv_same"])
    line("ours, CSV, small file", report["ours_csv_small"])
    line("ours, XLSX, small file", report["ours_xlsx_small"])
    line(f"naive (openpyxl + ORM per row), {args.baseline_rows}-row slice",
         report["naive_slice"])
    naive = report["naive_slice"]["rows_per_s"]
    print(f"naive rows/s extrapolated from the {args.baseline_rows}-row slice to "
          f"{args.rows} rows: {naive:,.0f} rows/s, about {args.rows / naive:,.0f} s in all")
    print(f"speed-up vs naive: CSV {report['ours_csv']['rows_per_s'] / naive:,.1f}x, "
          f"XLSX {report['ours_xlsx']['rows_per_s'] / naive:,.1f}x")
    print(f"peak RSS {args.small_rows} -> {args.rows} rows: CSV "
          f"{report['ours_csv_small']['maxrss_mb']:.1f} -> {report['ours_csv']['maxrss_mb']:.1f}"
          f" MB, XLSX {report['ours_xlsx_small']['maxrss_mb']:.1f} -> "
          f"{report['ours_xlsx']['maxrss_mb']:.1f} MB")


if __name__ == "__main__":
    main()
