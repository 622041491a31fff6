"""Cell normalisation for imports (单元格清洗): text, numbers, periods and dates.

Pure functions, no Django: what counties actually type into spreadsheets is turned
into clean values here. Full-width digits and punctuation fold to ASCII (NFKC),
"12.3%" reads as the percentage 12.3 (:class:`Percent`), "—"/"-"/"/"/"无" and blanks
read as empty, Traditional characters fold to Simplified before names and headers are
matched. Units of measure in headers (``总投资（万元）``) are :mod:`jiangping.intake.measures`.

Failures raise :class:`CellError` with a Chinese message; the engine attaches the
row, the column and the value.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from django.utils.translation import gettext as _


class CellError(ValueError):
    """A cell that cannot be read; ``message`` is shown to the user (Chinese).
    ``quotes_value``: the message names the value itself (数值“…”超出范围), so a caller
    need not repeat it."""

    def __init__(self, message: str, *, quotes_value: bool = False):
        super().__init__(message)
        self.message = message
        self.quotes_value = quotes_value


class Percent(Decimal):
    """A number written as a percentage (百分数): ``12.3%`` typed as text, or a spreadsheet
    cell formatted as a percentage, on the 0–100 scale. Its unit is %, whatever the
    header says; arithmetic on it gives a plain :class:`~decimal.Decimal`."""


class PercentCell(float):
    """A spreadsheet number shown with a percentage format: it holds 0.082 for 8.2%."""

    def __str__(self) -> str:
        return f"{(Decimal(repr(float(self))) * 100).normalize():f}%"


# The stored decimal columns hold 20 digits, 6 of them decimals; with one integer digit
# spared for rounding, a number may have at most 13 integer digits (数值范围). SQLite
# keeps a decimal column as a floating-point number, which gives back 15 significant
# digits exactly and no more, so a number may have at most 15 (有效数字) on every
# database: what is accepted is what is read back.
MAX_INTEGER_DIGITS = 13
DECIMAL_PLACES = 6
MAX_SIGNIFICANT_DIGITS = 15
# Below 10**9 a number rounded to 6 decimals never has more than 15 significant digits.
EXACT_EXPONENT = MAX_SIGNIFICANT_DIGITS - DECIMAL_PLACES
_QUANTUM = Decimal(1).scaleb(-DECIMAL_PLACES)


def fit_decimal(value: Decimal, shown=None) -> Decimal:
    """``value`` rounded half up to 6 decimals; CellError (naming the value as ``shown``,
    e.g. as typed, else ``value``) with 14 or more integer digits or more than 15
    significant digits."""
    if value.adjusted() < MAX_INTEGER_DIGITS:
        rounded = value.quantize(_QUANTUM, rounding=ROUND_HALF_UP)
        if value and not rounded:
            raise CellError(_("数值“%(value)s”过小：最多保留 %(places)s 位小数，会变成 0。") % {
                "value": f"{value:f}" if shown is None else shown, "places": DECIMAL_PLACES},
                quotes_value=True)
        if rounded.adjusted() < MAX_INTEGER_DIGITS:
            if rounded.adjusted() < EXACT_EXPONENT or significant_digits(rounded) \
                    <= MAX_SIGNIFICANT_DIGITS:
                return rounded
            raise CellError(precision_message(value if shown is None else shown),
                            quotes_value=True)
    raise CellError(range_message(value if shown is None else shown), quotes_value=True)


def significant_digits(value: Decimal) -> int:
    """Digits from the first non-zero one to the last: 1200.50 → 5."""
    if not value:
        return 0
    return len(value.normalize().as_tuple().digits)


def range_message(value) -> str:
    return _("数值“%(value)s”超出范围：整数部分最多 %(n)s 位。") % {
        "value": quote(value), "n": MAX_INTEGER_DIGITS}


def precision_message(value) -> str:
    return _("数值“%(value)s”的有效数字超过 %(n)s 位，无法准确保存；"
             "请减少小数位数（整数部分最多 %(integer)s 位，小数最多 %(places)s 位）。") % {
        "value": quote(value), "n": MAX_SIGNIFICANT_DIGITS, "integer": MAX_INTEGER_DIGITS,
        "places": DECIMAL_PLACES}


EMPTY_MARKS = frozenset(
    {"", "-", "--", "—", "——", "–", "―", "−", "/", "\\", "无", "空", "暂无", "N/A", "n/a", "NA",
     "#N/A"}
)
# Total and subtotal rows (合计行) carry no data of their own.
TOTAL_WORDS = ("合计", "小计", "总计", "累计合计")
# Footnotes below a table (注：…, 填报人：…) are not data rows.
FOOTNOTE_PREFIXES = (
    "注:", "注：", "备注:", "说明:", "填报人", "填表人", "审核人", "负责人", "制表",
    "联系电话", "数据来源", "填报单位:", "填报日期",
)
# Rows above a table that date or sign it (落款), not titles.
DATELINE_PREFIXES = ("填报日期", "填表日期", "报送日期", "填报单位", "填表单位", "制表")
_SPACES = re.compile(r"\s+")
_MINUS = str.maketrans({"−": "-", "－": "-", "﹣": "-"})


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=65536)
def simplified(text: str) -> str:
    """Traditional → Simplified (繁转简), e.g. ``乙縣`` → ``乙县``."""
    return _t2s().convert(text)


def clean_text(raw) -> str | None:
    """A text cell: NFKC, trimmed; empty marks give ``None``."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raw = format_plain(raw)
    text = nfkc(raw).strip()
    return None if text in EMPTY_MARKS else text


