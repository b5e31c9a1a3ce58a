// diurna's charts: each page carries its data as JSON (#chart-data); ECharts draws it.
// No inline script anywhere (the Content-Security-Policy forbids it); every label is data, never HTML.
(function () {
  "use strict";
  var QUADS = ["1", "2", "3", "4"];

  function data() {
    var node = document.getElementById("chart-data");
    return node ? JSON.parse(node.textContent) : {};
  }
  function esc(value) {
    return String(value).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  function chart(id) {
    var node = document.getElementById(id);
    if (!node || !window.echarts) { return null; }
    var c = echarts.init(node, null, { renderer: "canvas" });
    window.addEventListener("resize", function () { c.resize(); });
    node.dataset.ready = "true";
    return c;
  }

  // Stacked bars of events per quad class, with the net Goldstein score as a line.
  function timeline(id, d) {
    var c = chart(id);
    if (!c) { return; }
    var periods = d.timeline.map(function (r) { return r.period; });
    var series = QUADS.map(function (q) {
      return { name: d.quad_names[q], type: "bar", stack: "events", itemStyle: { color: d.quad_colours[q] },
               data: d.timeline.map(function (r) { return r.quads[q] || 0; }) };
    });
    series.push({ name: "net Goldstein", type: "line", yAxisIndex: 1, itemStyle: { color: "#333" },
                  data: d.timeline.map(function (r) { return r.goldstein; }) });
    c.setOption({
      animation: false,
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 50, right: 60, top: 40, bottom: 40 },
      xAxis: { type: "category", data: periods },
      yAxis: [{ type: "value", name: "events", minInterval: 1 }, { type: "value", name: "Goldstein" }],
      series: series
    });
  }

  function network(id, d) {
    var c = chart(id);
    if (!c) { return; }
    var maxEvents = Math.max.apply(null, [1].concat(d.graph.edges.map(function (e) { return e.events; })));
    var nodes = d.graph.nodes.map(function (n) {
      return { id: n.id, name: n.id, value: n.events, symbolSize: 12 + 30 * Math.sqrt(n.events / maxEvents),
               label: { show: true }, tooltip: { formatter: esc((d.names[n.id] || n.id) + ": " + n.events + " events") } };
    });
    var edges = d.graph.edges.map(function (e) {
      var colour = e.goldstein > 0 ? "#4575b4" : (e.goldstein < 0 ? "#d73027" : "#999");
      return { source: e.source, target: e.target, value: e.events,
               lineStyle: { width: 1 + 6 * e.events / maxEvents, color: colour, curveness: 0.15 },
               tooltip: { formatter: esc(e.source + " → " + e.target + ": " + e.events + " events, net Goldstein " + e.goldstein) } };
    });
    c.setOption({
      animation: false,
      tooltip: {},
      series: [{ type: "graph", layout: "force", roam: true, draggable: true, data: nodes, links: edges,
                 edgeSymbol: ["none", "arrow"], edgeSymbolSize: 8, force: { repulsion: 300, edgeLength: 120 },
                 emphasis: { focus: "adjacency" } }]
    });
  }

  // A ring that crosses the antimeridian jumps from +180 to -180; drawn flat, that is a stripe
  // across the map. Shift its western points east by 360 so it stays in one piece.
  function unwrap(geometry) {
    if (!geometry) { return; }
    var polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
    polygons.forEach(function (polygon) {
      polygon.forEach(function (ring) {
        var crosses = ring.some(function (p, i) { return i > 0 && Math.abs(p[0] - ring[i - 1][0]) > 180; });
        if (crosses) { ring.forEach(function (p) { if (p[0] < 0) { p[0] += 360; } }); }
      });
    });
  }

  function worldMap(id, d) {
    var node = document.getElementById(id);
    if (!node || !window.echarts || !window.topojson) { return; }
    Promise.all([
      fetch("/static/vendor/world-atlas/countries-110m.json").then(function (r) { return r.json(); }),
      fetch("/static/vendor/world-atlas/iso-numeric-alpha3.json").then(function (r) { return r.json(); })
    ]).then(function (loaded) {
      var world = topojson.feature(loaded[0], loaded[0].objects.countries);
      world.features = world.features.filter(function (f) { return f.id !== "010"; });  // Antarctica
      world.features.forEach(function (f) {
        f.properties.name = loaded[1][f.id] || ("N" + f.id);
        unwrap(f.geometry);
      });
      echarts.registerMap("world", world);
      var c = chart(id);
      var regions = d.countries.map(function (r) {
        return { name: r.country, value: r.events, itemStyle: { areaColor: d.quad_colours[String(r.main_quad)] },
                 quads: r.quads };
      });
      c.setOption({
        animation: false,
        tooltip: { trigger: "item", formatter: function (p) {
          var name = esc(d.names[p.name] || p.name);
          if (!p.data) { return name; }
          return name + ": " + esc(p.data.value) + " events<br>" + QUADS.map(function (q) {
            return esc(d.quad_names[q]) + " " + esc(p.data.quads[q] || 0);
          }).join("<br>");
        } },
        series: [{ type: "map", map: "world", roam: true, data: regions, nameProperty: "name",
                   itemStyle: { areaColor: "#eceff1", borderColor: "#b0bec5" },
                   emphasis: { label: { show: false }, itemStyle: { areaColor: "#ffd54f" } } }]
      });
      node.dataset.regions = String(regions.length);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var page = document.body.dataset.page, d = data();
    if (page === "overview") { timeline("timeline", d); }
    if (page === "dyads" && d.timeline.length) { timeline("dyad-timeline", d); }
    if (page === "network") { network("network", d); }
    if (page === "map") { worldMap("map", d); }
  });
}());
