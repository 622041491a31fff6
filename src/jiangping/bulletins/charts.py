"""Charts rendered on the server (图表) for the DOCX and the PDF.

:func:`render` draws one :class:`~jiangping.bulletins.document.Chart` with matplotlib's
object API (``matplotlib.figure.Figure`` on the Agg canvas, never pyplot's global
state, so requests may render in parallel threads) and returns PNG or SVG bytes.

- ``bars``: a ranking (排名柱状图); up to :data:`UPRIGHT_MAX` categories as upright
  bars, more as horizontal bars in the given order, the figure growing with the rows up
  to :data:`MAX_HEIGHT_MM` and labelling every k-th row when they get denser than the
  smallest legible type. Negative values go below/left of zero; ``marker`` is a dashed
  reference line (the average, the target).
- ``trend``: one line per series over the months; ``None`` leaves a gap.
- ``gauge``: progress against the time schedule (序时进度); one category is drawn as a
  half-donut, several as progress bars; ``marker`` is the schedule's tick.

Labels are set in a free CJK font from Debian's packages (:func:`cjk_family`); the
same chart gives the same bytes (no dates in the metadata, a fixed SVG id salt).
"""

from __future__ import annotations

import io
import logging
import math
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Wedge

from jiangping.bulletins.document import Chart

log = logging.getLogger(__name__)

#: CJK families tried in order: the sans for labels, then serif, then the 楷体 stand-in.
CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Serif CJK SC", "AR PL UKai CN",
                "Noto Sans CJK JP", "Noto Sans CJK TC", "Source Han Sans SC", "WenQuanYi Zen Hei")
#: Family used when no CJK font is installed: Chinese labels then print as boxes.
FALLBACK_FAMILY = "DejaVu Sans"
UPRIGHT_MAX = 12
MAX_HEIGHT_MM = 220
MIN_LABEL_PT = 6.0
COLORS = ("#c0392b", "#2e6da4", "#e08e0b", "#3c8d5a", "#7d5ba6", "#6b6b6b")
NEGATIVE_COLOR = "#2e6da4"
MARKER_COLOR = "#444444"

# The SVG writer names clip paths and glyphs by a hash salted with this setting, or with
# a random UUID when unset; a fixed salt makes the same chart give the same SVG bytes.
if mpl.rcParams["svg.hashsalt"] is None:
    mpl.rcParams["svg.hashsalt"] = "jiangping-bulletin"

_MM = 1 / 25.4
_PT_PER_MM = 72 / 25.4


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first installed family of :data:`CJK_FAMILIES` known to matplotlib's font
    manager, or ``None`` (looked up once per process)."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    for family in CJK_FAMILIES:
        if family in installed:
            return family
    log.warning("No CJK font found among %s: chart labels will print as boxes "
                "(install fonts-noto-cjk).", ", ".join(CJK_FAMILIES))
    return None


def render(chart: Chart, *, fmt: str = "png", width_mm: float = 150, dpi: int = 200) -> bytes:
    """Draw ``chart`` and return the image as bytes.

    ``fmt``: ``"png"`` (raster at ``dpi`` dots per inch) or ``"svg"`` (text as paths);
    ``width_mm``: the printed width in millimetres (the height follows the kind and the
    number of categories, at most :data:`MAX_HEIGHT_MM`). Values are the chart's Decimal
    strings or ``None``. Deterministic: the same chart and arguments give the same bytes.
    Raises ``ValueError`` for an unknown ``fmt`` or ``chart.chart``, or a value that is
    not a number.
    """
    if fmt not in ("png", "svg"):
        raise ValueError(f"unknown chart format: {fmt!r} (expected 'png' or 'svg')")
    fig = figure(chart, width_mm=width_mm, dpi=dpi)
    buf = io.BytesIO()
    if fmt == "png":
        fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    else:
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def figure(chart: Chart, *, width_mm: float = 150, dpi: int = 200) -> Figure:
    """The chart drawn on a new matplotlib ``Figure`` (what :func:`render` saves),
    ``width_mm`` wide. Raises ``ValueError`` as :func:`render` does."""
    draw = _DRAW.get(chart.chart)
    if draw is None:
        raise ValueError(f"unknown chart kind: {chart.chart!r}")
    fig = Figure(figsize=(width_mm * _MM, 80 * _MM), dpi=dpi)
    draw(fig, chart, _Fonts(), width_mm)
    return fig