def format_plain(raw) -> str:
    """A non-text cell as text: ``2019.0`` → ``2019``, ``8.2%`` as shown, dates as ISO."""
    if raw.__class__ is PercentCell:
        return str(raw)
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(" ")
    return str(raw)


QUOTE_LIMIT = 50


def quote(raw) -> str:
    """A cell as the user typed it, for a message: ``5`` (not ``5.0``), a date as shown,
    text trimmed; beyond :data:`QUOTE_LIMIT` characters cut, with the length:
    ``1234…（共100000字）``."""
    if raw is None:
        return ""
    text = (raw if isinstance(raw, str) else format_plain(raw)).strip()
    if len(text) > QUOTE_LIMIT:
        return text[:QUOTE_LIMIT] + _("…（共%(n)s字）") % {"n": len(text)}
    return text


def name_key(text: str) -> str:
    """The matching key of a name: NFKC, Simplified, no whitespace, lower case."""
    return simplified(_SPACES.sub("", nfkc(text))).lower()


def is_empty(raw) -> bool:
    if raw is None:
        return True
    if isinstance(raw, str):
        return raw.strip() in EMPTY_MARKS or nfkc(raw).strip() in EMPTY_MARKS
    return False


def is_total_label(text: str) -> bool:
    """合计/小计/总计, also in Traditional characters (合計、小計、總計)."""
    key = simplified(_SPACES.sub("", nfkc(text)))
    return key.startswith(TOTAL_WORDS) or key.endswith(TOTAL_WORDS)


def is_footnote(text: str) -> bool:
    return simplified(nfkc(text).strip()).startswith(FOOTNOTE_PREFIXES)


# --- numbers --------------------------------------------------------------------
# A number as typed: a sign, digits (grouped in threes by commas, or by spaces, where
# grouped at all), an optional decimal point and digits, an optional percent sign.
PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?\Z")
_NUMBER = re.compile(
    r"(?P<sign>[+-]?)(?P<int>[0-9]{1,3}(?:(?P<sep>[, '])[0-9]{3})?(?:(?P=sep)[0-9]{3})*"
    r"|[0-9]*)(?P<frac>\.[0-9]*)?(?P<pct>(?:\s*%)?)\Z")
_SCIENTIFIC = re.compile(r"[+-]?[0-9]*\.?[0-9]+[eE][+-]?[0-9]+%?\Z")


def _not_a_number() -> CellError:
    return CellError(_("不是有效的数字。"))


def parse_decimal(raw) -> Decimal | None:
    """A number cell: ``1,234.5``, ``１２.３``, ``12.3%`` (→ Percent 12.3), ``—`` (→ None).

    The one reading of a number for imports, the entry form and the API. A comma (ASCII
    or full-width) is a thousands separator only, in groups of three (``1,234``,
    ``1,234,567.89``); a decimal comma (``12,3``, ``1.234,56``, ``1 234,5``) is refused,
    as are ``1_000``, ``NaN``, ``Infinity`` and scientific notation typed as text
    (``1.2E+05``, which Excel writes for a number it has rounded for display). A minus
    sign may be ``-``, ``−`` (U+2212) or full-width; a bare ``−`` is empty, like ``-``.
    """
    if raw.__class__ is str:
        if PLAIN_NUMBER.match(raw):
            return Decimal(raw)
        return _parse_text(raw)
    if raw is None:
        return None
    if raw.__class__ is PercentCell:
        return Percent(Decimal(repr(float(raw))) * 100)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise _not_a_number()
        return raw
    if isinstance(raw, bool):
        raise _not_a_number()
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise _not_a_number()
        return Decimal(repr(raw))
    if isinstance(raw, str):
        return _parse_text(str(raw))
    raise _not_a_number()


