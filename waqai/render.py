"""The Jinja environment, and pages rendered from the list of page kinds.

`Renderer` makes any one page of a model (the preview asks it for the page
a browser wants); `render_pages` makes many, sharing the cores (cores.py),
each process writing its files into a folder as it goes, so that memory does
not grow with the site.
"""

from __future__ import annotations

import functools
import gc
import os
import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, nodes, pass_context
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.ext import Extension
from jinja2.runtime import Context
from markupsafe import Markup, escape

from waqai import cores, routes
from waqai.config import Config
from waqai.contexts import Views
from waqai.derive import Model
from waqai.i18n import load_translations
from waqai.pages import kind_of
from waqai.routes import Route
from waqai.views import Card, PageContext


class TranslatedLiterals(Extension):
    """`{{ _("Facts") }}` with a plain literal becomes its translation when the
    template is compiled (an environment serves one language), instead of a
    call on every page: an incident page has thirty of them. Anything else
    (variables, plurals, `{% trans %}`) is left to jinja2.ext.i18n."""

    _CALL = re.compile(r"""\{\{\s*_\(\s*(?:"([^"\\{}]*)"|'([^'\\{}]*)')\s*\)\s*\}\}""")
    """`{{ _("…") }}` with one literal; `{{-`/`-}}` (whitespace control) are left to run."""

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        """The template's source with its literal translations in place."""
        gettext: Callable[[str], str] = self.environment.globals["gettext"]  # type: ignore[assignment]

        def translated(match: re.Match[str]) -> str:
            text = gettext(match.group(1) if match.group(1) is not None else match.group(2))
            return match.group(0) if "{" in text or "}" in text else str(escape(text))

        return self._CALL.sub(translated, source)


def written(value: object) -> str:
    """What `{{ value }}` writes into a page: the text markupsafe.escape
    makes of it, without making it a Markup, which copies it: a page writes
    a hundred values, and cards, maps and partials are thousands of
    characters, written on thousands of pages."""
    if isinstance(value, str):
        if type(value) is str:
            return routes.escaped(value)
        if isinstance(value, Markup):
            return value
    html = getattr(value, "__html__", None)
    return html() if html is not None else escape(value)


class _PageCode(CodeGenerator):
    """Compiles templates whose `{{ value }}` calls `written`. Jinja's code
    calls its `escape` on the value of every `{{ }}` and nowhere else (it
    escapes constants while compiling): the module's `escape` is `written`."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        super().visit_Template(node, frame)
        self.writeline("from waqai.render import written as escape")

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame: Frame) -> None:
        """`value.name` as Python's getattr, and Jinja's environment.getattr
        (an item of that name, or undefined) only when it has no such
        attribute: a page reads hundreds, and a call of Jinja's costs more
        than the read. Each value is evaluated once (into `_w_o`)."""
        name = repr(node.attr)
        self.write("(_w_v if (_w_v := getattr((_w_o := ")
        self.visit(node.node, frame)
        self.write(f"), {name}, missing)) is not missing else environment.getattr(_w_o, {name}))")


class _Environment(Environment):
    code_generator_class = _PageCode

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals as one dict. Jinja's own, a ChainMap over the
        environment's, is copied name by name into every render's context, in
        Python: a tenth of the cost of a card. Every global is set before the
        first template is loaded (make_environment), as Jinja asks."""
        return {**self.globals, **(d or {})}


@dataclass(slots=True)
class Fragments:
    """Parts of pages rendered once per language and reused on many pages:
    see `card`, `once` and `map_figure` below."""

    cards: dict[tuple[str, bool], tuple[Card, str, Markup]] = field(default_factory=dict)
    partials: dict[str, Markup] = field(default_factory=dict)
    maps: dict[int, tuple[object, Markup]] = field(default_factory=dict)

    def clear(self) -> None:
        """Let go of them: freed at once, rather than left to the cycle
        collector with the environment's own reference cycles (templates and
        their modules), which it took a quarter of a second to walk at
        10,000 incidents."""
        self.cards.clear()
        self.partials.clear()
        self.maps.clear()


