"""Units of measure (计量单位) in headers and cells, and their conversion: ``总投资（万元）``
names the column 总投资 in 万元, converted to the stored unit (亿元); counting units (人, 户,
个…) take whole numbers only.

Pure functions, no Django beyond gettext for the one refusal message.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from jiangping.intake.normalize import nfkc, simplified

_SPACES = re.compile(r"\s+")

# Each unit of measure (计量单位) as (dimension, factor to the dimension's base).
_MEASURES: dict[str, tuple[str, Decimal]] = {}


def _measures(base: str, **scaled: int) -> None:
    _MEASURES[base] = (base, Decimal(1))
    for name, factor in scaled.items():
        _MEASURES[name] = (base, Decimal(factor))


_measures("元", 千元=1000, 万元=10**4, 百万元=10**6, 千万元=10**7, 亿元=10**8)
_measures("人", 万人=10**4, 人次=1)
_measures("户", 万户=10**4)
_measures("个")
_measures("项", 个项目=1)
_measures("%", 百分比=1)
_measures("亩", 万亩=10**4)
_measures("吨", 万吨=10**4)
_measures("千瓦时", 万千瓦时=10**4, 亿千瓦时=10**8)
_measures("平方米", 万平方米=10**4)
_measures("公里", 千米=1)
_measures("μg/m³", 微克每立方米=1)
_measures("辆")
_MEASURES["微克/立方米"] = _MEASURES["μg/m³"]
# Units that count whole things (计数单位): a value in one of them is a whole number.
_WHOLE_UNITS = ("人", "人次", "户", "个", "项", "个项目", "辆", "家", "座", "所", "套", "台",
                "件", "宗", "次", "名", "位", "头", "只", "处", "条", "批", "起", "例", "张",
                "间", "栋", "艘", "架")
_HEADER_UNIT = re.compile(r"^(.*?)\(([^()]*)\)$")


def measure_key(unit: str) -> str:
    return _SPACES.sub("", nfkc(unit)).replace("单位:", "").lower()


_MEASURES = {measure_key(name): (measure_key(base), factor)
             for name, (base, factor) in _MEASURES.items()}


WHOLE_UNITS = frozenset(measure_key(name) for name in _WHOLE_UNITS)


def is_whole_unit(unit: str | None) -> bool:
    """A unit of measure that counts whole things (人, 个, 户, 项, 辆…); 万人 is not."""
    return unit is not None and measure_key(unit) in WHOLE_UNITS


def whole_refusal(unit: str) -> str:
    return _("计量单位“%(unit)s”按整数计，不能填小数。") % {"unit": unit}


def looks_like_measure(text: str) -> bool:
    return measure_key(text) in _MEASURES


def split_header(label: str) -> tuple[str, str | None]:
    """``总投资（万元）`` → ``("总投资", "万元")``; a header without a unit → ``(label, None)``.

    Traditional characters fold to Simplified first: ``數值（萬元）`` → ``("数值", "万元")``.
    """
    text = simplified(_SPACES.sub("", nfkc(label)))
    match = _HEADER_UNIT.match(text)
    if match and match.group(1):
        inner = match.group(2).replace("单位:", "")
        if measure_key(inner) in _MEASURES:
            return match.group(1), inner
    return text, None


def conversion_factor(source: str | None, stored: str | None) -> Decimal | None:
    """Factor turning a value in ``source`` into ``stored`` (万元 → 亿元: 0.0001).

    ``None`` when the two units cannot be converted (万元 into %). A missing source
    unit means the value is already in the stored unit.
    """
    if not source or not stored:
        return Decimal(1)
    source_key, stored_key = measure_key(source), measure_key(stored)
    if source_key == stored_key:
        return Decimal(1)
    a, b = _MEASURES.get(source_key), _MEASURES.get(stored_key)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]
