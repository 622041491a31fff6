"""Whether a sentence assigns work (是否为督办事项): directive cues, and what is not a task.

Pure Python, no Django. A sentence assigns work when a directive cue (要, 必须, 确保, 负责,
牵头, 加快 …, a minute's 会议同意/议定) stands outside its narrative clauses, or when it is an
item (一是…, an item of 会议议定：) that states work. Not tasks: headings alone (decided by the
caller), titles and notices (关于印发…的通知, 现将…印发给你们, 附件：), narrative (past and
reporting verbs, 截至目前, 今年以来, 针对…形势: a sentence with a fact in it needs a strong cue),
exhortations (希望大家…, 同志们…) and generic follow-through (高度重视, 抓好落实, 确保各项任务
完成) with nothing else to do. The rules and their limits are described in docs/tasks.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CUES = re.compile(
    r"要(?!求)|要求|必须|确保|力争|加快|抓好|抓紧|负责(?!的|同志|人)|牵头(?!的)|务必|切实|督促|"
    r"尽快|狠抓|着力|"
    r"做好|限期|按时|及时|抓实|应当|须|需|务于|务请|请于|责令|责成|"
    r"请(?=各|有关|相关|[市县区镇乡旗]|以上|你|全)|"
    r"(?<![^，,：:；;\s）)])会议(?:原则)?(?:同意|议定|决定|确定|明确|审议通过|通过)"
)
# Words that contain a cue but direct nobody, and exhortations about attitude.
NOT_CUES = re.compile(
    r"主要|重要|需要|要素|要点|纪要|摘要|首要|只要|要看到|要清醒|要认识到|要深刻认识|不要|"
    r"必需|必须看到|无须|无需|急需|还要对|还要就|将要|就要|想要|要讲|"
    r"(?:的|相关|有关|工作|提出|目标|上级|省市|基本|具体|总体|明确|各项)要求"
)
EXHORTATION = re.compile(
    r"^(?:同志们|我们|大家|希望|让我们|请大家|各位|全市上下|全县上下|全区上下)"
)
# Facts, not assignments: reporting verbs, past tense, 截至目前, 今年以来, 针对…形势.
NARRATIVE = re.compile(
    r"截[至止](?:目前|今年|\d{1,2}月|[一二三四五六七八九十]+月|本月|上月|年底|当前)|今年以来|"
    r"年初以来|去年以来|近年来|入[春夏秋冬]以来|自.{1,12}以来|"
    r"针对.{0,40}?(?:形势|问题|情况|现象|短板)|"
    r"(?:参加|出席|列席|签订|签署|通报|汇报|听取|召开|作|做|审议|讨论|传达|学习|介绍|表态|开展|"
    r"举行|印发|出台|取得|建成|下发|实现|主持|提出|发表|进行|作出|安排|部署|完成|开工|研究|"
    r"观摩|视察|调研|检查|督查)了|(?:督查|检查|调研|暗访)(?:组)?发现|"
    r"(?:出席|列席|参加)(?:会议|本次会议|了)|主持(?:召开)?(?:会议|本次会议)|"
    r"会议(?:听取|审议|讨论|学习|传达)(?!通过)|"
    r"\d{1,2}[-—至~]\d{1,2}月(?:份)?(?:，|,)?[^，。；]*?(?:增长|下降|完成|实现)"
)
# A sentence opening on a fact (截至目前, 今年以来) assigns work only with a strong cue.
FACT_OPENING = re.compile(
    r"^(?:今天|刚才|今天上午|今天下午|昨天|上午|下午|待会|稍后)|"
    r"^(?:截[至止]|今年以来|年初以来|去年以来|近年来|入[春夏秋冬]以来|自.{1,12}以来|"
    r"\d{1,2}[-—至~]\d{1,2}月|前\d{1,2}个月)")
STRONG_CUES = re.compile(
    r"要(?!求)|要求(?=[，,：:]|各|全|[市县区镇乡]|有关|相关)|责令|必须|务必|务于|须|需|确保|力争|请|责成|会议(?:要求|议定|决定)")
CLAUSE = re.compile(r"[^，,；;：:]+")
# A decision list opens: 会议议定： · 现将会议确定事项纪要如下：
DECISIONS = re.compile(
    r"(?:议定|决定|确定|明确|同意|研究|要求)(?:事项|如下|以下事项|了以下事项)?[：:]$|纪要如下[：:]?$"
)
# A minute's approval (会议原则同意…) is a task only with a follow-up or a unit named.
APPROVAL = re.compile(r"^会议(?:原则)?(?:同意|审议通过|通过)")
FOLLOW_UP = re.compile(r"修改|完善|报|印发|按程序|抓紧|尽快|做好|落实|组织实施|负责|牵头")
# A title line (关于…的通知) or a covering notice (现将…印发给你们；附件：).
TITLE = re.compile(r"(?:通知|通报|纪要|意见|方案|报告|决定|讲话|情况|事项|办法|规定|安排|分工)$")
NOTICE = re.compile(r"现将.{0,80}?(?:印发|转发)给你们|^附件\d*[：:]|^抄送|^主送")
# Attitudes and generic follow-through: a clause made of these directs no work.
GENERIC = re.compile(
    r"高度重视|亲自抓|负总责|不折不扣|落到实处|落实落细|抓实抓细|抓好落实|贯彻落实|认真贯彻|"
    r"学习贯彻|领会|精神|意识|责任感|使命感|紧迫感|信心|站位|作风|担当|决心|合力|各司其职|"
    r"各负其责|主动作为|履职尽责|扎实工作|圆满完成|顺利完成|各项(?:工作|任务|目标)|有力措施|"
    r"得力措施|迅速行动|统一思想|提高.{0,8}(?:效能|水平)|只争朝夕|真抓实干|结合实际|"
    r"常学常新|学以致用|学用结合"
)
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")


@dataclass(frozen=True)
class Directive:
    """Why a sentence is a task: where its cue is (None for an item without one) and the
    spans of its narrative clauses, which give no unit and no deadline."""

    cue: re.Match | None
    facts: list[tuple[int, int]]

    def live(self, at: int) -> bool:
        return not any(a <= at < b for a, b in self.facts)


def narrative_spans(sentence: str) -> list[tuple[int, int]]:
    """The clauses of ``sentence`` that report facts (see ``NARRATIVE``)."""
    return [m.span() for m in CLAUSE.finditer(sentence) if NARRATIVE.search(m.group())]


def _blank(text: str, spans) -> str:
    for a, b in spans:
        text = text[:a] + "\0" * (b - a) + text[b:]
    return text


def is_generic(sentence: str, after: int) -> bool:
    """Whether every clause from ``after`` on is an attitude or generic follow-through."""
    clauses = [c for c in CLAUSE.findall(sentence[after:].rstrip("。！!？?；;"))
               if len(c.strip("\0 ")) >= 2]
    return bool(clauses) and all(GENERIC.search(c) for c in clauses)


def directive(sentence: str, *, item: bool = False, whole_line: bool = False
              ) -> Directive | None:
    """The directive of ``sentence``, or None when it assigns nothing (see the module).
    ``item``: the sentence is an item stating work (一是…, an item of 会议议定：), which
    needs no cue; ``whole_line``: it fills its line, so it may be a title."""
    body = sentence.rstrip("。！!？?；;" + "”’」』）)》")
    if whole_line and TITLE.search(body) and sentence[-1:] not in "。！!？?；;":
        return None
    if NOTICE.search(sentence) or DECISIONS.search(sentence.rstrip()):
        return None
    facts = narrative_spans(sentence)
    masked = _blank(NOT_CUES.sub(lambda m: "\0" * len(m.group()), sentence), facts)
    strong = bool(facts) or FACT_OPENING.match(sentence)
    if strong:
        masked = _blank(masked, [m.span() for m in QUOTED.finditer(sentence)])
    cue = (STRONG_CUES if strong else CUES).search(masked)
    if cue and APPROVAL.match(cue.group()) and not FOLLOW_UP.search(sentence, cue.end()) \
            and not _names_drafter(sentence):
        return None
    if cue is None and not (item and len(facts) < len(CLAUSE.findall(sentence))):
        return None
    if cue is not None and is_generic(masked, cue.end()):
        return None
    return Directive(cue, facts)


def _names_drafter(sentence: str) -> bool:
    """会议同意X提交的… names its drafter (X提交/拟定/起草/报送)."""
    return bool(re.search(r"(?:提交|拟定|拟草|起草|报送|提出)的", sentence))
