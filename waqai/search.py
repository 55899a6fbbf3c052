"""Offline search: Arabic normalisation, the index records of each language,
and the search page's context.

The site has no server: each language's index is split into scripts (see
"The index" below) that load from file:// as well, where fetch() is not
allowed. Index terms are normalised here, once, so that the browser
(templates/static/search.js) only has to normalise the query.

The rules of `normalize` and `stems` are ported to templates/static/waqai.js:
both must change together, or queries stop matching the index (a browser test
runs the cases of tests/data/arabic_normalization.txt through both).
"""

from __future__ import annotations

import base64
import functools
import unicodedata
from dataclasses import dataclass

from babel.dates import get_month_names

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
#
# A language's search data is split so that a query fetches little:
# - `search/manifest.js`: how many incidents, and the first term of each shard;
# - `search/terms/<n>.js`: the shards, runs of terms in sorted order, each term
#   with the positions (in the chronology) of the incidents it is found in, and
#   of those whose title has it (as `positions_data` sends them); a query word
#   fetches the shards its terms fall in;
# - `search/records/<n>.js`: what a result shows of each incident, by runs of
#   RECORDS_PER_CHUNK in the chronology's order (the filtered timeline shows them too).
# Every file sets `window.WAQAI_DATA[<its path>]`: script tags load from file://,
# where fetch() is not allowed.

RECORDS_PER_CHUNK = 10
"""Incidents per records file: about 4.5 KB. A page of results spread over
the archive fetches up to twenty of them: with 25 per file, the benchmark's
heaviest query fetched 221–244 KB in all at 10,000 incidents; with 10,
114 KB, for 1,200 more files."""
INCIDENTS_PER_SHARD = 40
"""How the number of shards grows with the archive: about 10 KB of terms each.
It depends only on the number of incidents, so the pages of a site are known
before its index is made."""


