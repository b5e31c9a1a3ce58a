// The story page's timeline: articles a day (bars) and the story's unique events (points sized by
// their mentions, coloured by quad class), from the page's JSON block (#chart-data). No inline
// script (the Content-Security-Policy forbids it); every label is data, escaped before ECharts shows it.
(function () {
  "use strict";
  var COLOURS = { "1": "#74add1", "2": "#4575b4", "3": "#f46d43", "4": "#d73027" };

  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var node = document.getElementById("story-timeline"), source = document.getElementById("chart-data");
    if (!node || !source || !window.echarts) { return; }
    var d = JSON.parse(source.textContent);
    var days = d.timeline.map(function (r) { return r.date; });
    var c = echarts.init(node, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { c.resize(); });
    var points = d.events.map(function (e) {
      return { value: [e.date, e.mentions], label: e.label,
               itemStyle: { color: COLOURS[String(e.quad)] || "#666" } };
    });
    c.setOption({
      animation: false,
      legend: { top: 0 },
      tooltip: { trigger: "item", formatter: function (p) {
        if (p.seriesName === "articles") { return esc(p.name) + ": " + esc(p.value) + " articles"; }
        return esc(p.data.value[0]) + ": " + esc(p.data.label) + " (" + esc(p.data.value[1]) + " mentions)";
      } },
      grid: { left: 50, right: 50, top: 40, bottom: 40 },
      xAxis: { type: "category", data: days },
      yAxis: [{ type: "value", name: "articles", minInterval: 1 }, { type: "value", name: "mentions", minInterval: 1 }],
      series: [
        { name: "articles", type: "bar", itemStyle: { color: "#b0bec5" },
          data: d.timeline.map(function (r) { return r.articles; }) },
        { name: "events", type: "scatter", yAxisIndex: 1, data: points,
          symbolSize: function (v) { return 8 + 4 * Math.sqrt(v[1]); } }
      ]
    });
    node.dataset.ready = "true";
    node.dataset.points = String(points.length);
  });
}());