class _Fonts:
    """Font properties at the sizes the charts use, all in the CJK family."""

    def __init__(self):
        family = cjk_family() or FALLBACK_FAMILY
        self.family = family
        self.title = FontProperties(family=family, size=10.5, weight="bold")
        self.label = FontProperties(family=family, size=8.5)
        self.small = FontProperties(family=family, size=7.5)
        self.big = FontProperties(family=family, size=20, weight="bold")

    def sized(self, size: float) -> FontProperties:
        return FontProperties(family=self.family, size=size)


def _number(value) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(Decimal(str(value)))
    except InvalidOperation:
        raise ValueError(f"chart value is not a number: {value!r}") from None


def _series(chart: Chart) -> list[tuple[str, list[str | None], list[float | None]]]:
    out = []
    for item in chart.series:
        raw = list(item.get("values", []))
        raw += [None] * (len(chart.categories) - len(raw))
        raw = raw[: len(chart.categories)]
        out.append((str(item.get("name", "")), raw, [_number(v) for v in raw]))
    return out


def _marker(chart: Chart) -> tuple[str, str, float] | None:
    if not chart.marker or _number(chart.marker.get("value")) is None:
        return None
    value = str(chart.marker["value"])
    return str(chart.marker.get("name", "")), value, _number(value)


def _text(raw: str | None, unit: str) -> str:
    return "—" if raw is None else f"{raw}{unit}"


def _style_axes(ax, fonts: _Fonts) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=fonts.label.get_size(), length=2)
    for label in ax.get_xticklabels() + ax.get_yticklabels():
        label.set_fontproperties(fonts.label)


def _title(fig: Figure, chart: Chart, fonts: _Fonts) -> None:
    fig.suptitle(chart.title, fontproperties=fonts.title)


def _legend(ax, fonts: _Fonts, *, minimum: int = 2) -> None:
    """A one-line legend above the plot, right-aligned, when it names at least
    ``minimum`` things (two series, or a series and the reference line)."""
    handles, labels = ax.get_legend_handles_labels()
    if handles and len(handles) >= minimum:
        ax.legend(handles, labels, prop=fonts.small, frameon=False, loc="lower right",
                  bbox_to_anchor=(1, 1), ncol=min(len(handles), 4), borderaxespad=0.2,
                  handlelength=1.6, columnspacing=1.2)



def _draw_bars(fig: Figure, chart: Chart, fonts: _Fonts, width_mm: float) -> None:
    series = _series(chart)
    count = len(chart.categories)
    upright = count <= UPRIGHT_MAX
    if upright:
        height_mm = 85
        fig.set_size_inches(width_mm * _MM, height_mm * _MM)
        ax = fig.add_subplot()
        _upright_bars(ax, chart, series, fonts)
    else:
        row_mm = 5.0 * max(1, len(series)) ** 0.5
        plot_mm = min(count * row_mm, MAX_HEIGHT_MM - 25)
        height_mm = plot_mm + 25
        fig.set_size_inches(width_mm * _MM, height_mm * _MM)
        ax = fig.add_subplot()
        fig.subplots_adjust(top=1 - 14 / height_mm, bottom=11 / height_mm)
        _horizontal_bars(ax, chart, series, fonts, plot_mm / count)
    _title(fig, chart, fonts)
    _legend(ax, fonts)
    if upright:
        fig.tight_layout(pad=0.6)


def _bar_colors(values, index: int, many: bool) -> list[str]:
    base = COLORS[index % len(COLORS)]
    if many:
        return [base] * len(values)
    return [NEGATIVE_COLOR if (v or 0) < 0 else base for v in values]


def _upright_bars(ax, chart: Chart, series, fonts: _Fonts) -> None:
    count, groups = len(chart.categories), len(series)
    width = 0.8 / max(groups, 1)
    for i, (name, raw, values) in enumerate(series):
        xs = [c - 0.4 + width * (i + 0.5) for c in range(count)]
        heights = [0.0 if v is None else v for v in values]
        bars = ax.bar(xs, heights, width * 0.9, label=name,
                      color=_bar_colors(values, i, groups > 1))
        if groups <= 2:
            for bar, text, value in zip(bars, raw, values, strict=True):
                if value is None:
                    continue
                ax.annotate(text, (bar.get_x() + bar.get_width() / 2, value),
                            xytext=(0, 2 if value >= 0 else -2), textcoords="offset points",
                            ha="center", va="bottom" if value >= 0 else "top",
                            fontproperties=fonts.small)
    ax.axhline(0, color="#888888", linewidth=0.6)
    ax.set_xticks(range(count), chart.categories)
    _reference(ax, chart, vertical=False)
    _style_axes(ax, fonts)
    longest = max((len(c) for c in chart.categories), default=0)
    if count * longest > 40:
        for label in ax.get_xticklabels():
            label.set_rotation(35)
            label.set_horizontalalignment("right")
    if chart.unit:
        ax.set_ylabel(chart.unit, fontproperties=fonts.small, rotation=0, labelpad=10)
    ax.margins(y=0.12)


