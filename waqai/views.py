"""Plain data for the templates.

Templates compute nothing: every date is formatted, every text carries its
language and direction, and every link is a path inside the site (from
routes.py). The context functions that build this data are in contexts.py.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from waqai.routes import ROOT, escaped


@dataclass(frozen=True, slots=True)
class Label:
    """Text with its language and direction, isolated when shown."""

    text: str
    lang: str
    dir: str
    is_foreign: bool
    """True when its language is not the page's: marked with lang/dir."""

    def __html__(self) -> str:
        """Isolated in `<bdi>`, and marked with its language when foreign: what
        templates show for `{{ label }}` (a method, not a macro: pages show
        hundreds of labels)."""
        marks = f' lang="{self.lang}" dir="{self.dir}"' if self.is_foreign and self.lang else ""
        return f"<bdi{marks}>{escaped(self.text)}</bdi>"

    @property
    def marks(self) -> Markup:
        """` lang=".." dir=".."` for an element holding this text, when foreign."""
        return Markup(f' lang="{self.lang}" dir="{self.dir}"' if self.is_foreign and self.lang else "")


@dataclass(frozen=True, slots=True)
class When:
    """A date or time for `<time datetime=value>text</time>`."""

    value: str
    text: str

    def __html__(self) -> str:
        """`<time datetime=...>`: what templates show for `{{ when }}`."""
        return f'<time datetime="{escaped(self.value)}">{escaped(self.text)}</time>'


@dataclass(frozen=True, slots=True)
class Link:
    """A named thing; `path` is its page in the site ("" when it has none)."""

    path: str
    label: Label
    _html: str = field(default="", init=False, repr=False, compare=False)
    """What it shows as, once shown: a registry entry's link is shown on
    thousands of pages."""

    def __html__(self) -> str:
        """The label, linked to its page from wherever it is shown (routes.ROOT
        is replaced with the page's way to the top folder)."""
        if not self._html:
            html = self.label.__html__()
            object.__setattr__(self, "_html", f'<a href="{ROOT}{escaped(self.path)}">{html}</a>'
                               if self.path else html)
        return self._html


@dataclass(frozen=True, slots=True)
class Alternate:
    """One `<link rel="alternate" hreflang>` of a page."""

    hreflang: str
    url: str


@dataclass(frozen=True, slots=True)
class Switch:
    """The same page in another language."""

    lang: str
    dir: str
    name: str
    path: str


@dataclass(frozen=True, slots=True)
class Head:
    """What every page's frame needs."""

    lang: str
    dir: str
    title: str
    description: str
    canonical: str
    alternates: tuple[Alternate, ...]
    switch: tuple[Switch, ...]
    site_title: str
    home: str
    nav: tuple[Link, ...]
    feed: str = ""
    """This language's Atom feed (`ar/feed.xml`), for autodiscovery."""
    og_title: str = ""
    """The page's own title, without the site's, for link previews."""
    og_type: str = "website"
    """`article` on incident pages."""
    og_locale: str = ""
    """Language and territory of the page's text: `ar_SY`, `en_US`."""
    og_locale_alternates: tuple[str, ...] = ()
    json_ld: str = ""
    """Incident pages: schema.org JSON, already escaped for a `<script>` data block."""
    registries: tuple[tuple[str, str], ...] = ()
    """(registry, path of its index) for browsing: actors, places, types, tags."""
    downloads: tuple[tuple[str, str], ...] = ()
    """(format, path) of the chronology as data: Atom, JSON, CSV, TimelineJS."""
    search: str = ""
    """This language's search page, linked from the site's navigation."""
    map: str = ""
    """This language's map page ("" when no place has coordinates)."""
    corrections: str = ""
    """This language's corrections and updates, linked from the footer."""
    previous: str = ""
    next: str = ""
    """The previous and next page of a series (`<link rel="prev/next">`)."""

    root: str = ""
    """From this page up to the site's top folder: `../../../`."""


