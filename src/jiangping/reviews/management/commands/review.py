"""``jiangping review --period YYYY-MM [--scheme NAME|FILE] [--publish] [--json]``,
``jiangping review --year YYYY [--json]`` and ``jiangping review --scheme FILE --check``:
score and rank the units (考核排名), publish the month, combine the year's published months
(年度综合得分), or check a scheme file without scoring."""

import json as jsonlib
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from jiangping.cli import ContractCommand
from jiangping.core.text import join_sentences
from jiangping.orgs.scope import Scope
from jiangping.reviews import services
from jiangping.reviews.models import Scheme
from jiangping.reviews.scheme import SchemeError

MAX_SCHEME_BYTES = 1_000_000


class Command(ContractCommand):
    help = ("按考核方案计算某月各单位得分、排名、等次、红黑榜和表态发言单位；--publish 发布"
            "（冻结该月结果）；--year 按方案的期别权重合成全年已发布月份的年度结果；"
            "--scheme 文件 --check 只检查方案文件。")

    def add_arguments(self, parser):
        parser.add_argument("--period", metavar="YYYY-MM", help="讲评月份")
        parser.add_argument("--year", metavar="YYYY",
                            help="年度结果：按现行方案的期别权重合成该年已发布的月度结果")
        parser.add_argument("--scheme", metavar="NAME|FILE",
                            help="考核方案：已上传方案的名称，或方案文件（TOML；计算前先上传并生效）")
        parser.add_argument("--check", action="store_true", help="只检查方案文件，不计分")
        parser.add_argument("--publish", action="store_true", help="计算后发布该月结果")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, period=None, year=None, scheme=None, check=False, publish=False,
               json=False, **options):
        if check:
            if not scheme:
                raise CommandError(_("--check 须与 --scheme 文件同用。"), returncode=2)
            self.check_file(scheme, json)
            return
        if period and year:
            raise CommandError(_("--period 与 --year 只能给出其一。"), returncode=2)
        if year:
            if scheme or publish:
                raise CommandError(_("--year 按现行方案合成已发布的月份，不能与 --scheme 或 "
                                     "--publish 同用。"), returncode=2)
            self.year(year, json)
            return
        if not period:
            raise CommandError(_("请用 --period YYYY-MM 指定讲评月份，或用 --year YYYY 查看"
                                 "年度结果。"), returncode=2)
        scope = Scope.operator()
        try:
            record = self.scheme_record(scope, scheme) if scheme else None
            run = services.compute(scope, period, record)
            if publish and run.status != "published":
                run = services.publish(scope, period)
        except ValidationError as error:
            raise CommandError(join_sentences(error.messages), returncode=1) from None
        data = {**run.result, "version": run.version, "status": run.status}
        if json:
            self.stdout.write(jsonlib.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(_("%(period)s 讲评结果第%(version)d版（%(status)s），方案：%(scheme)s")
                          % {"period": period, "version": run.version,
                             "status": run.get_status_display(), "scheme": run.scheme})
        for unit in run.result["units"]:
            rank = (_("不参与排名") if unit["rank"] is None else
                    ("并列" if unit["tied"] else "") + _("第%(rank)d位") % {"rank": unit["rank"]})
            self.stdout.write(f"  {unit['group']}  {unit['name']}  {unit['score']}  {rank}  "
                              f"{unit['grade']}")

    def year(self, given: str, json: bool) -> None:
        if not re.fullmatch(r"\d{4}", given):
            raise CommandError(_("年度“%(year)s”无效，应为 YYYY。") % {"year": given},
                               returncode=2)
        try:
            data = services.year_result(int(given))
        except ValidationError as error:
            raise CommandError(join_sentences(error.messages), returncode=1) from None
        if json:
            self.stdout.write(jsonlib.dumps(data, ensure_ascii=False))
            return
        published = [int(p[5:]) for p in data["months_published"]]
        self.stdout.write(_("%(year)s年度结果（%(state)s），方案：%(scheme)s；已发布%(months)s月")
                          % {"year": given, "scheme": data["scheme"],
                             "state": _("全年") if data["final"] else _("截至目前"),
                             "months": "、".join(str(m) for m in published)})
        for unit in data["units"]:
            rank = (_("无得分") if unit["rank"] is None else
                    ("并列" if unit["tied"] else "") + _("第%(rank)d位") % {"rank": unit["rank"]})
            absent = [_("%(month)d月") % {"month": int(m["period"][5:])}
                      for m in unit["months_missing"] if m["reason"] != "unpublished"]
            note = _("（缺%(months)s）") % {"months": "、".join(absent)} if absent else ""
            if unit["vetoed"]:
                note += _("（一票否决：%(months)s）") % {"months": "、".join(
                    _("%(month)d月") % {"month": int(p[5:])} for p in unit["veto_months"])}
            self.stdout.write(f"  {unit['group']}  {unit['name']}  {unit['score'] or '—'}  "
                              f"{rank}  {unit['grade']}{note}")

    def read_text(self, path: str) -> str:
        file = Path(path)
        try:
            if file.stat().st_size > MAX_SCHEME_BYTES:
                raise CommandError(_("方案文件过大（超过1MB）：%(path)s") % {"path": path})
            return file.read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(_("找不到方案文件：%(path)s") % {"path": path}) from None
        except UnicodeDecodeError:
            raise CommandError(_("方案文件不是 UTF-8 文本：%(path)s") % {"path": path}) from None
        except OSError as error:
            raise CommandError(_("无法读取方案文件 %(path)s：%(error)s")
                               % {"path": path, "error": error.strerror}) from None

    def check_file(self, path: str, json: bool) -> None:
        text = self.read_text(path)
        try:
            loaded = services.check_scheme(text)
        except SchemeError as error:
            if json:
                self.stdout.write(jsonlib.dumps({"ok": False, "problems": [
                    {"line": line, "message": message} for line, message in error.problems]},
                    ensure_ascii=False))
            raise CommandError(str(error), returncode=1) from None
        if json:
            self.stdout.write(jsonlib.dumps({"ok": True, "name": loaded.name, "year": loaded.year,
                                             "items": len(loaded.items)}, ensure_ascii=False))
            return
        self.stdout.write(_("方案“%(name)s”（%(year)d年度）检查通过：%(items)d个考核项。")
                          % {"name": loaded.name, "year": loaded.year, "items": len(loaded.items)})

    def scheme_record(self, scope, given: str) -> Scheme:
        if Path(given).suffix.lower() == ".toml" or Path(given).is_file():
            return services.upload_scheme(scope, self.read_text(given))
        record = Scheme.objects.filter(name=given).order_by("-uploaded_at").first()
        if record is None:
            raise ValidationError(_("没有名为“%(name)s”的考核方案。") % {"name": given})
        return record