def _horizontal_bars(ax, chart: Chart, series, fonts: _Fonts, row_mm: float) -> None:
    count, groups = len(chart.categories), len(series)
    height = 0.8 / max(groups, 1)
    pitch_pt = row_mm * _PT_PER_MM
    label_pt = max(MIN_LABEL_PT, min(8.5, pitch_pt * 0.8))
    step = max(1, math.ceil(label_pt * 1.15 / pitch_pt))
    for i, (name, raw, values) in enumerate(series):
        ys = [c - 0.4 + height * (i + 0.5) for c in range(count)]
        widths = [0.0 if v is None else v for v in values]
        bars = ax.barh(ys, widths, height * 0.9, label=name,
                       color=_bar_colors(values, i, groups > 1))
        if groups == 1 and step == 1:
            for bar, text, value in zip(bars, raw, values, strict=True):
                if value is None:
                    continue
                ax.annotate(text, (value, bar.get_y() + bar.get_height() / 2),
                            xytext=(2 if value >= 0 else -2, 0), textcoords="offset points",
                            ha="left" if value >= 0 else "right", va="center",
                            fontproperties=fonts.sized(label_pt * 0.9))
    ax.axvline(0, color="#888888", linewidth=0.6)
    shown = range(0, count, step)
    ax.set_yticks(list(shown), [chart.categories[c] for c in shown])
    ax.set_ylim(count - 0.5, -0.5)
    _reference(ax, chart, vertical=True)
    _style_axes(ax, fonts)
    for label in ax.get_yticklabels():
        label.set_fontproperties(fonts.sized(label_pt))
    if chart.unit:
        ax.set_xlabel(chart.unit, fontproperties=fonts.small)
    ax.margins(x=0.1)


def _reference(ax, chart: Chart, *, vertical: bool) -> None:
    """The marker as a dashed line named in the legend (a label on the line would
    collide with the bars' value labels)."""
    marker = _marker(chart)
    if marker is None:
        return
    name, raw, value = marker
    style = {"color": MARKER_COLOR, "linewidth": 0.9, "linestyle": "--", "zorder": 3,
             "label": f"{name} {raw}{chart.unit}".strip()}
    if vertical:
        ax.axvline(value, **style)
    else:
        ax.axhline(value, **style)


def _draw_trend(fig: Figure, chart: Chart, fonts: _Fonts, width_mm: float) -> None:
    fig.set_size_inches(width_mm * _MM, 80 * _MM)
    ax = fig.add_subplot()
    series = _series(chart)
    count = len(chart.categories)
    annotate = count <= 12 and len(series) <= 3
    for i, (name, raw, values) in enumerate(series):
        ys = [math.nan if v is None else v for v in values]
        color = COLORS[i % len(COLORS)]
        ax.plot(range(count), ys, marker="o", markersize=3, linewidth=1.4, color=color,
                label=name)
        if annotate:
            for x, (text, value) in enumerate(zip(raw, values, strict=True)):
                if value is not None:
                    ax.annotate(text, (x, value), xytext=(0, 4), textcoords="offset points",
                                ha="center", va="bottom", fontproperties=fonts.small,
                                color=color)
    step = max(1, math.ceil(count / 12))
    shown = range(0, count, step)
    ax.set_xticks(list(shown), [chart.categories[c] for c in shown])
    if _crosses_zero(series):
        ax.axhline(0, color="#bbbbbb", linewidth=0.5)
    _reference(ax, chart, vertical=False)
    _style_axes(ax, fonts)
    ax.grid(axis="y", color="#e5e5e5", linewidth=0.5)
    if chart.unit:
        ax.set_ylabel(chart.unit, fontproperties=fonts.small, rotation=0, labelpad=10)
    ax.margins(x=0.05, y=0.18)
    _title(fig, chart, fonts)
    _legend(ax, fonts)
    fig.tight_layout(pad=0.6)


