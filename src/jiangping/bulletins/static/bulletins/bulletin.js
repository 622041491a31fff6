/* The bulletin's charts (图表) drawn by ECharts from the data the server wrote as JSON:
   <div class="bl-chart" data-chart="ID"> beside <script type="application/json" id="ID">
   {"chart": "bars"|"trend"|"gauge", "title", "categories", "series": [{"name", "values"}],
    "unit", "marker": {"name", "value"}|null}. Values are decimal strings, printed as given
   (trailing zeros kept: 30.90). No tooltip: the document is meant to be read and printed. */
(function () {
  "use strict";
  var COLORS = ["#c00000", "#1f4e79", "#7f7f7f", "#bf8f00", "#548235", "#7030a0"];

  function num(value) {
    if (value === null || value === undefined || value === "") return null;
    var n = Number(value);
    return isFinite(n) ? n : null;
  }

  function printed(spec, s, i) {
    var raw = spec.series[s].values[i];
    return raw === null || raw === undefined ? "" : String(raw);
  }

  function markLine(spec) {
    if (!spec.marker || num(spec.marker.value) === null) return undefined;
    var text = spec.marker.name + " " + spec.marker.value + spec.unit;
    return {
      silent: true,
      symbol: "none",
      lineStyle: { type: "dashed", color: "#404040" },
      label: { position: crowded(spec) ? "end" : "insideEndTop", formatter: function () { return text; } },
      data: [crowded(spec) ? { xAxis: num(spec.marker.value) } : { yAxis: num(spec.marker.value) }]
    };
  }

  /* More than a dozen units: a ranking reads better as horizontal bars, one row each;
     the schedule of several units too (progress bars against the schedule's line). */
  function crowded(spec) {
    return (spec.chart === "bars" && spec.categories.length > 12) ||
      (spec.chart === "gauge" && spec.categories.length > 1);
  }

  /* Rows of 20 px, but never taller than a printed page's type area (≈200 mm): past
     that, ECharts thins the labels out itself. */
  var TALLEST = 740;
  function tallHeight(spec) { return Math.min(spec.categories.length * 20 + 64, TALLEST); }
  function roomy(spec) { return !crowded(spec) || (tallHeight(spec) - 64) / spec.categories.length >= 12; }

  function axes(spec) {
    var many = spec.categories.length > 8;
    var categories = {
      type: "category",
      data: spec.categories,
      inverse: crowded(spec),
      axisLabel: { interval: roomy(spec) ? 0 : "auto", rotate: !crowded(spec) && many ? 40 : 0 },
      axisTick: { alignWithLabel: true },
      axisLine: { onZero: false }
    };
    var values = { type: "value", name: spec.unit, scale: spec.chart === "trend" };
    return {
      grid: { left: 8, right: 24, top: spec.series.length > 1 ? 32 : 24, bottom: 8, containLabel: true },
      legend: spec.series.length > 1 ? { top: 0, data: spec.series.map(function (s) { return s.name; }) } : undefined,
      xAxis: crowded(spec) ? values : categories,
      yAxis: crowded(spec) ? categories : values
    };
  }

  function series(spec, type) {
    return spec.series.map(function (s, k) {
      return {
        name: s.name,
        type: type,
        data: s.values.map(num),
        connectNulls: false,
        barMaxWidth: 28,
        label: {
          show: roomy(spec),
          position: crowded(spec) ? "right" : "top",
          fontSize: 10,
          formatter: function (p) { return printed(spec, k, p.dataIndex); }
        },
        markLine: k === 0 ? markLine(spec) : undefined
      };
    });
  }

  function gauge(spec) {
    /* The vendored build has no gauge series: a thick half ring (pie) filled to the
       progress, and a thin outer half ring filled to the schedule (序时进度). Radii are
       percentages of half the height: the rings sit on the bottom edge. */
    var value = num(spec.series[0].values[0]) || 0;
    var marker = spec.marker ? num(spec.marker.value) : null;
    function ring(fill, radius, color, name) {
      var shown = Math.max(0, Math.min(100, fill));
      return {
        type: "pie", name: name, silent: true, startAngle: 180, radius: radius,
        center: ["50%", "92%"], label: { show: false }, labelLine: { show: false },
        data: [
          { value: shown, itemStyle: { color: color } },
          { value: 100 - shown, itemStyle: { color: "#e7e6e6" } },
          { value: 100, itemStyle: { color: "rgba(0,0,0,0)" } }
        ]
      };
    }
    var rings = [ring(value, ["110%", "156%"], COLORS[0], spec.series[0].name)];
    var texts = [{
      type: "text", left: "center", top: "52%",
      style: { text: printed(spec, 0, 0) + spec.unit, fontSize: 28, fontWeight: "bold", fill: "#000" }
    }];
    if (marker !== null) {
      rings.push(ring(marker, ["162%", "168%"], "#404040", spec.marker.name));
      texts.push({
        type: "text", left: "center", top: "72%",
        style: { text: spec.marker.name + " " + spec.marker.value + spec.unit, fontSize: 13, fill: "#404040" }
      });
    }
    return { series: rings, graphic: texts };
  }

  function option(spec, font) {
    var base = { animation: false, color: COLORS, textStyle: { fontFamily: font } };
    var dial = spec.chart === "gauge" && !crowded(spec);
    var body = dial ? gauge(spec) : axes(spec);
    if (!dial) body.series = series(spec, spec.chart === "trend" ? "line" : "bar");
    return Object.assign(base, body);
  }

  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-chart"));
    if (!window.echarts || !source) return;
    var spec = JSON.parse(source.textContent);
    var font = window.getComputedStyle(el).fontFamily;
    if (crowded(spec)) el.style.height = tallHeight(spec) + "px";
    var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option(spec, font), true);
  }

  function each(fn) {
    document.querySelectorAll(".bulletin .bl-chart[data-chart]").forEach(fn);
  }

  function resize(el) {
    var chart = window.echarts && window.echarts.getInstanceByDom(el);
    if (chart) chart.resize();
  }

  function start() { each(draw); }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
  window.addEventListener("resize", function () { each(resize); });
  window.addEventListener("beforeprint", function () { each(resize); });
  window.jiangpingBulletinCharts = start;
})();
