"""Atom feeds, the sitemap and robots.txt: how readers and crawlers find the site.

Every URL in them is absolute, from the effective `base_url`, and every date
comes from the content, never from the build's clock, so that two builds of
the same content give the same bytes.
"""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from waqai import routes
from waqai.config import Config
from waqai.corrections import Listed, correction_in
from waqai.derive import Model, canonical, hreflang, versions
from waqai.i18n import load_translations
from waqai.markdown import place_root
from waqai.model import Incident, Site
from waqai.routes import Route

FEED_SIZE = 50
"""How many incidents a feed holds: the newest by `updated`, else `date`."""
ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
_EPOCH = datetime.date(1970, 1, 1)
"""The `updated` of a feed without entries, which no content dates."""


# Atom (RFC 4287) ---------------------------------------------------------------


def revised(incident: Incident) -> datetime.date:
    """When the incident was last revised: `updated`, else the first day of its date."""
    return incident.updated or incident.date.first_day


def feed_incidents(site: Site, lang: str, size: int = FEED_SIZE) -> list[Incident]:
    """The newest incidents translated into `lang`, newest first; the others are
    left out of that language's feed (their page there is a fallback)."""
    translated = [i for i in site.incidents if i.is_translated(lang)]
    return sorted(translated, key=lambda i: (revised(i), i.sort_key), reverse=True)[:size]


def atom_time(day: datetime.date, timezone: str) -> str:
    """Midnight at the start of `day` in the site's timezone, as RFC 3339:
    `2021-01-27T00:00:00+02:00`.

    Atom needs full timestamps, but content gives dates, some only to the month
    or year: those are dated by the first day of their period (`2021-01` is
    2021-01-01), like everywhere a single day must stand for a period.
    """
    moment = datetime.datetime.combine(day, datetime.time(0), zoneinfo.ZoneInfo(timezone))
    return moment.isoformat(timespec="seconds")


def atom_feed(site: Site, config: Config, lang: str) -> bytes:
    """The Atom feed of one language."""
    entries = feed_incidents(site, lang)
    newest = max((revised(i) for i in entries), default=_EPOCH)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
    home = routes.url(config, routes.home(lang).path)
    _add(feed, "id", home)
    _add(feed, "title", config.title.get(lang, ""))
    _add(feed, "updated", atom_time(newest, config.timezone))
    _add(feed, "link", rel="self", type="application/atom+xml",
         href=routes.url(config, routes.feed(lang).path))
    _add(feed, "link", rel="alternate", type="text/html", hreflang=lang,
         href=home)
    author = _add(feed, "author")
    _add(author, "name", config.title.get(lang, ""))
    _add(feed, "generator", "Waqai")
    for incident in entries:
        feed.append(_entry(incident, site, config, lang))
    return _xml(feed)


def _entry(incident: Incident, site: Site, config: Config, lang: str) -> ET.Element:
    text = incident.texts[lang]
    url = routes.url(config, routes.incident(lang, incident.id).path)
    # xml:base lets readers resolve the body's relative links from the page's own URL.
    entry = ET.Element("entry", {"xml:lang": lang, "xml:base": url})
    _add(entry, "id", url)
    _add(entry, "title", text.title)
    _add(entry, "updated", atom_time(revised(incident), config.timezone))
    _add(entry, "link", rel="alternate", type="text/html", hreflang=lang, href=url)
    type_entry = site.registries["types"].get(incident.type)
    label = type_entry.name.get(lang, incident.type) if type_entry else incident.type
    _add(entry, "category", term=incident.type, label=label)
    if text.summary:
        _add(entry, "summary", text.summary, type="text")
    # The body with the site's absolute URL as root, so that images load in a reader.
    _add(entry, "content", place_root(text.html, config.base_url), type="html")
    return entry


def feed_corrections(model: Model, lang: str, size: int = FEED_SIZE) -> list[Listed]:
    """The newest corrections of incidents translated into `lang`, newest first."""
    by_id = model.by_id
    return [listed for listed in model.corrections
            if by_id[listed.incident_id].is_translated(lang)][:size]


def corrections_feed(model: Model, lang: str) -> bytes:
    """The Atom feed of a language's corrections and updates: each entry is
    one correction, its note the summary, linked to it on the incident's page."""
    config = model.config
    entries = feed_corrections(model, lang)
    newest = entries[0].date if entries else _EPOCH
    heading = load_translations(config.locales, lang).gettext("Corrections and updates")
    site_title = config.title.get(lang, "")
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
    page = routes.url(config, routes.corrections(lang).path)
    _add(feed, "id", page)
    _add(feed, "title", f"{heading} – {site_title}" if site_title else heading)
    _add(feed, "updated", atom_time(newest, config.timezone))
    _add(feed, "link", rel="self", type="application/atom+xml",
         href=routes.url(config, routes.corrections_feed(lang).path))
    _add(feed, "link", rel="alternate", type="text/html", hreflang=lang, href=page)
    _add(_add(feed, "author"), "name", site_title)
    _add(feed, "generator", "Waqai")
    for listed in entries:
        incident = model.by_id[listed.incident_id]
        url = routes.url(config, routes.incident(lang, incident.id).path) + "#" + listed.anchor
        entry = _add(feed, "entry")
        _add(entry, "id", url)
        _add(entry, "title", incident.texts[lang].title)
        _add(entry, "updated", atom_time(listed.date, config.timezone))
        _add(entry, "link", rel="alternate", type="text/html", hreflang=lang, href=url)
        _add(entry, "summary", correction_in(incident, lang, listed)[0].note, type="text")
    return _xml(feed)


# Sitemap ----------------------------------------------------------------------


