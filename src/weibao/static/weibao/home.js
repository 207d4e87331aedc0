// The role homes' charts (issue 16): each [data-echarts] box is drawn with the vendored
// ECharts from the JSON beside it ({{ chart|json_script }}: {title, labels, series[{name,
// type, data}], percent}). No inline script, so the strict Content-Security-Policy holds.
(function () {
  "use strict";
  function draw(box) {
    const source = document.getElementById(box.getAttribute("data-echarts"));
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    const spec = JSON.parse(source.textContent);
    const chart = window.echarts.init(box, null, { renderer: "svg" });
    chart.setOption({
      title: {
        text: spec.title, left: "center",
        textStyle: { fontSize: 13, width: box.clientWidth - 16, overflow: "truncate" },
      },
      tooltip: { trigger: "axis" },
      grid: { left: 40, right: 12, top: 36, bottom: 28, containLabel: true },
      xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: spec.percent ? { type: "value", min: 0, max: 100 } : { type: "value", minInterval: 1 },
      series: spec.series.map((s) => ({ name: s.name, type: s.type, data: s.data,
                                        barMaxWidth: 36 })),
    });
    window.addEventListener("resize", () => chart.resize());
  }
  function start() {
    document.querySelectorAll("[data-echarts]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
