/* A unit's score and rank over the months: <div class="trend" data-trend="…json…">. */
(function () {
  function draw(el) {
    if (!window.echarts || !el.dataset.trend) return;
    var spec = JSON.parse(el.dataset.trend);
    var chart = echarts.getInstanceByDom(el) || echarts.init(el);
    var font = window.getComputedStyle(el).fontFamily;
    chart.setOption({
      animation: false,
      textStyle: { fontFamily: font },
      title: { text: spec.title, left: 0, top: 0, textStyle: { fontSize: 14, fontFamily: font } },
      tooltip: { trigger: "axis" },
      legend: { top: 0, right: 0, data: [spec.score_label, spec.rank_label] },
      grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.months },
      yAxis: [{ type: "value", name: spec.score_label, scale: true },
              { type: "value", name: spec.rank_label, inverse: true, minInterval: 1, min: 1 }],
      series: [
        { name: spec.score_label, type: "line", data: spec.scores, label: { show: true } },
        { name: spec.rank_label, type: "line", yAxisIndex: 1, data: spec.ranks,
          lineStyle: { type: "dashed" } }
      ]
    }, true);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".trend[data-trend]").forEach(draw);
  });
  window.addEventListener("resize", function () {
    document.querySelectorAll(".trend[data-trend]").forEach(function (el) {
      var c = window.echarts && echarts.getInstanceByDom(el);
      if (c) c.resize();
    });
  });
})();