@dataclass(frozen=True, slots=True)
class Card:
    """An incident as listed on the timeline and elsewhere."""

    path: str
    title: Label
    summary: Label | None
    date: When
    end: When | None
    is_ongoing: bool
    until: When | None
    """An ongoing incident: how far it is known to run ("ongoing as of ...")."""
    type: Link
    type_id: str
    places: tuple[Link, ...]
    is_translated: bool
    is_continuing: bool
    """Listed again under a later month that it still covers."""
    is_draft: bool = False
    """Not published yet: shown only in the preview and by `build --drafts`."""
    verification: str = "reported"
    """verified, reported or disputed."""


@dataclass(frozen=True, slots=True)
class SourceView:
    """A source as cited on an incident page."""

    url: str
    publisher: Label
    title: Label | None
    date: When | None
    archive_url: str


@dataclass(frozen=True, slots=True)
class MediaView:
    """An external video, image or post, shown as a link (never loaded)."""

    kind: str
    url: str
    host: str
    caption: Label | None
    credit: Label | None


@dataclass(frozen=True, slots=True)
class Figure:
    """A reported number: killed, injured or detained."""

    kind: str
    value: str


@dataclass(frozen=True, slots=True)
class CorrectionView:
    """A correction as an incident page or the corrections page shows it."""

    anchor: str
    """Its id on the incident's page."""
    date: When
    note: Label
    incident: Link | None = None
    """The corrections page: the incident, linked to the correction on its page."""
    incident_date: When | None = None


@dataclass(frozen=True, slots=True)
class Citation:
    """A ready citation of an incident's page, in the page's language."""

    site_title: Label
    """The chronology's title, in the language of the page it cites."""
    title: Label
    date: When
    url: str
    """The page's permanent (canonical) URL."""
    updated: When | None
    """When it was last revised, if ever."""


@dataclass(frozen=True, slots=True)
class IncidentView:
    """Everything an incident page shows."""

    card: Card
    body: Label
    """The narrative's language and direction (its text is unused)."""
    html: Markup
    time: When | None
    actors: tuple[Link, ...]
    tags: tuple[Link, ...]
    sources: tuple[SourceView, ...]
    media: tuple[MediaView, ...]
    verification: str
    figures: tuple[Figure, ...]
    related: tuple[Card, ...]
    """Explicit links, seen from both sides."""
    suggested: tuple[Card, ...]
    """Computed: shared actors, places, tags and type, near in time."""
    previous: Card | None
    next: Card | None
    original_language: str
    """Name of the original's language, for the untranslated notice."""
    is_stale: bool = False
    """A translation made from an earlier version of the original."""
    corrections: tuple[CorrectionView, ...] = ()
    """Newest first."""
    updated: When | None = None
    """When it was last revised: `updated` or its latest correction."""
    citation: Citation | None = None


@dataclass(frozen=True, slots=True)
class PeriodLink:
    """A year or a month as the timeline's overviews link it, with its count."""

    label: str
    path: str
    """Its page (a month of a year that is one page: the year's page and the month's anchor)."""
    count: int
    count_text: str


@dataclass(frozen=True, slots=True)
class YearOverview:
    """A year with its months, as the home lists them."""

    year: PeriodLink
    months: tuple[PeriodLink, ...]


@dataclass(frozen=True, slots=True)
class MonthCards:
    """The cards of one month on a page of the timeline."""

    heading: str
    anchor: str
    cards: tuple[Card, ...]


@dataclass(frozen=True, slots=True)
class Pager:
    """Where a page stands in a list split into pages: previous and next
    pages, and every page of the same list by number."""

    previous: str
    next: str
    pages: tuple[tuple[str, str], ...] = ()
    """(number in the page's digits, path) of each page of this list."""
    current: int = 1


@dataclass(frozen=True, slots=True)
class PageContext:
    """Renders one output file with one template."""

    path: str
    template: str
    lang: str
    values: Mapping[str, Any]
