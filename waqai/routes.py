"""Every output path and every link between pages: the one home for addresses.

A page is a `Route`: its kind, its language and what it is about, and the
path of the file it is written to. Everything else (links from one page to
another, absolute URLs for feeds and share previews, how deep a page sits)
is derived here, so that no other module knows the site's layout.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from markupsafe import Markup
from markupsafe._speedups import _escape_inner

from waqai.config import Config

escaped = _escape_inner
"""Text escaped for HTML exactly as markupsafe.escape does it, as a plain
str: pages write hundreds of values, and a Markup is a copy of its text."""

ROOT = "<!--root-->"
"""Stands in rendered HTML for the way from the page to the site's top folder,
so that fragments (cards, links) are made once and shown on pages of any
depth: the renderer puts `root()` in its place. Escaped text cannot produce it."""


@dataclass(frozen=True, slots=True, order=True)
class Route:
    """One output file: `ar/incidents/2021-01-27-protest/index.html`."""

    path: str
    """Relative to the output folder, with `/` separators."""
    kind: str
    """The page kind that renders it (pages.PAGE_KINDS), or "static", "media"."""
    lang: str = ""
    """The page's language; "" for files of the whole site."""
    key: str = ""
    """What the page is about: an incident or page id, a year, `places/hasakah`."""
    page: int = 1
    """Which page of a list split into pages: `.../page/2/` is 2."""

    @property
    def root(self) -> str:
        """From this page up to the site's top folder: `../../../`."""
        return "../" * self.path.count("/")

    @property
    def is_html(self) -> bool:
        """True for pages (as opposed to data files, static files and media)."""
        return self.path.endswith(".html")


def entry() -> Route:
    """The site's front door, linking each language."""
    return Route("index.html", "entry")


def not_found() -> Route:
    """The page a host serves for missing addresses, at any depth."""
    return Route("404.html", "not_found")


def home(lang: str) -> Route:
    """A language's timeline."""
    return Route(f"{lang}/index.html", "home", lang)


def year(lang: str, number: int) -> Route:
    """One year of a language's timeline."""
    return Route(f"{lang}/{number}/index.html", "year", lang, str(number))


def month(lang: str, year_number: int, month_number: int, page_number: int = 1) -> Route:
    """One page of a month of a large year; month 0 holds what is known only to the year."""
    folder = f"{lang}/{year_number}/{month_number:02d}/"
    return Route(_paged(folder, page_number), "month", lang, f"{year_number}-{month_number:02d}",
                 page_number)


def period(lang: str, year_number: int, month_number: int | None, page_number: int = 1) -> Route:
    """A page of the timeline after the home: a year, or a page of a month."""
    if month_number is None:
        return year(lang, year_number)
    return month(lang, year_number, month_number, page_number)


def period_of(route: Route) -> tuple[int, int | None]:
    """The (year, month) a year or month page is about; month None for a year."""
    year_text, _, month_text = route.key.partition("-")
    return int(year_text), int(month_text) if route.kind == "month" else None


def incident(lang: str, incident_id: str) -> Route:
    """An incident's page."""
    return Route(f"{lang}/incidents/{incident_id}/index.html", "incident", lang, incident_id)


def registry(lang: str, name: str, page_number: int = 1) -> Route:
    """A page of the index of a registry: actors, places, types or tags."""
    return Route(_paged(f"{lang}/{name}/", page_number), "registry", lang, name, page_number)


def term(lang: str, registry_name: str, entry_id: str, page_number: int = 1) -> Route:
    """A page of a registry entry's incidents: `ar/places/hasakah/page/2/index.html`."""
    return Route(_paged(f"{lang}/{registry_name}/{entry_id}/", page_number), "term", lang,
                 f"{registry_name}/{entry_id}", page_number)


def corrections(lang: str, page_number: int = 1) -> Route:
    """A page of a language's corrections and updates, newest first."""
    return Route(_paged(f"{lang}/corrections/", page_number), "corrections", lang, "", page_number)


def corrections_feed(lang: str) -> Route:
    """The Atom feed of a language's corrections and updates."""
    return Route(f"{lang}/corrections/feed.xml", "corrections_feed", lang)


def _paged(folder: str, page_number: int) -> str:
    return f"{folder}page/{page_number}/index.html" if page_number > 1 else f"{folder}index.html"


