"""Contexts of the registry pages (actors, places, types, tags) and of the
timeline's filters, which link to them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from waqai import routes
from waqai.contexts import Views
from waqai.model import Entry
from waqai.routes import Route
from waqai.taxonomy import Term
from waqai.views import Label, Link, PageContext

FILTERS = (("types", "type"), ("places", "place"), ("actors", "actor"))
"""Registries the timeline filters by, with the key their filter uses."""


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


def registry_context(views: Views, route: Route) -> PageContext:
    """The index of one registry: every entry with its count (places as a tree)."""
    registry = route.key
    head = views.head(route, "")
    items = _items(views, registry, views.model.terms[registry])
    return PageContext(route.path, "registry.html", views.lang,
                       {"head": head, "registry": registry, "items": items,
                        "registries": head.registries})


def find_term(views: Views, route: Route) -> Term:
    """The term a "term" route is about."""
    registry, entry_id = route.key.split("/", 1)
    return next(t for t in views.model.terms[registry] if t.entry.id == entry_id)


def term_context(views: Views, route: Route) -> PageContext:
    """One entry's page: description, larger places, places within, incidents."""
    term = find_term(views, route)
    registry, entry = term.registry, term.entry
    name = entry.name.get(views.lang, entry.id)
    description = entry.description.get(views.lang, "")
    head = views.head(route, name, description=description)
    count = len(term.incident_ids)
    return PageContext(route.path, "term.html", views.lang, {
        "head": head, "registry": registry,
        "registry_path": routes.registry(views.lang, registry).path,
        "name": views.label(name, views.lang),
        "description": views.label(description, views.lang) if description else None,
        "parents": tuple(views.entry(registry, parent.id) for parent in term.parents),
        "children": tuple(views.entry(registry, child.id) for child in term.children),
        "aliases": tuple(Label(alias, "", "auto", True) for alias in entry.aliases),
        "count": count, "count_text": views.number(count),
        "cards": tuple(views.card(views.model.by_id[i]) for i in term.incident_ids),
    })


def timeline_filters(views: Views) -> tuple[Filter, ...]:
    """Filter links for the timeline: each goes to the entry's page without
    JavaScript, and filters the timeline in place with it."""
    return tuple(
        Filter(registry, key, tuple(item for item in _items(views, registry, views.model.terms[registry])
                                    if item.count))
        for registry, key in FILTERS
    )


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
