"""The project's own sample chronology, built end to end and read through its HTML."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from conftest import soup

from waqai import commands
from waqai.config import load_config

PROJECT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    config, problems = load_config(PROJECT / "config.yaml")
    assert config is not None, [str(p) for p in problems]
    out = tmp_path_factory.mktemp("sample") / "site"
    found = commands.build(config, out)
    assert not found.has_errors, [str(p) for p in found]
    assert [str(p) for p in found] == []
    return out


def incident_pages(site: Path, lang: str) -> list[Path]:
    """Every incident page of one language."""
    return sorted((site / lang / "incidents").glob("*/index.html"))


def test_sample_has_ten_to_fourteen_incidents_in_both_languages(site: Path) -> None:
    ar, en = incident_pages(site, "ar"), incident_pages(site, "en")
    assert 10 <= len(ar) <= 14
    assert [p.parent.name for p in ar] == [p.parent.name for p in en]


def test_every_sample_incident_is_sourced_dated_and_placed(site: Path) -> None:
    for page in incident_pages(site, "ar") + incident_pages(site, "en"):
        parsed = soup(page)
        assert parsed.select(".sources li a[href^='https://']"), page
        assert parsed.select_one(".event-meta time[datetime]"), page
        assert parsed.select_one(".facts dd bdi"), page


def test_sample_shows_each_kind_of_entry(site: Path) -> None:
    en = soup(site / "en/index.html")
    datetimes = [t["datetime"] for t in en.select("li.event .event-meta time")]
    assert any(len(d) == 7 for d in datetimes), "a month-precision entry"
    assert any("T" in d for d in datetimes), "an entry with a time"
    assert en.select("li.event.is-lasting"), "a lasting incident"
    assert len(en.select("li.event .badge-untranslated")) == 1
    for page in map(soup, incident_pages(site, "en")):
        assert len(page.select(".related li.event, .suggested li.event")) >= 2


def test_about_and_methodology_pages(site: Path) -> None:
    for lang in ("ar", "en"):
        for page in ("about", "methodology"):
            parsed = soup(site / lang / page / "index.html")
            assert parsed.html["lang"] == lang
            assert parsed.select_one(".prose p")


def test_every_internal_link_resolves(site: Path) -> None:
    for page in site.rglob("*.html"):
        if page.name == "404.html":
            continue
        for tag in soup(page).select("a[href], link[href], img[src]"):
            url = tag.get("href") or tag.get("src")
            parts = urlsplit(url)
            if parts.scheme or url.startswith("#"):
                continue
            target = (page.parent / parts.path).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(site)} links to missing {url}"
