"""Raw records -> the content model, plus every problem found on the way.

Nothing here stops at the first problem: each file is read as far as it can
be, so that one run tells the editor everything to fix.
"""

from __future__ import annotations

import datetime
import difflib
import re
import zoneinfo
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from waqai import definitions
from waqai.config import Config
from waqai.dates import PartialDate
from waqai.definitions import names
from waqai.fields import LIST_PROBLEMS, Fields, bidi_warning, shown, unknown_id
from waqai.frontmatter import Key
from waqai.load import RawContent, RawFile
from waqai.markdown import image_problems
from waqai.model import (
    REGISTRIES,
    Casualties,
    Correction,
    Entry,
    Incident,
    Media,
    MediaKind,
    Page,
    Site,
    Source,
    Text,
    Verification,
)
from waqai.problems import N_, NAME_CUTOFF, Problem, Problems, did_you_mean
from waqai.registries import load_registry
from waqai.translations import is_stale, page_original

TEXT_FIELDS = names(definitions.TEXT)
INCIDENT_TEXT_FIELDS = (*TEXT_FIELDS, *names(definitions.INCIDENT_TEXT))
"""An incident's text fields: corrections are text, each language its own notes."""
CORRECTION_FIELDS = names(definitions.CORRECTION)
FIELD_MEANINGS = {"location": "places", "locations": "places", "category": "type"}
"""Fields editors write for one of ours, which no spelling brings close."""
TRANSLATION_FIELDS = names(definitions.TRANSLATION)
"""Fields of a translation only: the fingerprint of the original it was made from."""
FACT_FIELDS = names(definitions.FACTS)
SOURCE_FIELDS = names(definitions.SOURCE)
MEDIA_FIELDS = names(definitions.MEDIA)
CASUALTY_FIELDS = names(definitions.CASUALTIES)
VERIFICATION = definitions.VERIFICATION
RESERVED_PAGES = ("incidents", "search", "map", "static", "media", "corrections", *REGISTRIES)
_YEAR = re.compile(r"\d{4}")
_NOT_A_MAPPING = N_("front matter must be a mapping of fields such as 'title: ...'")

Registries = Mapping[str, Mapping[str, Entry]]
Written = list[tuple[Key, datetime.date, str | None]]
"""A file's corrections as written: where each sits, its date and its note (None if wrong)."""


@dataclass(slots=True)
class Memo:
    """Incidents already checked, by their files, and what they were checked
    against (registries, media, languages and incident ids: see `validate`)."""

    context: object = None
    incidents: dict[object, tuple[Incident | None, list[Problem]]] = field(default_factory=dict)


