"""The Jinja environment and the site's pages, rendered in memory.

Nothing here touches the output folder: `render_site` returns every file's
bytes (and the files to copy), and `output.write_site` puts them in place.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from waqai.config import Config
from waqai.contexts import Views
from waqai.exports import export_files
from waqai.feeds import feed_files
from waqai.i18n import language_name, load_translations
from waqai.model import Incident, Site
from waqai.search import search_index, search_index_path, search_page
from waqai.share import incident_json_ld
from waqai.term_pages import registry_index, term_page, timeline_filters
from waqai.views import Card, Derived, Head, PageContext, derive, relative_href, timeline_path


@dataclass(frozen=True, slots=True)
class Output:
    """The whole site: rendered files, and files copied as they are."""

    pages: dict[str, bytes]
    """Output path -> content."""
    copies: dict[str, Path]
    """Output path -> source file."""


def make_environment(config: Config, lang: str) -> Environment:
    """The one place where templates are configured: escaped, strict, translated."""
    env = Environment(
        loader=FileSystemLoader(config.templates),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # Old-style gettext: a third faster per page; {% trans %} still escapes its
    # variables, and translations are trusted text.
    env.install_gettext_translations(load_translations(config.locales, lang), newstyle=False)  # type: ignore[attr-defined]
    env.globals["href"] = _href
    env.globals["card"] = _card_renderer(env)
    return env


_ROOT = Markup("<!--root-->")
_HEADING = "h9"
"""Stand-ins in a rendered card for the page's way to the top folder and its
heading level. Escaped user text can never produce them (it has no raw `<`)."""


def _card_renderer(env: Environment) -> Callable[..., Markup]:
    """`card(item, heading)` for templates: an incident as listed, rendered once
    per incident and reused with the page's own links and heading level (a
    timeline, a year, registry pages and related lists all show the same cards)."""
    fragments: dict[tuple[str, bool], str] = {}

    @pass_context
    def card(context: Context, item: Card, heading: str = "h4") -> Markup:
        key = (item.path, item.is_continuing)
        if key not in fragments:
            template = env.get_template("_card.html")
            fragments[key] = template.render(card=item, heading=_HEADING, root=_ROOT)
        html = fragments[key].replace(_ROOT, context["head"].root)
        html = html.replace(f"<{_HEADING} ", f"<{heading} ").replace(f"</{_HEADING}>", f"</{heading}>")
        return Markup(html)

    return card


@pass_context
def _href(context: Context, target: str) -> str:
    """A link from the page being rendered to `target` (a path in the output)."""
    base_path = context.get("base_path")
    if isinstance(base_path, str):
        return base_path + target.removesuffix("index.html")
    head: Head = context["head"]
    return relative_href(head.path, target)


def render_site(site: Site, config: Config) -> Output:
    """Every page of every language, plus feeds, exports, static files and media.

    A large site renders each language in a process of its own, one per core.
    """
    derived = derive(site, config)
    languages = list(config.languages)
    if len(site.incidents) >= PARALLEL_FROM and len(languages) > 1 and (os.cpu_count() or 1) > 1:
        rendered = _render_in_processes(site, config, derived, languages)
    else:
        rendered = [render_language(site, config, derived, lang) for lang in languages]
    pages: dict[str, bytes] = {}
    heads: list[Head] = []
    for language_pages, language_heads in rendered:
        pages.update(language_pages)
        heads.extend(language_heads)
    default = config.default_language
    env = make_environment(config, default)
    views = Views(site, config, default, derived)
    for page in (_entry(views, config), _not_found(views, config)):
        pages[page.path] = render_page(env, page)
        heads.append(page.values["head"])
    pages.update(feed_files(site, config, heads))  # the sitemap lists the pages of these heads
    explicit = {incident_id: links for incident_id, (links, _) in derived.related.items()}
    pages.update(export_files(site, config, explicit))
    return Output(pages, _copies(site, config))


def render_language(site: Site, config: Config, derived: Derived,
                    lang: str) -> tuple[dict[str, bytes], list[Head]]:
    """The pages of one language, and their heads (for the sitemap)."""
    env = make_environment(config, lang)
    views = Views(site, config, lang, derived)
    pages: dict[str, bytes] = {}
    heads: list[Head] = []
    for page in _contexts(site, views):
        pages[page.path] = render_page(env, page)
        heads.append(page.values["head"])
    pages[search_index_path(lang)] = search_index(views)
    return pages, heads


PARALLEL_FROM = 500
"""Incidents from which languages are rendered in parallel processes."""

_adopted: tuple[Site, Config, Derived] | None = None
"""In a rendering worker process only: what it renders from, inherited by fork."""


def _render_in_processes(site: Site, config: Config, derived: Derived,
                         languages: list[str]) -> list[tuple[dict[str, bytes], list[Head]]]:
    """render_language for each language, in forked workers that inherit the
    site instead of receiving a pickled copy of it."""
    context = multiprocessing.get_context("fork")
    workers = min(len(languages), os.cpu_count() or 1)
    with context.Pool(workers, initializer=_adopt, initargs=((site, config, derived),)) as pool:
        return pool.map(_render_adopted, languages, chunksize=1)


def _adopt(state: tuple[Site, Config, Derived]) -> None:
    global _adopted
    _adopted = state


def _render_adopted(lang: str) -> tuple[dict[str, bytes], list[Head]]:
    assert _adopted is not None, "called outside a rendering worker"
    return render_language(*_adopted, lang)


def render_page(env: Environment, page: PageContext) -> bytes:
    """One page's bytes."""
    return env.get_template(page.template).render(page.values).encode("utf-8")