# Digits a number may be written with: ASCII and full-width. NFKC would also turn ①, ²,
# ₃ or 𝟓 into digits, silently: such a cell is refused instead.
_PLAIN_DIGITS = frozenset("0123456789０１２３４５６７８９")


def _parse_text(raw: str) -> Decimal | None:
    odd = next((char for char in raw if char not in _PLAIN_DIGITS
                 and unicodedata.category(char)[0] == "N"), None)
    if odd is not None:
        raise CellError(_("数字中含有非标准的数字字符“%(char)s”，请改为普通数字。") % {
            "char": odd})
    text = nfkc(raw).strip().translate(_MINUS)
    if text in EMPTY_MARKS:
        return None
    match = _NUMBER.match(text)
    if match is None or not (match["int"] or (match["frac"] or "")[1:]):
        raise CellError(_number_refusal(text))
    digits = match["int"]
    if match["sep"]:
        digits = digits.replace(match["sep"], "")
    value = Decimal(f"{match['sign']}{digits or '0'}{match['frac'] or ''}".rstrip("."))
    return Percent(value) if match["pct"] else value


def _number_refusal(text: str) -> str:
    """Why ``text`` is not a number, where a reason can be told."""
    if "," in text:
        return _("逗号只能用作千位分隔符（每三位一组，如“1,234.5”），小数点请用“.”。")
    if _SCIENTIFIC.match(text.replace(" ", "")):
        return _("不能使用科学计数法（Excel 显示为科学计数法时数字可能已被舍入）；"
                 "请填写完整的数字，或把单元格设为数值格式后重新导出。")
    if "_" in text:
        return _("数字中不能有下划线“_”。")
    if " " in text or "'" in text:
        return _("数字中的空格或撇号只能用作千位分隔符（每三位一组）。")
    return _("不是有效的数字。")


def parse_int(raw) -> int | None:
    value = parse_decimal(raw)
    if value is None:
        return None
    if value != value.to_integral_value():
        raise CellError(_("应为整数。"))
    return int(value)


# --- periods and dates ----------------------------------------------------------
_RANGE = r"\s*[-—–~～至到]\s*"
_PERIOD_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:月份?)?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
    re.compile(r"^(\d{4})\s*年?\s*1\s*月?" + _RANGE + r"(\d{1,2})\s*月份?(?:累计)?$"),
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*\d{1,2}\s*日?$"),
)
_DAY = r"(?!\s*\d{1,2}\s*[日号])"  # a month followed by a day is a date, not a period
_TITLE_PERIOD = re.compile(
    r"(\d{4})\s*年\s*(?:1\s*月?" + _RANGE + r")?(\d{1,2})\s*月" + _DAY
)
_YEAR = re.compile(r"^(\d{4})\s*年?(?:度)?$")
_TITLE_YEAR = re.compile(r"(\d{4})\s*年(?!\s*\d{1,2}\s*月\s*\d{1,2}\s*[日号])")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_DATE_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _period(year: int, month: int) -> str:
    if not 1 <= month <= 12 or not 1900 <= year <= 2999:
        raise CellError(_("不是有效的期间，应为“2019-11”或“2019年11月”。"))
    return f"{year:04d}-{month:02d}"


_DOTTED = re.compile(r"^(\d{4})\.(\d{1,2})$")


def _dotted_period(text: str) -> str:
    """``2019.11`` → ``2019-11``, as county sheets write a month. ``2019.1`` is refused:
    a number shows 2019.10 as 2019.1, so it may mean January or October."""
    match = _DOTTED.match(text)
    if match is None:
        raise CellError(_("不是有效的期间，应为“2019-11”或“2019年11月”。"))
    if match.group(2) == "1":
        raise CellError(_("期间“%(text)s”不明确：可能是1月，也可能是10月（数字 2019.10 会显示为 "
                          "2019.1）；请写成“%(year)s-01”或“%(year)s-10”。") % {
            "text": text, "year": match.group(1)}, quotes_value=True)
    return _period(int(match.group(1)), int(match.group(2)))


