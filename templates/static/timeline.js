// Filters the timeline in place. Without this script every filter link leads
// to the page of its actor, place, type or year; with it, a click narrows the
// timeline and the filter is kept in the address (?type=...&place=...), so a
// filtered view can be shared.
(function () {
  "use strict";
  var panel = document.querySelector("[data-filters]");
  if (!panel || !window.URLSearchParams || !window.history.replaceState) {
    return;
  }
  var KINDS = ["type", "place", "actor", "tag", "year"];
  var events = Array.prototype.slice.call(document.querySelectorAll("li.event[data-filter]"));
  var status = panel.querySelector(".filter-status");
  var clear = panel.querySelector(".filter-clear");
  var arabicDigits = panel.getAttribute("data-digits") === "arab";

  function digits(number) {
    var text = String(number);
    return arabicDigits ? text.replace(/[0-9]/g, function (d) {
      return String.fromCharCode(0x0660 + Number(d));
    }) : text;
  }

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
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function apply(state) {
    var wanted = Object.keys(state).map(function (kind) { return kind + ":" + state[kind]; });
    var shown = {};
    events.forEach(function (item) {
      var keys = item.getAttribute("data-filter").split(" ");
      var matches = wanted.every(function (key) { return keys.indexOf(key) !== -1; });
      item.hidden = !matches;
      if (matches) {
        var link = item.querySelector(".event-title a");
        shown[link ? link.getAttribute("href") : ""] = true;
      }
    });
    document.querySelectorAll(".timeline-month, .timeline-year").forEach(function (section) {
      section.hidden = !section.querySelector("li.event:not([hidden])");
    });
    document.querySelectorAll("[data-filter-key]").forEach(function (link) {
      if (wanted.indexOf(link.getAttribute("data-filter-key")) !== -1) {
        link.setAttribute("aria-pressed", "true");
        link.classList.add("is-active");
      } else {
        link.removeAttribute("aria-pressed");
        link.classList.remove("is-active");
      }
    });
    var filtered = wanted.length > 0;
    clear.hidden = !filtered;
    status.textContent = filtered
      ? panel.getAttribute("data-shown-label") + " " + digits(Object.keys(shown).length)
      : "";
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-filter-key]") : null;
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) {
      return;
    }
    event.preventDefault();
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
  });

  clear.addEventListener("click", function () {
    writeState({});
    apply({});
  });

  apply(readState());
}());
