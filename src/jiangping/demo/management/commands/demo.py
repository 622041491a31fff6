"""``jiangping demo [--scale small|city|province] [--seed N] [--reset] [--no-serve]``.

Migrates the database, builds the synthetic province into the data dir (or
reuses a demo of the same scale and seed), publishes the latest month's review and
bulletin, prints the demo logins, the comparison page of the latest month and the
bulletin's files, then serves the web UI on 127.0.0.1:8000.
"""

import time
import unicodedata
from argparse import ArgumentTypeError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils.translation import gettext as _

from jiangping.bulletins.demo import publish_demo_bulletin
from jiangping.cli import ContractCommand
from jiangping.demo.generator import (
    DemoDataExists,
    DemoSummary,
    build,
    existing_summary,
)
from jiangping.demo.geography import SCALES
from jiangping.demo.models import DemoDataset
from jiangping.indicators.services import validate_period
from jiangping.orgs.models import OrgUnit, Role, User
from jiangping.reviews.demo import publish_demo_reviews
from jiangping.reviews.models import Run
from jiangping.tasks.models import Status

HOST, PORT = "127.0.0.1", 8000
TIMING_LABELS = {
    "orgs": "组织机构", "series": "数据计算", "values": "写入月度数据", "targets": "年度目标",
    "users": "账号与填报", "tasks": "督办事项", "review": "考核排名", "bulletin": "通报",
}
STATE_LABELS = (("approved", "已审核"), ("submitted", "已报送"), ("returned", "已退回"),
                ("draft", "草稿"))


def period_argument(text: str) -> str:
    try:
        validate_period(text)
    except ValidationError:
        raise ArgumentTypeError(_("期间应为 YYYY-MM，如 2026-10")) from None
    return text


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _month(period: str) -> str:
    year, month = period.split("-")
    return f"{year}年{int(month)}月"


