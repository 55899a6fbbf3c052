"""Built pages, parsed: language and direction, alternates, dates, fallback, bidi."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import CONFIG, SIEGE_AR, MakeSite, build_site, soup
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import FileSystemLoader, StrictUndefined, UndefinedError
from markupsafe import Markup, escape

from waqai import render
from waqai.views import Label

INCIDENT = "ar/incidents/2021-01-27-protest/index.html"
EN_INCIDENT = "en/incidents/2021-01-27-protest/index.html"


@pytest.fixture
def site(make_site: MakeSite) -> Path:
    out, problems = build_site(make_site())
    assert not problems.has_errors
    return out


def test_every_page_has_its_language_and_direction(site: Path) -> None:
    for lang, direction in (("ar", "rtl"), ("en", "ltr")):
        pages = sorted((site / lang).rglob("*.html"))
        # timeline, year, two incidents, four registry indexes, seven entries, search, map,
        # corrections
        assert len(pages) == 18
        for page in pages:
            html = soup(page).html
            assert (html["lang"], html["dir"]) == (lang, direction), page


def test_alternates_canonical_and_language_switch(site: Path) -> None:
    page = soup(site / INCIDENT)
    alternates = {link["hreflang"]: link["href"] for link in page.select("link[rel=alternate][hreflang]")}
    base = "https://example.org/chronology/"
    assert alternates == {
        "ar": base + "ar/incidents/2021-01-27-protest/",
        "en": base + "en/incidents/2021-01-27-protest/",
        "x-default": base + "ar/incidents/2021-01-27-protest/",
    }
    assert page.select_one("link[rel=canonical]")["href"] == alternates["ar"]
    switch = page.select_one("a.lang-switch")
    assert (switch["hreflang"], switch["lang"], switch.text) == ("en", "en", "English")
    assert (site / INCIDENT).parent.joinpath(switch["href"]).resolve() == (site / EN_INCIDENT).resolve()


def test_dates_in_each_locale_and_precision(site: Path) -> None:
    ar = soup(site / "ar/index.html")
    times = {t["datetime"]: t.text for t in ar.select("li.event time")}
    assert times["2021-01-27T12:30+02:00"] == "27 كانون الثاني 2021"
    assert times["2021-01"] == "كانون الثاني 2021"
    assert times["2021-02"] == "شباط 2021"
    en = soup(site / "en/index.html")
    times = {t["datetime"]: t.text for t in en.select("li.event time")}
    assert times["2021-01-27T12:30+02:00"] == "January 27, 2021"
    assert times["2021-01"] == "January 2021"


def test_year_precision_entry_is_shown_as_a_year(make_site: MakeSite) -> None:
    files = {"content/incidents/2020-unrest.en.md": """\
        ---
        title: Unrest during the year
        date: 2020
        type: protest
        places: [hasakah]
        sources: [{url: https://example.com/, publisher: Example}]
        ---
        """}
    out, _ = build_site(make_site(files))
    page = soup(out / "en/incidents/2020-unrest/index.html")
    assert page.select_one(".event-meta time")["datetime"] == "2020"
    assert page.select_one(".event-meta time").text == "2020"
    assert (out / "en/2020/index.html").is_file()


def test_timeline_is_grouped_by_year_and_month_oldest_first(make_site: MakeSite) -> None:
    later = {"content/incidents/2021/2021-01-siege.ar.md": SIEGE_AR.replace("end_date: 2021-02",
                                                                             "end_date: 2022-03"),
             "content/incidents/2022/2022-02-rally.en.md": """\
                ---
                title: Rally in Hasakah
                date: 2022-02-03
                type: protest
                places: [hasakah]
                sources: [{url: https://example.com/, publisher: Example}]
                ---
                """}
    site, _ = build_site(make_site(later))
    home = soup(site / "en/index.html")
    years = home.select(".period-list > li")
    assert [li.select_one(".period-year").contents[0].strip() for li in years] == ["2021", "2022"]
    assert [a.text for a in years[0].select(".period-months a")] == ["January 2021 (2)"]
    assert [a["href"] for a in years[1].select(".period-months a")] == [
        "../en/2022/index.html#m-2022-01", "../en/2022/index.html#m-2022-02"]
    assert home.select_one(".page-count").text == "3 incidents"
    page = soup(site / "en/2021/index.html")
    months = page.select(".timeline-month")
    assert [m.h2.text for m in months] == ["January 2021"]
    assert [m.h2["id"] for m in months] == ["m-2021-01"]
    january = [a.text for a in months[0].select("li.event .event-title a")]
    # a month-precision entry comes before the dated entries of its month
    assert january == ["حصار المربع الأمني", "Protest on Palestine Street"]
    # a lasting incident is listed once a year: at the start of each later year it covers
    months = soup(site / "en/2022/index.html").select(".timeline-month")
    assert [m.h2.text for m in months] == ["January 2022", "February 2022"]
    continuing = months[0].select("li.event")
    assert [li.select_one(".event-title a").text for li in continuing] == ["حصار المربع الأمني"]
    assert "is-continuing" in continuing[0]["class"]
    assert continuing[0].select_one(".badge-continuing").text == "continuing"
    assert [a.text for a in months[1].select(".event-title a")] == ["Rally in Hasakah"]


def test_an_ongoing_incident_runs_as_far_as_its_sources(make_site: MakeSite) -> None:
    """Not to the end of the chronology: to its latest source, or its `as_of`."""
    ongoing = SIEGE_AR.replace("end_date: 2021-02", "ongoing: true")
    files = {"content/incidents/2021/2021-01-siege.ar.md": ongoing,
             "content/incidents/2023/2023-05-rally.en.md": """\
                ---
                title: Rally in Hasakah
                date: 2023-05-03
                type: protest
                places: [hasakah]
                sources: [{url: https://example.com/, publisher: Example}]
                ---
                """}
    site, _ = build_site(make_site(files))
    assert not (site / "en/2022").exists()
    card = soup(site / "en/2021/index.html").select_one("li.is-ongoing")
    assert card.select_one(".badge-ongoing").text == "ongoing as of January 2021"
    files["content/incidents/2021/2021-01-siege.ar.md"] = ongoing.replace(
        "ongoing: true", "ongoing: true\n    as_of: 2022-06")
    root = make_site(files)
    site, _ = build_site(root, root / "again")
    assert (site / "en/2022/index.html").is_file()
    assert not (site / "en/2023/index.html").read_text().count("is-continuing")
    card = soup(site / "en/2022/index.html").select_one("li.is-ongoing")
    assert card.select_one(".badge-ongoing").text == "ongoing as of June 2022"


def test_arabic_indic_digits_only_on_the_arabic_site(make_site: MakeSite) -> None:
    out, _ = build_site(make_site(config=CONFIG.replace("digits: latn", "digits: arab")))
    ar = soup(out / INCIDENT).select_one(".event-meta time")
    assert (ar["datetime"], ar.text) == ("2021-01-27T12:30+02:00", "٢٧ كانون الثاني ٢٠٢١")
    en = soup(out / EN_INCIDENT).select_one(".event-meta time")
    assert en.text == "January 27, 2021"


def test_untranslated_incident_falls_back_to_its_original(site: Path) -> None:
    page = soup(site / "en/incidents/2021-01-siege/index.html")
    title = page.select_one("h1 bdi")
    assert (title["lang"], title["dir"], title.text) == ("ar", "rtl", "حصار المربع الأمني")
    assert page.select_one(".prose")["lang"] == "ar"
    assert page.select_one(".prose")["dir"] == "rtl"
    assert "not been translated" in page.select_one(".notice").text
    assert "(Arabic)" in page.select_one(".notice").text
    canonical = page.select_one("link[rel=canonical]")["href"]
    assert canonical == "https://example.org/chronology/ar/incidents/2021-01-siege/"
    hreflangs = [link["hreflang"] for link in page.select("link[rel=alternate][hreflang]")]
    assert "en" not in hreflangs
    listed = soup(site / "en/index.html").select("li.event")
    marked = [li for li in listed if li.select_one(".badge-untranslated")]
    assert {li.select_one(".event-title bdi")["lang"] for li in marked} == {"ar"}
    hrefs = {li.select_one(".event-title a")["href"] for li in marked}
    assert hrefs == {"../en/incidents/2021-01-siege/index.html"}


def test_translated_text_is_not_marked_foreign(site: Path) -> None:
    page = soup(site / EN_INCIDENT)
    assert not page.select_one("h1 bdi").has_attr("lang")
    assert not page.select_one(".notice")
    assert page.select_one(".prose strong").text == "English"


def test_interface_strings_are_translated(site: Path) -> None:
    ar = soup(site / INCIDENT)
    assert [h.text for h in ar.select("h2")][:3] == ["الوقائع الأساسية", "الخريطة", "المصادر"]
    assert soup(site / "ar/index.html").select_one(".page-count").text == "واقعتان"
    assert soup(site / "en/index.html").select_one(".page-count").text == "2 incidents"


def test_explicit_related_link_is_shown_on_both_incidents(site: Path) -> None:
    siege = soup(site / "en/incidents/2021-01-siege/index.html")
    protest = soup(site / EN_INCIDENT)
    assert [a.text for a in siege.select(".related .event-title a")] == ["Protest on Palestine Street"]
    assert [a.text for a in protest.select(".related .event-title a")] == ["حصار المربع الأمني"]


def test_lasting_incident_shows_its_end(site: Path) -> None:
    meta = soup(site / "en/incidents/2021-01-siege/index.html").select_one(".event-meta")
    assert [t["datetime"] for t in meta.select("time")] == ["2021-01", "2021-02"]


def test_foreign_direction_text_is_isolated(make_site: MakeSite) -> None:
    files = {"content/incidents/2021/2021-01-27-protest.ar.md": PROTEST_WITH_LATIN}
    out, problems = build_site(make_site(files))
    bidi = [p for p in problems if "bidi" in p.message]
    assert [(p.severity, p.line) for p in bidi] == [("warning", 2)]
    page = soup(out / INCIDENT)
    cite = page.select_one(".sources cite bdi")
    assert cite.text == "Tension in Hasakah (report)"
    publisher = page.select_one(".sources a bdi")
    assert publisher.text == "Rozana FM"
    h1 = page.select_one("h1 bdi").text
    # an unterminated override is closed inside its own text
    assert h1 == "عنوان \u202eمقلوب\u202c"
    assert page.title.text.startswith("\u2068عنوان \u202eمقلوب\u202c\u2069 – ")


PROTEST_WITH_LATIN = """\
    ---
    title: عنوان \u202eمقلوب
    date: 2021-01-27
    type: protest
    places: [hasakah]
    sources:
      - url: https://www.rozana.fm/
        publisher: Rozana FM
        title: Tension in Hasakah (report)
    ---
    """


def test_hostile_markdown_is_inert(make_site: MakeSite) -> None:
    files = {"content/incidents/2021/2021-01-27-protest.en.md": """\
        ---
        title: <script>alert(1)</script>
        ---
        <img src=x onerror=alert(1)> [click](javascript:alert(1))

        ![tracker](https://evil.example/pixel.png)
        """}
    out, _ = build_site(make_site(files))
    html = (out / EN_INCIDENT).read_text()
    page = soup(out / EN_INCIDENT)
    assert page.select_one("h1").text == "<script>alert(1)</script>"
    # the only script element is the JSON-LD data block, which browsers never run
    assert not page.select('script:not([type="application/ld+json"])')
    assert "onerror" not in {attr for tag in page.find_all(True) for attr in tag.attrs}
    assert not page.select('a[href^="javascript"]')
    assert not page.select('img[src^="https"]')
    assert page.select_one("a.external-image")["href"] == "https://evil.example/pixel.png"
    assert "<img src=x" not in html


def test_local_media_is_copied_and_shown(make_site: MakeSite) -> None:
    root = make_site({"content/incidents/2021/2021-01-27-protest.en.md": """\
        ---
        title: Protest
        ---
        ![The square](media/square.png)
        """})
    (root / "content/media").mkdir()
    (root / "content/media/square.png").write_bytes(b"\x89PNG fake")
    out, problems = build_site(root)
    assert not problems.has_errors
    img = soup(out / EN_INCIDENT).select_one(".prose img")
    assert img["alt"] == "The square"
    assert (out / EN_INCIDENT).parent.joinpath(img["src"]).read_bytes() == b"\x89PNG fake"


def test_no_page_loads_anything_from_another_origin(site: Path) -> None:
    for page in site.rglob("*.html"):
        parsed = soup(page)
        for tag in parsed.select("[src], link[rel=stylesheet], script"):
            url = tag.get("src") or tag.get("href") or ""
            assert not url.startswith(("http:", "https:", "//")), (page, url)
        assert not parsed.select('script:not([src]):not([type="application/ld+json"])'), page
        handlers = {a for tag in parsed.find_all(True) for a in tag.attrs if a.startswith("on")}
        assert not handlers, page


def test_entry_and_not_found_pages(site: Path) -> None:
    entry = soup(site / "index.html")
    links = {a["hreflang"]: a["href"] for a in entry.select(".entry-languages a")}
    assert links == {"ar": "ar/index.html", "en": "en/index.html"}
    assert entry.select_one(".entry-languages li[lang=en]")["dir"] == "ltr"
    missing = soup(site / "404.html")
    assert missing.html["lang"] == "ar"
    # served at any depth, so its links start at the site's root path
    assert missing.select_one("link[rel=stylesheet]")["href"] == "/chronology/static/style.css"
    assert {a["href"] for a in missing.select(".not-found a[hreflang]")} == {
        "/chronology/ar/index.html", "/chronology/en/index.html"}


def test_plain_pages_in_both_languages(make_site: MakeSite) -> None:
    out, _ = build_site(make_site({
        "content/pages/about.ar.md": "---\ntitle: من نحن\n---\nنص.\n",
        "content/pages/about.en.md": "---\ntitle: About\n---\n| a | b |\n|---|---|\n| 1 | 2 |\n",
    }))
    en = soup(out / "en/about/index.html")
    assert en.select_one("h1").text == "About"
    assert en.select_one(".prose table td").text == "1"
    nav = [a.text for a in soup(out / "ar/index.html").select(".site-nav a")]
    assert "من نحن" in nav


def test_every_page_offers_the_chronology_as_data(site: Path) -> None:
    page = soup(site / EN_INCIDENT)
    links = {a.text: a["href"] for a in page.select(".downloads a")}
    assert links == {
        "Atom": "../../../en/feed.xml", "JSON": "../../../en/incidents.json",
        "CSV": "../../../incidents.csv", "TimelineJS": "../../../en/timeline.json",
    }
    for href in links.values():
        assert (site / EN_INCIDENT).parent.joinpath(href).is_file()


@given(st.one_of(st.text(), st.text().map(Markup), st.integers(), st.floats(allow_nan=False),
                 st.builds(Label, st.text(), st.sampled_from(["ar", "en", ""]),
                           st.sampled_from(["rtl", "ltr", "auto"]), st.booleans())))
def test_a_value_is_written_as_markupsafe_escapes_it(value: object) -> None:
    # Templates write every {{ value }} with render.written, which skips
    # markupsafe's Markup copies: the text must be exactly escape()'s.
    assert render.written(value) == str(escape(value))


def test_the_theme_writes_values_escaped(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        "<p title='{{ text }}'>{{ text }}{{ markup }}{{ label }}{{ number }}</p>", encoding="utf-8")
    env = render._Environment(loader=FileSystemLoader(tmp_path), autoescape=True)
    page = env.get_template("page.html").render(
        text="<script>alert('x')</script> & \"", markup=Markup("<b>bold</b>"),
        label=Label("<i>", "en", "ltr", True), number=7)
    assert page == ("<p title='&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;'>"
                    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;<b>bold</b>"
                    '<bdi lang="en" dir="ltr">&lt;i&gt;</bdi>7</p>')


def test_the_theme_reads_attributes_items_and_nothing_else(tmp_path: Path) -> None:
    # `value.name` reads an attribute, else the item of that name (a theme's
    # own data may be a mapping), however deep and wherever written; a name
    # that is neither stops the build with Jinja's error, as before.
    (tmp_path / "page.html").write_text(
        "{% macro title(of) %}{{ of.head.title }}{% endmacro %}"
        "{{ view.head.title }}|{{ view.counts.killed }}|{{ title(view) }}|"
        "{% for place in view.head.places %}{{ place.name }}{% if not loop.last %}, {% endif %}{% endfor %}|"
        "{{ view.counts.items is defined }}{{ view.counts.wounded is defined }}", encoding="utf-8")
    env = render._Environment(loader=FileSystemLoader(tmp_path), autoescape=True,
                              undefined=StrictUndefined)
    head = SimpleNamespace(title="<Qamishli>", places=[{"name": "Amuda"}, SimpleNamespace(name="Hasakah")])
    view = SimpleNamespace(head=head, counts={"killed": 2})
    assert env.get_template("page.html").render(view=view) == (
        "&lt;Qamishli&gt;|2|&lt;Qamishli&gt;|Amuda, Hasakah|TrueFalse")
    (tmp_path / "wrong.html").write_text("{{ view.head.titel }}", encoding="utf-8")
    with pytest.raises(UndefinedError, match="titel"):
        env.get_template("wrong.html").render(view=view)
