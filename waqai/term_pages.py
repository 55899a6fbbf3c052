"""Contexts of the registry pages (actors, places, types, tags) and of the
timeline's filters, which link to them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from waqai import routes
from waqai.contexts import Views
from waqai.derive import Model
from waqai.i18n import load_translations
from waqai.model import Entry
from waqai.routes import Route
from waqai.taxonomy import Term
from waqai.views import Label, Link, PageContext

FILTERS = (("types", "type"), ("places", "place"), ("actors", "actor"), ("tags", "tag"))
"""Registries the timeline filters by, with the key their filter uses."""
FILTER_ITEMS = 12
"""How many entries of a registry the timeline's filters offer (those with the
most incidents): the others are on the registry's page, one link away."""


@dataclass(frozen=True, slots=True)
class Item:
    """An entry on an index or in a filter: its link, count and nesting depth."""

    link: Link
    count: int
    count_text: str
    depth: int
    key: str
    """The filter key: "place:hasakah"."""


@dataclass(frozen=True, slots=True)
class Filter:
    """One group of the timeline's filters."""

    registry: str
    key: str
    items: tuple[Item, ...]
    more: str
    """The registry's page, when it has entries that are not offered here."""


ENTRIES_PER_CARD = 4
"""A registry's index lists this many entries per card a page holds (an entry
is a line, a card a paragraph): 200 by default."""


def registry_pages(model: Model, registry: str) -> int:
    """How many pages a registry's index takes."""
    per_page = model.config.page_size * ENTRIES_PER_CARD
    return max(1, -(-len(model.terms[registry]) // per_page))


def registry_context(views: Views, route: Route) -> PageContext:
    """A page of the index of one registry: entries with their counts (places
    as a tree, continued from page to page)."""
    registry = route.key
    per_page = views.config.page_size * ENTRIES_PER_CARD
    pages = tuple(routes.registry(views.lang, registry, n)
                  for n in range(1, registry_pages(views.model, registry) + 1))
    number = route.page
    pager = views.pager(route, pages[number - 2] if number > 1 else None,
                        pages[number] if number < len(pages) else None, pages)
    name = load_translations(views.config.locales, views.lang).gettext(registry.capitalize())
    title = name if number == 1 else f"{name} ({views.number(number)}/{views.number(len(pages))})"
    items = views.once(f"registry:{registry}",
                       lambda views: _items(views, registry, views.model.terms[registry]))
    return PageContext(route.path, "registry.html", views.lang,
                       {"head": views.head(route, title, pager=pager), "registry": registry,
                        "pager": pager, "items": items[(number - 1) * per_page:number * per_page]})


def find_term(views: Views, route: Route) -> Term:
    """The term a "term" route is about."""
    registry, entry_id = route.key.split("/", 1)
    return next(t for t in views.model.terms[registry] if t.entry.id == entry_id)


def term_pages(term: Term, page_size: int) -> int:
    """How many pages an entry's incidents take."""
    return max(1, -(-len(term.incident_ids) // page_size))


def term_context(views: Views, route: Route) -> PageContext:
    """A page of one entry: description, larger places, places within, and one
    page of its incidents."""
    term = find_term(views, route)
    registry, entry = term.registry, term.entry
    name = entry.name.get(views.lang, entry.id)
    description = entry.description.get(views.lang, "")
    size = views.config.page_size
    pages = tuple(routes.term(views.lang, registry, entry.id, n)
                  for n in range(1, term_pages(term, size) + 1))
    number = route.page
    pager = views.pager(route, pages[number - 2] if number > 1 else None,
                        pages[number] if number < len(pages) else None, pages)
    title = name if number == 1 else f"{name} ({views.number(number)}/{views.number(len(pages))})"
    head = views.head(route, title, description=description, pager=pager)
    count = len(term.incident_ids)
    shown = term.incident_ids[(number - 1) * size:number * size]
    return PageContext(route.path, "term.html", views.lang, {
        "head": head, "registry": registry,
        "registry_path": routes.registry(views.lang, registry).path,
        "name": views.label(name, views.lang),
        "description": views.label(description, views.lang) if description else None,
        "parents": tuple(views.entry(registry, parent.id) for parent in term.parents),
        "children": tuple(views.entry(registry, child.id) for child in term.children),
        "aliases": tuple(Label(alias, "", "auto", True) for alias in entry.aliases),
        "count": count, "count_text": views.number(count), "pager": pager,
        "cards": tuple(views.card(views.model.by_id[i]) for i in shown),
    })


def timeline_filters(views: Views) -> tuple[Filter, ...]:
    """Filter links for the timeline: each goes to the entry's page without
    JavaScript, and with it filters the whole chronology (timeline.js). Each
    registry offers the entries with the most incidents; then the years."""
    groups = []
    for registry, key in FILTERS:
        used = [item for item in _items(views, registry, views.model.terms[registry]) if item.count]
        top = sorted(used, key=lambda item: -item.count)[:FILTER_ITEMS]
        shown = tuple(replace(item, depth=0) for item in used if item in top) \
            if len(used) > FILTER_ITEMS else tuple(used)
        more = routes.registry(views.lang, registry).path if len(used) > FILTER_ITEMS else ""
        groups.append(Filter(registry, key, shown, more))
    years = tuple(Item(Link(routes.year(views.lang, y.year).path,
                            views.label(views.number(y.year), views.lang)),
                       y.count, views.number(y.count), 0, f"year:{y.year}")
                  for y in views.model.years)
    groups.append(Filter("years", "year", years, ""))
    return tuple(groups)


def _items(views: Views, registry: str, terms: Sequence[Term]) -> tuple[Item, ...]:
    key = dict(FILTERS).get(registry, registry.removesuffix("s"))
    by_id = {term.entry.id: term for term in terms}
    ordered = _tree(terms, by_id, views.lang) if registry == "places" else [
        (term, 0) for term in sorted(terms, key=lambda t: _sort_name(t.entry, views.lang))]
    return tuple(
        Item(views.entry(registry, term.entry.id), len(term.incident_ids),
             views.number(len(term.incident_ids)),
             depth,
             f"{key}:{term.entry.id}")
        for term, depth in ordered
    )


def _tree(terms: Sequence[Term], by_id: dict[str, Term], lang: str) -> list[tuple[Term, int]]:
    """Places depth first: each larger place followed by the places within it."""
    ordered: list[tuple[Term, int]] = []

    def visit(term: Term, depth: int) -> None:
        ordered.append((term, depth))
        for child in sorted(term.children, key=lambda e: _sort_name(e, lang)):
            if child.id in by_id:
                visit(by_id[child.id], depth + 1)

    roots = [t for t in terms if not t.parents or t.parents[-1].id not in by_id]
    for root in sorted(roots, key=lambda t: _sort_name(t.entry, lang)):
        visit(root, 0)
    return ordered


def _sort_name(entry: Entry, lang: str) -> tuple[str, str]:
    return (entry.name.get(lang, entry.id).casefold(), entry.id)
