// Search over the pre-built, chunked index in search/ (see src/package/site/search.rs).
// Index files are scripts that register themselves, so this works opened from disk (file://,
// where fetch() of local files is refused) as on any static host. No network requests.
(function () {
  "use strict";
  var PAGE = 20;
  var manifest = null;
  var termChunks = {};
  var docBlocks = {};
  var facetLists = {};
  var loading = {};

  window.khojalySearch = {
    manifest: function (m) { manifest = m; },
    terms: function (n, map) { termChunks[n] = map; },
    docs: function (n, rows) { docBlocks[n] = rows; },
    facet: function (key, list) {
      facetLists[key] = list.map(function (e) { return [e[0], undelta(e[1])]; });
    }
  };

  function load(path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = "search/" + path;
        s.onload = function () { resolve(); };
        s.onerror = function () { reject(new Error("cannot load search/" + path)); };
        document.head.appendChild(s);
      });
    }
    return loading[path];
  }

  function undelta(a) {
    var out = new Uint32Array(a.length), s = 0;
    for (var i = 0; i < a.length; i++) { s = i === 0 ? a[0] : s + a[i]; out[i] = s; }
    return out;
  }

  // The same words as the index: lower case, split at anything not a letter or digit.
  function words(text) {
    return text.toLowerCase().split(/[^\p{Alphabetic}\p{N}]+/u).filter(function (w) { return w.length > 0; });
  }

  // Chunks that may hold `w` (exact) or words starting with `w` (prefix).
  function chunksFor(w, prefix) {
    var keys = manifest.chunks, best = -1, bestLen = -1, more = [];
    for (var i = 0; i < keys.length; i++) {
      var k = keys[i];
      if (w.indexOf(k) === 0 && k.length > bestLen) { best = i; bestLen = k.length; }
      else if (prefix && k.indexOf(w) === 0) { more.push(i); }
    }
    var out = best >= 0 ? [best] : [];
    if (prefix && more.length <= 40) { out = out.concat(more); }
    return out;
  }

  function bitmapFor(w, prefix) {
    var chunks = chunksFor(w, prefix && w.length >= 2);
    return Promise.all(chunks.map(function (n) { return load("t/" + n + ".js"); })).then(function () {
      var bits = new Uint8Array(manifest.docs);
      chunks.forEach(function (n) {
        var map = termChunks[n] || {};
        Object.keys(map).forEach(function (t) {
          if (t === w || (prefix && t.indexOf(w) === 0)) {
            var p = undelta(map[t]);
            for (var i = 0; i < p.length; i++) { bits[p[i]] = 1; }
          }
        });
      });
      return bits;
    });
  }

  function matchQuery(q) {
    var ws = words(q);
    if (ws.length === 0) { return Promise.resolve(null); }
    return Promise.all(ws.map(function (w, i) { return bitmapFor(w, i === ws.length - 1); })).then(function (maps) {
      var bits = maps[0];
      for (var m = 1; m < maps.length; m++) {
        for (var i = 0; i < bits.length; i++) { bits[i] = bits[i] & maps[m][i]; }
      }
      return bits;
    });
  }

  function selected() {
    var sel = {};
    manifest.facets.forEach(function (f) {
      var boxes = document.querySelectorAll('fieldset[data-facet="' + f[0] + '"] input:checked');
      sel[f[0]] = Array.prototype.map.call(boxes, function (b) { return b.value; });
    });
    return sel;
  }

  function facetBits(key, values) {
    if (!values.length) { return null; }
    var bits = new Uint8Array(manifest.docs);
    (facetLists[key] || []).forEach(function (e) {
      if (values.indexOf(e[0]) >= 0) { for (var i = 0; i < e[1].length; i++) { bits[e[1][i]] = 1; } }
    });
    return bits;
  }

  var shown = [];
  var shownCount = 0;
  var generation = 0;

  function run() {
    var q = document.getElementById("q").value;
    var gen = ++generation;
    var sel = selected();
    saveState(q, sel);
    matchQuery(q).then(function (base) {
      if (gen !== generation) { return; }
      var n = manifest.docs;
      var fb = {};
      manifest.facets.forEach(function (f) { fb[f[0]] = facetBits(f[0], sel[f[0]]); });
      function allowed(i, except) {
        if (base && !base[i]) { return false; }
        for (var k in fb) { if (k !== except && fb[k] && !fb[k][i]) { return false; } }
        return true;
      }
      var hits = [];
      for (var i = 0; i < n; i++) { if (allowed(i, null)) { hits.push(i); } }
      // Counts per facet value among the records the other filters leave.
      manifest.facets.forEach(function (f) {
        var key = f[0];
        var pass = new Uint8Array(n);
        for (var i = 0; i < n; i++) { pass[i] = allowed(i, key) ? 1 : 0; }
        (facetLists[key] || []).forEach(function (e) {
          var c = 0;
          for (var j = 0; j < e[1].length; j++) { c += pass[e[1][j]]; }
          var box = findBox(key, e[0]);
          if (box) {
            var li = box.closest("li");
            li.querySelector(".n").textContent = "(" + c + ")";
            li.classList.toggle("zero", c === 0);
          }
        });
      });
      shown = hits;
      shownCount = 0;
      document.getElementById("results").textContent = "";
      var status = hits.length === 1 ? "1 record" : hits.length + " records";
      if (words(q).length) { status += " match \u201c" + q.trim() + "\u201d"; }
      var filters = Object.keys(sel).reduce(function (a, k) { return a + sel[k].length; }, 0);
      if (filters) { status += " with " + filters + (filters === 1 ? " filter" : " filters"); }
      document.getElementById("count").textContent = status + ".";
      return more();
    }).catch(function (e) {
      document.getElementById("count").textContent = "Search failed: " + e.message;
    });
  }

  function findBox(key, value) {
    var boxes = document.querySelectorAll('fieldset[data-facet="' + key + '"] input');
    for (var i = 0; i < boxes.length; i++) { if (boxes[i].value === value) { return boxes[i]; } }
    return null;
  }

  function more() {
    var slice = shown.slice(shownCount, shownCount + PAGE);
    var gen = generation;
    var blocks = {};
    slice.forEach(function (i) { blocks[Math.floor(i / manifest.docBlock)] = true; });
    return Promise.all(Object.keys(blocks).map(function (b) { return load("d/" + b + ".js"); })).then(function () {
      if (gen !== generation) { return; }
      var ol = document.getElementById("results");
      slice.forEach(function (i) {
        var block = docBlocks[Math.floor(i / manifest.docBlock)];
        var d = block && block[i % manifest.docBlock];
        if (!d) { return; }
        var li = document.createElement("li");
        var a = document.createElement("a");
        a.href = "records/" + d[0] + ".html";
        a.className = "title";
        a.textContent = d[1];
        li.appendChild(a);
        var info = document.createElement("div");
        info.className = "info";
        info.textContent = [d[2], d[3], d[4], d[5]].filter(function (x) { return x; }).join(" \u00b7 ");
        li.appendChild(info);
        var p = document.createElement("p");
        p.className = "snippet";
        p.textContent = d[6];
        li.appendChild(p);
        ol.appendChild(li);
      });
      shownCount += slice.length;
      document.getElementById("more").hidden = shownCount >= shown.length;
    });
  }

  function saveState(q, sel) {
    var parts = [];
    if (q) { parts.push("q=" + encodeURIComponent(q)); }
    Object.keys(sel).forEach(function (k) {
      sel[k].forEach(function (v) { parts.push(encodeURIComponent(k) + "=" + encodeURIComponent(v)); });
    });
    try { history.replaceState(null, "", parts.length ? "#" + parts.join("&") : location.pathname + location.search); } catch (e) { /* some hosts forbid it */ }
  }

  function restoreState() {
    var raw = location.hash.replace(/^#/, "") || location.search.replace(/^\?/, "");
    raw.split("&").forEach(function (kv) {
      if (!kv) { return; }
      var i = kv.indexOf("=");
      var k = decodeURIComponent(kv.slice(0, i < 0 ? kv.length : i).replace(/\+/g, " "));
      var v = i < 0 ? "" : decodeURIComponent(kv.slice(i + 1).replace(/\+/g, " "));
      if (k === "q") { document.getElementById("q").value = v; }
      else { var box = findBox(k, v); if (box) { box.checked = true; } }
    });
  }

  function start() {
    var form = document.getElementById("search");
    if (!form) { return; }
    load("manifest.js").then(function () {
      return Promise.all(manifest.facets.map(function (f) { return load("f/" + f[0] + ".js"); }));
    }).then(function () {
      document.querySelectorAll(".facets input").forEach(function (b) {
        b.disabled = false;
        b.addEventListener("change", run);
      });
      restoreState();
      var timer = null;
      document.getElementById("q").addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(run, 150);
      });
      form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
      document.getElementById("more").addEventListener("click", function () { more(); });
      run();
    }).catch(function (e) {
      document.getElementById("count").textContent = "The search index could not be loaded: " + e.message;
    });
  }

  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
