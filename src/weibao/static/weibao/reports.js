// The report page's charts (RPT-07): each [data-echarts] box is drawn with ECharts from the
// JSON next to it ({{ chart|json_script }}: {title, labels, values, kind}). No inline
// script, so the strict Content-Security-Policy holds.
(function () {
  "use strict";
  function draw(box) {
    const source = document.getElementById(box.getAttribute("data-echarts"));
    if (!source || typeof window.echarts === "undefined") {
      return;
    }
    const spec = JSON.parse(source.textContent);
    const chart = window.echarts.init(box, null, { renderer: "svg" });
    const title = {
      text: spec.title, left: "center",
      textStyle: { fontSize: 13, width: box.clientWidth - 16, overflow: "truncate" },
    };
    if (spec.kind === "pie") {
      chart.setOption({
        title: title,
        tooltip: { trigger: "item" },
        series: [{
          type: "pie", radius: "60%", top: 24,
          data: spec.labels.map((name, i) => ({ name: name, value: spec.values[i] })),
        }],
      });
    } else {
      chart.setOption({
        title: title,
        tooltip: { trigger: "axis" },
        grid: { left: 40, right: 12, top: 36, bottom: 48 },
        xAxis: { type: "category", data: spec.labels, axisLabel: { interval: 0, rotate: 30 } },
        yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: spec.values }],
      });
    }
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