def validate(raw: RawContent, config: Config, *, drafts: bool = False, is_preview: bool = False,
             memo: Memo | None = None, today: datetime.date | None = None) -> tuple[Site, Problems]:
    """Check everything and build the site model; the site is only usable
    when the problems hold no error.

    With `is_preview` (the preview's own), drafts are included when they have
    no errors; a draft with errors is left out as `build` leaves it, so an
    unfinished draft never stops the preview.

    With a `memo` (the preview keeps one), an incident whose files, registries,
    media, languages and incident ids are all as last time is not checked
    again: the same input gives the same incident and problems.

    `today` (default: the date now in the site's timezone) is the latest date
    a correction may carry: the only use of the clock, which never reaches
    the output."""
    today = today or datetime.datetime.now(zoneinfo.ZoneInfo(config.timezone)).date()
    problems = Problems()
    registries = {name: load_registry(name, raw, config, problems) for name in REGISTRIES}
    media = frozenset(p.relative_to(config.content).as_posix() for p in raw.media)
    groups = _group(raw.files, config, problems)
    originals = {key[1]: _original(files) for key, files in groups.items() if key[0] == "incident"}
    draft_ids = [id_ for id_, file in originals.items() if _is_draft(file)]
    hidden = set() if drafts else set(draft_ids)
    with_original = frozenset(id_ for id_, file in originals.items() if file is not None)
    if is_preview:
        shown = Links(frozenset(originals), frozenset(), with_original)
        hidden = {id_ for id_ in draft_ids if _has_errors(
            groups[("incident", id_)], registries, media, shown, today, is_partial=id_ in raw.unread)}
    links = Links(frozenset(originals), frozenset(hidden), with_original)
    registry_digests = sorted(item for item in raw.digests.items() if item[0].endswith(".yaml"))
    context = (tuple(config.languages), media, links, today, tuple(digest for _, digest in registry_digests))
    known = memo.incidents if memo is not None and memo.context == context else {}
    fresh: dict[object, tuple[Incident | None, list[Problem]]] = {}
    incidents = []
    for (kind, id_), files in groups.items():
        if kind != "incident":
            continue
        key = (id_ in raw.unread, tuple((str(f.path), f.digest) for f in files))
        checked = fresh[key] = known[key] if key in known else _checked(
            files, registries, media, links, today, is_partial=id_ in raw.unread)
        incident, found = checked
        problems += _as_warnings(found) if id_ in hidden else found
        if incident is not None:
            incidents.append(incident)
    if memo is not None:
        memo.context, memo.incidents = context, fresh
    pages = [
        _page(files, media, problems, config.default_language)
        for (kind, _), files in groups.items() if kind == "page"
    ]
    published = sorted((i for i in incidents if i.id not in hidden), key=lambda i: i.sort_key)
    left_out = sorted((i for i in incidents if i.id in hidden), key=lambda i: i.sort_key)
    return Site(tuple(published), registries, tuple(pages), raw.media, tuple(left_out)), problems


def _checked(files: list[RawFile], registries: Registries, media: frozenset[str], links: Links,
             today: datetime.date, *, is_partial: bool) -> tuple[Incident | None, list[Problem]]:
    found = Problems()
    incident = _incident(files, registries, media, links, found, today, is_partial=is_partial)
    return incident, list(found)


def _has_errors(files: list[RawFile], registries: Registries, media: frozenset[str], links: Links,
                today: datetime.date, *, is_partial: bool) -> bool:
    """Whether an incident's own files have errors (a draft's, in the preview)."""
    _, found = _checked(files, registries, media, links, today, is_partial=is_partial)
    return any(problem.severity == "error" for problem in found)


def _as_warnings(found: list[Problem]) -> list[Problem]:
    """A draft left out of the build does not stop it: its problems are warnings."""
    return [replace(problem, severity="warning") for problem in found]


@dataclass(frozen=True, slots=True)
class Links:
    """What `related` may point at."""

    known: frozenset[str]
    """Every incident id, drafts included."""
    hidden: frozenset[str]
    """Drafts left out of this build: links to them are dropped with a warning."""
    originals: frozenset[str] = frozenset()
    """Ids that have an original: what a translation's file name may have meant."""


def _original(files: list[RawFile]) -> RawFile | None:
    """The file that carries the facts (the first with `date`), if any."""
    return next((f for f in files if isinstance(f.front.data, dict) and "date" in f.front.data),
                None)


def _is_draft(file: RawFile | None) -> bool:
    data = file.front.data if file else None
    draft = data.get("draft") if isinstance(data, dict) else None
    return isinstance(draft, str) and draft.lower() == "true"


def _group(files: Sequence[RawFile], config: Config,
           problems: Problems) -> dict[tuple[str, str], list[RawFile]]:
    """Files by (kind, id); drops files in unknown languages or doubled languages."""
    groups: dict[tuple[str, str], list[RawFile]] = defaultdict(list)
    for file in files:
        if file.lang not in config.languages:
            problems.error(file.path, None,
                           N_("language '{language}' is not configured", language=shown(file.lang)),
                           did_you_mean(file.lang, config.languages)
                           or N_("configured: {languages}", languages=", ".join(config.languages)))
            continue
        same = [f for f in groups[(file.kind, file.id)] if f.lang == file.lang]
        if same:
            message = (N_("duplicate incident id '{id}' in language '{language}': also in {path}",
                          id=file.id, language=file.lang, path=same[0].path.as_posix())
                       if file.kind == "incident" else
                       N_("duplicate page id '{id}' in language '{language}': also in {path}",
                          id=file.id, language=file.lang, path=same[0].path.as_posix()))
            problems.error(file.path, None, message)
            continue
        groups[(file.kind, file.id)].append(file)
    return dict(sorted(groups.items()))


