// What the site's scripts share, as window.WaqaiText (normalisation) and
// window.Waqai (digits, loading data scripts, listing incidents).
//
// normalize() and stems() are a port of waqai/search.py. BOTH MUST CHANGE
// TOGETHER: the index terms are made by the Python side and the query by this
// one; they only meet if the rules are the same (tests/test_search_browser.py
// runs the Python cases through this file).
(function () {
  "use strict";
  var FOLD = {
    "\u0623": "\u0627", "\u0625": "\u0627", "\u0622": "\u0627", "\u0671": "\u0627", // أ إ آ ٱ -> ا
    "\u0629": "\u0647", // ة -> ه
    "\u0649": "\u064a", // ى -> ي
    "\u0624": "\u0648", "\u0626": "\u064a", // ؤ -> و, ئ -> ي
    "\u06cc": "\u064a", "\u06a9": "\u0643" // Persian/Kurdish ی -> ي, ک -> ك
  };
  for (var n = 0; n < 10; n++) {
    FOLD[String.fromCharCode(0x0660 + n)] = String(n);
    FOLD[String.fromCharCode(0x06f0 + n)] = String(n);
  }
  var FOLDED = new RegExp("[" + Object.keys(FOLD).join("") + "]", "g");
  // Tatweel, Quranic signs, every combining mark (harakat, superscript alef)
  // and invisible format characters.
  var DROPPED = /[\u0640\u06d6-\u06ed\p{M}\p{Cf}]/gu;
  var NOT_WORD = /[^\p{L}\p{N}]+/gu;
  var ARTICLES = ["\u0648\u0627\u0644", "\u0628\u0627\u0644", "\u0641\u0627\u0644", "\u0643\u0627\u0644",
    "\u0644\u0644", "\u0627\u0644"]; // وال بال فال كال لل ال, longest first
  var LETTER_PREFIXES = "\u0648\u0628\u0644\u0641\u0643"; // و ب ل ف ك

  function normalize(text) {
    var folded = text.normalize("NFKC").toLowerCase().replace(FOLDED, function (c) { return FOLD[c]; });
    return folded.replace(DROPPED, "").replace(NOT_WORD, " ").trim().split(/\s+/).filter(Boolean).join(" ");
  }

  function stems(word) {
    for (var i = 0; i < ARTICLES.length; i++) {
      if (word.indexOf(ARTICLES[i]) === 0 && word.length - ARTICLES[i].length >= 2) {
        return [word, word.slice(ARTICLES[i].length)];
      }
    }
    if (word.length >= 4 && LETTER_PREFIXES.indexOf(word.charAt(0)) !== -1) {
      return [word, word.slice(1)];
    }
    return [word];
  }

  window.WaqaiText = { normalize: normalize, stems: stems };

  // Numbers in the page's digits ("arab": Arabic-Indic).
  function digits(number, system) {
    var text = String(number);
    return system === "arab" ? text.replace(/[0-9]/g, function (d) {
      return String.fromCharCode(0x0660 + Number(d));
    }) : text;
  }

  // A data script of the site (it sets window.WAQAI_DATA[path]), loaded once
  // with a script tag: from file:// too, where fetch() is not allowed.
  var loading = {};
  function load(root, path) {
    if (!loading[path]) {
      loading[path] = new Promise(function (resolve, reject) {
        var known = window.WAQAI_DATA && window.WAQAI_DATA[path];
        if (known !== undefined) {
          resolve(known);
          return;
        }
        var script = document.createElement("script");
        script.src = root + path;
        script.onload = function () {
          var data = window.WAQAI_DATA && window.WAQAI_DATA[path];
          if (data === undefined) {
            reject(new Error("no data in " + path));
          } else {
            resolve(data);
          }
        };
        script.onerror = function () {
          delete loading[path];
          reject(new Error("cannot load " + path));
        };
        document.head.appendChild(script);
      });
    }
    return loading[path];
  }

  // Positions in ascending order, as the data files store them
  // (waqai/search.py, positions_data): the differences between successive
  // positions, or "<first byte>:<base64>", a bitmap from that byte on where
  // bit p & 7 of byte p >> 3 stands for position p.
  function positions(data) {
    var found = [];
    var at = 0;
    if (typeof data === "string") {
      var colon = data.indexOf(":");
      var first = Number(data.slice(0, colon));
      var bytes = atob(data.slice(colon + 1));
      for (var i = 0; i < bytes.length; i++) {
        for (var bits = bytes.charCodeAt(i), bit = 0; bits; bits >>= 1, bit++) {
          if (bits & 1) found.push((first + i) * 8 + bit);
        }
      }
      return found;
    }
    for (var j = 0; j < data.length; j++) {
      at += data[j];
      found.push(at);
    }
    return found;
  }

  // The records (what a result shows) of incidents by position in the
  // chronology, from the language's records files.
  function records(root, lang, manifest, wanted) {
    var chunks = {};
    wanted.forEach(function (position) { chunks[Math.floor(position / manifest.chunk)] = true; });
    return Promise.all(Object.keys(chunks).map(function (chunk) {
      return load(root, lang + "/search/records/" + chunk + ".js").then(function (list) {
        return [Number(chunk), list];
      });
    })).then(function (loaded) {
      var byChunk = {};
      loaded.forEach(function (pair) { byChunk[pair[0]] = pair[1]; });
      return wanted.map(function (position) {
        return byChunk[Math.floor(position / manifest.chunk)][position % manifest.chunk];
      });
    });
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

  // `text` with the words that `matches(variantsOfWord)` accepts in <mark>;
  // built from text nodes, never from HTML.
  var WORD = /[\p{L}\p{N}\p{M}\u0640]+/gu;
  function highlighted(node, text, matches) {
    var last = 0;
    var found;
    WORD.lastIndex = 0;
    while (matches && (found = WORD.exec(text)) !== null) {
      var words = normalize(found[0]).split(" ").filter(Boolean);
      var hit = words.some(function (word) { return matches(stems(word)); });
      if (hit) {
        node.appendChild(document.createTextNode(text.slice(last, found.index)));
        node.appendChild(element("mark", "", found[0]));
        last = found.index + found[0].length;
      }
    }
    node.appendChild(document.createTextNode(text.slice(last)));
    return node;
  }

  // One incident as a result: its linked title, date, type and summary, and
  // a badge when it is disputed (`disputed`: the badge's text, or "").
  function result(record, root, pageLang, matches, disputed) {
    var item = element("li");
    var link = element("a", "search-title");
    highlighted(link, record.title, matches);
    link.href = root + record.path;
    var summary = record.summary ? highlighted(element("p", "search-summary"), record.summary, matches) : null;
    if (record.lang && record.lang !== pageLang) {
      [link, summary].forEach(function (node) {
        if (node) {
          node.lang = record.lang;
          node.dir = record.dir;
        }
      });
    }
    item.appendChild(link);
    var meta = element("span", "search-meta");
    var time = element("time", "", record.date);
    time.setAttribute("datetime", record.datetime);
    meta.appendChild(time);
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(element("bdi", "", record.type));
    if (record.disputed && disputed) {
      meta.appendChild(document.createTextNode(" "));
      meta.appendChild(element("span", "badge verification-badge verification-disputed", disputed));
      item.className = "is-disputed";
    }
    item.appendChild(meta);
    if (summary) {
      item.appendChild(summary);
    }
    return item;
  }

  // Lists `found` (positions) in `list`, a page at a time: `more` shows the next.
  var PAGE = 20;
  function lister(list, more, root, lang, manifest) {
    var state = {found: [], shown: 0, matches: null, run: 0};
    function next() {
      var run = state.run;
      var wanted = state.found.slice(state.shown, state.shown + PAGE);
      return records(root, lang, manifest, wanted).then(function (loaded) {
        if (run !== state.run) {
          return;
        }
        var disputed = list.getAttribute("data-disputed-label") || "";
        loaded.forEach(function (record) {
          list.appendChild(result(record, root, lang, state.matches, disputed));
        });
        state.shown += wanted.length;
        more.hidden = state.shown >= state.found.length;
      });
    }
    more.addEventListener("click", function () { next(); });
    return function show(found, matches) {
      state.run += 1;
      state.found = found;
      state.shown = 0;
      state.matches = matches;
      list.textContent = "";
      more.hidden = true;
      return next();
    };
  }

  window.Waqai = {digits: digits, load: load, positions: positions, lister: lister};
}());