def shard_count(incidents: int) -> int:
    """How many shards of terms a language's index has."""
    return max(1, -(-incidents // INCIDENTS_PER_SHARD))


def chunk_count(incidents: int) -> int:
    """How many records files a language has."""
    return max(1, -(-incidents // RECORDS_PER_CHUNK))


@dataclass(frozen=True, slots=True)
class Index:
    """A language's search data."""

    records: tuple[dict[str, str], ...]
    """What a result shows, per incident in the chronology's order."""
    shards: tuple[dict[str, tuple[list[int], list[int]]], ...]
    """Runs of terms in sorted order: term -> (positions of the incidents it is
    found in, of those whose title has it), both ascending."""


def index_terms(incident: Incident, card: Card, views: Views,
                known: dict[tuple[str, str], str]) -> tuple[set[str], set[str]]:
    """The terms an incident is found by on one language's page, and those of its
    title. Registry entries count by their names in every language and their
    aliases (and a place by the larger places that hold it), dates by the day,
    the month's names in every language and the year. `known` keeps each
    entry's terms between incidents."""
    places = views.model.site.registries["places"]
    entries = [("places", p) for p in covered_places(incident.places, places)] + [
        ("actors", a) for a in incident.actors] + [("tags", t) for t in incident.tags] + [
        ("types", incident.type)]
    title = set(tokens(card.title.text))
    found = title | set(tokens(card.summary.text if card.summary else ""))
    for key in entries:
        if key not in known:
            entry = views.model.site.registries[key[0]][key[1]]
            known[key] = " ".join(tokens(" ".join([*entry.name.values(), *entry.aliases])))
        found.update(known[key].split())
    for date in (incident.date, incident.end_date):
        if date is not None:
            found.update(_date_terms(date.year, date.month or 0, date.day or 0,
                                     tuple(language.locale for language in views.config.languages.values())))
    return found, title


@functools.lru_cache(maxsize=65536)
def _date_terms(year: int, month: int, day: int, locales: tuple[str, ...]) -> tuple[str, ...]:
    """A date as readers write it: "27", "شباط" or "فبراير", "February", "2021"."""
    names = _month_names(month, locales) if month else ()
    return tuple(tokens(" ".join([str(day) if day else "", *names, str(year)])))


@functools.lru_cache(maxsize=256)
def _month_names(month: int, locales: tuple[str, ...]) -> tuple[str, ...]:
    """A month's names in every locale and its language, as Babel gives them."""
    names: list[str] = []
    for locale in {*locales, *(code.split("_")[0] for code in locales)}:
        names.append(get_month_names("wide", locale=locale)[month])
        names.append(get_month_names("wide", context="stand-alone", locale=locale)[month])
    return tuple(names)


def index_record(incident: Incident, card: Card) -> dict[str, str]:
    """What a search result or a filtered timeline shows of an incident, in the
    page's language (an untranslated incident in its original's, with `lang`
    and `dir`)."""
    date = card.date.text + (f" – {card.end.text}" if card.end else "")
    record = {"path": card.path, "title": card.title.text,
              "summary": card.summary.text if card.summary else "",
              "date": date, "datetime": card.date.value, "type": card.type.label.text}
    if card.title.is_foreign:
        record.update(lang=card.title.lang, dir=card.title.dir)
    if incident.verification == "disputed":
        record["disputed"] = "1"  # marked in every list of results
    return record


def build_index(views: Views) -> Index:
    """A language's search data, from every incident of the chronology."""
    known: dict[tuple[str, str], str] = {}
    records = []
    found: dict[str, tuple[list[int], list[int]]] = {}
    for position, incident in enumerate(views.model.site.incidents):
        card = views.card(incident)
        records.append(index_record(incident, card))
        terms, title = index_terms(incident, card, views, known)
        for term in terms:
            lists = found.get(term)
            if lists is None:
                lists = found[term] = ([], [])
            lists[0].append(position)
            if term in title:
                lists[1].append(position)
    return Index(tuple(records), _shards(found, shard_count(len(records))))


def _shards(found: dict[str, tuple[list[int], list[int]]],
            count: int) -> tuple[dict[str, tuple[list[int], list[int]]], ...]:
    """`count` runs of terms, in the order JavaScript compares strings (UTF-16),
    cut where each takes about as many characters to send."""
    ordered = sorted(found, key=lambda term: term.encode("utf-16-be"))
    sizes = [len(term) + _sent_size(found[term][0]) for term in ordered]
    total = sum(sizes)
    shards: list[dict[str, tuple[list[int], list[int]]]] = [{} for _ in range(count)]
    done = 0
    for term, size in zip(ordered, sizes, strict=True):
        shards[min(count - 1, done * count // max(total, 1))][term] = found[term]
        done += size
    return tuple(shards)


def _sent_size(positions: list[int]) -> int:
    """About how many characters `positions_data` takes to send `positions`."""
    return min(2 * len(positions), _bitmap_size(positions))


def language_index(views: Views) -> Index:
    """The language's index, made once for its views."""
    return views.once("search_index", build_index)


def data_script(route: Route, data: object) -> bytes:
    """A data file that scripts load with a script tag (from file:// too)."""
    return (f"(window.WAQAI_DATA=window.WAQAI_DATA||{{}})[{script_json(route.path)}]="
            f"{script_json(data)};\n").encode()


def manifest(views: Views, route: Route) -> bytes:
    """What the search page loads first: the first term of every shard (empty
    shards repeat the next one's), and how the records are chunked."""
    index = language_index(views)
    firsts: list[str] = []
    for shard in reversed(index.shards):
        firsts.append(next(iter(shard), firsts[-1] if firsts else "\uffff"))
    return data_script(route, {"firsts": firsts[::-1], "count": len(index.records),
                               "chunk": RECORDS_PER_CHUNK})


def terms_shard(views: Views, route: Route) -> bytes:
    """One shard: term -> [positions, positions in titles], each list as
    `positions_data` sends it."""
    shard = language_index(views).shards[int(route.key)]
    return data_script(route, {term: [positions_data(every), positions_data(titled)]
                               for term, (every, titled) in shard.items()})


def records_chunk(views: Views, route: Route) -> bytes:
    """The records of one run of incidents."""
    start = int(route.key) * RECORDS_PER_CHUNK
    return data_script(route, language_index(views).records[start:start + RECORDS_PER_CHUNK])


def positions_data(positions: list[int]) -> list[int] | str:
    """Ascending positions as a data file sends them (templates/static/waqai.js
    reads both forms), whichever is shorter: the differences between successive
    positions ([3, 1, 1] for 3, 4 and 5), or a bitmap from the byte of the first
    position on, "<that byte's number>:<the bytes in base64>", where bit
    `p & 7` of byte `p >> 3` stands for position `p` (8, 9 and 10 make
    "1:Bw=="). A word or a filter that many incidents have takes a bitmap: at
    50,000 incidents, one found in half of them takes 8 KB rather than 50, a
    year of 5,000 incidents 0.8 KB rather than 10."""
    deltas = [b - a for a, b in zip([0, *positions], positions, strict=False)]
    if 2 * len(positions) <= _bitmap_size(positions):  # a difference takes 2 characters at least
        return deltas
    first = positions[0] >> 3
    bitmap = bytearray((positions[-1] >> 3) + 1 - first)
    for position in positions:
        bitmap[(position >> 3) - first] |= 1 << (position & 7)
    encoded = f"{first}:{base64.b64encode(bitmap).decode('ascii')}"
    return encoded if len(encoded) < len(",".join(map(str, deltas))) else deltas


def _bitmap_size(positions: list[int]) -> int:
    """About the characters of the bitmap of `positions` (see positions_data)."""
    if not positions:
        return 0
    first = positions[0] >> 3
    return len(str(first)) + 1 + 4 * -(-((positions[-1] >> 3) + 1 - first) // 3)


# Filters ---------------------------------------------------------------------


def filter_positions(views: Views) -> dict[str, list[int]]:
    """Filter key -> positions of the incidents it matches."""
    found: dict[str, list[int]] = {}
    for position, incident in enumerate(views.model.site.incidents):
        for key in views.model.filters[incident.id].split():
            found.setdefault(key, []).append(position)
    return found


def filter_data(views: Views, route: Route) -> bytes:
    """The incidents one filter key matches (see `positions_data`)."""
    matched = views.once("filter_positions", filter_positions).get(route.key, [])
    return data_script(route, positions_data(matched))


# The page --------------------------------------------------------------------


def search_context(views: Views, route: Route) -> PageContext:
    """The search page: a form, and the results that search.js lists under it."""
    title = load_translations(views.config.locales, views.lang).gettext("Search")
    head = views.head(route, title)
    return PageContext(route.path, "search.html", views.lang, {
        "head": head, "manifest": routes.search_manifest(views.lang).path,
        "timeline": routes.home(views.lang).path, "digits": views.digits,
    })