def _incident(files: list[RawFile], registries: Registries, media: frozenset[str],
              links: Links, problems: Problems, today: datetime.date, *,
              is_partial: bool = False) -> Incident | None:
    originals = [f for f in files if isinstance(f.front.data, dict) and "date" in f.front.data]
    if not originals:
        for file in [] if is_partial else files:
            meant = difflib.get_close_matches(file.id, sorted(links.originals), n=1, cutoff=0.85)
            if isinstance(file.front.data, dict) and meant:
                problems.error(file.path, 1, N_("no original has the id '{id}'", id=file.id),
                               N_("did you mean '{meant}'? a translation's file is named after its "
                                  "original: rename it {name}", meant=meant[0],
                                  name=f"{meant[0]}.{file.lang}.md"))
            elif isinstance(file.front.data, dict):
                problems.error(file.path, 1, N_("incident '{id}' has no original: exactly one of "
                                                "its files must carry the facts, starting with 'date'",
                                                id=file.id))
            else:
                Fields(file.front, file.path, problems).error((), _NOT_A_MAPPING)
        return None
    original = originals[0]
    for other in originals[1:]:
        problems.error(other.path, other.front.line(("date",)),
                       N_("incident '{id}' has two originals: this file and {path} both set 'date'",
                          id=other.id, path=original.path.as_posix()),
                       N_("keep the facts in one file and only title, summary and text in the other"))
    texts = {}
    written: dict[str, tuple[Fields, Written]] = {}
    for file in files:
        fields = Fields(file.front, file.path, problems)
        if not isinstance(file.front.data, dict):
            fields.error((), _NOT_A_MAPPING)
            continue
        # A second original already has its own error: its facts are not also
        # "fact fields in a translation".
        _check_fields(fields, is_original=file in originals)
        corrections = _corrections(fields)
        text = _text(file, fields, media, problems, _newest_first(corrections))
        written[file.lang] = (fields, corrections)
        if text is not None:
            texts[file.lang] = text
    texts = _stale_lines(texts, original.lang, files)
    fields = Fields(original.front, original.path, problems)
    incident = _facts(original, fields, registries, links, texts)
    if original.lang in written:
        _check_corrections(written, original, incident.date if incident else None, today)
    return incident if original.lang in texts else None


def _check_fields(fields: Fields, is_original: bool) -> None:
    allowed = INCIDENT_TEXT_FIELDS + (FACT_FIELDS if is_original else TRANSLATION_FIELDS)
    data = cast(dict[str, object], fields.doc.data)
    for key in data:
        if key in allowed:
            continue
        if key in FACT_FIELDS:
            fields.error((key,), N_("fact field '{field}' in a translation", field=key),
                         N_("facts are written once, in the original (the file with 'date')"))
        elif key in TRANSLATION_FIELDS:
            fields.error((key,), N_("'{field}' in an original", field=key),
                         N_("only a translation records the original it was made from; remove it here"))
        else:
            meant = FIELD_MEANINGS.get(key.lower())
            fields.error((key,), N_("unknown field '{field}'", field=key),
                         N_("did you mean '{meant}'?", meant=meant) if meant else
                         did_you_mean(key, INCIDENT_TEXT_FIELDS + FACT_FIELDS + TRANSLATION_FIELDS,
                                      NAME_CUTOFF))


