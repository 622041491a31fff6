"""Charts drawn on the server: every kind renders, the same chart gives the same bytes,
gaps and negative values, a province of 150 counties stays legible, no CJK font."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image

from jiangping.bulletins import charts
from jiangping.bulletins.document import Chart

COUNTIES = ["临江区", "东湖区", "西山区", "南岭县", "北塘县"]


def bars(count: int = 5, marker: bool = True) -> Chart:
    names = [f"{COUNTIES[i % 5]}{i}" for i in range(count)]
    values = [f"{95 - i * 1.3:.2f}" for i in range(count)]
    return Chart("bars", "各县（市、区）综合得分", names, [{"name": "总分", "values": values}],
                 unit="分", marker={"name": "平均", "value": "89.15"} if marker else None)


def trend() -> Chart:
    return Chart("trend", "全市固定资产投资增速走势", ["1—6月", "1—7月", "1—8月", "1—9月"],
                 [{"name": "全市", "values": ["6.1", "-0.8", "7.0", "7.9"]},
                  {"name": "全省", "values": ["5.9", None, None, "6.2"]}], unit="%")


def gauge(categories=("完成率",), values=("78.6",)) -> Chart:
    return Chart("gauge", "全市重点项目投资完成进度", list(categories),
                 [{"name": "完成率", "values": list(values)}], unit="%",
                 marker={"name": "序时进度", "value": "83.3"})


def size_px(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


@pytest.mark.parametrize("chart", [bars(), trend(), gauge(), gauge(COUNTIES, ["78.6", "103.2",
                                   None, "-2.0", "90"])], ids=["bars", "trend", "gauge",
                                                               "gauge-bars"])
def test_each_kind_renders_png_at_the_printed_width(chart):
    data = charts.render(chart, width_mm=150, dpi=200)
    assert data.startswith(b"\x89PNG")
    width, height = size_px(data)
    assert width == 1181  # 150 mm at 200 dpi
    assert 300 < height <= 1733


def test_svg_is_an_svg_document():
    data = charts.render(trend(), fmt="svg")
    assert data.startswith(b"<?xml")
    assert b"<svg" in data
    assert b"<dc:date>" not in data


@pytest.mark.parametrize("fmt", ["png", "svg"])
@pytest.mark.parametrize("make", [bars, trend, gauge])
def test_same_chart_gives_same_bytes(make, fmt):
    assert charts.render(make(), fmt=fmt) == charts.render(make(), fmt=fmt)


def test_renders_in_parallel_threads_identically():
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: charts.render(bars(20)), range(3)))
    assert results[0] == results[1] == results[2]


def test_marker_and_series_are_named_in_the_legend():
    fig = charts.figure(bars())
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["平均 89.15分", "总分"]


def test_single_series_without_marker_has_no_legend():
    fig = charts.figure(bars(marker=False))
    assert fig.axes[0].get_legend() is None


def test_bars_print_the_values_as_given():
    chart = Chart("bars", "增速", ["甲县", "乙县", "丙县"],
                  [{"name": "增速", "values": ["8.20", "-3.1", None]}], unit="%")
    fig = charts.figure(chart)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts == ["8.20", "-3.1"]
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == [8.2, -3.1, 0.0]


def test_trend_leaves_gaps_for_missing_months():
    fig = charts.figure(trend())
    province = fig.axes[0].get_lines()[1].get_ydata()
    assert list(province[[0, 3]]) == [5.9, 6.2]
    assert all(v != v for v in province[1:3])  # NaN: a gap in the line


def test_gauge_without_a_value_prints_a_dash():
    fig = charts.figure(gauge(values=[None]))
    assert "—" in [t.get_text() for t in fig.axes[0].texts]


def test_150_counties_stay_legible_and_bounded():
    chart = bars(150)
    fig = charts.figure(chart, width_mm=150)
    height_in = fig.get_size_inches()[1]
    assert height_in * 25.4 == pytest.approx(charts.MAX_HEIGHT_MM)
    labels = fig.axes[0].get_yticklabels()
    assert [label.get_text() for label in labels[:2]] == ["临江区0", "西山区2"]  # every 2nd
    assert len(labels) == 75
    assert min(label.get_fontsize() for label in labels) >= charts.MIN_LABEL_PT
    assert len(fig.axes[0].texts) == 0  # no value labels crammed on 150 bars
    assert size_px(charts.render(chart)) == (1181, 1732)


def test_twelve_counties_upright_thirteen_horizontal():
    assert charts.figure(bars(12)).axes[0].get_xticklabels()[11].get_text() == "东湖区11"
    assert charts.figure(bars(13)).axes[0].get_yticklabels()[12].get_text() == "西山区12"


def test_cjk_font_found():
    assert charts.cjk_family() in charts.CJK_FAMILIES


@pytest.mark.filterwarnings("ignore:Glyph")
@pytest.mark.filterwarnings("ignore:.*missing from font")
def test_without_cjk_font_falls_back_without_crashing(monkeypatch):
    monkeypatch.setattr(charts, "cjk_family", lambda: None)
    for chart in (bars(), trend(), gauge()):
        assert charts.render(chart).startswith(b"\x89PNG")
    assert charts.figure(trend()).axes[0].get_xticklabels()[0].get_fontname() == "DejaVu Sans"


def test_bad_input_raises_clear_errors():
    with pytest.raises(ValueError, match="format"):
        charts.render(bars(), fmt="gif")
    with pytest.raises(ValueError, match="kind"):
        charts.render(Chart("pie", "x", [], []))
    with pytest.raises(ValueError, match="'abc'"):
        charts.render(Chart("bars", "x", ["甲"], [{"name": "a", "values": ["abc"]}]))