def page(lang: str, page_id: str) -> Route:
    """A plain page (about, methodology)."""
    return Route(f"{lang}/{page_id}/index.html", "page", lang, page_id)


def search(lang: str) -> Route:
    """A language's search page."""
    return Route(f"{lang}/search/index.html", "search", lang)


def place_map(lang: str) -> Route:
    """A language's map of every place with coordinates."""
    return Route(f"{lang}/map/index.html", "map", lang)


def basemap() -> Route:
    """The region's base map (outlines, no names), drawn under every map of the site."""
    return Route("data/basemap.svg", "basemap")


def search_manifest(lang: str) -> Route:
    """The small script the search page loads first: which shards there are."""
    return Route(f"{lang}/search/manifest.js", "search_manifest", lang)


def search_terms(lang: str, shard: int) -> Route:
    """One shard of a language's search terms, fetched when a query needs it."""
    return Route(f"{lang}/search/terms/{shard}.js", "search_terms", lang, str(shard))


def search_records(lang: str, chunk: int) -> Route:
    """What search results and filtered timelines show of a run of incidents
    (in the chronology's order), in one language."""
    return Route(f"{lang}/search/records/{chunk}.js", "search_records", lang, str(chunk))


def filter_data(key: str) -> Route:
    """The incidents (by position in the chronology) that one filter key
    matches, for every language: `data/place/hasakah.js` for `place:hasakah`."""
    kind, _, entry_id = key.partition(":")
    return Route(f"data/{kind}/{entry_id}.js", "filter_data", "", key)


def feed(lang: str) -> Route:
    """A language's Atom feed."""
    return Route(f"{lang}/feed.xml", "feed", lang)


def incidents_json(lang: str) -> Route:
    """Every incident as data, with that language's text."""
    return Route(f"{lang}/incidents.json", "incidents_json", lang)


def timelinejs(lang: str) -> Route:
    """The timeline in Knight Lab's TimelineJS format."""
    return Route(f"{lang}/timeline.json", "timelinejs", lang)


def incidents_csv() -> Route:
    """Every incident in ACLED's columns."""
    return Route("incidents.csv", "incidents_csv")


def sitemap(part: int = 0) -> Route:
    """Every published page, with its translations: `sitemap.xml`, or, on a site
    too large for one file, part `n` of it (`sitemap-2.xml`), which the
    sitemap index at `sitemap.xml` names."""
    return Route(f"sitemap-{part}.xml" if part else "sitemap.xml", "sitemap", "", str(part or ""))


def robots() -> Route:
    """robots.txt, naming the sitemap."""
    return Route("robots.txt", "robots")


def type_styles() -> Route:
    """The incident types' colours, made from types.yaml (palette.py)."""
    return Route("static/types.css", "type_styles")


def static(name: str) -> Route:
    """A file of the theme, copied as it is: `style.css`."""
    return Route(f"static/{name}", "static", "", name)


def media(name: str) -> Route:
    """A local media file, copied as it is: `media/map.png` (relative to content/)."""
    return Route(name, "media", "", name)


def root(route: Route, config: Config) -> str:
    """What links from the page start with: its way up to the top folder; the
    not-found page, served at any depth, starts from the site's own path."""
    return urlsplit(config.base_url).path if route.kind == "not_found" else route.root


def url(config: Config, path: str) -> str:
    """The absolute URL of an output path (a folder's `index.html` is left out)."""
    return config.base_url + path.removesuffix("index.html")


def link(route: Route, target: str) -> str:
    """A link from the page `route` to the output path `target`, relative and
    as short as it can be: a map's markers are hundreds of links (what
    posixpath.relpath gives for two clean paths, without its look at the
    working folder)."""
    here, there = route.path.split("/")[:-1], target.split("/")
    shared = 0
    while shared < min(len(here), len(there)) and here[shared] == there[shared]:
        shared += 1
    return "/".join([".."] * (len(here) - shared) + there[shared:]) or "."


def href(target: str) -> Markup:
    """A link to the output path `target` from any page: up to the site's top
    folder (ROOT), then down, so that the same link works from every page."""
    if target.endswith("/") or not target:
        target += "index.html"
    return Markup(ROOT + escaped(target))