def parse_period(raw) -> str | None:
    """A period cell (期间): ``2019-11``, ``2019年11月``, ``201911``, ``2019/11``,
    ``2019.11`` (as text or as a number), ``2019年1-11月`` (累计 through November) or a
    date → ``2019-11``; ``2019.1`` is ambiguous (January or October) and refused."""
    if raw is None:
        return None
    if isinstance(raw, dt.date):
        return _period(raw.year, raw.month)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw).is_integer() and 190001 <= raw <= 299912:
            number = int(raw)
            return _period(number // 100, number % 100)
        if isinstance(raw, float) and 1900 < raw < 3000:
            return _dotted_period(repr(raw))
        raise CellError(_("不是有效的期间，应为“2019-11”或“2019年11月”。"))
    text = clean_text(raw)
    if text is None:
        return None
    if _DOTTED.match(text):
        return _dotted_period(text)
    for pattern in _PERIOD_PATTERNS:
        match = pattern.match(text)
        if match:
            return _period(int(match.group(1)), int(match.group(2)))
    raise CellError(_("不是有效的期间，应为“2019-11”或“2019年11月”。"))


def title_periods(text: str) -> list[str]:
    """The periods named in a title such as ``2019年1-11月主要经济指标完成情况``, in order;
    a full date (``截至2019年12月5日``) names a day, not a period, and is passed over."""
    periods = []
    for match in _TITLE_PERIOD.finditer(nfkc(text)):
        try:
            period = _period(int(match.group(1)), int(match.group(2)))
        except CellError:
            continue
        if period not in periods:
            periods.append(period)
    return periods


# A month named without its year (``9月``, ``1-9月``, ``1—9月份``): not after a year.
_MONTH_ONLY = re.compile(r"(?<![\d年])(?:1\s*月?" + _RANGE + r")?(\d{1,2})\s*月" + _DAY)


def months_without_year(text: str) -> list[int]:
    """The months a title or sheet name names without a year (``1-9月主要经济指标`` → [9]);
    months named with their year (``2019年11月``) are :func:`title_periods`."""
    found = []
    for match in _MONTH_ONLY.finditer(_TITLE_PERIOD.sub(" ", nfkc(text))):
        month = int(match.group(1))
        if 1 <= month <= 12 and month not in found:
            found.append(month)
    return found


def sheet_period(name: str) -> str | None:
    """The period a sheet's name gives: as a title (``2019年11月``), or the whole name in a
    period's spelling (``2019-11``, ``2019.11``, ``201911``); ``None`` when it gives none
    or is ambiguous (``2019.1``)."""
    found = period_in_title(name)
    if found is None:
        try:
            found = parse_period(name.strip())
        except CellError:
            found = None
    return found


def period_in_title(text: str) -> str | None:
    """The first period named in a title, or ``None``."""
    periods = title_periods(text)
    return periods[0] if periods else None


def is_dateline(text: str) -> bool:
    """A row above a table that dates or signs it (填报日期：…, 填报单位：…, 制表：…), not
    a title: the dates in it are not the table's period."""
    return simplified(nfkc(text).lstrip()).startswith(DATELINE_PREFIXES)


def period_above_header(titles: list[str]) -> str | None:
    """The period named by the title rows above a header (each row's text), datelines
    left out. Two different periods make it unknowable: CellError naming both."""
    found: list[str] = []
    for title in titles:
        if not is_dateline(title):
            found += [period for period in title_periods(title) if period not in found]
    if len(found) > 1:
        raise CellError(
            _("表头上方的标题写有不同的期间（%(periods)s），无法确定本表的期间；"
              "请只保留一个。") % {"periods": "、".join(found)})
    return found[0] if found else None


def year_in_title(text: str) -> int | None:
    """The first year named in a title (``2020年目标任务``), the year of a full date
    (``2019年12月5日``) left out."""
    match = _TITLE_YEAR.search(nfkc(text))
    return int(match.group(1)) if match else None


def parse_year(raw) -> int | None:
    """A year cell (年度): ``2020``, ``2020年``, ``2020.0``."""
    if raw is None:
        return None
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw).is_integer() and 1900 <= raw <= 2999:
            return int(raw)
        raise CellError(_("不是有效的年度。"))
    text = clean_text(raw)
    if text is None:
        return None
    match = _YEAR.match(text)
    if not match or not 1900 <= int(match.group(1)) <= 2999:
        raise CellError(_("不是有效的年度。"))
    return int(match.group(1))


def parse_date(raw) -> dt.date | None:
    """A date cell: a spreadsheet date, ``2019-11-30``, ``2019/11/30``, ``2019年11月30日``."""
    if raw is None:
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = clean_text(raw)
    if text is None:
        return None
    match = _DATE.match(text) or _DATE_COMPACT.match(text)
    if match:
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            pass
    raise CellError(_("不是有效的日期，应为“2019-11-30”。"))
