"""The commands: check, build, serve, new and status. They return problems; only
build.py turns them into exit codes."""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from waqai import cache
from waqai.config import PROJECT, Config, UsageError
from waqai.dates import parse_date
from waqai.derive import Model, derive, facts, facts_digest
from waqai.load import ID, RawContent, load_content
from waqai.model import Site
from waqai.output import check_output_folder, write_site
from waqai.problems import N_, Gettext, Problems, did_you_mean, english
from waqai.stubs import original_stub, translation_stub
from waqai.taxonomy import unused_entries
from waqai.translations import LanguageStatus, fingerprint, stale_warnings
from waqai.translations import status as translation_status
from waqai.validate import validate

ENTRY_WORDS = {"actors": N_("actor"), "places": N_("place"), "types": N_("type"), "tags": N_("tag")}
"""What one entry of each registry is called in messages."""


def check(config: Config, *, drafts: bool = False) -> tuple[Site, Problems]:
    """Read and validate all content."""
    site, problems, _ = read(config, drafts=drafts)
    return site, problems


def read(config: Config, *, drafts: bool = False,
         parses: cache.ParseCache | None = None) -> tuple[Site, Problems, RawContent]:
    """Read and validate all content, with every problem found; `parses`
    defaults to the project's cache of parsed files."""
    with bulk():
        parses = parses if parses is not None else cache.ParseCache(config.root / cache.FOLDER)
        raw, problems = load_content(config, parses)
        with parses.saving():
            site, found = validate(raw, config, drafts=drafts)
    problems += found
    if problems.has_errors:
        return site, problems, raw  # a partly read site would make entries look unused
    for registry, entry in unused_entries(site):
        path = config.relative(config.content / f"{registry}.yaml")
        problems.warning(path, entry.line, N_("{what} '{id}' is not used by any incident",
                                              what=ENTRY_WORDS[registry], id=entry.id))
    problems += stale_warnings(site, config.languages, config.default_language)
    return site, problems, raw


def model(config: Config, *, drafts: bool = False,
          parses: cache.ParseCache | None = None) -> tuple[Model | None, Problems]:
    """The checked site and what its pages derive from it; None on errors."""
    site, problems, raw = read(config, drafts=drafts, parses=parses)
    if problems.has_errors:
        return None, problems
    store = cache.Store(config.root / cache.FOLDER)
    with bulk():
        known = facts(site, config)
        key = facts_digest(known)
        related = store.get("related", key)
        found = derive(site, config, raw.digests, related=related, known=known)
    if related is None:
        store.put("related", key, dict(found.related))
    return found, problems


def build(config: Config, out: Path, *, drafts: bool = False) -> Problems:
    """Validate, then bring the site in `out` up to date; nothing is written on errors."""
    check_output_folder(out, (config.root, PROJECT), (config.content, config.templates, config.locales))
    found, problems = model(config, drafts=drafts)
    if found is None:
        return problems
    write_site(found, out, config.root / cache.FOLDER)
    return problems


@contextmanager
def bulk() -> Iterator[None]:
    """Reading a site makes millions of objects that live as long as the build
    and no garbage cycles: the cycle collector would walk them again and again
    (a third of a warm build). Collect after, and leave them out of later
    collections (gc.freeze)."""
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def new(config: Config, incident_id: str, lang: str, date: str | None, gettext: Gettext = english) -> Path:
    """Write a ready-to-edit original for a new incident and return its path
    (its comments in the catalogue's language)."""
    if not ID.fullmatch(incident_id):
        raise UsageError(N_("invalid id '{id}': use lowercase ASCII letters, digits and hyphens",
                            id=incident_id))
    _check_language(config, lang)
    day = date or datetime.date.today().isoformat()
    try:
        year = parse_date(day).year
    except ValueError as exc:
        raise UsageError(N_("--date: {problem}", problem=exc.args[0])) from None
    path = config.content / "incidents" / str(year) / f"{incident_id}.{lang}.md"
    existing = sorted((config.content / "incidents").rglob(f"{incident_id}.*.md"))
    if existing:
        raise UsageError(N_("incident '{id}' already exists: {path}", id=incident_id,
                            path=config.relative(existing[0]).as_posix()))
    site, _, _ = read(config, drafts=True)
    text = original_stub(day, site.registries, (*site.incidents, *site.drafts), lang, gettext)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def new_translation(config: Config, incident_id: str, lang: str, gettext: Gettext = english) -> Path:
    """Write a translation stub beside the incident's original and return its path;
    an existing translation is never overwritten."""
    _check_language(config, lang)
    raw, _ = load_content(config, cache.ParseCache(config.root / cache.FOLDER))
    files = [f for f in raw.files if f.kind == "incident" and f.id == incident_id]
    if not files:
        known = {f.id for f in raw.files if f.kind == "incident"}
        hint = did_you_mean(incident_id, known)
        unknown = N_("unknown incident '{id}'", id=incident_id)
        raise UsageError(N_("{message}; {hint}", message=unknown, hint=hint) if hint else unknown)
    original = next((f for f in files if isinstance(f.front.data, dict) and "date" in f.front.data), None)
    if original is None or not isinstance(original.front.data, dict):
        raise UsageError(N_("incident '{id}' has no original (the file with 'date') to translate",
                            id=incident_id))
    if original.lang == lang:
        raise UsageError(N_("the original of '{id}' is already in '{language}': {path}", id=incident_id,
                            language=lang, path=original.path.as_posix()))
    path = config.root / original.path.parent / f"{incident_id}.{lang}.md"
    same = [f.path for f in files if f.lang == lang] + ([path] if path.exists() else [])
    if same:
        raise UsageError(N_("the translation already exists: {path}; edit it instead "
                            "(or delete it to start again)", path=same[0].as_posix()))
    title, summary = (_plain_text(original.front.data.get(key)) for key in ("title", "summary"))
    corrections = original.front.data.get("corrections")
    dated = [(_plain_text(item.get("date")), _plain_text(item.get("note")))
             for item in (corrections if isinstance(corrections, list) else [])
             if isinstance(item, dict)]
    path.write_text(translation_stub(original.path, original.lang, title, summary,
                                     fingerprint(title, summary, original.body), gettext, dated),
                    encoding="utf-8")
    return path


def status(config: Config, languages: Sequence[str]) -> tuple[tuple[LanguageStatus, ...], Problems]:
    """Where each language's translations stand; empty when the content has errors."""
    for lang in languages:
        _check_language(config, lang)
    site, problems, _ = read(config)
    if problems.has_errors:
        return (), problems
    return translation_status(site, languages, config.default_language), problems


def _check_language(config: Config, lang: str) -> None:
    if lang not in config.languages:
        raise UsageError(N_("language '{language}' is not configured ({languages})", language=lang,
                            languages=", ".join(config.languages)))


def _plain_text(value: object) -> str:
    return value if isinstance(value, str) else ""
