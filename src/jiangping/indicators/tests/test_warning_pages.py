"""An outlier is warned about at entry, in the approval queue and on the comparison page,
and the chart stays readable; GDP ranks on its reported comparable-price growth; a
computed growth is labelled so and the summary row is the city's own (§3)."""

import json
import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from jiangping.core.tests.web import P, month_data
from jiangping.indicators.comparison import comparison_table
from jiangping.indicators.models import Direction, Indicator, Kind
from jiangping.indicators.services import upsert_values
from jiangping.intake import services as intake
from jiangping.orgs.scope import Scope

COMPARE = reverse("indicators:compare")
ENTRY = reverse("indicators:entry")
QUEUE = reverse("intake:queue")
TWELVE_TIMES = "1200是上月（100.0）的12.0倍，超过3倍"


@pytest.fixture
def outlier(cast):
    """甲区's cumulative 固定资产投资 of November is 12× October's (100)."""
    month_data(cast)
    upsert_values(Scope.operator(), [(cast.fai, cast.county_a, P, D(1200))])
    return cast


def test_entry_warns_beside_the_value_without_blocking(client, outlier):
    client.force_login(outlier.reporter_a)
    response = client.post(f"{ENTRY}?period={P}&unit={outlier.county_a.code}",
                           {"v_fai": "1200", "v_revenue": "13", "save": "1"})
    assert response.status_code == 302  # saved all the same
    page = client.get(ENTRY, {"period": P}).content.decode()
    assert "请核实：" in page and TWELVE_TIMES.replace("1200", "1200.0") in page


def test_the_queue_counts_and_lists_each_submissions_warnings(client, outlier,
                                                             django_assert_max_num_queries):
    intake.submit(Scope.operator(), intake.get_or_open(outlier.county_a, P, "indicators"),
                  outlier.reporter_a)
    intake.submit(Scope.operator(), intake.get_or_open(outlier.county_c, P, "indicators"),
                  outlier.office)
    client.force_login(outlier.office)
    # Rendered afresh (no cache in tests): the rows' queries, and the figures version read
    # once for the rows' key and once for their warnings' key.
    with django_assert_max_num_queries(21):
        page = client.get(QUEUE, {"period": P}).content.decode()
    row = page[page.index('id="row-990102"'):]
    row = row[:row.index("</tr>")]
    block = row.split('class="warnings"')[1]
    lines = re.findall(r"<li>([^<]*)</li>", block[:block.index("</details>")])
    assert f"{len(lines)} 项数据提示" in row
    assert "固定资产投资：1200.0是上月（100.0）的12.0倍，超过3倍" in lines
    assert "固定资产投资：1200.0是上年同期（100.0）的12.0倍，超过3倍" in lines
    other = page[page.index('id="row-990181"'):]
    assert "项数据提示" not in other[:other.index("</tr>")]


def test_the_queue_for_other_roles(client, outlier):
    client.force_login(outlier.leader)
    assert client.get(QUEUE, {"period": P}).status_code == 200
    client.force_login(outlier.reporter_b)
    page = client.get(QUEUE).content.decode()
    assert "甲区" not in page  # a county sees its own submissions only


def test_the_comparison_page_warns_and_cuts_the_extreme_bar(client, outlier):
    table = comparison_table(Scope.for_user(outlier.office), P)
    assert any("12.0倍" in w for w in table.cell(outlier.county_a, "fai").warnings)
    client.force_login(outlier.office)
    page = client.get(COMPARE, {"period": P, "focus": "revenue"}).content.decode()
    assert "⚠" in page
    # the chart of values (pm10's basis is the value)
    upsert_values(Scope.operator(), [(outlier.pm10, outlier.county_c, P, 70),
                                     (outlier.pm10, outlier.zone, P, 65),
                                     (outlier.pm10, outlier.county_a, P, 9000)])
    page = client.get(COMPARE, {"period": P, "focus": "pm10"}).content.decode()
    chart = json.loads(re.search(r'data-chart="([^"]*)"', page).group(1).replace("&quot;", '"'))
    bars = {bar["name"]: bar for bar in chart["bars"]}
    assert chart["axis"]["max"] < 200
    assert bars["甲区"]["clip"] == chart["axis"]["max"]
    assert bars["甲区"]["label"].startswith("9000") and "已截断" in bars["甲区"]["label"]
    assert "clip" not in bars["乙县"]


def test_a_county_does_not_see_a_peers_warnings(outlier):
    table = comparison_table(Scope.for_user(outlier.reporter_b), P)
    assert table.cell(outlier.county_a, "fai").warnings == []


# --- GDP and the labels of growth ------------------------------------------------------
@pytest.fixture
def gdp(cast):
    month_data(cast)
    flow = Indicator.objects.create(code="gdp", name="地区生产总值", unit="亿元", kind=Kind.FLOW,
                                    direction=Direction.HIGHER, sort_order=0)
    growth = Indicator.objects.create(code="gdp_growth", name="地区生产总值增速", unit="%",
                                      kind=Kind.GROWTH, growth_of=flow, comparable_price=True,
                                      sort_order=0)
    a, b = cast.county_a, cast.county_b
    upsert_values(Scope.operator(), [
        # nominal growth: 甲区 +20 %, 乙县 +10 %; comparable-price: 甲区 6.0, 乙县 7.5
        (flow, a, P, 120), (flow, a, "2018-11", 100), (growth, a, P, D("6.0")),
        (flow, b, P, 110), (flow, b, "2018-11", 100), (growth, b, P, D("7.5")),
        (flow, cast.city, P, 900), (growth, cast.city, P, D("7.0")),
    ])
    return cast


def test_gdp_ranks_on_its_reported_comparable_price_growth(gdp):
    table = comparison_table(Scope.for_user(gdp.office), P, indicators=["gdp", "gdp_growth"])
    a, b = table.cell(gdp.county_a, "gdp"), table.cell(gdp.county_b, "gdp")
    assert (a.growth, a.rank, b.growth, b.rank) == (D("6.0"), 2, D("7.5"), 1)
    assert a.computed_growth == D(20) and not a.growth_flag  # not checked against nominal
    assert not table.cell(gdp.county_a, "gdp_growth").growth_flag
    assert table.as_dict()["indicators"][0]["growth_source"] == "comparable"


def test_growth_labels_say_what_they_are(client, gdp):
    client.force_login(gdp.office)
    page = client.get(COMPARE, {"period": P, "focus": "gdp"}).content.decode()
    assert "增速%（可比价）" in page and "计算增速%（名义）" in page
    assert "按可比价增速排位" in page
    page = client.get(COMPARE, {"period": P, "focus": "revenue"}).content.decode()
    assert "按计算增速（名义）排位" in page  # revenue has no reported growth here


def test_the_summary_row_is_the_citys_own_figure_and_says_so(client, gdp):
    table = comparison_table(Scope.for_user(gdp.office), P, indicators=["gdp", "fai"])
    assert (table.summary["gdp"].value, table.summary["gdp"].source) == (D(900), "own")
    assert table.summary["fai"].source == "total"  # the city reported no 固定资产投资
    client.force_login(gdp.office)
    page = client.get(COMPARE, {"period": P, "ind": ["gdp", "fai"]}).content.decode()
    assert "汇总" not in page
    assert '<th class="sticky unit-cell">全市</th>' in page
    assert 'title="本级报送数"' in page and 'title="各单位合计（本级未报送）"' in page
    page = client.get(COMPARE, {"period": P, "tier": "cities"}).content.decode()
    assert '<th class="sticky unit-cell">全省</th>' in page
