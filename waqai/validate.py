"""Raw records -> the content model, plus every problem found on the way.

Nothing here stops at the first problem: each file is read as far as it can
be, so that one run tells the editor everything to fix.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import cast

from waqai.config import Config
from waqai.dates import PartialDate
from waqai.fields import BIDI_CONTROLS, LIST_PROBLEMS, Fields, bidi_warning, shown, unknown_id
from waqai.load import RawContent, RawFile
from waqai.markdown import image_problems
from waqai.model import (
    REGISTRIES,
    Casualties,
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
from waqai.problems import Problem, Problems, did_you_mean
from waqai.registries import load_registry

TEXT_FIELDS = ("title", "summary")
FACT_FIELDS = (
    "date", "time", "end_date", "ongoing", "type", "places", "actors", "tags", "related",
    "sources", "casualties", "media", "verification", "updated", "draft",
)
SOURCE_FIELDS = ("url", "publisher", "title", "date", "archive_url")
MEDIA_FIELDS = ("kind", "url", "caption", "credit")
CASUALTY_FIELDS = ("killed", "injured", "detained")
VERIFICATION = ("verified", "reported", "disputed")
RESERVED_PAGES = ("incidents", "search", "static", "media", *REGISTRIES)
_YEAR = re.compile(r"\d{4}")
_NOT_A_MAPPING = "front matter must be a mapping of fields such as 'title: ...'"

Registries = Mapping[str, Mapping[str, Entry]]


@dataclass(slots=True)
class Memo:
    """Incidents already checked, by their files, and what they were checked
    against (registries, media, languages and incident ids: see `validate`)."""

    context: object = None
    incidents: dict[object, tuple[Incident | None, list[Problem]]] = field(default_factory=dict)


def validate(raw: RawContent, config: Config, *, drafts: bool = False,
             memo: Memo | None = None) -> tuple[Site, Problems]:
    """Check everything and build the site model; the site is only usable
    when the problems hold no error.

    With a `memo` (the preview keeps one), an incident whose files, registries,
    media, languages and incident ids are all as last time is not checked
    again: the same input gives the same incident and problems."""
    problems = Problems()
    registries = {name: load_registry(name, raw, config, problems) for name in REGISTRIES}
    media = frozenset(p.relative_to(config.content).as_posix() for p in raw.media)
    groups = _group(raw.files, config, problems)
    originals = {key[1]: _original(files) for key, files in groups.items() if key[0] == "incident"}
    hidden = set() if drafts else {id_ for id_, file in originals.items() if _is_draft(file)}
    links = Links(frozenset(originals), frozenset(hidden))
    context = (tuple(config.languages), media, links,
               tuple(digest for path, digest in sorted(raw.digests.items()) if path.endswith(".yaml")))
    known = memo.incidents if memo is not None and memo.context == context else {}
    fresh: dict[object, tuple[Incident | None, list[Problem]]] = {}
    incidents = []
    for (kind, id_), files in groups.items():
        if kind != "incident":
            continue
        key = (id_ in raw.unread, tuple((str(f.path), f.digest) for f in files))
        checked = fresh[key] = known[key] if key in known else _checked(
            files, registries, media, links, is_partial=id_ in raw.unread)
        incident, found = checked
        problems += _as_warnings(found) if id_ in hidden else found
        if incident is not None:
            incidents.append(incident)
    if memo is not None:
        memo.context, memo.incidents = context, fresh
    pages = [
        _page(files, media, problems) for (kind, _), files in groups.items() if kind == "page"
    ]
    published = sorted((i for i in incidents if i.id not in hidden), key=lambda i: i.sort_key)
    left_out = sorted((i for i in incidents if i.id in hidden), key=lambda i: i.sort_key)
    return Site(tuple(published), registries, tuple(pages), raw.media, tuple(left_out)), problems


def _checked(files: list[RawFile], registries: Registries, media: frozenset[str], links: Links, *,
             is_partial: bool) -> tuple[Incident | None, list[Problem]]:
    found = Problems()
    incident = _incident(files, registries, media, links, found, is_partial=is_partial)
    return incident, list(found)


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
            problems.error(file.path, None, f"language '{shown(file.lang)}' is not configured",
                           did_you_mean(file.lang, config.languages)
                           or f"configured: {', '.join(config.languages)}")
            continue
        same = [f for f in groups[(file.kind, file.id)] if f.lang == file.lang]
        if same:
            problems.error(file.path, None, f"duplicate {file.kind} id '{file.id}' in language "
                           f"'{file.lang}': also in {same[0].path.as_posix()}")
            continue
        groups[(file.kind, file.id)].append(file)
    return dict(sorted(groups.items()))


def _incident(files: list[RawFile], registries: Registries, media: frozenset[str],
              links: Links, problems: Problems, *, is_partial: bool = False) -> Incident | None:
    originals = [f for f in files if isinstance(f.front.data, dict) and "date" in f.front.data]
    if not originals:
        for file in [] if is_partial else files:
            if isinstance(file.front.data, dict):
                problems.error(file.path, 1, f"incident '{file.id}' has no original: exactly one "
                               "of its files must carry the facts, starting with 'date'")
            else:
                Fields(file.front, file.path, problems).error((), _NOT_A_MAPPING)
        return None
    original = originals[0]
    for other in originals[1:]:
        problems.error(other.path, other.front.line(("date",)), f"incident '{other.id}' has two "
                       f"originals: this file and {original.path.as_posix()} both set 'date'",
                       "keep the facts in one file and only title, summary and text in the other")
    texts = {}
    for file in files:
        fields = Fields(file.front, file.path, problems)
        if not isinstance(file.front.data, dict):
            fields.error((), _NOT_A_MAPPING)
            continue
        # A second original already has its own error: its facts are not also
        # "fact fields in a translation".
        _check_fields(fields, is_original=file in originals)
        text = _text(file, fields, media, problems)
        if text is not None:
            texts[file.lang] = text
    fields = Fields(original.front, original.path, problems)
    incident = _facts(original, fields, registries, links, texts)
    return incident if original.lang in texts else None


def _check_fields(fields: Fields, is_original: bool) -> None:
    allowed = TEXT_FIELDS + FACT_FIELDS if is_original else TEXT_FIELDS
    data = cast(dict[str, object], fields.doc.data)
    for key in data:
        if key in allowed:
            continue
        if key in FACT_FIELDS:
            fields.error((key,), f"fact field '{key}' in a translation",
                         "facts are written once, in the original (the file with 'date')")
        else:
            fields.error((key,), f"unknown field '{key}'",
                         did_you_mean(key, TEXT_FIELDS + FACT_FIELDS))


def _text(file: RawFile, fields: Fields, media: frozenset[str], problems: Problems) -> Text | None:
    title = fields.text(("title",), required=True)
    summary = fields.text(("summary",)) or ""
    if file.has_bidi_controls:
        fields.warn_bidi_controls()
    for line, message in image_problems(file.images, media):
        problems.error(file.path, file.body_line + line, message)
    for match in BIDI_CONTROLS.finditer(file.body):
        line = file.body_line + file.body.count("\n", 0, match.start())
        problems.warning(file.path, line, bidi_warning(match.group()))
    for line, tag in file.raw_html:
        problems.warning(file.path, file.body_line + line, f"raw HTML {_abridged(tag)} is shown as "
                         "text, not used as markup", "write Markdown instead, or put the tag in `code`")
    if title is None:
        return None
    return Text(file.lang, title.strip(), " ".join(summary.split()), file.body, file.path,
                file.body_line, file.html)


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
        fields.error(("end_date",), f"end_date {end_date} is before date {date}")
    if end_date and is_ongoing:
        fields.error(("ongoing",), "an incident with an end_date cannot be ongoing",
                     "remove one of 'ongoing' and 'end_date'")
    updated = fields.day(("updated",))
    _check_not_future(fields, date, end_date, updated)
    type_ = fields.text(("type",), required=True)
    if type_ is not None and type_ not in registries["types"]:
        fields.error(("type",), *unknown_id("type", type_, registries["types"]))
    places = fields.ids(("places",), registries["places"], "place")
    if fields.get(("places",)) is None:
        fields.error(("places",), "missing required field 'places'", "list at least one place")
    elif not fields.items(("places",)):
        fields.error(("places",), "'places' is empty", "list at least one place")
    sources = _sources(fields)
    incident = Incident(
        id=file.id, date=date or PartialDate(1), time=fields.time(("time",)), end_date=end_date,
        is_ongoing=is_ongoing, type=type_ or "", places=places,
        actors=fields.ids(("actors",), registries["actors"], "actor"),
        tags=fields.ids(("tags",), registries["tags"], "tag"),
        related=_related_ids(fields, file.id, links), sources=sources,
        casualties=_casualties(fields), media=_media(fields),
        verification=cast(Verification, fields.choice(("verification",), VERIFICATION, "reported")),
        updated=updated, is_draft=fields.boolean(("draft",)),
        original=file.lang, texts=texts,
    )
    return incident if date else None


def _check_not_future(fields: Fields, date: PartialDate | None, end_date: PartialDate | None,
                      updated: datetime.date | None) -> None:
    """A chronology records what has happened: a date after tomorrow (time
    zones apart) is a typo, such as 2201 for 2021."""
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    if date and date.first_day > tomorrow:
        fields.error(("date",), f"date {date} is in the future", "check the year")
    if end_date and end_date.first_day > tomorrow:
        fields.error(("end_date",), f"end_date {end_date} is in the future",
                     "for what is still going on, write 'ongoing: true' instead")
    if updated and updated > tomorrow:
        fields.error(("updated",), f"updated {updated} is in the future", "check the year")


def _related_ids(fields: Fields, own: str, links: Links) -> tuple[str, ...]:
    result: dict[str, None] = {}
    found = Problems()
    check = Fields(fields.doc, fields.path, found)
    for i, value in enumerate(fields.items(("related",))):
        key = ("related", i) if isinstance(fields.get(("related",)), list) else ("related",)
        if not isinstance(value, str):
            check.error(key, "'related' must list incident ids")
        elif value == own:
            check.error(key, f"incident '{own}' is related to itself")
        elif value not in links.known:
            message, hint = unknown_id("incident", value, links.known)
            check.error(key, f"{message} in 'related'", hint)
        elif value in links.hidden:
            found.warning(fields.path, fields.line(key),
                          f"related incident '{value}' is a draft; the link is left out")
        elif value not in result:
            result[value] = None
        if len(found) > LIST_PROBLEMS:
            break
    listed = list(found)
    problems = fields.problems
    problems += listed[:LIST_PROBLEMS]
    if len(listed) > LIST_PROBLEMS:
        fields.error(("related",), "more problems in 'related' than are listed here",
                     "fix these, then check again")
    return tuple(result)


def _sources(fields: Fields) -> tuple[Source, ...]:
    items = fields.items(("sources",))
    if not items:
        is_empty = fields.get(("sources",)) == []
        message = "'sources' is empty" if is_empty else "missing required field 'sources'"
        fields.error(("sources",), message, "give at least one source with url and publisher")
    sources = []
    for i in range(len(items)):
        key = ("sources", i)
        if not isinstance(fields.get(key), dict):
            fields.error(key, "each source must be a mapping with url and publisher")
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
        fields.error(("casualties",), "casualties must be a mapping such as {killed: 0, injured: 2}")
        return None
    fields.check_keys(("casualties",), CASUALTY_FIELDS, "casualties field")
    return Casualties(*(fields.count(("casualties", name)) for name in CASUALTY_FIELDS))


def _media(fields: Fields) -> tuple[Media, ...]:
    result = []
    for i in range(len(fields.items(("media",)))):
        key = ("media", i)
        if not isinstance(fields.get(key), dict):
            fields.error(key, "each media item must be a mapping with kind and url")
            continue
        fields.check_keys(key, MEDIA_FIELDS, "media field")
        kind = fields.choice((*key, "kind"), ("video", "image", "post"), "post")
        if fields.get((*key, "kind")) is None:
            fields.error((*key, "kind"), "missing required field 'kind'", "video, image or post")
        url = fields.url((*key, "url"), required=True)
        if url:
            result.append(Media(cast(MediaKind, kind), url, fields.text((*key, "caption")) or "",
                                fields.text((*key, "credit")) or ""))
    return tuple(result)


def _page(files: list[RawFile], media: frozenset[str], problems: Problems) -> Page:
    texts = {}
    for file in files:
        fields = Fields(file.front, file.path, problems)
        if file.id in RESERVED_PAGES or _YEAR.fullmatch(file.id):
            problems.error(file.path, None, f"page id '{file.id}' is taken by the site's own "
                           f"pages (/{file.lang}/{file.id}/)", "rename the file")
        if not isinstance(file.front.data, dict):
            fields.error((), _NOT_A_MAPPING)
            continue
        fields.check_keys((), TEXT_FIELDS, "field")
        text = _text(file, fields, media, problems)
        if text is not None:
            texts[file.lang] = text
    return Page(files[0].id, texts)
