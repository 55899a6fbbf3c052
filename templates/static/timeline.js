// Filters the whole chronology from any page of the timeline. Without this
// script every filter link leads to the page of its type, place, actor, tag
// or year; with it, a click (or Space) narrows the chronology to the
// incidents that match every chosen filter, shown under the filters twenty at
// a time, and the choice is kept in the address (?type=...&place=...), so a
// filtered view can be shared. It loads only the lists of the chosen filters
// (data/<kind>/<id>.js) and the records of the incidents it shows.
(function () {
  "use strict";
  var panel = document.querySelector("[data-filters]");
  if (!panel || !window.Waqai || !window.Promise || !window.URLSearchParams || !window.history.replaceState) {
    return;
  }
  var Waqai = window.Waqai;
  var KINDS = ["type", "place", "actor", "tag", "year"];
  var root = panel.getAttribute("data-root") || "";
  var lang = panel.getAttribute("data-lang") || document.documentElement.lang;
  var system = panel.getAttribute("data-digits");
  var status = panel.querySelector(".filter-status");
  var clear = panel.querySelector(".filter-clear");
  var list = panel.querySelector(".filter-results");
  var more = panel.querySelector(".filter-more-results");
  var period = document.querySelector("[data-period]");
  var pager = document.querySelector(".page-nav");
  var show = null;
  var runs = 0;

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = {};
    KINDS.forEach(function (kind) {
      var value = params.get(kind);
      if (value) {
        state[kind] = value;
      }
    });
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams(window.location.search);
    KINDS.forEach(function (kind) {
      if (state[kind]) {
        params.set(kind, state[kind]);
      } else {
        params.delete(kind);
      }
    });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") +
      window.location.hash);
  }

  // Ids are slugs (and years digits): anything else in the address matches
  // nothing and is never made into the address of a script.
  var ID = /^[a-z0-9][a-z0-9-]*$/;

  function matching(keys) {
    return Promise.all(keys.map(function (key) {
      var split = key.indexOf(":");
      var value = key.slice(split + 1);
      if (!ID.test(value)) {
        return [];
      }
      var path = "data/" + key.slice(0, split) + "/" + value + ".js";
      return Waqai.load(root, path).then(Waqai.positions, function () { return []; });
    })).then(function (lists) {
      var found = lists[0];
      lists.slice(1).forEach(function (other) {
        var wanted = {};
        other.forEach(function (p) { wanted[p] = true; });
        found = found.filter(function (p) { return wanted[p]; });
      });
      return found;
    });
  }

  function apply(state) {
    var wanted = KINDS.filter(function (kind) { return state[kind]; }).map(function (kind) {
      return kind + ":" + state[kind];
    });
    document.querySelectorAll("[data-filter-key]").forEach(function (link) {
      if (wanted.indexOf(link.getAttribute("data-filter-key")) !== -1) {
        link.setAttribute("aria-pressed", "true");
        var group = link.closest("details");
        if (group) {
          group.open = true;
        }
      } else {
        link.setAttribute("aria-pressed", "false");
      }
    });
    var filtered = wanted.length > 0;
    var run = ++runs;
    clear.hidden = !filtered;
    list.hidden = !filtered;
    [period, pager].forEach(function (node) {
      if (node) {
        node.hidden = filtered;
      }
    });
    if (!filtered) {
      status.textContent = "";
      more.hidden = true;
      list.textContent = "";
      return;
    }
    Promise.all([matching(wanted), Waqai.load(root, lang + "/search/manifest.js")]).then(function (both) {
      if (run !== runs) {
        return null;
      }
      show = show || Waqai.lister(list, more, root, lang, both[1]);
      return show(both[0], null).then(function () {
        if (run === runs) {
          status.textContent = both[0].length
            ? panel.getAttribute("data-shown-label") + " " + Waqai.digits(both[0].length, system)
            : panel.getAttribute("data-none-label");
        }
      });
    });
  }

  function toggle(link) {
    var key = link.getAttribute("data-filter-key");
    var split = key.indexOf(":");
    var kind = key.slice(0, split);
    var value = key.slice(split + 1);
    var state = readState();
    if (state[kind] === value) {
      delete state[kind];
    } else {
      state[kind] = value;
    }
    writeState(state);
    apply(state);
  }

  document.querySelectorAll("[data-filter-key]").forEach(function (link) {
    link.setAttribute("role", "button");
  });
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-filter-key]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
    toggle(link);
  });
  document.addEventListener("keydown", function (event) {
    var link = event.target.closest ? event.target.closest("[data-filter-key]") : null;
    if (link && event.key === " ") {
      event.preventDefault();
      toggle(link);
    }
  });

  clear.addEventListener("click", function () {
    writeState({});
    apply({});
  });

  apply(readState());
}());