class Command(ContractCommand):
    help = ("生成演示数据（虚构的省、市、县区及 2018 年以来的月度指标），发布最新月份的"
            "考核排名和通报（DOCX、HTML、PDF），打印演示账号，然后启动网页服务。")
    requires_database = False  # the demo migrates its own database

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=list(SCALES), default="city",
                            help="规模：small（测试用）、city（默认，完整一个市）、"
                                 "province（全省，压力测试用）")
        parser.add_argument("--seed", type=int, default=1,
                            help="随机种子（默认 1）；同一种子生成相同数据")
        parser.add_argument("--reset", action="store_true",
                            help="先删除数据库中的全部数据，再重新生成")
        parser.add_argument("--no-serve", action="store_true", help="只生成数据，不启动网页服务")
        parser.add_argument("--latest", type=period_argument, default=None, metavar="YYYY-MM",
                            help="最新数据期间 YYYY-MM（默认为上一个完整月份）")

    def handle(self, *args, scale, seed, reset, no_serve, latest, **options):
        call_command("migrate", interactive=False, verbosity=0)
        dataset = DemoDataset.objects.order_by("-pk").first()
        has_data = OrgUnit.objects.exists() or User.objects.exists()
        if has_data and not reset:
            if dataset is None or (dataset.scale, dataset.seed) != (scale, seed) or (
                latest and latest != dataset.latest_period
            ):
                raise CommandError(self._refusal(dataset))
            summary = existing_summary(dataset)
            self.stdout.write(
                _("沿用数据目录中已有的演示数据（规模 %(scale)s，随机种子 %(seed)d）。")
                % {"scale": scale, "seed": seed})
            bulletin = publish_demo_bulletin(summary.latest_period)  # the same, or the first
        else:
            if reset and has_data:
                started = time.perf_counter()
                call_command("flush", interactive=False, verbosity=0)
                self.stdout.write(_("已清空原有数据（%(sec).1f 秒）。")
                                  % {"sec": time.perf_counter() - started})
            self.stdout.write(_("正在生成演示数据（规模 %(scale)s，随机种子 %(seed)d）……")
                              % {"scale": scale, "seed": seed})
            started = time.perf_counter()
            try:
                summary = build(scale=scale, seed=seed, with_passwords=True, latest=latest)
            except DemoDataExists as exc:
                raise CommandError(self._refusal(None)) from exc
            started_review = time.perf_counter()
            publish_demo_reviews(summary.latest_period)
            summary.timings["review"] = round(time.perf_counter() - started_review, 3)
            started_bulletin = time.perf_counter()
            bulletin = publish_demo_bulletin(summary.latest_period)
            summary.timings["bulletin"] = round(time.perf_counter() - started_bulletin, 3)
            summary.timings["total"] = round(time.perf_counter() - started, 3)
        self._report(summary, serving=not no_serve)
        self._report_review(summary.latest_period)
        self._report_bulletin(*bulletin)
        if not no_serve:
            call_command("serve", host=HOST, port=PORT)

    def _report_review(self, period: str) -> None:
        run = Run.objects.filter(period=period, status="published").order_by("-version").first()
        if run is None:
            return
        firsts = "、".join(f"{u['group']}{u['name']}" for u in run.result["units"]
                          if u["rank"] == 1)
        self.stdout.write(_("%(month)s考核排名已发布（%(scheme)s）：第1位 %(firsts)s。")
                          % {"month": _month(period), "scheme": run.scheme.name,
                             "firsts": firsts})

    def _report_bulletin(self, bulletin, paths) -> None:
        self.stdout.write(_("%(month)s通报第%(v)d版已发布（%(number)s），文件：")
                          % {"month": _month(bulletin.period), "v": bulletin.version,
                             "number": bulletin.number})
        for fmt, path in paths.items():
            self.stdout.write(f"  {fmt.upper():<5}{path}")

    def _refusal(self, dataset: DemoDataset | None) -> str:
        where = settings.DATABASES["default"]["NAME"] if connection.vendor == "sqlite" else (
            connection.settings_dict.get("NAME", ""))
        if dataset is None:
            found = _("数据库（%(db)s）中已有数据，且不是演示数据。") % {"db": where}
        else:
            found = _("数据库（%(db)s）中已有另一套演示数据（规模 %(scale)s，"
                      "随机种子 %(seed)d）。") % {
                "db": where, "scale": dataset.scale, "seed": dataset.seed}
        return found + _("为免覆盖，本次未做任何改动。如确要删除全部现有数据并重新生成，"
                         "请加 --reset；或用 JIANGPING_DATA_DIR 指定另一个数据目录。")

    def _report(self, summary: DemoSummary, *, serving: bool) -> None:
        write = self.stdout.write
        counts = summary.counts
        write("")
        write(_("%(province)s%(city)s（虚构）：%(cities)d 个市、%(counties)d 个县级单位、"
                "%(departments)d 个市直部门、%(townships)d 个乡镇（街道）、"
                "%(villages)d 个村（社区）")
              % {**counts, "province": summary.province, "city": summary.city})
        write(_("指标 %(indicators)d 项，月度数据 %(values)s 条（%(first)s—%(latest)s），"
                "年度目标 %(targets)d 条")
              % {"indicators": counts["indicators"], "values": f"{counts['values']:,}",
                 "targets": counts["targets"], "first": _month(summary.first_period),
                 "latest": _month(summary.latest_period)})
        states = summary.submissions
        parts = [f"{label} {states[key]}" for key, label in STATE_LABELS if states.get(key)]
        if states.get("late"):
            parts.append(_("其中逾期报送 %(n)d") % {"n": states["late"]})
        month = _month(summary.latest_period)
        write(_("%(month)s报表填报：") % {"month": month} + "，".join(parts))
        if summary.tasks:
            tasks = "，".join(f"{label} {summary.tasks[value]}" for value, label in Status.choices
                             if summary.tasks.get(value))
            write(_("督办事项 %(n)d 项：") % {"n": sum(summary.tasks.values())} + tasks)
        if summary.timings:
            steps = "，".join(f"{TIMING_LABELS[k]} {v:.1f}" for k, v in summary.timings.items()
                             if k in TIMING_LABELS)
            write(_("用时 %(total).1f 秒（%(steps)s）")
                  % {"total": summary.timings.get("total", sum(summary.timings.values())),
                     "steps": steps})
        write("")
        password = next((login.password for login in summary.logins if login.password), None)
        if password:
            write(_("演示账号（密码均为 %(password)s）：") % {"password": password})
        else:
            write(_("演示账号（未处于演示模式，未设置密码；"
                    "可用 jiangping changepassword 用户名 设置）："))
        write("  " + _pad(_("用户名"), 14) + _pad(_("角色"), 36) + _("单位"))
        for login in summary.logins:
            write("  " + _pad(login.username, 14) + _pad(str(Role(login.role).label), 36)
                  + login.unit)
        write("")
        where = {"host": HOST, "port": PORT, "period": summary.latest_period}
        if serving:
            write(_("本月指标对比：http://%(host)s:%(port)d/indicators/compare/?period=%(period)s")
                  % where)
        else:
            write(_("未启动网页服务。运行 jiangping serve 后，本月指标对比见 "
                    "http://%(host)s:%(port)d/indicators/compare/?period=%(period)s") % where)
