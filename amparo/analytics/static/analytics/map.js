/* A small enhancement of the server-drawn map: the map already shows everything without it.
   Touching or hovering a country names it under the map and marks its row in the table;
   two buttons zoom and the arrow keys pan. Nothing is fetched and nothing is stored. */
(function () {
  "use strict";
  var svg = document.querySelector("svg.choropleth");
  if (!svg) return;
  var tip = document.getElementById("map-tip");
  var table = document.querySelector(".map-table");
  var marked = [];
  function unmark() { marked.forEach(function (el) { el.classList.remove("on"); }); marked = []; }
  function show(path) {
    unmark();
    var title = path.querySelector("title");
    if (tip && title) tip.textContent = title.textContent;
    path.classList.add("on"); marked.push(path);
    var row = table && table.querySelector('tr[data-code="' + path.getAttribute("data-code") + '"]');
    if (row) { row.classList.add("on"); marked.push(row); }
  }
  svg.addEventListener("mouseover", function (e) { if (e.target.tagName === "path") show(e.target); });
  svg.addEventListener("click", function (e) { if (e.target.tagName === "path") show(e.target); });
  var box = svg.getAttribute("viewBox").split(" ").map(Number);
  var full = box.slice();
  function apply() { svg.setAttribute("viewBox", box.join(" ")); }
  function zoom(factor) {
    var w = Math.min(full[2], box[2] * factor), h = Math.min(full[3], box[3] * factor);
    box = [box[0] + (box[2] - w) / 2, box[1] + (box[3] - h) / 2, w, h];
    box[0] = Math.max(full[0], Math.min(box[0], full[0] + full[2] - w));
    box[1] = Math.max(full[1], Math.min(box[1], full[1] + full[3] - h));
    apply();
  }
  var bar = document.createElement("div");
  bar.className = "zoom";
  [["+", 0.5, svg.getAttribute("data-zoom-in") || "Zoom in"], ["\u2212", 2, svg.getAttribute("data-zoom-out") || "Zoom out"]].forEach(function (b) {
    var button = document.createElement("button");
    button.type = "button"; button.className = "secondary"; button.textContent = b[0];
    button.setAttribute("aria-label", b[2]);
    button.addEventListener("click", function () { zoom(b[1]); });
    bar.appendChild(button);
  });
  svg.parentNode.insertBefore(bar, svg);
  svg.setAttribute("tabindex", "0");
  svg.addEventListener("keydown", function (e) {
    var step = box[2] / 8, moves = {ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step]};
    if (!moves[e.key]) return;
    e.preventDefault();
    box[0] = Math.max(full[0], Math.min(box[0] + moves[e.key][0], full[0] + full[2] - box[2]));
    box[1] = Math.max(full[1], Math.min(box[1] + moves[e.key][1], full[1] + full[3] - box[3]));
    apply();
  });
  var year = document.getElementById("map-year");
  if (year && year.form) year.addEventListener("change", function () { year.form.submit(); });
})();
