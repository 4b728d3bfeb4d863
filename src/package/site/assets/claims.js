// Filters of the claims table (the full table is readable without it).
(function () {
  "use strict";
  var form = document.getElementById("claim-filter");
  var table = document.getElementById("claims");
  if (!form || !table) { return; }
  form.hidden = false;
  var q = document.getElementById("f-quantity");
  var s = document.getElementById("f-scope");
  var t = document.getElementById("f-text");
  var count = document.getElementById("claim-count");
  var rows = table.tBodies[0].rows;
  function apply() {
    var words = t.value.toLowerCase().trim();
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var r = rows[i];
      var ok = (!q.value || r.getAttribute("data-quantity") === q.value) &&
        (!s.value || r.getAttribute("data-scope") === s.value) &&
        (!words || r.textContent.toLowerCase().indexOf(words) >= 0);
      r.hidden = !ok;
      if (ok) { shown++; }
    }
    count.textContent = shown + " of " + rows.length + " claims.";
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  [q, s].forEach(function (el) { el.addEventListener("change", apply); });
  t.addEventListener("input", apply);
})();
