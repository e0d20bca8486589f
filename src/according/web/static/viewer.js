// according viewer: the weekly chart (Chart.js) and the actor network (Cytoscape.js), both vendored here.
// Labels are drawn on a canvas, never inserted as HTML.
(function () {
  "use strict";
  var PALETTE = ["#e11d48", "#3b82f6", "#10b981", "#f59e0b", "#8b5cf6", "#0891b2", "#f97316", "#64748b",
                 "#84cc16", "#db2777", "#0ea5e9", "#a16207", "#4f46e5", "#059669", "#be123c", "#7c3aed"];
  function colours(types) {
    var out = {};
    types.forEach(function (t, i) { out[t] = PALETTE[i % PALETTE.length]; });
    return out;
  }
  // every Monday from the first week to the last, so quiet weeks show as gaps (up to ten years of them)
  function allWeeks(weeks) {
    if (weeks.length < 2) { return weeks; }
    var out = [], day = new Date(weeks[0] + "T00:00:00Z"), last = new Date(weeks[weeks.length - 1] + "T00:00:00Z");
    while (day <= last && out.length < 530) {
      out.push(day.toISOString().slice(0, 10));
      day = new Date(day.getTime() + 7 * 86400000);
    }
    return out.length < 530 ? out : weeks;
  }
  function weeklyChart(canvas, rows) {
    if (!canvas || !window.Chart) { return; }
    var weeks = [], types = [], cell = {};
    rows.forEach(function (r) {
      if (weeks.indexOf(r.week) < 0) { weeks.push(r.week); }
      if (types.indexOf(r.type) < 0) { types.push(r.type); }
      cell[r.week + "|" + r.type] = r.reports;
    });
    types.sort();
    weeks = allWeeks(weeks);
    var colour = colours(types);
    new window.Chart(canvas, {
      type: "bar",
      data: { labels: weeks, datasets: types.map(function (t) {
        return { label: t, backgroundColor: colour[t], data: weeks.map(function (w) { return cell[w + "|" + t] || 0; }) };
      }) },
      options: { responsive: true, maintainAspectRatio: false, animation: false,
        scales: { x: { stacked: true, title: { display: true, text: "week starting" } },
                  y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, title: { display: true, text: "reports" } } },
        plugins: { legend: { position: "right" } } }
    });
  }
  function network(box, graph) {
    if (!box || !window.cytoscape || !graph.nodes.length) { return; }
    var types = [];
    graph.edges.forEach(function (e) { if (types.indexOf(e.type) < 0) { types.push(e.type); } });
    types.sort();
    var colour = colours(types);
    var maxW = Math.max.apply(null, graph.edges.map(function (e) { return e.independent_sources; }).concat([1]));
    var maxN = Math.max.apply(null, graph.nodes.map(function (n) { return n.independent_sources; }).concat([1]));
    var elements = graph.nodes.map(function (n) {
      return { data: { id: "n:" + n.id, key: n.id, label: n.name, size: 14 + 26 * Math.sqrt(n.independent_sources / maxN) } };
    }).concat(graph.edges.map(function (e, i) {
      return { data: { id: "e" + i, source: "n:" + e.actor, target: "n:" + e.recipient, type: e.type,
        label: e.type + " · " + e.independent_sources, colour: colour[e.type], contested: e.contested > 0,
        width: 1.5 + 8 * e.independent_sources / maxW, actor: e.actor, recipient: e.recipient } };
    }));
    var cy = window.cytoscape({
      container: box, elements: elements, wheelSensitivity: 0.3,
      layout: graph.nodes.length <= 10
        ? { name: "circle", padding: 40, avoidOverlap: true }
        : { name: "cose", animate: false, randomize: false, nodeRepulsion: 500000, idealEdgeLength: 110,
            edgeElasticity: 80, nodeOverlap: 40, gravity: 0.4, numIter: 2500, componentSpacing: 60, padding: 30 },
      style: [
        { selector: "node", style: { "background-color": "#1f2937", label: "data(label)", width: "data(size)", height: "data(size)",
          color: "#111827", "font-size": 13, "font-weight": 600, "text-valign": "bottom", "text-margin-y": 5,
          "text-background-color": "#fff", "text-background-opacity": 0.8, "text-background-padding": 2 } },
        { selector: "edge", style: { width: "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
          "target-arrow-shape": "triangle", "curve-style": "bezier", label: "data(label)", "font-size": 11,
          color: "data(colour)", "text-rotation": "autorotate", "text-background-color": "#fff", "text-background-opacity": 0.85 } },
        { selector: "edge[?contested]", style: { "line-style": "dashed" } }
      ]
    });
    // labels keep a readable size on screen however far the fit zoomed out
    var shrink = Math.min(cy.zoom(), 1);
    cy.style().selector("node").style("font-size", 13 / shrink).selector("edge").style("font-size", 11 / shrink).update();
    cy.on("tap", "node", function (ev) { window.location.href = "/actors/" + encodeURIComponent(ev.target.data("key")); });
    cy.on("tap", "edge", function (ev) {
      var d = ev.target.data();
      window.location.href = "/?actor=" + encodeURIComponent(d.actor) + "&recipient=" + encodeURIComponent(d.recipient) +
        "&type=" + encodeURIComponent(d.type);
    });
    box.according = cy;
  }
  // the chart loads after the page, from the page's own JSON: the table never waits for it
  function loadWeekly(canvas, url) {
    if (!canvas) { return Promise.resolve(); }
    return fetch(url).then(function (r) { return r.json(); }).then(function (rows) {
      if (!rows.length) { canvas.closest("details").hidden = true; return; }
      weeklyChart(canvas, rows);
    });
  }
  window.according = { weeklyChart: weeklyChart, loadWeekly: loadWeekly, network: network };
})();
