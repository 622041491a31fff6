"""Composing the month's bulletin (通报生成) from the registered sections.

``compose(context, *, number, date, issuer, edits=None) -> Bulletin`` calls every
:func:`jiangping.core.registry.bulletin_sections` provider in order, keeps the drafts
(a provider returning ``None`` is left out), and closes with the problems (存在问题,
一是…二是…) and next steps (下步工作, 一是要…二是要…) gathered from the drafts — or, when
``edits`` gives ``{"problems": [...], "actions": [...]}``, the office's own paragraphs.
Sections are numbered by the writers (一、二、…) in the order they come.

The same data gives the same bulletin: providers are called in a fixed order, and the
gathered clauses keep their order (a clause two sections suggest is said once).

:func:`context_for` builds the :class:`~jiangping.bulletins.sections.Context` of a month
from the database: the home city, a scope that sees every unit, and the month's
published review (when the reviews app is installed). Compose needs no bulletins model.
"""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from jiangping.bulletins.document import Bulletin, Paragraph, Section
from jiangping.bulletins.sections import Context
from jiangping.core.phrasing import enumerate_clauses, months_label
from jiangping.core.registry import bulletin_sections

CLOSING = ("problems", "actions")
_ENDINGS = "。；！？…!?"


def title_for(period: str) -> str:
    """关于2026年1—10月全市重点工作讲评情况的通报 (``period``: ``YYYY-MM``)."""
    return f"关于{period[:4]}年{months_label(period)}全市重点工作讲评情况的通报"


def _sentence(clause: str) -> str:
    """A clause as a paragraph: stripped, ending with a full stop unless it has one."""
    text = clause.strip().rstrip("，,、")
    return text if not text or text[-1] in _ENDINGS else text + "。"


def _distinct(clauses: list[str]) -> list[str]:
    seen, kept = set(), []
    for clause in clauses:
        text = _sentence(clause)
        if text and text not in seen:
            seen.add(text)
            kept.append(text)
    return kept


def closing_section(key: str, clauses: list[str]) -> Section | None:
    """存在问题 (``problems``: 一是…) or 下步工作 (``actions``: 一是要…), editable; ``None``
    when there is no clause. Raises :class:`ValueError` for another key."""
    if key not in CLOSING:
        raise ValueError(f"not a closing section: {key!r}")
    texts = _distinct(clauses)
    if not texts:
        return None
    heading, marker = ("存在问题", "是") if key == "problems" else ("下步工作", "是要")
    blocks = [Paragraph(text, lead=lead) for lead, text in enumerate_clauses(texts, marker)]
    return Section(key, heading, blocks, editable=True)


def compose(context: Context, *, number: str, date: str, issuer: str,
            edits: dict | None = None) -> Bulletin:
    """The bulletin of ``context.period``.

    ``number``: the 文号; ``date``: the issuing date as printed; ``issuer``: the 落款.
    ``edits``: ``{"problems": [str], "actions": [str]}`` — the office's paragraphs in
    place of the suggested ones (a key left out keeps the suggestions). Each registered
    provider's ``build(context)`` is called once, in order; what it raises propagates.
    """
    sections: list[Section] = []
    gathered: dict[str, list[str]] = {"problems": [], "actions": []}
    for provider in bulletin_sections():
        if provider.key in CLOSING:
            continue
        draft = provider.build(context)
        if draft is None:
            continue
        sections.append(draft.section)
        gathered["problems"] += draft.problems
        gathered["actions"] += draft.actions
    for key in CLOSING:
        clauses = gathered[key] if not edits or edits.get(key) is None else list(edits[key])
        section = closing_section(key, clauses)
        if section is not None:
            sections.append(section)
    return Bulletin(title=title_for(context.period), period=context.period, number=number,
                    date=date, issuer=issuer, sections=sections)


def context_for(period: str) -> Context:
    """The month's context: the home city, a scope seeing every unit, and the published
    review of ``period`` (its result with ``version``; ``None`` when none is published or
    the reviews app is not installed). Raises :class:`ValidationError` for a malformed
    period or before the home city is set up."""
    from jiangping.indicators.services import validate_period
    from jiangping.orgs.models import home_city
    from jiangping.orgs.scope import Scope

    validate_period(period)
    city = home_city()
    if city is None:
        raise ValidationError(_("尚未设置本市，无法生成通报。"))
    return Context(period=period, review=published_review(period), city=city,
                   scope=Scope.operator())


def published_review(period: str) -> dict | None:
    """The latest published review of ``period`` as stored (DESIGN §13 ``review``) with its
    ``version``, or ``None``."""
    if not apps.is_installed("jiangping.reviews"):
        return None
    from jiangping.reviews.services import published_run

    run = published_run(period)
    if run is None:
        return None
    return {**run.result, "version": run.version}
