// Searches the language's index without a server, so it works from file://
// too. The page loads the index's manifest (the first term of each shard);
// a query fetches only the shards its words fall in, then the records of the
// results it shows, twenty at a time. Every word of the query must be the
// start of some indexed term (a one-letter word, a whole term); titles that
// match come first, then the chronology's order. The query is kept in the
// address (?q=...).
(function () {
  "use strict";
  var form = document.querySelector("form[data-search]");
  if (!form || !window.Waqai || !window.WaqaiText || !window.Promise || !window.URLSearchParams ||
      !window.history.replaceState) {
    return;
  }
  var Waqai = window.Waqai;
  var normalize = window.WaqaiText.normalize;
  var stems = window.WaqaiText.stems;
  var input = form.querySelector("input[name=q]");
  var status = document.querySelector(".search-status");
  var list = document.querySelector(".search-results");
  var more = document.querySelector(".search-more");
  var note = document.querySelector("[data-search-note]");
  var root = form.getAttribute("data-root") || "";
  var lang = form.getAttribute("data-lang") || document.documentElement.lang;
  var system = form.getAttribute("data-digits");

  Waqai.load(root, form.getAttribute("data-manifest")).then(function (manifest) {
    if (note) {
      note.hidden = true;
    }
    var firsts = manifest.firsts;
    var show = Waqai.lister(list, more, root, lang, manifest);
    var runs = 0;

    // The last shard whose first term is not after `text`.
    function shardOf(text) {
      var low = 0;
      var high = firsts.length;
      while (low < high) {
        var middle = (low + high) >> 1;
        if (firsts[middle] <= text) {
          low = middle + 1;
        } else {
          high = middle;
        }
      }
      return Math.max(0, low - 1);
    }

    function accepts(variant, exact, term) {
      return exact ? term === variant : term.indexOf(variant) === 0;
    }

    // Positions of the incidents a query word is found in, and in whose title.
    function lookup(word) {
      var variants = stems(word);
      var exact = word.length < 2;
      var shards = {};
      variants.forEach(function (variant) {
        var last = exact ? shardOf(variant) : shardOf(variant + "\uffff");
        for (var n = shardOf(variant); n <= last; n++) {
          shards[n] = true;
        }
      });
      return Promise.all(Object.keys(shards).map(function (n) {
        return Waqai.load(root, lang + "/search/terms/" + n + ".js");
      })).then(function (loaded) {
        var every = {};
        var titled = {};
        loaded.forEach(function (shard) {
          Object.keys(shard).forEach(function (term) {
            if (variants.some(function (variant) { return accepts(variant, exact, term); })) {
              Waqai.positions(shard[term][0]).forEach(function (p) { every[p] = true; });
              Waqai.positions(shard[term][1]).forEach(function (p) { titled[p] = true; });
            }
          });
        });
        return {every: every, titled: titled, variants: variants, exact: exact};
      });
    }

    function search(words) {
      return Promise.all(words.map(lookup)).then(function (found) {
        var smallest = found.slice().sort(function (a, b) {
          return Object.keys(a.every).length - Object.keys(b.every).length;
        })[0];
        var hits = [];
        Object.keys(smallest.every).forEach(function (key) {
          if (found.every(function (one) { return one.every[key]; })) {
            var inTitle = found.filter(function (one) { return one.titled[key]; }).length;
            hits.push({position: Number(key), inTitle: inTitle});
          }
        });
        hits.sort(function (a, b) { return (b.inTitle - a.inTitle) || (a.position - b.position); });
        var matches = function (wordStems) {
          return found.some(function (one) {
            return one.variants.some(function (variant) {
              return wordStems.some(function (stem) { return accepts(variant, one.exact, stem); });
            });
          });
        };
        return {positions: hits.map(function (hit) { return hit.position; }), matches: matches};
      });
    }

    function keep(query) {
      var params = new URLSearchParams(window.location.search);
      if (query) {
        params.set("q", query);
      } else {
        params.delete("q");
      }
      var rest = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (rest ? "?" + rest : "") +
        window.location.hash);
    }

    function run() {
      var query = input.value;
      var words = normalize(query).split(" ").filter(Boolean);
      var run = ++runs;
      keep(query.trim() ? query : "");
      if (!words.length) {
        status.textContent = "";
        show([], null);
        return;
      }
      form.setAttribute("aria-busy", "true");
      search(words).then(function (found) {
        if (run !== runs) {
          return null;
        }
        return show(found.positions, found.matches).then(function () {
          if (run !== runs) {
            return;
          }
          status.textContent = found.positions.length
            ? form.getAttribute("data-found-label") + " " + Waqai.digits(found.positions.length, system)
            : form.getAttribute("data-none-label");
        });
      }).catch(function () {
        status.textContent = form.getAttribute("data-none-label");
      }).then(function () {
        if (run === runs) {
          form.removeAttribute("aria-busy");
        }
      });
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
  });
}());