def _text(file: RawFile, fields: Fields, media: frozenset[str], problems: Problems,
          corrections: tuple[Correction, ...] = ()) -> Text | None:
    title = fields.text(("title",), required=True)
    summary = fields.text(("summary",)) or ""
    if file.has_bidi_controls:
        fields.warn_bidi_controls()
    for line, message in image_problems(file.images, media):
        problems.error(file.path, file.body_line + line, message)
    for line, control in file.body_bidi_controls:
        problems.warning(file.path, file.body_line + line, bidi_warning(control))
    for line, tag in file.raw_html:
        problems.warning(file.path, file.body_line + line,
                         N_("raw HTML {tag} is shown as text, not used as markup", tag=_abridged(tag)),
                         N_("write Markdown instead, or put the tag in `code`"))
    if title is None:
        return None
    return Text(file.lang, title.strip(), " ".join(summary.split()), file.body, file.path,
                file.body_line, file.html, fields.fingerprint(("translated_from",)),
                corrections=corrections, words=file.words)


def _abridged(tag: str) -> str:
    """A tag as quoted in a problem: on one line, at most 40 characters."""
    tag = shown(" ".join(tag.split()))
    return tag if len(tag) <= 40 else tag[:39] + "…"


def _facts(file: RawFile, fields: Fields, registries: Registries, links: Links,
           texts: dict[str, Text]) -> Incident | None:
    date = fields.date(("date",), required=True)
    end_date = fields.date(("end_date",))
    is_ongoing = fields.boolean(("ongoing",))
    if date and end_date and end_date.last_day < date.first_day:
        fields.error(("end_date",), N_("end_date {end_date} is before date {date}", end_date=str(end_date),
                                       date=str(date)))
    if end_date and is_ongoing:
        fields.error(("ongoing",), N_("an incident with an end_date cannot be ongoing"),
                     N_("remove one of 'ongoing' and 'end_date'"))
    as_of = fields.date(("as_of",))
    if as_of and not is_ongoing:
        fields.error(("as_of",), N_("as_of only dates an ongoing incident"),
                     N_("add 'ongoing: true' or remove 'as_of'"))
    elif as_of and date and as_of.last_day < date.first_day:
        fields.error(("as_of",), N_("as_of {as_of} is before date {date}", as_of=str(as_of), date=str(date)))
    updated = fields.day(("updated",))
    _check_not_future(fields, date, end_date, updated)
    type_ = fields.text(("type",), required=True)
    if type_ is not None and type_ not in registries["types"]:
        fields.unknown_id(("type",), type_, registries["types"], "type")
    places = fields.ids(("places",), registries["places"], "place")
    if fields.get(("places",)) is None:
        fields.error(("places",), N_("missing required field '{field}'", field="places"),
                     N_("list at least one place"))
    elif not fields.items(("places",)):
        fields.error(("places",), N_("'{field}' is empty", field="places"), N_("list at least one place"))
    sources = _sources(fields)
    incident = Incident(
        id=file.id, date=date or PartialDate(1), time=fields.time(("time",)), end_date=end_date,
        is_ongoing=is_ongoing, type=type_ or "", places=places,
        actors=fields.ids(("actors",), registries["actors"], "actor"),
        tags=fields.ids(("tags",), registries["tags"], "tag"),
        related=_related_ids(fields, file.id, links), sources=sources,
        casualties=_casualties(fields), media=_media(fields),
        verification=cast(Verification, fields.choice(("verification",), VERIFICATION, "reported")),
        updated=_updated(updated, texts.get(file.lang)),
        is_draft=fields.boolean(("draft",)),
        original=file.lang, texts=texts, as_of=as_of if is_ongoing else None,
    )
    return incident if date else None


def _updated(written: datetime.date | None, text: Text | None) -> datetime.date | None:
    """The later of `updated` as written and the latest correction."""
    latest = text.corrections[0].date if text and text.corrections else None
    return max(written, latest) if written and latest else written or latest


def _corrections(fields: Fields) -> Written:
    """A file's corrections, each with its date (when it is one) and its note."""
    value = fields.get(("corrections",))
    if value is not None and not isinstance(value, list):
        fields.error(("corrections",), "'corrections' must be a list of {date, note}",
                     "write each correction as a '- date: YYYY-MM-DD' item with its 'note'")
        return []
    found: Written = []
    for i, item in enumerate(value or []):
        key: Key = ("corrections", i)
        if not isinstance(item, dict):
            fields.error(key, N_("each correction must be a mapping with date and note"))
            continue
        fields.check_keys(key, CORRECTION_FIELDS, "correction field")
        if fields.get((*key, "date")) is None:
            fields.error((*key, "date"), N_("missing required field '{field}'", field="corrections.date"),
                         N_("the day of the correction, YYYY-MM-DD"))
        day = fields.day((*key, "date"))
        note = fields.text((*key, "note"), required=True)
        if day is not None:
            found.append((key, day, " ".join(note.split()) if note else None))
    return found


