(function () {
  "use strict";
  // Sort buttons and filters for tables marked data-qio-table. Without this script the
  // filters stay hidden and the whole table shows, so nothing depends on it.
  var collator = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };

  function keyOf(cell) {
    var key = cell.getAttribute("data-sort");
    return key === null ? cell.textContent.trim() : key;
  }

  function compare(a, b, numeric, ascending) {
    // Cells without a key (no level, nothing to compare) sort last either way.
    if (a === "" || b === "") { return a === b ? 0 : (a === "" ? 1 : -1); }
    var order = numeric ? Number(a) - Number(b) : collator.compare(a, b);
    return ascending ? order : -order;
  }

  function setUp(box) {
    var table = box.querySelector("table");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var headers = table.tHead.rows[0].cells;
    var status = box.querySelector(".qio-table-count");
    var controls = box.querySelector(".qio-table-controls");
    var filters = box.querySelectorAll("[data-filter]");
    var shownText = "Showing all " + rows.length + " rows.";
    var sortText = "";

    function say() { if (status) { status.textContent = shownText + sortText; } }

    each(headers, function (th, column) {
      var label = th.textContent.trim();
      var button = document.createElement("button");
      button.type = "button";
      button.className = "qio-sort";
      button.textContent = label;
      th.textContent = "";
      th.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        var numeric = th.getAttribute("data-sort-type") === "number";
        each(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var keyed = rows.map(function (row, i) { return { row: row, key: keyOf(row.cells[column]), i: i }; });
        keyed.sort(function (a, b) { return compare(a.key, b.key, numeric, ascending) || a.i - b.i; });
        rows = keyed.map(function (k) { return k.row; });
        rows.forEach(function (row) { body.appendChild(row); });
        sortText = " Sorted by " + label + (ascending ? ", ascending." : ", descending.");
        say();
      });
    });

    function apply() {
      var shown = 0;
      rows.forEach(function (row) {
        var keep = Array.prototype.every.call(filters, function (control) {
          var wanted = control.value.trim().toLowerCase();
          if (!wanted) { return true; }
          var value = (row.getAttribute("data-" + control.getAttribute("data-filter")) || "").toLowerCase();
          return control.getAttribute("data-match") === "contains" ? value.indexOf(wanted) !== -1 : value === wanted;
        });
        row.hidden = !keep;
        if (keep) { shown += 1; }
      });
      shownText = shown === rows.length
        ? "Showing all " + rows.length + " rows."
        : "Showing " + shown + " of " + rows.length + " rows.";
      say();
    }

    each(filters, function (control) {
      control.addEventListener(control.tagName === "SELECT" ? "change" : "input", apply);
    });
    if (controls) { controls.hidden = false; }
  }

  each(document.querySelectorAll("[data-qio-table]"), setUp);
})();
