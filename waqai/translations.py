"""Which translations are missing, and which are out of date.

A translation records the fingerprint of the original's words it was made from
(`translated_from: 3f2a9c01b7de`), so telling a stale translation needs no Git
history (CI clones are shallow): when the original's title, summary or body
changes, so does its fingerprint, and the two no longer agree.

An incident's original is the file with the facts; a plain page's is its text
in the default language (else the first language it has, as the site shows it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from waqai.fields import FINGERPRINT
from waqai.model import Incident, Page, Site, Text
from waqai.problems import N_, Gettext, Message, Problem, english

__all__ = ("FINGERPRINT", "fingerprint", "is_stale", "stale_languages", "stale_warnings", "status")
FIELD = "translated_from"
Kind = Literal["incident", "page"]


def fingerprint(title: str, summary: str, body: str) -> str:
    """The fingerprint of an original's words. Only words count: spacing and
    line breaks do not (a paragraph wrapped again is the same text)."""
    words = "\0".join(" ".join(part.split()) for part in (title, summary, body))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()[:12]


def text_fingerprint(text: Text) -> str:
    """The fingerprint of a text as the model holds it (an incident's
    original's is worked out once, when its file is parsed: it is asked for
    by the checks, the translation status and each language's page)."""
    return text.words or fingerprint(text.title, text.summary, text.body)


def is_stale(translation: Text, original: Text) -> bool:
    """True when `translation` was made from another version of `original`
    (a translation that records no fingerprint cannot tell, and is not)."""
    recorded = translation.translated_from
    return recorded is not None and recorded != text_fingerprint(original)


@dataclass(frozen=True, slots=True)
class Missing:
    """An incident or page with no text in a language."""

    kind: Kind
    id: str
    original: Path
    """The file to translate from."""


@dataclass(frozen=True, slots=True)
class Translation:
    """A translation that is stale, or that records no fingerprint."""

    kind: Kind
    id: str
    path: Path
    line: int
    """Line of `translated_from`, or 1 when there is none."""
    recorded: str | None
    """The fingerprint it was made from, or None."""
    current: str
    """The original's fingerprint now: what `translated_from` should say once
    the translation is brought up to date."""
    original: Path


@dataclass(frozen=True, slots=True)
class LanguageStatus:
    """Where one language's translations stand."""

    lang: str
    incidents: int
    """Incidents whose original is in another language."""
    pages: int
    """Pages whose original is in another language."""
    missing: tuple[Missing, ...]
    stale: tuple[Translation, ...]
    unrecorded: tuple[Translation, ...]
    """Translations without `translated_from`: whether they are current cannot be told."""


def status(site: Site, languages: Iterable[str], default: str) -> tuple[LanguageStatus, ...]:
    """Every language's untranslated, stale and unrecorded incidents and pages,
    in the chronology's order, then pages by id."""
    items: list[tuple[Kind, str, Mapping[str, Text], Text]] = [
        *(("incident", i.id, i.texts, i.texts[i.original]) for i in site.incidents),
        *(("page", p.id, p.texts, _page_original(p, default)) for p in sorted(site.pages, key=_id))]
    result = []
    for lang in languages:
        missing, stale, unrecorded = [], [], []
        counts: dict[Kind, int] = {"incident": 0, "page": 0}
        for kind, id_, texts, original in items:
            if original.lang == lang:
                continue
            counts[kind] += 1
            translation = texts.get(lang)
            if translation is None:
                missing.append(Missing(kind, id_, original.path))
                continue
            found = Translation(kind, id_, translation.path, translation.translated_from_line,
                                translation.translated_from, text_fingerprint(original), original.path)
            if found.recorded is None:
                unrecorded.append(found)
            elif found.recorded != found.current:
                stale.append(found)
        result.append(LanguageStatus(lang, counts["incident"], counts["page"], tuple(missing),
                                     tuple(stale), tuple(unrecorded)))
    return tuple(result)


def stale_warnings(site: Site, languages: Iterable[str], default: str) -> Iterator[Problem]:
    """A warning at each stale translation's `translated_from` line."""
    for language in status(site, languages, default):
        for found in language.stale:
            yield Problem(found.path, found.line,
                          N_("stale translation: its original ({path}) changed after it was translated",
                             path=found.original.as_posix()),
                          N_("bring the text up to date, then set '{field}: {current}'", field=FIELD,
                             current=found.current),
                          "warning")


def stale_languages(incident: Incident) -> frozenset[str]:
    """The languages whose translation of `incident` is stale."""
    original = incident.texts[incident.original]
    return frozenset(lang for lang, text in incident.texts.items()
                     if lang != incident.original and is_stale(text, original))


def page_original(texts: Iterable[str], default: str) -> str:
    """The language of a plain page's original: the default language, else
    the first it has (the text the site shows where a translation is missing)."""
    return min(texts, key=lambda lang: (lang != default, lang))


def _page_original(page: Page, default: str) -> Text:
    return page.texts[page_original(page.texts, default)]


def _id(page: Page) -> str:
    return page.id


def status_text(statuses: Iterable[LanguageStatus], gettext: Gettext = english) -> str:
    """The status as an editor reads it, in the catalogue's language: one
    summary line per language, then one line per untranslated, stale or
    unrecorded incident or page."""
    lines: list[str] = []
    for found in statuses:
        if not found.incidents + found.pages:
            lines.append(N_("{language}: nothing to translate, every original is in {language}",
                            language=found.lang).translated(gettext))
            continue
        lines.append(N_(
            "{language}: {incidents_done} of {incidents} incidents and {pages_done} of {pages} pages "
            "translated; {untranslated} untranslated, {stale} stale, {unrecorded} without {field}",
            language=found.lang, incidents_done=found.incidents - _count(found, "incident"),
            incidents=found.incidents, pages_done=found.pages - _count(found, "page"), pages=found.pages,
            untranslated=len(found.missing), stale=len(found.stale), unrecorded=len(found.unrecorded),
            field=FIELD).translated(gettext))
        items = [_missing_line(missing, found.lang) for missing in found.missing]
        items += [N_("stale {kind} {id}: {path}:{line}: its original changed; bring it up to date, "
                     "then set '{field}: {current}'", kind=_KINDS[item.kind], id=item.id,
                     path=item.path.as_posix(), line=item.line, field=FIELD, current=item.current)
                  for item in found.stale]
        items += [N_("without {field} {kind} {id}: {path}: once it matches its original, add "
                     "'{field}: {current}'", field=FIELD, kind=_KINDS[item.kind], id=item.id,
                     path=item.path.as_posix(), current=item.current)
                  for item in found.unrecorded]
        lines += [f"  {item.translated(gettext)}" for item in items]
    return "".join(f"{line}\n" for line in lines)


_KINDS = {"incident": N_("incident"), "page": N_("page")}


def _missing_line(missing: Missing, lang: str) -> Message:
    if missing.kind == "incident":
        return N_("untranslated incident {id}: {command}", id=missing.id,
                  command=f"python build.py new --translate {missing.id} --lang {lang}")
    return N_("untranslated page {id}: translate {path}", id=missing.id, path=missing.original.as_posix())


def status_json(statuses: Iterable[LanguageStatus]) -> str:
    """The status as data, for dashboards: {"languages": {code: {...}}}."""
    languages = {}
    for found in statuses:
        languages[found.lang] = {
            "incidents": {"total": found.incidents,
                          "translated": found.incidents - _count(found, "incident")},
            "pages": {"total": found.pages, "translated": found.pages - _count(found, "page")},
            "untranslated": [{"kind": m.kind, "id": m.id, "original": m.original.as_posix()}
                             for m in found.missing],
            "stale": [_translation_data(item) for item in found.stale],
            "unrecorded": [_translation_data(item) for item in found.unrecorded],
        }
    return json.dumps({"languages": languages}, ensure_ascii=False, indent=2) + "\n"


def _translation_data(item: Translation) -> dict[str, object]:
    return {"kind": item.kind, "id": item.id, "path": item.path.as_posix(), "line": item.line,
            FIELD: item.recorded, "current": item.current, "original": item.original.as_posix()}


def _count(found: LanguageStatus, kind: Kind) -> int:
    return sum(1 for missing in found.missing if missing.kind == kind)