def _newest_first(written: Written) -> tuple[Correction, ...]:
    """Corrections newest first; those of one day in the order written."""
    dated = [Correction(day, note) for _, day, note in written if note]
    return tuple(sorted(dated, key=lambda c: c.date, reverse=True))


def _check_corrections(written: dict[str, tuple[Fields, Written]], original: RawFile,
                       date: PartialDate | None, today: datetime.date) -> None:
    """The original's corrections fall between the incident and today; every
    translation gives the same dates (each language writes its own notes)."""
    fields, own = written[original.lang]
    for key, day, _ in own:
        if day > today:
            fields.error((*key, "date"), N_("correction date {day} is in the future", day=str(day)),
                         N_("date a correction on the day it is made"))
        elif date is not None and day < date.first_day:
            fields.error((*key, "date"), N_("correction date {day} is before the incident's date {date}",
                                            day=str(day), date=str(date)))
    days = sorted(day for _, day, _ in own)
    for lang, (other, found) in written.items():
        if lang == original.lang or sorted(day for _, day, _ in found) == days:
            continue
        expected, given = Counter(days), Counter(day for _, day, _ in found)
        missing = ", ".join(str(d) for d in sorted((expected - given).elements()))
        extra = ", ".join(str(d) for d in sorted((given - expected).elements()))
        if missing and extra:
            message = N_("the dates of 'corrections' differ from the original's ({path}): missing "
                         "{missing}; not in the original: {extra}", path=original.path.as_posix(),
                         missing=missing, extra=extra)
        elif missing:
            message = N_("the dates of 'corrections' differ from the original's ({path}): missing "
                         "{missing}", path=original.path.as_posix(), missing=missing)
        else:
            message = N_("the dates of 'corrections' differ from the original's ({path}): not in the "
                         "original: {extra}", path=original.path.as_posix(), extra=extra)
        other.error(("corrections",), message,
                    N_("give every correction of the original, with the same date, in this language's words"))


def _check_not_future(fields: Fields, date: PartialDate | None, end_date: PartialDate | None,
                      updated: datetime.date | None) -> None:
    """A chronology records what has happened: a date after tomorrow (time
    zones apart) is a typo, such as 2201 for 2021."""
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    if date and date.first_day > tomorrow:
        fields.error(("date",), N_("date {date} is in the future", date=str(date)), N_("check the year"))
    if end_date and end_date.first_day > tomorrow:
        fields.error(("end_date",), N_("end_date {end_date} is in the future", end_date=str(end_date)),
                     N_("for what is still going on, write 'ongoing: true' instead"))
    if updated and updated > tomorrow:
        fields.error(("updated",), N_("updated {updated} is in the future", updated=str(updated)),
                     N_("check the year"))


def _related_ids(fields: Fields, own: str, links: Links) -> tuple[str, ...]:
    result: dict[str, None] = {}
    found = Problems()
    check = Fields(fields.doc, fields.path, found)
    for i, value in enumerate(fields.items(("related",))):
        key = ("related", i) if isinstance(fields.get(("related",)), list) else ("related",)
        if not isinstance(value, str):
            check.error(key, N_("'related' must list incident ids"))
        elif value == own:
            check.error(key, N_("incident '{id}' is related to itself", id=own))
        elif value not in links.known:
            message, hint = unknown_id("incident", value, links.known)
            check.error(key, N_("{problem} in 'related'", problem=message), hint)
        elif value in links.hidden:
            found.warning(fields.path, fields.line(key),
                          N_("related incident '{id}' is a draft; the link is left out", id=value))
        elif value not in result:
            result[value] = None
        if len(found) > LIST_PROBLEMS:
            break
    fields.report_list(("related",), found)
    return tuple(result)


