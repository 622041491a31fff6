"""Computing, publishing and re-computing a month: versions, frozen inputs, the diff."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from jiangping.indicators.services import set_value
from jiangping.orgs.scope import Scope
from jiangping.reviews import services
from jiangping.reviews.models import Exemption, Run, Status
from jiangping.reviews.tests.conftest import PERIOD, SCHEME


def units(run):
    return {u["name"]: (u["score"], u["rank"], u["group"]) for u in run.result["units"]}


def test_compute_scores_ranks_and_lists(cast, month):
    run = services.compute(month, PERIOD)
    assert run.version == 1 and run.status == Status.DRAFT
    # 甲区: completion 60% against 50%: 120% → 60 + 2 (bonus capped); revenue 9 ÷ 10 × 40
    # 乙县: 90% → 60 − 10 × 0.5; 40.  丙市: 60% → 60 − 40 × 0.5; 16.  高新区: 100% → 60; 20
    assert units(run) == {
        "甲区": ("98.00", 1, "县市组"), "乙县": ("95.00", 2, "县市组"),
        "丙市": ("56.00", 3, "县市组"), "高新区": ("80.00", 1, "功能区"),
    }
    # the functional zone, scored apart, is on no list
    assert run.result["red_list"] == ["990102"]
    assert run.result["black_list"] == ["990181"]
    assert run.result["speakers"] == ["990181"]
    assert run.result["lists"]["red_flag"] == ["990102"]
    assert run.inputs["items"]["revenue"]["990102"] == {"value": "9", "target": "10"}


def test_publish_freezes_and_a_corrected_value_makes_version_two(cast, month):
    services.compute(month, PERIOD)
    published = services.publish(month, PERIOD, cast.office)
    assert published.status == Status.PUBLISHED and published.version == 1
    again = services.compute(month, PERIOD)
    assert again.pk == published.pk  # nothing changed: no new version
    set_value(month, indicator=cast.revenue, unit=cast.county_b, period=PERIOD, value=D(6))
    draft = services.compute(month, PERIOD)
    assert draft.version == 2 and draft.status == Status.DRAFT
    assert draft.diff["against"] == 1 and draft.diff["scheme_changed"] is False
    [change] = draft.diff["units"]
    assert change["name"] == "乙县"
    assert change["items"] == [{"item": "revenue", "value": ["10", "6"],
                                "score": ["40.00", "24.00"]}]
    published.refresh_from_db()
    assert published.result["units"][1]["score"] == "95.00"  # the published one never changed
    assert Run.objects.filter(period=PERIOD).count() == 2


def test_exemption_removes_from_black_list(cast, month):
    Exemption.objects.create(period=PERIOD, unit=cast.county_c, reason="特大洪灾")
    assert services.compute(month, PERIOD).result["black_list"] == []


def test_only_the_city_office_computes_and_drafts_stay_hidden(cast, month):
    with pytest.raises(PermissionDenied):
        services.compute(Scope.for_user(cast.reporter_a), PERIOD)
    services.compute(month, PERIOD)
    assert services.visible_run(Scope.for_user(cast.reporter_a), PERIOD) is None
    assert services.visible_run(month, PERIOD).version == 1
    services.publish(month, PERIOD, cast.office)
    assert services.visible_run(Scope.for_user(cast.reporter_a), PERIOD).version == 1


def test_no_scheme_for_the_year_is_told(cast, month):
    with pytest.raises(ValidationError, match="2025年度的考核方案尚未上传"):
        services.compute(month, "2025-06")


def test_cli_check_and_review(cast, month, tmp_path, capsys):
    good = tmp_path / "s.toml"
    good.write_text(SCHEME, encoding="utf-8")
    call_command("review", "--scheme", str(good), "--check")
    assert "检查通过：2个考核项" in capsys.readouterr().out
    bad = tmp_path / "bad.toml"
    bad.write_text(SCHEME.replace('metric = "value.revenue"', 'metric = "value.revenu"'),
                   encoding="utf-8")
    with pytest.raises(CommandError, match=r"第27行：考核项“revenue”的考核口径“value\.revenu”"):
        call_command("review", "--scheme", str(bad), "--check")
    call_command("review", "--period", PERIOD, "--publish", "--json")
    import json
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == "published" and data["version"] == 1
    assert set(data) >= {"period", "scheme", "version", "units", "red_list", "black_list",
                         "speakers"}
    assert set(data["units"][0]) >= {"unit", "name", "group", "score", "rank", "rank_change",
                                     "grade", "vetoed", "items", "gap"}
