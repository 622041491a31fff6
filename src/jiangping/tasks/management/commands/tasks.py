"""``jiangping tasks propose FILE [--date YYYY-MM-DD] [--json]``: tasks proposed from a speech."""

import datetime as dt
import json

from django.core.management.base import CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.cli import ContractCommand, ContractParser
from jiangping.tasks import workdays
from jiangping.tasks.gazetteer import propose_json
from jiangping.tasks.reminders import run_daily
from jiangping.textkit.management.commands.text import read_utf8


def meeting_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("日期“%(value)s”无效，应为 YYYY-MM-DD。") % {"value": value}, returncode=2,
        ) from None


class Command(ContractCommand):
    help = "督查督办：从讲话稿等文本中提取拟立督办事项"
    # ``propose`` is a text tool (no secret key, the org registry only when there is one);
    # ``remind`` runs the checks and needs the database.
    requires_system_checks = []

    def needs_database(self, options: dict) -> bool:
        return options.get("action") != "propose"

    def add_arguments(self, parser):
        # As in ``text``: subparsers are built before the parser's class is swapped.
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION",
                                        parser_class=ContractParser)
        proposer = actions.add_parser(
            "propose", help="从讲话稿中提取拟立督办事项",
            description="按规则从讲话稿（UTF-8 文本）中提取拟立督办事项：原句及其位置、"
                        "所属标题、牵头单位、配合单位、完成时限、量化目标。",
        )
        proposer.add_argument("file", metavar="FILE", help="UTF-8 文本文件")
        proposer.add_argument("--date", metavar="YYYY-MM-DD",
                              help="会议日期，用于推算完成时限（默认今天）")
        proposer.add_argument("--json", action="store_true", help="输出 JSON")
        proposer.add_argument("--unit", metavar="NAME",
                              help="文本所属单位的全称（如某县的会议纪要填该县），"
                                   "“住建局”等不带层级的单位按此单位的层级识别；默认从文本推断")
        reminder = actions.add_parser(
            "remind", help="每日提醒：周期事项、到期提醒、逾期升级（适合每日定时任务）",
            description="生成到期的每月周期事项，提醒牵头单位和配合单位临近时限"
                        "（JIANGPING_REMIND_DAYS 个工作日前）的督办事项，将过期未完成的事项"
                        "转为逾期并通知市督查室和牵头单位；已发过的提醒不重复发送。"
                        "适合由 cron 等每日运行一次，例如：0 8 * * * jiangping tasks remind",
        )
        reminder.add_argument("--date", metavar="YYYY-MM-DD", help="按哪一天运行（默认今天）")

    def handle(self, *args, action, **options):
        if action == "propose":
            self.propose(options["file"], options["date"], options["json"], options["unit"])
        elif action == "remind":
            if not options.get("skip_checks"):
                self.check()
            self.remind(options["date"])

    def remind(self, date: str | None) -> None:
        day = meeting_date(date) if date else timezone.localdate()
        try:
            run = run_daily(day)
        except ValueError as exc:  # JIANGPING_REMIND_DAYS not a positive integer
            raise CommandError(str(exc)) from None
        self.stdout.write(_("%(date)s：提醒 %(reminded)d 条，逾期升级 %(escalated)d 项，"
                            "新建周期事项 %(rolled)d 项。") % {
            "date": day.isoformat(), "reminded": run.reminded or 0,
            "escalated": run.escalated, "rolled": run.rolled})
        if run.reminded is None:
            self.stdout.write(_("注意：提醒时限超出节假日安排（仅覆盖%(first)d—%(last)d年），"
                                "未发送到期提醒；请升级节假日数据。") % {
                "first": workdays.FIRST_YEAR, "last": workdays.LAST_YEAR})

    def propose(self, path: str, date: str | None, as_json: bool,
                unit: str | None = None) -> None:
        text = read_utf8(path)
        day = meeting_date(date) if date else timezone.localdate()
        proposals, payload = propose_json(text, day, home=(unit or "").strip() or None)
        if as_json:
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
            return
        self.stdout.write(_("会议日期：%(date)s，拟立督办事项 %(n)d 项。")
                          % {"date": day.isoformat(), "n": len(proposals)})
        none = _("（未识别）")
        for n, p in enumerate(proposals, start=1):
            self.stdout.write("")
            self.stdout.write(f"{n}. {p.sentence}")
            if p.heading:
                self.stdout.write(_("   所属标题：%(v)s") % {"v": " › ".join(p.heading)})
            self.stdout.write(_("   事项：%(v)s") % {"v": p.topic or none})
            self.stdout.write(_("   牵头单位：%(v)s") % {
                "v": "、".join(p.lead_units) or _("（未识别，需指定）")})
            if p.co_units:
                self.stdout.write(_("   配合单位：%(v)s") % {"v": "、".join(p.co_units)})
            for u in p.units:
                if not u["unit"] and not u["collective"]:
                    self.stdout.write(_("   名录中无此单位：%(text)s；可能是：%(v)s") % {
                        "text": u["text"], "v": "、".join(u["candidates"]) or none})
            for m in p.milestones:
                self.stdout.write(_("   完成时限：%(text)s（%(date)s）%(what)s") % {
                    "text": m["deadline_text"], "date": m["deadline"] or none,
                    "what": f"：{m['text']}" if len(p.milestones) > 1 else ""})
            if p.deadline_note:
                self.stdout.write(f"   {p.deadline_note}")
            if p.targets:
                self.stdout.write(_("   量化目标：%(v)s")
                                  % {"v": "；".join(t["text"] for t in p.targets)})
