// Searches the language's index (search-index.js sets window.WAQAI_SEARCH)
// without a server, so it works from file:// too. Every word of the query
// must be the start of some indexed term; titles that match come first, then
// the chronology's order. The query is kept in the address (?q=...).
(function () {
  "use strict";
  var form = document.querySelector("form[data-search]");
  var data = window.WAQAI_SEARCH;
  if (!form || !data || !window.WaqaiText || !window.URLSearchParams || !window.history.replaceState) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var note = document.querySelector("[data-search-note]");
  var root = form.getAttribute("data-root") || "";
  var pageLang = form.getAttribute("data-lang") || document.documentElement.lang;
  var arabicDigits = form.getAttribute("data-digits") === "arab" && pageLang === "ar";
  if (note) {
    note.hidden = true;
  }

  var normalize = window.WaqaiText.normalize;
  var stems = window.WaqaiText.stems;

  var records = (data.records || []).map(function (record, order) {
    return {
      record: record,
      order: order,
      terms: record.terms ? record.terms.split(" ") : [],
      titleTerms: record.title_terms ? record.title_terms.split(" ") : []
    };
  });

  function digits(number) {
    var text = String(number);
    return arabicDigits ? text.replace(/[0-9]/g, function (d) {
      return String.fromCharCode(0x0660 + Number(d));
    }) : text;
  }

  function found(variants, terms) {
    return terms.some(function (term) {
      return variants.some(function (variant) { return term.indexOf(variant) === 0; });
    });
  }

  function search(query) {
    var words = normalize(query).split(" ").filter(Boolean).map(stems);
    if (!words.length) {
      return null;
    }
    var hits = [];
    records.forEach(function (item) {
      if (words.every(function (variants) { return found(variants, item.terms); })) {
        var inTitle = words.filter(function (variants) { return found(variants, item.titleTerms); }).length;
        hits.push({item: item, inTitle: inTitle});
      }
    });
    hits.sort(function (a, b) { return (b.inTitle - a.inTitle) || (a.item.order - b.item.order); });
    return hits.map(function (hit) { return hit.item.record; });
  }

  function element(name, className, text) {
    var node = document.createElement(name);
    if (className) {
      node.className = className;
    }
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function foreign(node, record) {
    if (record.lang && record.lang !== pageLang) {
      node.lang = record.lang;
      node.dir = record.dir;
    }
    return node;
  }

  function result(record) {
    var item = element("li");
    var link = foreign(element("a", "search-title", record.title), record);
    link.href = root + record.path;
    item.appendChild(link);
    var meta = element("span", "search-meta");
    var time = element("time", "", record.date);
    time.setAttribute("datetime", record.datetime);
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(element("bdi", "", record.type));
    item.appendChild(meta);
    if (record.summary) {
      item.appendChild(foreign(element("p", "search-summary", record.summary), record));
    }
    return item;
  }

  function keep(query) {
    var params = new URLSearchParams(window.location.search);
    if (query) {
      params.set("q", query);
    } else {
      params.delete("q");
    }
    var rest = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : "") + window.location.hash);
  }

  function run() {
    var query = input.value;
    var hits = search(query);
    list.textContent = "";
    keep(query.trim() ? query : "");
    if (hits === null) {
      status.textContent = "";
      return;
    }
    hits.forEach(function (record) { list.appendChild(result(record)); });
    status.textContent = hits.length ? form.getAttribute("data-found-label") + " " + digits(hits.length)
      : form.getAttribute("data-none-label");
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    run();
  });
  input.addEventListener("input", run);
  input.value = new URLSearchParams(window.location.search).get("q") || "";
  if (input.value) {
    run();
  }
}());