def _crosses_zero(series) -> bool:
    values = [v for _, _, vs in series for v in vs if v is not None]
    return bool(values) and min(values) < 0 < max(values)


def _draw_gauge(fig: Figure, chart: Chart, fonts: _Fonts, width_mm: float) -> None:
    series = _series(chart)
    raw, values = (series[0][1], series[0][2]) if series else ([None], [None])
    if len(chart.categories) <= 1:
        _half_donut(fig, chart, fonts, width_mm, raw[0] if raw else None,
                    values[0] if values else None)
    else:
        _progress_bars(fig, chart, fonts, width_mm, raw, values)


def _scale(values, marker) -> float:
    top = max([100.0] + [v for v in values if v is not None] + ([marker[2]] if marker else []))
    return top if top == 100.0 else math.ceil(top / 10) * 10


def _half_donut(fig: Figure, chart: Chart, fonts: _Fonts, width_mm: float,
                raw: str | None, value: float | None) -> None:
    height_mm = min(70.0, width_mm * 0.5)
    fig.set_size_inches(width_mm * _MM, height_mm * _MM)
    ax = fig.add_axes((0, 0.02, 1, 0.84))
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_xlim(-1.9, 1.9)
    ax.set_ylim(-0.3, 1.15)
    marker = _marker(chart)
    top = _scale([value], marker)
    ax.add_patch(Wedge((0, 0), 1, 0, 180, width=0.3, color="#e6e6e6"))
    share = 0.0 if value is None else min(max(value, 0.0), top) / top
    behind = marker is not None and value is not None and value < marker[2]
    color = COLORS[0] if behind else COLORS[3]
    if share > 0:
        ax.add_patch(Wedge((0, 0), 1, 180 - 180 * share, 180, width=0.3, color=color))
    ax.text(0, 0.12, _text(raw, chart.unit), ha="center", va="center",
            fontproperties=fonts.big, color=color if value is not None else MARKER_COLOR)
    if marker is not None:
        name, mraw, mvalue = marker
        angle = math.pi * (1 - min(max(mvalue, 0.0), top) / top)
        cos, sin = math.cos(angle), math.sin(angle)
        ax.plot([0.62 * cos, 1.08 * cos], [0.62 * sin, 1.08 * sin], color=MARKER_COLOR,
                linewidth=1.6)
        ax.text(1.14 * cos, 1.14 * sin, f"{name} {mraw}{chart.unit}".strip(),
                ha="left" if cos >= 0 else "right", va="bottom", fontproperties=fonts.label,
                color=MARKER_COLOR)
    ax.text(-0.85, -0.12, "0", ha="center", va="center", fontproperties=fonts.small)
    ax.text(0.85, -0.12, _format_scale(top), ha="center", va="center",
            fontproperties=fonts.small)
    _title(fig, chart, fonts)


def _format_scale(top: float) -> str:
    return f"{top:g}"


def _progress_bars(fig: Figure, chart: Chart, fonts: _Fonts, width_mm: float,
                   raw, values) -> None:
    count = len(chart.categories)
    plot_mm = min(count * 7.0, MAX_HEIGHT_MM - 25)
    height_mm = plot_mm + 25
    fig.set_size_inches(width_mm * _MM, height_mm * _MM)
    ax = fig.add_subplot()
    fig.subplots_adjust(top=1 - 14 / height_mm, bottom=11 / height_mm, left=0.2, right=0.88)
    marker = _marker(chart)
    top = _scale(values, marker)
    ys = range(count)
    ax.barh(ys, [top] * count, 0.6, color="#e6e6e6")
    colors = [COLORS[0] if marker and v is not None and v < marker[2] else COLORS[3]
              for v in values]
    ax.barh(ys, [0.0 if v is None else max(v, 0.0) for v in values], 0.6, color=colors)
    for y, text in enumerate(raw):
        ax.annotate(_text(text, chart.unit), (top, y), xytext=(3, 0),
                    textcoords="offset points", va="center", fontproperties=fonts.small,
                    annotation_clip=False)
    ax.set_yticks(list(ys), chart.categories)
    ax.set_ylim(count - 0.5, -0.5)
    ax.set_xlim(0, top)
    _reference(ax, chart, vertical=True)
    _style_axes(ax, fonts)
    _title(fig, chart, fonts)
    _legend(ax, fonts, minimum=1)


_DRAW = {"bars": _draw_bars, "trend": _draw_trend, "gauge": _draw_gauge}
