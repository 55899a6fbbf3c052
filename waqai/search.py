"""Offline search: Arabic normalisation, the index records of each language,
and the search page's context.

The site has no server, so each language gets `/<lang>/search-index.js`, a
script that sets `window.WAQAI_SEARCH`; it loads from file:// as well, where
fetch() is not allowed. Index terms are normalised here, once, so that the
browser (templates/static/search.js) only has to normalise the query.

The rules of `normalize` and `stems` are ported to templates/static/normalize.js:
both must change together, or queries stop matching the index (a browser test
runs the cases of tests/data/arabic_normalization.txt through both).
"""

from __future__ import annotations

import functools
import unicodedata
from typing import Any

from waqai import routes
from waqai.contexts import Views
from waqai.i18n import load_translations
from waqai.model import Incident
from waqai.routes import Route
from waqai.share import script_json
from waqai.taxonomy import covered_places
from waqai.views import Card, PageContext

_FOLD = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",   # hamza and madda on alef, alef wasla
    "ة": "ه",                                 # ta marbuta
    "ى": "ي",                                 # alef maqsura
    "ؤ": "و", "ئ": "ي",                       # hamza on waw and on ya
    "ی": "ي", "ک": "ك",                       # Persian/Kurdish ya and kaf, as typed on those keyboards
    **{chr(0x0660 + n): str(n) for n in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + n): str(n) for n in range(10)},  # Eastern Arabic-Indic digits
})
_ARTICLES = ("وال", "بال", "فال", "كال", "لل", "ال")
"""The article with the prefixes that join it, longest first: "للحسكة" is ل + الحسكة."""
_LETTER_PREFIXES = frozenset("وبلفك")
"""Conjunctions and prepositions written as part of the next word: "وحلب", "بحلب"."""


def _is_dropped(char: str) -> bool:
    """Marks that do not change a word: harakat (U+064B–U+065F), superscript
    alef (U+0670), Quranic annotation signs (U+0610–U+061A, U+06D6–U+06ED),
    tatweel (U+0640), every other combining mark, and invisible format
    characters (bidi controls, zero-width joiners)."""
    return (char == "\u0640" or "\u06d6" <= char <= "\u06ed"
            or unicodedata.category(char)[0] == "M" or unicodedata.category(char) == "Cf")


def normalize(text: str) -> str:
    """`text` as search compares it: words of letters and digits, one space apart.

    NFKC, lower case, Arabic marks and tatweel dropped, alef forms, ta marbuta,
    alef maqsura, hamza seats and digits unified, punctuation made a space:

    >>> normalize("الحَسَكـــة")
    'الحسكه'
    >>> normalize("أسايش، إدلب؟ مُستشفى ٢٠٢١")
    'اسايش ادلب مستشفي 2021'
    >>> normalize("Al-Hasakah's")
    'al hasakah s'
    """
    return " ".join(unicodedata.normalize("NFKC", text).lower().translate(_TABLE).split())


class _Table(dict[int, str]):
    """The str.translate table of `normalize`, filled as characters are met:
    the letters of _FOLD to their common form, dropped marks to "", other
    letters and digits to themselves, anything else to a space. (Asking
    unicodedata about every character of every incident was the slow part.)"""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        value = ("" if _is_dropped(char) else char if unicodedata.category(char)[0] in "LN"
                 else " ")
        self[code] = value
        return value


_TABLE = _Table(_FOLD)


@functools.lru_cache(maxsize=65536)
def _stems(word: str) -> tuple[str, ...]:
    return tuple(stems(word))


def stems(word: str) -> list[str]:
    """A normalised word, then the word without its article or prefix if it has one.

    Conservative: the article goes only when two letters remain ("الحسكه" ->
    "حسكه"), a one-letter prefix only when three do ("وحلب" -> "حلب", but
    "ولد" stays whole). The word itself is always kept, so a word that only
    looks prefixed ("بيان", "فلسطين") still matches as written.
    """
    for article in _ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 2:
            return [word, word[len(article):]]
    if word[:1] in _LETTER_PREFIXES and len(word) >= 4:
        return [word, word[1:]]
    return [word]


def tokens(text: str) -> list[str]:
    """The search terms of `text`: every normalised word, with and without its prefix.

    >>> tokens("والحسكة في الحسكة")
    ['والحسكه', 'حسكه', 'في', 'الحسكه']
    """
    return list(dict.fromkeys(stem for word in normalize(text).split() for stem in _stems(word)))


def _terms(*texts: str) -> str:
    return " ".join(dict.fromkeys(term for text in texts for term in tokens(text)))


# The index -------------------------------------------------------------------


def index_record(incident: Incident, views: Views,
                 known: dict[tuple[str, str], list[str]] | None = None) -> dict[str, Any]:
    """One incident as the search page lists and matches it, in the page's language
    (an untranslated incident in its original's, marked with `lang` and `dir`).
    `known` keeps each registry entry's name and terms between records."""
    known = {} if known is None else known
    card: Card = views.card(incident)
    places = views.model.site.registries["places"]
    place_ids = covered_places(incident.places, places)
    entries = [("places", p) for p in place_ids] + [("actors", a) for a in incident.actors] + [
        ("tags", t) for t in incident.tags] + [("types", incident.type)]
    for key in entries:
        if key not in known:
            name = views.entry(*key).label.text
            aliases = places[key[1]].aliases if key[0] == "places" else ()
            known[key] = [name, _terms(name, *aliases)]
    names = {kind: [known[key][0] for key in entries if key[0] == kind]
             for kind in ("places", "actors", "tags")}
    summary = card.summary.text if card.summary else ""
    date = card.date.text + (f" – {card.end.text}" if card.end else "")
    own_terms = _terms(card.title.text, summary)
    return {
        "path": card.path, "lang": card.title.lang, "dir": card.title.dir,
        "title": card.title.text, "summary": summary,
        "date": date, "datetime": card.date.value, "type": card.type.label.text,
        "places": names["places"], "actors": names["actors"], "tags": names["tags"],
        "title_terms": _terms(card.title.text),
        "terms": " ".join(dict.fromkeys(" ".join([own_terms, *(known[k][1] for k in entries)]).split())),
    }


def search_index(views: Views) -> bytes:
    """The language's index as a script: `window.WAQAI_SEARCH = {...};`, in timeline order."""
    known: dict[tuple[str, str], list[str]] = {}
    records = [index_record(incident, views, known) for incident in views.model.site.incidents]
    data = {"lang": views.lang, "records": records}
    return f"window.WAQAI_SEARCH = {script_json(data)};\n".encode()


# The page --------------------------------------------------------------------


def search_context(views: Views, route: Route) -> PageContext:
    """The search page: a form, and the results that search.js lists under it."""
    title = load_translations(views.config.locales, views.lang).gettext("Search")
    head = views.head(route, title)
    return PageContext(route.path, "search.html", views.lang, {
        "head": head, "index": routes.search_index(views.lang).path,
        "timeline": routes.home(views.lang).path, "digits": views.config.digits,
    })
