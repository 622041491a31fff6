"""Template filters for the review's numbers: decimals kept, signs, rank moves."""

from __future__ import annotations

import functools
from decimal import Decimal

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from jiangping.core.hant import hant
from jiangping.core.numbers import EMPTY, HIGHER, format_number, format_signed, tone
from jiangping.core.periods import by_year, period_label

register = template.Library()


@register.filter
def num(value, places=1):
    """A number with ``places`` decimals, trailing zeros kept (``30.90``); — when missing."""
    if value is None or value == "":
        return EMPTY
    return format_number(Decimal(value), int(places))


@register.filter
def signed(value, places=1):
    """A change with its sign: ``+2.1`` / ``-0.4`` / ``0.0``."""
    if value is None or value == "":
        return EMPTY
    return format_signed(Decimal(value), int(places))


@register.filter
def sign_class(value, direction=HIGHER):
    """``good`` / ``bad`` / ``flat`` for colouring a change of an indicator of ``direction``
    (``{{ cell.growth|sign_class:indicator.direction }}``): a fall of PM2.5 is ``good``."""
    if value is None or value == "":
        return ""
    return tone(Decimal(value), 1, direction or HIGHER)


@register.filter
def rank_move(change):
    """A rank change as an arrow: ↑2 (moved up), ↓1 (moved down), — (unchanged or unknown)."""
    if not change:
        return "—"
    return f"↑{change}" if change > 0 else f"↓{-change}"


@register.filter
def rank_move_title(change):
    """The rank change in words, for the tooltip."""
    if change is None:
        return _("无上月位次")
    if change == 0:
        return _("与上月持平")
    if change > 0:
        return _("前移%(n)s位") % {"n": change}
    return _("后退%(n)s位") % {"n": -change}


@register.filter
def month_label(period):
    """``2026-09`` → ``2026年9月`` (``2026-09`` in English)."""
    return period_label(period) if period else ""


@register.filter(name="hant")
def hant_filter(text):
    """A data label (indicator, unit of measure, org unit) in Traditional Chinese under
    zh-hant; see :mod:`jiangping.core.hant`."""
    return hant(text)


@register.simple_tag
def period_options(periods, period):
    """The ``<option>``s of a month picker: ``periods`` (newest first) with ``period``
    selected, in ``<optgroup>``s by year past twelve months. Built in Python and kept per
    list, month and language: a picker of years of months cost the page's template more
    than its table."""
    return _period_options(tuple(periods or ()), period or "", get_language())


@functools.lru_cache(maxsize=256)
def _period_options(periods: tuple[str, ...], period: str, language: str) -> str:
    def option(p: str) -> str:
        selected = " selected" if p == period else ""
        return f'<option value="{escape(p)}"{selected}>{escape(period_label(p))}</option>'

    if len(periods) <= 12:
        return mark_safe("".join(option(p) for p in periods))  # noqa: S308 — escaped above
    groups = (f'<optgroup label="{escape(year)}">{"".join(option(p) for p in months)}'
              "</optgroup>" for year, months in by_year(list(periods)))
    return mark_safe("".join(groups))  # noqa: S308 — escaped above


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def home_card(context, shown):
    """A home-page card (:class:`jiangping.core.registry.ShownCard`) rendered with its own
    context on top of the page's, as ``{% include %}`` would; a card kept in the page
    cache is its HTML as rendered then."""
    if shown.html is not None:
        return mark_safe(shown.html)  # noqa: S308 — rendered by our template, escaped there
    template = context.template.engine.get_template(shown.card.template)
    with context.push(**shown.context):
        return template.render(context)
