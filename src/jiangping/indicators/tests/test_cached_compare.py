"""The comparison page is rendered once per month, scope and options, and every write to
what it shows is seen by the next view (:mod:`jiangping.core.pagecache`)."""

from decimal import Decimal as D

import pytest
from django.db import transaction
from django.urls import reverse

from jiangping.core import pagecache
from jiangping.core.tests.web import P, month_data
from jiangping.indicators import views
from jiangping.indicators.models import Indicator, Value
from jiangping.indicators.services import set_value
from jiangping.indicators.targets import set_target
from jiangping.intake import services as intake
from jiangping.orgs.scope import Scope

COMPARE = reverse("indicators:compare")


@pytest.fixture
def data(cast, cached):
    return month_data(cast)


@pytest.fixture
def tables_built(monkeypatch):
    """How many times the comparison table was computed for a page."""
    built = []
    real = views.comparison_table

    def counting(*args, **kwargs):
        built.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(views, "comparison_table", counting)
    return built


def page(client, **query):
    """The page's body (the table; the rest of the page carries a fresh CSRF token)."""
    response = client.get(COMPARE, {"period": P, "focus": "fai", **query})
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<div id="compare-body">'):html.index("</main>")]


def test_the_same_table_is_computed_once(client, data, tables_built):
    client.force_login(data.office)
    first = page(client)
    assert page(client) == first and len(tables_built) == 1
    # Another month, tier or option is another table.
    page(client, tier="cities")
    page(client, show="approved")
    assert len(tables_built) == 3
    # An htmx request for the body is the body the page holds.
    body = client.get(COMPARE, {"period": P, "focus": "fai"},
                      headers={"HX-Target": "compare-body"}).content.decode()
    assert body.strip().startswith('<div id="compare-body">') and body.strip() in first
    assert len(tables_built) == 3


def test_each_scope_has_its_own_table(client, data, tables_built):
    client.force_login(data.office)
    page(client)
    client.force_login(data.reporter_a)
    own = page(client)
    assert len(tables_built) == 2
    assert '<tr class="own">' in own


@pytest.mark.parametrize("write", ["value", "value deleted", "target", "approval", "catalog",
                                   "unit"])
def test_a_write_changes_the_next_page(client, data, tables_built, write):
    client.force_login(data.office)
    before = page(client)
    office = Scope.for_user(data.office)
    _write(write, data, office)
    after = page(client)
    assert len(tables_built) == 2
    assert after != before
    shown = SHOWN.get(write)
    if shown:
        assert shown not in before and shown in after


# what the page shows after the write and did not before (the others change marks)
SHOWN = {"value": "123.4", "catalog": "固定资产投资（新口径）", "unit": "丙市（新）"}


def _write(write, data, office):
    if write == "value":
        set_value(office, indicator=data.fai, unit=data.county_b, period=P, value=D("123.4"))
    elif write == "value deleted":
        set_value(office, indicator=data.fai, unit=data.county_a, period=P, value=None)
    elif write == "target":
        set_target(office, indicator=data.fai, unit=data.county_a, year=2019, value=140)
    elif write == "approval":
        submission = intake.get_or_open(data.county_a, P, "indicators")
        intake.submit(Scope.for_user(data.reporter_a), submission, data.reporter_a)
        intake.approve(office, submission, data.office)
    elif write == "catalog":
        fai = Indicator.objects.get(pk=data.fai.pk)
        fai.name = "固定资产投资（新口径）"
        fai.save()
    else:
        data.county_c.name = "丙市（新）"
        data.county_c.save()


def test_a_write_rolled_back_keeps_the_table(client, data, tables_built):
    client.force_login(data.office)
    page(client)
    version = pagecache.figures_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        set_value(Scope.operator(), indicator=data.fai, unit=data.county_b, period=P,
                  value=D("1"))
        raise RuntimeError
    assert pagecache.figures_version() == version
    page(client)
    assert len(tables_built) == 1
    assert Value.objects.get(indicator=data.fai, unit=data.county_b, period=P).value == 90


def test_the_version_changes_once_per_transaction(data):
    version = pagecache.figures_version()
    with transaction.atomic():
        for value in (1, 2, 3):
            set_value(Scope.operator(), indicator=data.fai, unit=data.county_b, period=P,
                      value=D(value))
        pending = [entry for entry in transaction.get_connection().run_on_commit
                   if entry[1] is pagecache._new_version]
        assert len(pending) == 1
    assert pagecache.figures_version() not in (0, version)


def test_keys_differ_by_version_parts_and_language():
    from django.utils import translation

    key = pagecache.fragment_key("compare", ("2019-11", "counties"), 7)
    assert key != pagecache.fragment_key("compare", ("2019-11", "counties"), 8)
    assert key != pagecache.fragment_key("compare", ("2019-11", "cities"), 7)
    with translation.override("zh-hant"):
        assert key != pagecache.fragment_key("compare", ("2019-11", "counties"), 7)


def test_the_api_comparison_is_cached_and_follows_writes(client, data, monkeypatch):
    from jiangping.indicators import api

    built = []
    real = api.comparison_table
    monkeypatch.setattr(api, "comparison_table",
                        lambda *a, **k: built.append(1) or real(*a, **k))
    client.force_login(data.office)
    url = "/api/indicators/comparison"

    def fai_of(name):
        table = client.get(url, {"period": P, "indicator": "fai"}).json()
        row = next(r for r in table["rows"] if r["name"] == name)
        return row["cells"]["fai"]["value"]

    assert fai_of("乙县") == fai_of("乙县") == "90"
    assert len(built) == 1
    set_value(Scope.for_user(data.office), indicator=data.fai, unit=data.county_b, period=P,
              value=D("91"))
    assert fai_of("乙县") == "91" and len(built) == 2
