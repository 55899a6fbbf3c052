"""The content model: incidents, their texts, registries and pages.

Facts are kept once, on the incident (from its original file); each language
only adds a `Text`. Everything is frozen, so later stages can share it freely.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from waqai.dates import PartialDate

Verification = Literal["verified", "reported", "disputed"]
MediaKind = Literal["video", "image", "post"]
REGISTRIES = ("actors", "places", "types", "tags")


@dataclass(frozen=True, slots=True)
class Correction:
    """A correction or update to an incident, dated, in one language's words."""

    date: datetime.date
    note: str
    """Plain text."""


@dataclass(frozen=True, slots=True)
class Text:
    """The words of one incident or page in one language."""

    lang: str
    title: str
    summary: str
    """Plain text; empty when the file has none."""
    body: str
    """Markdown source."""
    path: Path
    """The file, relative to the config's folder."""
    body_line: int
    """Line of the body's first line in that file, for problems in the Markdown."""
    html: str
    """The body rendered once, with markdown.ROOT where the way from the page
    to the site's top folder goes (see markdown.place_root)."""
    translated_from: str | None = None
    """A translation's record of the original text it was made from: the
    original's fingerprint then (translations.fingerprint), or None."""
    translated_from_line: int = 1
    """Line of `translated_from` in the file, for the stale-translation warning."""
    corrections: tuple[Correction, ...] = ()
    """Newest first (the order written on a day); a translation's have the
    same dates as its original's, so the n-th of each is the same correction."""
    words: str = ""
    """translations.fingerprint of title, summary and body, as worked out
    when the file was parsed ("" when not known: worked out when asked)."""


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact was reported."""

    url: str
    publisher: str
    title: str
    """In the source's own language; may be empty."""
    date: PartialDate | None
    archive_url: str


@dataclass(frozen=True, slots=True)
class Media:
    """An external video, image or post: linked, never loaded by the page."""

    kind: MediaKind
    url: str
    caption: str
    credit: str


@dataclass(frozen=True, slots=True)
class Casualties:
    """Reported numbers; None where the sources give none."""

    killed: int | None = None
    injured: int | None = None
    detained: int | None = None


@dataclass(frozen=True, slots=True)
class Incident:
    """One event of the chronology with its facts and its texts per language."""

    id: str
    date: PartialDate
    """Keeps the precision given: 2021, 2021-01 or 2021-01-27."""
    time: datetime.time | None
    end_date: PartialDate | None
    is_ongoing: bool
    """Still going on as of the latest source (never with `end_date`)."""
    type: str
    places: tuple[str, ...]
    actors: tuple[str, ...]
    tags: tuple[str, ...]
    related: tuple[str, ...]
    """Explicit links, in the order written; made two-way by `validate`."""
    sources: tuple[Source, ...]
    casualties: Casualties | None
    media: tuple[Media, ...]
    verification: Verification
    updated: datetime.date | None
    """The later of `updated` as written and the latest correction's date."""
    is_draft: bool
    original: str
    """Language code of the file that carries the facts."""
    texts: Mapping[str, Text]
    as_of: PartialDate | None = None
    """An ongoing incident: the last date it is known to be going on, when
    its sources do not say it (by default, the latest source's date)."""

    @property
    def ongoing_until(self) -> PartialDate | None:
        """How far an ongoing incident is known to run: `as_of`, else its
        latest dated source, never before its own date; None if not ongoing."""
        if not self.is_ongoing:
            return None
        if self.as_of is not None:
            return self.as_of
        dates = [self.date, *(s.date for s in self.sources if s.date is not None)]
        return max(dates, key=lambda d: (d.last_day, d.first_day))

    def text(self, lang: str) -> Text:
        """The text in `lang`, or the original's when there is no translation."""
        return self.texts.get(lang) or self.texts[self.original]

    def is_translated(self, lang: str) -> bool:
        """True when the incident has its own text in `lang`."""
        return lang in self.texts

    @property
    def sort_key(self) -> tuple[int, int, int, int, str]:
        """Chronological order: a month sorts before the days of that month
        (plain numbers, which sort at C speed: the preview sorts every incident)."""
        minutes = self.time.hour * 60 + self.time.minute if self.time else -1
        return (self.date.year, self.date.month, self.date.day, minutes, self.id)


@dataclass(frozen=True, slots=True)
class Entry:
    """An actor, place, type or tag, named in every language."""

    id: str
    name: Mapping[str, str]
    description: Mapping[str, str]
    within: str | None = None
    """Places: the id of the larger place."""
    lat: float | None = None
    lon: float | None = None
    aliases: tuple[str, ...] = ()
    acled: Mapping[str, str] | None = None
    """Types: {event_type, sub_event_type} from the ACLED codebook."""
    color: str | None = None
    """Types: the editor's colour, `#rrggbb` (palette.py makes it readable)."""
    line: int = 1
    """Line of the entry in its registry file, for problems."""


@dataclass(frozen=True, slots=True)
class Page:
    """A plain page (about, methodology) in one or more languages."""

    id: str
    texts: Mapping[str, Text]


@dataclass(frozen=True, slots=True)
class Site:
    """All content, checked and ready to derive pages from."""

    incidents: tuple[Incident, ...]
    """Published incidents in chronological order."""
    registries: Mapping[str, Mapping[str, Entry]]
    """"actors", "places", "types", "tags" -> id -> entry."""
    pages: tuple[Page, ...]
    media: tuple[Path, ...]
    """Local media files (absolute) to copy, under the content's media/ folder."""
    drafts: tuple[Incident, ...] = ()
    """Drafts left out of this build: their registry entries get no page."""

    @property
    def by_id(self) -> Mapping[str, Incident]:
        """Incidents by id."""
        return {incident.id: incident for incident in self.incidents}