def _sources(fields: Fields) -> tuple[Source, ...]:
    items = fields.items(("sources",))
    if not items:
        is_empty = fields.get(("sources",)) == []
        message = N_("'{field}' is empty", field="sources") if is_empty else \
            N_("missing required field '{field}'", field="sources")
        fields.error(("sources",), message, N_("give at least one source with url and publisher"))
    sources = []
    for i in range(len(items)):
        key = ("sources", i)
        if not isinstance(fields.get(key), dict):
            fields.error(key, N_("each source must be a mapping with url and publisher"))
            continue
        fields.check_keys(key, SOURCE_FIELDS, "source field")
        url = fields.url((*key, "url"), required=True)
        publisher = fields.text((*key, "publisher"), required=True)
        source = Source(url or "", publisher or "", fields.text((*key, "title")) or "",
                        fields.date((*key, "date")), fields.url((*key, "archive_url")) or "")
        if url and publisher:
            sources.append(source)
    return tuple(sources)


def _casualties(fields: Fields) -> Casualties | None:
    if fields.get(("casualties",)) is None:
        return None
    if not isinstance(fields.get(("casualties",)), dict):
        fields.error(("casualties",), N_("casualties must be a mapping such as {example}",
                                         example="{killed: 0, injured: 2}"))
        return None
    fields.check_keys(("casualties",), CASUALTY_FIELDS, "casualties field")
    return Casualties(*(fields.count(("casualties", name)) for name in CASUALTY_FIELDS))


def _media(fields: Fields) -> tuple[Media, ...]:
    result = []
    for i in range(len(fields.items(("media",)))):
        key = ("media", i)
        if not isinstance(fields.get(key), dict):
            fields.error(key, N_("each media item must be a mapping with kind and url"))
            continue
        fields.check_keys(key, MEDIA_FIELDS, "media field")
        kind = fields.choice((*key, "kind"), definitions.MEDIA_KINDS, "post")
        if fields.get((*key, "kind")) is None:
            fields.error((*key, "kind"), N_("missing required field '{field}'", field="kind"),
                         N_("one of {choices}", choices=", ".join(definitions.MEDIA_KINDS)))
        url = fields.url((*key, "url"), required=True)
        if url:
            result.append(Media(cast(MediaKind, kind), url, fields.text((*key, "caption")) or "",
                                fields.text((*key, "credit")) or ""))
    return tuple(result)


def _page(files: list[RawFile], media: frozenset[str], problems: Problems, default: str) -> Page:
    texts = {}
    original_lang = page_original((f.lang for f in files), default)
    for file in files:
        fields = Fields(file.front, file.path, problems)
        if file.id in RESERVED_PAGES or _YEAR.fullmatch(file.id):
            problems.error(file.path, None, N_("page id '{id}' is taken by the site's own pages ({address})",
                                              id=file.id, address=f"/{file.lang}/{file.id}/"),
                           N_("rename the file"))
        if not isinstance(file.front.data, dict):
            fields.error((), _NOT_A_MAPPING)
            continue
        is_original = file.lang == original_lang
        fields.check_keys((), TEXT_FIELDS if is_original else TEXT_FIELDS + TRANSLATION_FIELDS, "field")
        text = _text(file, fields, media, problems)
        if text is not None:
            texts[file.lang] = text
    return Page(files[0].id, _stale_lines(texts, original_lang, files))


def _stale_lines(texts: dict[str, Text], original: str, files: list[RawFile]) -> dict[str, Text]:
    """Stale translations with the line of their `translated_from`, for the
    warning (lines cost a parse of a cached file, so only these are found)."""
    if original not in texts:
        return texts
    fronts = {file.lang: file.front for file in files}
    return {lang: replace(text, translated_from_line=fronts[lang].line(("translated_from",)))
            if lang != original and is_stale(text, texts[original]) else text
            for lang, text in texts.items()}
