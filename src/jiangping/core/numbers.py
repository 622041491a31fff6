"""How a figure is written (数字格式): rounding half away from zero, trailing zeros kept,
signs on changes, and whether a change is good news. Pure and Django-free; the ground
floor's template filters and every app's arithmetic (``indicators.formulas``) use it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

Number = Decimal | int

HIGHER = "higher"  # a higher figure is better (越高越好)
LOWER = "lower"  # a lower figure is better (越低越好), e.g. PM2.5
EMPTY = "—"


_EXPONENTS = {places: Decimal(1).scaleb(-places) for places in range(-6, 13)}


def round_half_up(value: Number, places: int) -> Decimal:
    """Round (四舍五入) to ``places`` decimals, half away from zero, keeping trailing zeros."""
    exponent = _EXPONENTS.get(places) or Decimal(1).scaleb(-places)
    decimal = value if isinstance(value, Decimal) else Decimal(value)
    return decimal.quantize(exponent, rounding=ROUND_HALF_UP)


def format_number(value: Number | None, places: int = 1, empty: str = EMPTY) -> str:
    """A number as shown in tables and bulletins (数字格式): ``30.90`` stays ``30.90``."""
    if value is None:
        return empty
    rounded = round_half_up(value, places)
    if rounded == 0:
        rounded = abs(rounded)
    return f"{rounded:f}"


def format_signed(value: Number | None, places: int = 1, empty: str = EMPTY) -> str:
    """A change as the tables show it (带符号): ``+2.1`` / ``-0.4`` / ``0.0``. One convention
    for every signed figure: growth, percentage points, vs average, schedule gap."""
    if value is None:
        return empty
    sign, text = magnitude(value, places)
    return {1: "+", -1: "-"}.get(sign, "") + text


def tone(value: Number | None, places: int = 1, direction: str = HIGHER) -> str:
    """Whether a change is good news (``good``), bad news (``bad``) or none (``flat``) for
    a figure of ``direction``: a rise of PM2.5 (越低越好) is ``bad``. Judged on the
    figure as shown (rounded to ``places``); ``""`` when there is no figure."""
    if value is None:
        return ""
    sign, _text = magnitude(value, places)
    if sign == 0:
        return "flat"
    return "good" if (sign > 0) == (direction != LOWER) else "bad"


def magnitude(value: Number, places: int) -> tuple[int, str]:
    """The sign of the *rounded* value and its absolute value as text."""
    rounded = round_half_up(value, places)
    sign = (rounded > 0) - (rounded < 0)
    return sign, format_number(abs(rounded), places)
