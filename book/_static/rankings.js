/* carebook: sortable columns and a region filter for the tables of class "sortable"
   inside a .carebook-rankings block (the national overview). No dependencies. */
(function () {
  "use strict";
  function key(cell, type) {
    var raw = cell.getAttribute("data-sort");
    if (type === "number") { return raw === null || raw === "" ? null : parseFloat(raw); }
    return (raw !== null ? raw : cell.textContent).trim().toLowerCase();
  }
  function sortBy(table, column, type, descending) {
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[column], type), y = key(b.cells[column], type);
      if (x === null && y === null) { return 0; }
      if (x === null) { return 1; }   /* not published: always last */
      if (y === null) { return -1; }
      var order = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  function setUp(block) {
    var table = block.querySelector("table.sortable");
    if (!table) { return; }
    var headers = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(headers, function (header, column) {
      header.setAttribute("tabindex", "0");
      header.setAttribute("aria-sort", "none");
      header.style.cursor = "pointer";
      function activate() {
        var type = header.getAttribute("data-type") || "text";
        var descending = header.getAttribute("aria-sort") === "ascending";
        Array.prototype.forEach.call(headers, function (h) { h.setAttribute("aria-sort", "none"); });
        header.setAttribute("aria-sort", descending ? "descending" : "ascending");
        sortBy(table, column, type, descending);
      }
      header.addEventListener("click", activate);
      header.addEventListener("keydown", function (event) { if (event.key === "Enter") { activate(); } });
    });
    var filter = block.querySelector("select.region-filter");
    if (filter) {
      filter.addEventListener("change", function () {
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          row.hidden = filter.value !== "" && row.getAttribute("data-region") !== filter.value;
        });
      });
    }
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".carebook-rankings"), setUp);
  });
})();
