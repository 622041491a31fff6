"""Home-page cards (首页卡片), navigation entries (导航) and bulletin sections (通报章节),
contributed by each app.

The ground floor renders the home page and the masthead without knowing the apps
above it: each app registers its cards and entries from its ``AppConfig.ready()``,
the way it registers its import forms and metrics::

    from jiangping.core import registry

    registry.register_nav(registry.NavEntry(
        "tasks.board", _("督办事项"), "tasks:board", order=40, current=("tasks:",)))
    registry.register_card(registry.HomeCard(
        "tasks.summary", "tasks/_summary.html", tasks_card, order=40))

A card's ``context(request, scope, period)`` returns the template's context, or
``None`` when the card has nothing for this user (it is then left out). A card whose
``cached(request, scope, period)`` is given is rendered once and its HTML kept in the
page cache (:mod:`jiangping.core.pagecache`) under what that returns, the month and the
language until the figures change: its template may then use nothing but its context,
the month and the language (no form, no user's name), and ``cached`` must name all
else it depends on (the scope, the role, the day). An entry is
shown to the roles it names *and* that its page lets in
(:func:`jiangping.core.access.may_open`), so the navigation never links to a 403.
A bulletin section's ``build(context)`` receives a
:class:`jiangping.bulletins.sections.Context` (the month, its published review) and
returns a :class:`jiangping.bulletins.sections.Draft` (the section, and the problems
and next steps its data suggests), or ``None`` when the app has nothing for the month
(the section is then left out). Sections are ordered by ``order`` as DESIGN §9 lists
them: headline 10, indicators 20, projects 30, investment 40, poverty 50, quality 60,
tasks 70, ranking and lists 80; problems 90 and next steps 95 close the bulletin.
The registries are listed in ``docs/architecture.md``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string

from jiangping.core.access import EVERYONE, may_open, role_of
from jiangping.core.pagecache import cached_fragment

CardContext = Callable[[Any, Any, str], dict | None]


@dataclass(frozen=True)
class NavEntry:
    """A link of the main navigation. ``current``: view names (``indicators:compare``)
    or namespaces (``tasks:``) on whose pages the entry is marked as the current one.
    ``visible(user)`` narrows it further (e.g. staff only)."""

    key: str
    label: Any  # lazy Chinese text
    url_name: str
    roles: frozenset[str] = EVERYONE
    order: int = 100
    current: tuple[str, ...] = ()
    visible: Callable[[Any], bool] | None = field(default=None, compare=False)

    def shown_to(self, user) -> bool:
        return (role_of(user) in self.roles and may_open(user, self.url_name)
                and (self.visible is None or self.visible(user)))

    def is_current(self, view_name: str | None) -> bool:
        if not view_name:
            return False
        names = self.current or (self.url_name,)
        return any(view_name == name or (name.endswith(":") and view_name.startswith(name))
                   for name in names)


@dataclass(frozen=True)
class HomeCard:
    """A card of the home page: ``template`` rendered with ``context(request, scope,
    period)`` for the roles named; ``scripts`` are static files the card needs."""

    key: str
    template: str
    context: CardContext = field(compare=False)
    roles: frozenset[str] = EVERYONE
    order: int = 100
    scripts: tuple[str, ...] = ()
    cached: Callable[[Any, Any, str], tuple] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class ShownCard:
    """A card on a user's page: its context, or its HTML when kept in the cache."""

    card: HomeCard
    context: dict
    html: str | None = None


@dataclass(frozen=True)
class BulletinSection:
    """A section of the monthly bulletin, built by ``build(context)`` (see the module doc)."""

    key: str
    build: Callable[[Any], Any] = field(compare=False)
    order: int = 100


_NAV: dict[str, NavEntry] = {}
_CARDS: dict[str, HomeCard] = {}
_SECTIONS: dict[str, BulletinSection] = {}


def _add(registry: dict, key: str, item) -> None:
    if key in registry and registry[key] != item:
        raise ValueError(f"{key!r} registered twice")
    registry[key] = item


def register_nav(*entries: NavEntry) -> None:
    for entry in entries:
        _add(_NAV, entry.key, entry)


def register_card(*cards: HomeCard) -> None:
    for card in cards:
        _add(_CARDS, card.key, card)


def register_section(*sections: BulletinSection) -> None:
    for section in sections:
        _add(_SECTIONS, section.key, section)


def bulletin_sections() -> list[BulletinSection]:
    """Every registered bulletin section, in the bulletin's order."""
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def nav_entries() -> list[NavEntry]:
    """Every registered entry, in navigation order (for the docs and their test)."""
    return sorted(_NAV.values(), key=lambda e: (e.order, e.key))


def home_cards() -> list[HomeCard]:
    """Every registered card, in page order."""
    return sorted(_CARDS.values(), key=lambda c: (c.order, c.key))


def nav_for(user) -> list[NavEntry]:
    """The entries ``user`` sees, in order."""
    return [entry for entry in nav_entries() if entry.shown_to(user)]


def cards_for(request, scope, period: str) -> list[ShownCard]:
    """The cards of ``request.user``'s home page with their context, in order."""
    role = role_of(request.user)
    shown = []
    for card in home_cards():
        if role not in card.roles:
            continue
        if card.cached is not None:
            parts = (card.key, period, *card.cached(request, scope, period))
            html = cached_fragment("home-card", parts,
                                   lambda card=card: _render(card, request, scope, period))
            if html:
                shown.append(ShownCard(card, {}, html))
            continue
        context = card.context(request, scope, period)
        if context is not None:
            shown.append(ShownCard(card, context))
    return shown


def _render(card: HomeCard, request, scope, period: str) -> str:
    """A cached card's HTML ("" when it has nothing for the user)."""
    context = card.context(request, scope, period)
    if context is None:
        return ""
    return render_to_string(card.template, {**context, "period": period}, request=request)
