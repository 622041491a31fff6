"""The metric registry: indicator metrics by kind, set-based computation, registration."""

from decimal import Decimal as D

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jiangping.indicators import metrics
from jiangping.indicators.services import upsert_values
from jiangping.indicators.targets import upsert_targets
from jiangping.orgs.models import Level, OrgUnit
from jiangping.orgs.scope import Scope

P = "2019-11"


def test_every_indicator_yields_metrics_by_kind(cast):
    codes = {m.code for m in metrics.all_metrics()}
    assert {"value.fai", "month.fai", "yoy.fai", "completion.fai", "schedule_gap.fai",
            "value.fai_growth", "pp_change.fai_growth", "pp_yoy.fai_growth",
            "yoy.loans", "since_jan.loans", "mom.pm10", "yoy.pm10"} <= codes
    assert "completion.pm10" not in codes and "month.loans" not in codes
    m = metrics.get("schedule_gap.fai")
    assert (m.name, m.unit, m.direction) == ("固定资产投资超序时进度", "百分点", "higher")
    assert metrics.get("mom.pm10").direction == "lower"
    for missing in ("mom.fai", "value.nope", "nope", "projects.unknown"):
        with pytest.raises(KeyError):
            metrics.get(missing)


def test_compute(cast):
    a, b = cast.county_a, cast.county_b
    upsert_values(Scope.operator(), [
        (cast.fai, a, P, 110), (cast.fai, a, "2019-10", 100), (cast.fai, a, "2018-11", 100),
        (cast.fai, b, P, 90),
        (cast.loans, a, P, 500), (cast.loans, a, "2018-12", 450),
        (cast.pm10, a, P, 80), (cast.pm10, a, "2019-10", 100),
        (cast.fai_growth, a, P, D("8.5")), (cast.fai_growth, a, "2018-11", D("6.0")),
    ])
    upsert_targets(Scope.operator(), [(cast.fai, a, 2019, 120), (cast.fai, b, 2019, 100)])
    ids = [a.pk, b.pk, cast.county_c.pk]

    def run(code):
        return metrics.get(code).compute(ids, P)

    assert run("value.fai") == {a.pk: D(110), b.pk: D(90), cast.county_c.pk: None}
    assert run("month.fai")[a.pk] == D(10) and run("month.fai")[b.pk] is None
    assert run("yoy.fai")[a.pk] == D(10)
    assert run("completion.fai")[b.pk] == D(90)
    assert run("schedule_gap.fai")[a.pk] == 0
    assert run("since_jan.loans")[a.pk] == D(50)
    assert run("mom.pm10")[a.pk] == D(-20)
    assert run("pp_yoy.fai_growth")[a.pk] == D("2.5")
    assert metrics.get("value.fai").compute([], P) == {}


def test_compute_is_set_based(cast):
    units = [
        OrgUnit.objects.create(code=f"M{i}", name=f"县{i}", level=Level.COUNTY, parent=cast.city)
        for i in range(60)
    ]
    upsert_values(Scope.operator(), [(cast.fai, u, P, i) for i, u in enumerate(units)])
    metric = metrics.get("schedule_gap.fai")
    with CaptureQueriesContext(connection) as queries:
        result = metric.compute([u.pk for u in units], P)
    assert len(queries) == 2 and len(result) == 60


def test_register():
    metric = metrics.Metric(
        code="test.answer", name="测试口径", unit="个", direction="higher", formula="常数",
        calculate=lambda ids, period: dict.fromkeys(ids, D(42)),
    )
    try:
        assert metrics.register(metric) is metric
        assert metrics.register(metric) is metric
        assert metrics.get("test.answer").compute([1, 2], P) == {1: D(42), 2: D(42)}
        assert metrics.describe()[-1].code == "test.answer"
        with pytest.raises(ValueError):
            metrics.register(metrics.Metric("test.answer", "别的", "个", "higher", "x"))
        with pytest.raises(ValueError):
            metrics.register(metrics.Metric("yoy.other", "别的", "个", "higher", "x"))
    finally:
        metrics._registry.pop("test.answer", None)


def test_describe_lists_every_kind_without_data():
    rows = metrics.describe()
    assert [r.code for r in rows[: len(metrics.KINDS)]] == [
        f"{kind.code}.<code>" for kind in metrics.KINDS
    ]
    assert all(r.formula for r in rows)