def _contexts(site: Site, views: Views) -> Iterator[PageContext]:
    filters = timeline_filters(views)
    years = views.all_years()
    yield views.timeline(filters, years)
    yield from views.years(filters, years)
    for incident in site.incidents:
        yield _as_article(views.incident(incident), incident, views)
    for registry, terms in views.derived.terms.items():
        yield registry_index(views, registry)
        for term in terms:
            yield term_page(views, term)
    for page in site.pages:
        context = views.page(page)
        if context is not None:
            yield context
    yield search_page(views)


def _as_article(page: PageContext, incident: Incident, views: Views) -> PageContext:
    """An incident's page, shared as an article with its schema.org description."""
    head: Head = page.values["head"]
    json_ld = incident_json_ld(incident, views.site.registries["places"], views.config, views.lang,
                               head.canonical)
    values = {**page.values, "head": replace(head, og_type="article", json_ld=json_ld)}
    return replace(page, values=values)


def _entry(views: Views, config: Config) -> PageContext:
    """The site's front door: one link per language."""
    alternates = views.all_languages(timeline_path)
    head = views.head("index.html", "", alternates=alternates, canonical=config.base_url)
    languages = [
        {"code": code, "dir": language.direction, "name": language_name(code),
         "title": config.title.get(code, ""), "path": timeline_path(code)}
        for code, language in config.languages.items()
    ]
    return PageContext("index.html", "entry.html", views.lang,
                       {"head": head, "languages": languages})


def _not_found(views: Views, config: Config) -> PageContext:
    """404.html: served at any depth, so its links start from the site's root."""
    head = replace(views.head("404.html", "", alternates={}), canonical="")
    languages = [
        {"code": code, "dir": language.direction, "name": language_name(code),
         "path": timeline_path(code)}
        for code, language in config.languages.items()
    ]
    values: dict[str, Any] = {"head": head, "languages": languages,
                              "base_path": urlsplit(config.base_url).path}
    return PageContext("404.html", "404.html", views.lang, values)


def _copies(site: Site, config: Config) -> dict[str, Path]:
    static = config.templates / "static"
    copies = {
        f"static/{path.relative_to(static).as_posix()}": path
        for path in sorted(static.rglob("*")) if path.is_file()
    }
    for path in site.media:
        copies[path.relative_to(config.content).as_posix()] = path
    return copies

