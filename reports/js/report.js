/* The report's only script: findings filters and diagram zoom/pan. Without it the page is
   complete and static; the controls it needs stay hidden. No network, no storage. */
(function () {
  "use strict";
  var RANK = { low: 0, medium: 1, high: 2, critical: 3 };

  function setupFilters() {
    var bar = document.querySelector("[data-filters]");
    if (!bar) { return; }
    var component = bar.querySelector('[data-filter="component"]');
    var severity = bar.querySelector('[data-filter="severity"]');
    var count = bar.querySelector("[data-filter-count]");
    var empty = document.querySelector("[data-filter-empty]");
    var findings = document.querySelectorAll("li.finding");
    function apply() {
      var wantC = component.value, wantS = severity.value, shown = 0;
      findings.forEach(function (li) {
        var ok = (!wantC || li.dataset.component === wantC) &&
                 (!wantS || RANK[li.dataset.severity] >= RANK[wantS]);
        li.hidden = !ok;
        if (ok) { shown += 1; }
      });
      document.querySelectorAll(".root-cause").forEach(function (group) {
        group.hidden = !group.querySelector("li.finding:not([hidden])");
      });
      document.querySelectorAll("section.component").forEach(function (section) {
        section.hidden = Boolean(wantC || wantS) && !section.querySelector(".root-cause:not([hidden])");
      });
      count.textContent = shown + " / " + findings.length;
      if (empty) { empty.hidden = shown > 0; }
    }
    component.addEventListener("change", apply);
    severity.addEventListener("change", apply);
    bar.hidden = false;
    apply();
  }

  function setupDiagram(figure) {
    var svg = figure.querySelector("svg");
    var tools = figure.querySelector(".diagram-tools");
    if (!svg || !svg.viewBox || !svg.viewBox.baseVal) { return; }
    var base = svg.viewBox.baseVal;
    var home = [base.x, base.y, base.width, base.height];
    var view = home.slice();
    svg.setAttribute("preserveAspectRatio", "xMidYMid meet");
    function draw() { svg.setAttribute("viewBox", view.join(" ")); }
    function zoom(factor, cx, cy) {
      var w = view[2] * factor, h = view[3] * factor;
      if (w < home[2] / 20 || w > home[2] * 4) { return; }
      view = [cx - (cx - view[0]) * factor, cy - (cy - view[1]) * factor, w, h];
      draw();
    }
    function centre() { return [view[0] + view[2] / 2, view[1] + view[3] / 2]; }
    function toDiagram(evt) {
      var box = svg.getBoundingClientRect();
      var scale = Math.max(view[2] / box.width, view[3] / box.height);
      var offX = (box.width * scale - view[2]) / 2, offY = (box.height * scale - view[3]) / 2;
      return [view[0] - offX + (evt.clientX - box.left) * scale,
              view[1] - offY + (evt.clientY - box.top) * scale, scale];
    }
    svg.addEventListener("wheel", function (evt) {
      evt.preventDefault();
      var p = toDiagram(evt);
      zoom(evt.deltaY < 0 ? 0.85 : 1 / 0.85, p[0], p[1]);
    }, { passive: false });
    var drag = null;
    svg.addEventListener("pointerdown", function (evt) {
      drag = { x: evt.clientX, y: evt.clientY, view: view.slice(), scale: toDiagram(evt)[2] };
      svg.setPointerCapture(evt.pointerId);
    });
    svg.addEventListener("pointermove", function (evt) {
      if (!drag) { return; }
      view = [drag.view[0] - (evt.clientX - drag.x) * drag.scale,
              drag.view[1] - (evt.clientY - drag.y) * drag.scale, view[2], view[3]];
      draw();
    });
    svg.addEventListener("pointerup", function () { drag = null; });
    tools.addEventListener("click", function (evt) {
      var action = evt.target.getAttribute("data-zoom");
      var c = centre();
      if (action === "in") { zoom(0.8, c[0], c[1]); }
      if (action === "out") { zoom(1.25, c[0], c[1]); }
      if (action === "reset") { view = home.slice(); draw(); }
    });
    tools.hidden = false;
  }

  function start() {
    setupFilters();
    document.querySelectorAll("[data-diagram]").forEach(setupDiagram);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
