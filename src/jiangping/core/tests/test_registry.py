"""The registries of home-page cards and navigation entries (core.registry)."""

from types import SimpleNamespace

import pytest

from jiangping.core import registry
from jiangping.core.registry import HomeCard, NavEntry
from jiangping.orgs.models import Role


@pytest.fixture
def empty(monkeypatch):
    monkeypatch.setattr(registry, "_NAV", {})
    monkeypatch.setattr(registry, "_CARDS", {})


def user(role, superuser=False):
    return SimpleNamespace(is_authenticated=True, is_superuser=superuser, role=role,
                           is_staff=False)


def test_a_key_is_registered_once(empty):
    entry = NavEntry("x.page", "页", "home")
    registry.register_nav(entry)
    registry.register_nav(entry)  # the same entry again (an app's ready() run twice)
    with pytest.raises(ValueError, match="registered twice"):
        registry.register_nav(NavEntry("x.page", "另一页", "home"))


def test_current_by_view_name_or_namespace():
    board = NavEntry("t", "督办", "tasks:board", current=("tasks:",))
    assert board.is_current("tasks:detail") and board.is_current("tasks:board")
    assert not board.is_current("intake:queue") and not board.is_current(None)
    compare = NavEntry("c", "比较", "indicators:compare")
    assert compare.is_current("indicators:compare") and not compare.is_current("indicators:entry")


def test_entries_follow_roles_order_and_the_page(empty, db):
    registry.register_nav(
        NavEntry("b", "乙", "home", order=20),
        NavEntry("a", "甲", "home", order=10, roles=frozenset({Role.LEADER})),
        NavEntry("q", "审核", "intake:queue", order=30),  # the page refuses cadres
        NavEntry("s", "后台", "home", order=40, visible=lambda u: u.is_staff),
    )
    assert [e.key for e in registry.nav_for(user(Role.LEADER))] == ["a", "b", "q"]
    assert [e.key for e in registry.nav_for(user(Role.CADRE))] == ["b"]
    assert [e.key for e in registry.nav_for(user(Role.LEADER, superuser=True))] == ["b", "q"]


def test_cards_follow_roles_and_leave_out_an_empty_one(empty):
    seen = []

    def context(request, scope, period):
        seen.append(period)
        return {"n": 1} if period == "2019-11" else None

    registry.register_card(
        HomeCard("late", "t.html", context, order=50),
        HomeCard("early", "t.html", context, order=5, roles=frozenset({Role.REPORTER})),
    )
    request = SimpleNamespace(user=user(Role.REPORTER))
    assert [c.card.key for c in registry.cards_for(request, None, "2019-11")] == ["early", "late"]
    assert registry.cards_for(request, None, "2019-10") == []
    request.user = user(Role.CADRE)
    assert [c.context for c in registry.cards_for(request, None, "2019-11")] == [{"n": 1}]


def test_every_registered_entry_names_a_page_its_roles_may_open():
    """An entry naming a role its page refuses would silently vanish for that role."""
    from django.urls import reverse

    from jiangping.core.access import page_roles

    for entry in registry.nav_entries():
        reverse(entry.url_name)
        roles = page_roles(entry.url_name)
        assert roles is None or entry.roles <= roles, entry.key


def test_every_registered_card_has_its_template():
    from django.template.loader import get_template

    for card in registry.home_cards():
        get_template(card.template)
