"""The commands: check, build, serve and new. They return problems; only
build.py turns them into exit codes."""

from __future__ import annotations

import datetime
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from waqai import cache
from waqai.config import PROJECT, Config, UsageError
from waqai.dates import parse_date
from waqai.derive import Model, derive, facts, facts_digest
from waqai.load import ID, RawContent, load_content
from waqai.model import Site
from waqai.output import check_output_folder, write_site
from waqai.problems import Problems
from waqai.taxonomy import unused_entries
from waqai.validate import validate


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
        parses.save()
        site, found = validate(raw, config, drafts=drafts)
    problems += found
    if problems.has_errors:
        return site, problems, raw  # a partly read site would make entries look unused
    for registry, entry in unused_entries(site):
        path = config.relative(config.content / f"{registry}.yaml")
        what = registry.removesuffix("s")
        problems.warning(path, entry.line, f"{what} '{entry.id}' is not used by any incident")
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


def new(config: Config, incident_id: str, lang: str, date: str | None) -> Path:
    """Write a ready-to-edit original for a new incident and return its path."""
    if not ID.fullmatch(incident_id):
        raise UsageError(f"invalid id '{incident_id}': use lowercase ASCII letters, digits and hyphens")
    if lang not in config.languages:
        raise UsageError(f"language '{lang}' is not configured ({', '.join(config.languages)})")
    day = date or datetime.date.today().isoformat()
    try:
        year = parse_date(day).year
    except ValueError as exc:
        raise UsageError(f"--date: {exc}") from None
    path = config.content / "incidents" / str(year) / f"{incident_id}.{lang}.md"
    existing = sorted((config.content / "incidents").rglob(f"{incident_id}.*.md"))
    if existing:
        raise UsageError(f"incident '{incident_id}' already exists: {config.relative(existing[0])}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_TEMPLATE.format(date=day), encoding="utf-8")
    return path


_TEMPLATE = """\
---
title: ""
summary: ""
date: {date}
type: ""
places: []
actors: []
tags: []
related: []
sources:
  - url: https://
    publisher: ""
    date: {date}
verification: reported
draft: true
---
"""