SITEMAP_URLS = 50_000
"""The protocol's limit of URLs in one sitemap (it also sets 50 MB: see `_per_file`)."""
SITEMAP_BYTES = 50_000_000


def sitemap_routes(pages: Iterable[Route], languages: int = 2) -> list[Route]:
    """`sitemap.xml` alone, or, past the protocol's limits, `sitemap.xml` as an
    index of `sitemap-1.xml`, `sitemap-2.xml`... Counted from every HTML page
    (a few that are not listed count too: the split is only ever early)."""
    count = sum(1 for route in pages if route.is_html)
    per_file = _per_file(languages)
    if count <= per_file:
        return [routes.sitemap()]
    return [routes.sitemap(), *(routes.sitemap(part) for part in range(1, -(-count // per_file) + 1))]


def _per_file(languages: int) -> int:
    """URLs per sitemap file: the protocol's 50,000, fewer when so many
    alternates make an entry large (about 150 bytes per URL it names)."""
    return max(1, min(SITEMAP_URLS, SITEMAP_BYTES // (150 * (languages + 2))))


SitemapEntry = tuple[str, str, tuple[tuple[str, str], ...]]
"""(loc, lastmod or "", its (hreflang, href) alternates)."""


@dataclass(frozen=True, slots=True)
class SitemapListing:
    """What the sitemap lists, made once for all its files."""

    entries: tuple[SitemapEntry, ...]
    files: int
    """How many files list them (more than one: sitemap.xml is their index)."""


def sitemap_listing(model: Model, pages: Iterable[Route]) -> SitemapListing:
    """Every page whose canonical URL is its own (not an untranslated fallback,
    never the not-found page), in order, with its translations as hreflang
    alternates and, for a revised incident, `lastmod`: its `updated`."""
    config = model.config
    pages = list(pages)
    listed = sorted((loc, page, own) for page in pages if page.is_html and page.kind != "not_found"
                    if (loc := canonical(model, page, own := versions(model, page)))
                    == routes.url(config, page.path))
    entries = []
    for loc, page, own in listed:
        updated = model.by_id[page.key].updated if page.kind == "incident" else None
        entries.append((loc, updated.isoformat() if updated else "",
                        tuple(_reciprocal(model, page, loc, own))))
    return SitemapListing(tuple(entries), max(1, len(sitemap_routes(pages, len(config.languages))) - 1))


def sitemap(model: Model, listing: SitemapListing, route: Route) -> bytes:
    """One sitemap file: its part of the listing, or the index of the parts."""
    config = model.config
    entries: Sequence[SitemapEntry] = listing.entries
    if listing.files > 1 and not route.key:
        index = ET.Element("sitemapindex", {"xmlns": SITEMAP})
        for part in range(1, listing.files + 1):
            ET.SubElement(ET.SubElement(index, "sitemap"), "loc").text = \
                routes.url(config, routes.sitemap(part).path)
        return _xml(index)
    if listing.files > 1:
        per_file = _per_file(len(config.languages))
        start = (int(route.key) - 1) * per_file
        entries = entries[start:start + per_file]
    # Written out, not built with ElementTree: a sitemap lists every page (a
    # second at 10,000 incidents); the same bytes as _xml would write.
    lines = [f'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="{SITEMAP}" xmlns:xhtml="{XHTML}"']
    lines.append(">" if entries else " />\n")
    for loc, lastmod, alternates in entries:
        lines.append(f"\n  <url>\n    <loc>{_escaped(loc, is_attribute=False)}</loc>")
        if lastmod:  # when it was last revised; pages never revised say nothing
            lines.append(f"\n    <lastmod>{lastmod}</lastmod>")
        lines.extend(f'\n    <xhtml:link rel="alternate" hreflang="{_escaped(code)}" '
                     f'href="{_escaped(href)}" />' for code, href in alternates)
        lines.append("\n  </url>")
    if entries:
        lines.append("\n</urlset>\n")
    return "".join(lines).encode("utf-8")


_ATTRIBUTE = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#09;"}
"""What ElementTree escapes in an attribute's value, besides &, < and >."""
_SPECIAL = re.compile('[&<>"\n\r\t]')


def _escaped(text: str, *, is_attribute: bool = True) -> str:
    """An attribute's value or an element's text, escaped as ElementTree
    escapes it. A sitemap's URLs and codes most often need nothing: that is
    looked for at once, rather than character by character."""
    if not _SPECIAL.search(text):
        return text
    return escape(text, _ATTRIBUTE) if is_attribute else escape(text)


def _reciprocal(model: Model, route: Route, loc: str, own: dict[str, str]) -> list[tuple[str, str]]:
    """A page's hreflang alternates (with x-default; `own`: its versions), if
    it is one of them: a set of alternates must name each page in it (the
    entry page links to the timelines, but is not a language version of them)."""
    alternates = hreflang(model, route, own)
    return alternates if any(url == loc for _, url in alternates) else []


def robots(config: Config) -> bytes:
    """robots.txt: everything may be crawled; here is the sitemap."""
    return f"User-agent: *\nDisallow:\n\nSitemap: {config.base_url}sitemap.xml\n".encode()


# XML ----------------------------------------------------------------------------


def _add(parent: ET.Element, name: str, text: str | None = None, **attributes: str) -> ET.Element:
    """A child element with its text and attributes."""
    child = ET.SubElement(parent, name, attributes)
    child.text = text
    return child


def _xml(root: ET.Element) -> bytes:
    """The document, indented, with its XML declaration.

    Names are written as they are given, prefixes and `xmlns` included
    (`xhtml:link`, `xml:lang`): ElementTree would otherwise choose prefixes of
    its own, and refuses a default namespace with unprefixed attributes.
    """
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
