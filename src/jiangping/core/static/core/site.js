/* Ranking charts: every <div class="chart" data-chart="…json…"> becomes an ECharts bar. */
(function () {
  var LABEL_CHAR_PX = 7;  // about one digit of the 12px value label

  // ECharts renders a tooltip formatter's result as HTML: every name or figure that
  // reaches one comes from the database (unit and indicator names are user-controlled).
  function escapeHtml(text) {
    return String(text === null || text === undefined ? "" : text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  // A bar beyond the axis's robust bound (spec.axis) is drawn to it (b.clip), dashed and
  // faded as broken; an unapproved figure is faded. Labels keep the real value.
  function item(b) {
    var style = { color: b.highlight ? "#b3261e" : (b.behind ? "#e08b82" : "#274a78") };
    if (b.unapproved) style.opacity = 0.55;
    if (b.clip !== undefined) {
      style.borderType = "dashed"; style.borderColor = "#a15c00"; style.borderWidth = 2;
    }
    return { value: b.clip !== undefined ? b.clip : b.value, text: b.label, itemStyle: style };
  }

  // A bar ending just short of the dashed average line would have its value label
  // printed across the line: such labels go inside the bar's end instead.
  function clearOfAverage(chart, bars, average) {
    var line = chart.convertToPixel({ xAxisIndex: 0 }, average);
    return bars.map(function (b) {
      var data = item(b);
      if (b.value === null || b.value <= 0 || b.value >= average) return data;
      var end = chart.convertToPixel({ xAxisIndex: 0 }, b.value);
      if (line - end < String(b.label).length * LABEL_CHAR_PX + 10) {
        data.label = { position: "insideRight", color: "#fff" };
      }
      return data;
    });
  }

  function draw(el) {
    if (!window.echarts || !el.dataset.chart) return;
    var spec = JSON.parse(el.dataset.chart);
    var chart = echarts.getInstanceByDom(el) || echarts.init(el);
    var bars = spec.bars.slice().reverse();
    // The page's own fonts: canvas text otherwise falls back to the browser's sans-serif,
    // which for an English page is not the CJK face the rest of the page is set in.
    var font = window.getComputedStyle(el).fontFamily;
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: font },
      grid: { left: 8, right: 56, top: 56, bottom: 8, containLabel: true },
      title: { text: spec.title, left: 0, top: 0, textStyle: { fontSize: 14, fontWeight: "bold", fontFamily: font } },
      tooltip: { trigger: "item", formatter: function (p) {
        return escapeHtml(p.name) + "：" + escapeHtml(p.data.text);
      } },
      xAxis: { type: "value", name: spec.unit, axisLabel: { color: "#5f6b7a" },
               min: spec.axis && spec.axis.min !== null ? spec.axis.min : undefined,
               max: spec.axis && spec.axis.max !== null ? spec.axis.max : undefined,
               splitLine: { lineStyle: { color: "#e9edf2" } } },
      yAxis: { type: "category", data: bars.map(function (b) { return b.rank ? b.rank + ". " + b.name : b.name; }),
               axisLabel: { color: "#1f2933" }, axisTick: { show: false } },
      series: [{
        type: "bar", barMaxWidth: 22,
        data: bars.map(item),
        label: { show: true, position: "right", formatter: function (p) { return p.data.text; },
                 color: "#33475b" },
        markLine: spec.average === null ? undefined : {
          symbol: "none", silent: true, lineStyle: { type: "dashed", color: "#a15c00" },
          label: { formatter: spec.average_label, color: "#a15c00" },
          data: [{ xAxis: spec.average }]
        }
      }]
    }, true);
    if (spec.average !== null) {
      chart.setOption({ series: [{ data: clearOfAverage(chart, bars, spec.average) }] });
    }
  }
  function drawAll(root) {
    (root || document).querySelectorAll(".chart[data-chart]").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  document.addEventListener("htmx:afterSettle", function (e) {
    drawAll(e.target);
    var panel = e.target.id === "focus-panel" ? e.target : null;
    if (panel && panel.dataset.focus) {
      document.querySelectorAll("th.group[data-code]").forEach(function (th) {
        th.classList.toggle("focus", th.dataset.code === panel.dataset.focus);
      });
    }
  });
  window.addEventListener("resize", function () {
    document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
      var c = window.echarts && echarts.getInstanceByDom(el);
      if (c) { c.resize(); draw(el); }
    });
  });
})();

/* <select data-autosubmit>: submit its form on change (no inline handler: the
   Content-Security-Policy allows no inline script). */
document.addEventListener("change", function (e) {
  var el = e.target;
  if (el.matches && el.matches("[data-autosubmit]") && el.form) el.form.submit();
});
