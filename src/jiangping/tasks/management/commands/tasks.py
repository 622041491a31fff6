"""``jiangping tasks propose FILE [--date YYYY-MM-DD] [--json]``: tasks proposed from a speech."""

import datetime as dt
import json

from django.core.management.base import CommandError
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jiangping.cli import ContractCommand, ContractParser
from jiangping.orgs.models import Level, OrgUnit
from jiangping.tasks.proposals import Gazetteer, propose
from jiangping.textkit.management.commands.text import read_utf8

GAZETTEER_LEVELS = (Level.COUNTY, Level.DEPARTMENT, Level.TOWNSHIP)


def registry_gazetteer() -> Gazetteer:
    """Unit names of the home city's subtree (county-level units, departments, townships)
    as the rules of :mod:`jiangping.tasks.proposals` read them. Without a database
    (not yet migrated) only the generic unit forms are recognised."""
    try:
        home = OrgUnit.objects.filter(is_home=True).first()
        units = OrgUnit.objects.filter(level__in=GAZETTEER_LEVELS)
        if home:
            units = units.filter(Q(path__startswith=home.path) | Q(level=Level.DEPARTMENT))
        return Gazetteer.build(list(units.values_list("name", "short_name", "synonyms")))
    except DatabaseError:
        return Gazetteer.build([])


def meeting_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("日期“%(value)s”无效，应为 YYYY-MM-DD。") % {"value": value}, returncode=2,
        ) from None


class Command(ContractCommand):
    help = "督查督办：从讲话稿等文本中提取拟立督办事项"

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

    def handle(self, *args, action, **options):
        if action == "propose":
            self.propose(options["file"], options["date"], options["json"])

    def propose(self, path: str, date: str | None, as_json: bool) -> None:
        text = read_utf8(path)
        day = meeting_date(date) if date else timezone.localdate()
        _normal, proposals = propose(text, day, registry_gazetteer())
        if as_json:
            payload = {"date": day.isoformat(), "tasks": [p.as_dict() for p in proposals]}
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
            self.stdout.write(_("   牵头单位：%(v)s") % {"v": "、".join(p.lead_units) or none})
            if p.co_units:
                self.stdout.write(_("   配合单位：%(v)s") % {"v": "、".join(p.co_units)})
            if p.deadline_text:
                self.stdout.write(_("   完成时限：%(text)s（%(date)s）") % {
                    "text": p.deadline_text, "date": p.deadline or none})
            if p.targets:
                self.stdout.write(_("   量化目标：%(v)s")
                                  % {"v": "；".join(t["text"] for t in p.targets)})
