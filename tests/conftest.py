"""Shared fixtures: throwaway sites written from a dict of path -> text."""

from __future__ import annotations

import base64
import itertools
import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from exports_content import FILES as RICH

from waqai import commands
from waqai.config import Config, load_config
from waqai.problems import Problems

CONFIG = """\
title: {ar: وقائع تجريبية, en: Test Chronicle}
base_url: https://example.org/chronology/
default_language: ar
languages:
  ar: {locale: ar_SY}
  en: {locale: en}
digits: latn
timezone: Asia/Damascus
"""

REGISTRIES = {
    "content/types.yaml": """\
        protest:
          name: {ar: احتجاج, en: Protest}
        siege:
          name: {ar: حصار, en: Siege}
        """,
    "content/places.yaml": """\
        hasakah-governorate:
          name: {ar: محافظة الحسكة, en: Hasakah Governorate}
        hasakah:
          name: {ar: الحسكة, en: Hasakah}
          within: hasakah-governorate
          lat: 36.5
          lon: 40.75
        qamishli:
          name: {ar: القامشلي, en: Qamishli}
          within: hasakah-governorate
        """,
    "content/actors.yaml": """\
        asayish:
          name: {ar: الأسايش, en: Asayish}
        """,
    "content/tags.yaml": """\
        security-square:
          name: {ar: المربع الأمني, en: Security square}
        """,
}

PROTEST_AR = """\
    ---
    title: تظاهرة في شارع فلسطين
    summary: تظاهر العشرات.
    date: 2021-01-27
    time: 12:30
    type: protest
    places: [hasakah]
    actors: [asayish]
    tags: [security-square]
    sources:
      - url: https://www.rozana.fm/
        publisher: روزنة
        date: 2021-01-27
    ---
    نص الواقعة **بالعربية**.
    """

PROTEST_EN = """\
    ---
    title: Protest on Palestine Street
    summary: Dozens protested.
    ---
    The incident in **English**.
    """

SIEGE_AR = """\
    ---
    title: حصار المربع الأمني
    date: 2021-01
    end_date: 2021-02
    type: siege
    places: [qamishli]
    related: [2021-01-27-protest]
    sources:
      - url: https://www.rozana.fm/
        publisher: روزنة
    ---
    حصار.
    """

BASIC = {
    "content/incidents/2021/2021-01-27-protest.ar.md": PROTEST_AR,
    "content/incidents/2021/2021-01-27-protest.en.md": PROTEST_EN,
    "content/incidents/2021/2021-01-siege.ar.md": SIEGE_AR,
}

MakeSite = Callable[..., Path]


def chromium() -> str:
    """The Chromium the browser tests drive: WAQAI_CHROMIUM when set (any
    Chromium build, on any system), else Debian's, from PATH."""
    return os.environ.get("WAQAI_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Write a site: `files` adds to (or, with None, removes from) the defaults."""

    def make(files: dict[str, str | None] | None = None, *, config: str = CONFIG,
             basic: bool = True) -> Path:
        root = tmp_path / "project"
        merged: dict[str, str | None] = {"config.yaml": config, **REGISTRIES}
        if basic:
            merged.update(BASIC)
        merged.update(files or {})
        for path, text in merged.items():
            if text is None:
                continue
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(textwrap.dedent(text), encoding="utf-8")
        return root

    return make


@pytest.fixture
def rich_site(make_site: MakeSite) -> Path:
    """The basic site plus exports_content.FILES (sources, media, revisions), built."""
    return built(make_site(RICH))


def built(root: Path) -> Path:
    """The output of a site that must build without errors."""
    out, problems = build_site(root)
    assert not problems.has_errors, [str(p) for p in problems]
    return out


def config_of(root: Path, **overrides: str) -> Config:
    """The site's Config, which must be valid."""
    config, problems = load_config(root / "config.yaml", **overrides)
    assert config is not None, [str(p) for p in problems]
    return config


def check_site(root: Path) -> list[str]:
    """Every problem of the site as the editor sees it."""
    config, problems = load_config(root / "config.yaml")
    if config is None:
        return [str(p) for p in problems.sorted()]
    _, found = commands.check(config)
    return [str(p) for p in found.sorted()]


def build_site(root: Path, out: Path | None = None, **options: bool) -> tuple[Path, Problems]:
    """Build into `out` (default root/site) and return it with the problems."""
    config = config_of(root)
    out = out or root / "site"
    return out, commands.build(config, out, **options)


def soup(path: Path) -> BeautifulSoup:
    """A built page, parsed."""
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def sent_positions(data: list[int] | str) -> list[int]:
    """Positions as a search or filter data file sends them: differences
    between successive positions, or "<first byte>:<base64>", a bitmap from
    that byte on (bit p & 7 of byte p >> 3 for position p). Read here on its
    own, not with the engine's code."""
    if isinstance(data, str):
        first, _, encoded = data.partition(":")
        bitmap = base64.b64decode(encoded, validate=True)
        start = int(first) * 8
        return [start + n for n in range(len(bitmap) * 8) if bitmap[n // 8] & (1 << (n % 8))]
    return list(itertools.accumulate(data))