def make_environment(config: Config, lang: str, fragments: Fragments) -> Environment:
    """The one place where templates are configured: escaped, strict,
    translated; the parts they reuse are kept in `fragments`."""
    env = _Environment(
        loader=FileSystemLoader(config.templates),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n", TranslatedLiterals],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    # Old-style gettext: a third faster per page; {% trans %} still escapes its
    # variables, and translations are trusted text.
    env.install_gettext_translations(load_translations(config.locales, lang), newstyle=False)  # type: ignore[attr-defined]
    env.globals["href"] = routes.href
    env.globals["root"] = Markup(routes.ROOT)  # a page's way up to the top folder
    env.globals["card"] = card = _card_renderer(env, fragments.cards)
    env.globals["card_list"] = _card_list_renderer(card)
    env.globals["once"] = _once_renderer(env, fragments.partials)
    env.globals["map_figure"] = _map_renderer(env, fragments.maps)
    # Last: a template sees the globals set when it is loaded (_Environment.make_globals).
    env.globals["macros"] = env.get_template("_macros.html").module
    return env


def _once_renderer(env: Environment, done: dict[str, Markup]) -> Callable[..., Markup]:
    """`once(name, **values)` for templates: a partial that is the same on
    every page of a language (the footer, the timeline's filters), rendered
    with the first page's `head` and `values`, and reused."""

    @pass_context
    def once(context: Context, name: str, **values: object) -> Markup:
        if name not in done:
            done[name] = Markup(env.get_template(name).render(values, head=context["head"]).rstrip("\n"))
        return done[name]

    return once


def _map_renderer(env: Environment, figures: dict[int, tuple[object, Markup]]) -> Callable[..., Markup]:
    """`map_figure(map)` for templates: templates/_map.html's macro, rendered
    once per map (map_pages.MapView): incidents with the same places share
    one map, drawn once per language, and it is the largest part of their pages."""
    def map_figure(view: object) -> Markup:
        known = figures.get(id(view))
        if known is None or known[0] is not view:
            if len(figures) >= _FIGURES_KEPT:
                figures.clear()
            macro = env.get_template("_map.html").module.map_figure  # type: ignore[attr-defined]
            known = figures[id(view)] = (view, Markup(macro(view)))
        return known[1]

    return map_figure


_FIGURES_KEPT = 10_000
"""Maps kept rendered: more than the incidents' distinct maps in a year of a
large archive, few enough for the memory of a preview that runs for days."""


def _card_renderer(env: Environment,
                   fragments: dict[tuple[str, bool], tuple[Card, str, Markup]]) -> Callable[..., Markup]:
    """`card(item, heading)` for templates: an incident as listed, rendered once
    and reused on every page that lists it (a timeline, a year, registry pages
    and related lists all show the same cards, under an h3 in the engine's
    templates); its links start with routes.ROOT, like every link of a page."""
    template = functools.cache(lambda: env.get_template("_card.html"))  # loaded when first used

    def card(item: Card, heading: str = "h3") -> Markup:
        key = (item.path, item.is_continuing)
        known = fragments.get(key)
        if known is None or known[0] is not item or known[1] != heading:  # Views makes each card once
            known = fragments[key] = (item, heading, Markup(template().render(card=item, heading=heading)))
        return known[2]

    return card


def _card_list_renderer(card: Callable[..., Markup]) -> Callable[..., Markup]:
    """`card_list(items, heading)` for templates: `card` for each of a list,
    one after the other (a page lists up to hundreds: joined here, they cost
    a template nothing per card)."""

    def card_list(items: Iterable[Card], heading: str = "h3") -> Markup:
        return Markup("".join([card(item, heading) for item in items]))

    return card_list


class Renderer:
    """Renders the pages of one model: one environment and one set of views
    per language, made when first needed."""

    def __init__(self, model: Model, previous: Renderer | None = None) -> None:
        """`previous`: the renderer of the model before this one, whose
        templates and cards are kept when the config and the facts are the same."""
        self.model = model
        self._languages: dict[str, tuple[Environment, Views]] = {}
        self._fragments: dict[str, Fragments] = {}
        self._common: dict[str, object] = {}
        if previous is not None and previous.model.config is model.config \
                and previous.model.facts is model.facts:
            self._languages = {lang: (env, Views(model, lang, views, self._common))
                               for lang, (env, views) in previous._languages.items()}
            self._fragments = previous._fragments

    def render(self, route: Route) -> bytes:
        """One page's bytes."""
        kind = kind_of(route)
        env, views = self._language(route.lang or self.model.config.default_language)
        if kind.data is not None:
            return kind.data(views, route)
        assert kind.context is not None, f"page kind {kind.name} makes nothing"
        page: PageContext = kind.context(views, route)
        html = env.get_template(page.template).render(page.values)
        return html.replace(routes.ROOT, routes.root(route, self.model.config)).encode("utf-8")

    def close(self) -> None:
        """Let go of what pages were rendered with (see Fragments.clear)."""
        for fragments in self._fragments.values():
            fragments.clear()
        self._languages.clear()
        self._common.clear()

    def _language(self, lang: str) -> tuple[Environment, Views]:
        if lang not in self._languages:
            fragments = self._fragments[lang] = Fragments()
            self._languages[lang] = (make_environment(self.model.config, lang, fragments),
                                     Views(self.model, lang, common=self._common))
        return self._languages[lang]


@dataclass(frozen=True, slots=True)
class Written:
    """A page as it was rendered into a folder."""

    path: str
    is_written: bool
    """False when its bytes were those of the file in place, and nothing was written."""
    fingerprint: str = ""
    """Its fingerprint, when `render_pages` was asked to make it (a fresh build)."""
    stat: tuple[int, int] | None = None
    """Its size and mtime (ns) once written, as the manifest records them
    (taken by the process that wrote it, rather than at the end by one)."""


def render_pages(model: Model, pages: Sequence[Route], folder: Path, in_place: InPlace | None = None,
                 fingerprint: Callable[[Route], str] | None = None) -> list[Written]:
    """Render `pages` into `folder`, except those whose bytes are already
    those of a file `in_place`, each with its `fingerprint` when asked (made
    on the core that renders it); many pages share the cores (see cores.py),
    in batches."""
    renderer = Renderer(model)
    with _no_collections():
        try:
            if len(pages) < PARALLEL_FROM:
                return list(_render_batch(renderer, pages, folder, in_place, fingerprint))
            gc.freeze()  # what the build made so far lasts as long as it: no later collection need walk it
            batches = cores.share_lanes(
                _batches(pages, cores.count()),
                lambda batch: list(_render_batch(renderer, batch, folder, in_place, fingerprint)))
        finally:
            renderer.close()
    return [written for batch in batches for written in batch]


@dataclass(frozen=True, slots=True)
class InPlace:
    """The files of a site folder that are as a build wrote them: a page
    whose bytes are theirs need not be written again. Comparing the bytes
    costs a read of the few pages an incremental build renders, where
    keeping a hash of every page would cost a hash of every page of every
    full build."""

    folder: str
    paths: frozenset[str]
    """Output paths of the files nobody touched since they were written."""

    def holds(self, path: str, data: bytes) -> bool:
        """True when the file at `path` is untouched and holds `data`."""
        if path not in self.paths:
            return False
        try:
            with open(f"{self.folder}/{path}", "rb") as file:
                return os.fstat(file.fileno()).st_size == len(data) and file.read() == data
        except OSError:
            return False


@contextmanager
def _no_collections() -> Iterator[None]:
    """Pages make many short-lived objects and few garbage cycles: the cycle
    collector, even run after every 50,000 new objects rather than 700, took
    a twentieth of the rendering time (and forked helpers never run it: see
    cores.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


PARALLEL_FROM = 200
"""Pages to render from which the work is shared between processes."""


def _batches(pages: Sequence[Route], workers: int) -> list[list[list[Route]]]:
    """Pages in lanes of batches, a lane per language (a process keeps to one:
    its cards, maps and search index are made once). A lane starts with the
    files made from its language's search index, together (it is made once per
    batch), then the largest data files, each alone, then batches of one kind
    (their templates are shared), small enough for the cores to finish
    together. Pages of no language are dealt to the lanes in turn."""
    heavy: dict[str, list[list[Route]]] = {}
    rest: dict[str, list[Route]] = {}
    together: dict[tuple[str, str], list[Route]] = {}
    for route in pages:
        if route.kind in _TOGETHER:
            together.setdefault((_TOGETHER[route.kind], route.lang), []).append(route)
        elif route.kind in _HEAVY:
            heavy.setdefault(route.lang, []).append([route])
        else:
            rest.setdefault(route.lang, []).append(route)
    size = max(16, min(256, sum(map(len, rest.values())) // (workers * 8) or 1))
    languages = sorted({route.lang for route in pages} - {""}) or [""]
    lanes: dict[str, list[list[Route]]] = {lang: [] for lang in languages}
    for (_, lang), batch in together.items():
        lanes[lang or languages[0]].append(batch)
    for lang, batches in heavy.items():
        for n, batch in enumerate(batches):
            lanes[lang or languages[n % len(languages)]].append(batch)
    for lang, listed in rest.items():
        ordered = sorted(listed, key=lambda route: route.kind)
        for n, start in enumerate(range(0, len(ordered), size)):
            lanes[lang or languages[n % len(languages)]].append(ordered[start:start + size])
    return list(lanes.values())


_TOGETHER = {"search_manifest": "search", "search_terms": "search", "search_records": "search",
             "filter_data": "filters"}
"""Kinds made from data that one batch makes once: a language's search index,
the incidents each filter matches."""
_HEAVY = frozenset({"incidents_json", "timelinejs", "incidents_csv", "sitemap"})


def _render_batch(renderer: Renderer, pages: Sequence[Route], folder: Path, in_place: InPlace | None,
                  fingerprint: Callable[[Route], str] | None) -> Iterator[Written]:
    made: set[str] = set()
    top = str(folder)
    for route in pages:
        data = renderer.render(route)
        told = fingerprint(route) if fingerprint else ""
        if in_place is not None and in_place.holds(route.path, data):
            yield Written(route.path, False, told)
            continue
        target = f"{top}/{route.path}"  # strings: Path objects cost more than the writes
        parent = os.path.dirname(target)
        if parent not in made:
            _folder(parent)
            made.add(parent)
        yield Written(route.path, True, told, _write(target, data))


def _folder(path: str) -> None:
    """Make a folder whose parent most often exists (one system call, not two)."""
    try:
        os.mkdir(path)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(path, exist_ok=True)


def _write(path: str, data: bytes) -> tuple[int, int]:
    """Write a whole file without a buffered file object (fewer system
    calls); its size and mtime (ns) after."""
    handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(handle, view):]
        stat = os.fstat(handle)
    finally:
        os.close(handle)
    return stat.st_size, stat.st_mtime_ns
