// Search normalisation, a port of waqai/search.py (normalize, stems), shared as
// window.WaqaiText. BOTH MUST CHANGE TOGETHER: the index terms are made by the
// Python side and the query by this one; they only meet if the rules are the
// same (tests/test_search_browser.py runs the Python cases through this file).
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
}());
