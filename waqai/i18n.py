"""Everything that depends on the page's language: dates, digits, direction,
names of languages and the gettext catalogues of interface strings."""

from __future__ import annotations

import datetime
import functools
import io
import re
import zoneinfo
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_skeleton, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from waqai.config import Language
from waqai.dates import PartialDate, Precision

_ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_EMBEDDINGS = "\u202a\u202b\u202d\u202e"
"""LRE, RLE, LRO, RLO: closed by PDF (U+202C)."""
_ISOLATES = "\u2066\u2067\u2068"
"""LRI, RLI, FSI: closed by PDI (U+2069)."""
_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
"""Every explicit bidi control: most text has none, and is left as it is."""


def localize_digits(text: str, language: Language, digits: str) -> str:
    """Arabic-Indic digits on an Arabic-script site when `digits: arab`.

    Babel writes Latin digits in every locale; converting is ours.
    """
    if digits == "arab" and _uses_arab_digits(language.locale):
        return text.translate(_ARABIC_INDIC)
    return text


@functools.cache
def babel_locale(name: str) -> Locale:
    """A parsed Babel locale, parsed once: Babel would parse the name on every call."""
    return Locale.parse(name.replace("-", "_"))


@functools.cache
def _uses_arab_digits(locale: str) -> bool:
    return babel_locale(locale).default_numbering_system == "arab"


@functools.lru_cache(maxsize=65536)
def format_date(date: PartialDate, language: Language, digits: str) -> str:
    """The date in the page's locale and in the entry's own precision:
    "27 كانون الثاني 2021", "كانون الثاني 2021" or "2021" for ar_SY."""
    day = date.first_day
    if date.precision is Precision.DAY:
        text = babel_date(day, "long", locale=babel_locale(language.locale))
    elif date.precision is Precision.MONTH:
        text = format_skeleton("yMMMM", day, locale=babel_locale(language.locale))
    else:
        text = format_skeleton("y", day, locale=babel_locale(language.locale))
    return localize_digits(text, language, digits)


def format_month(year: int, month: int, language: Language, digits: str) -> str:
    """A month heading of the timeline: "كانون الثاني 2021"."""
    return format_date(PartialDate(year, month), language, digits)


@functools.lru_cache(maxsize=4096)
def format_clock(time: datetime.time, language: Language, digits: str) -> str:
    """A local time such as "12:30 م" or "12:30 PM"."""
    text = format_time(time, "short", locale=babel_locale(language.locale))
    return localize_digits(text, language, digits)


def format_number(number: int, language: Language, digits: str) -> str:
    """A whole number in the page's digits."""
    return localize_digits(str(number), language, digits)


def datetime_value(date: PartialDate, time: datetime.time | None, timezone: str) -> str:
    """The `<time datetime>` value: the date, or date, time and UTC offset."""
    if time is None or date.precision is not Precision.DAY:
        return date.isoformat()
    moment = datetime.datetime.combine(date.first_day, time, zoneinfo.ZoneInfo(timezone))
    return moment.isoformat(timespec="minutes")


@functools.cache
def language_name(code: str, in_locale: str | None = None) -> str:
    """The language's name in `in_locale`, by default in itself: "العربية", "English"."""
    locale = babel_locale(code)
    name = locale.get_language_name(babel_locale(in_locale) if in_locale else locale) or code
    return name[:1].upper() + name[1:]


def balance_bidi(text: str) -> str:
    """`text` with its explicit bidi controls closed, so that they cannot
    reorder what follows it (stray closers are dropped).

    "a\u202eb" becomes "a\u202eb\u202c": the override ends with the text.
    """
    if not _CONTROLS.search(text):
        return text
    stack: list[str] = []
    kept = []
    for char in text:
        if char in _EMBEDDINGS or char in _ISOLATES:
            stack.append(char)
        elif char == "\u202c":
            if not stack or stack[-1] not in _EMBEDDINGS:
                continue
            stack.pop()
        elif char == "\u2069":
            if not any(c in _ISOLATES for c in stack):
                continue
            while stack.pop() not in _ISOLATES:
                pass
        kept.append(char)
    closers = "".join("\u202c" if c in _EMBEDDINGS else "\u2069" for c in reversed(stack))
    return "".join(kept) + closers


def isolate_plain(text: str, *, is_foreign: bool = False) -> str:
    """Plain text (a `<title>`, a meta tag) isolated as one unit, FSI … PDI,
    when it is in another language than the page or holds bidi controls."""
    if not is_foreign and not _CONTROLS.search(text):
        return text
    return "\u2068" + balance_bidi(text) + "\u2069"


def load_translations(locales: Path, lang: str) -> NullTranslations:
    """The interface strings of `lang`, compiled in memory from its .po file
    (once per version of the file: pages ask for them again and again)."""
    po = locales / lang / "LC_MESSAGES" / "messages.po"
    try:
        version = po.stat().st_mtime_ns
    except OSError:
        return NullTranslations()
    return _compiled(po, lang, version)


@functools.lru_cache(maxsize=16)
def _compiled(po: Path, lang: str, version: int) -> NullTranslations:
    """`po` compiled; `version` (its mtime) makes an edited catalogue a new entry."""
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)
