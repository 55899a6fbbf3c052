"""Translation status as an editor meets it: `new --translate`, `status` (text
and JSON), `check`'s stale warnings and the notice on a stale translation's page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import MakeSite, soup
from hypothesis import given, settings
from hypothesis import strategies as st
from test_cli import run

from waqai.load import parse_source
from waqai.translations import fingerprint

SIEGE = "content/incidents/2021/2021-01-siege"
PROTEST = "content/incidents/2021/2021-01-27-protest"


def translate(root: Path, incident_id: str, lang: str, title: str) -> Path:
    """What a translator does: write the stub, then fill in the title."""
    result = run(root, "new", "--translate", incident_id, "--lang", lang)
    assert result.returncode == 0, result.stderr
    path = root / result.stdout.strip()
    path.write_text(path.read_text(encoding="utf-8").replace('title: ""', f"title: {title}", 1),
                    encoding="utf-8")
    return path


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def status(root: Path, *args: str) -> dict[str, dict[str, object]]:
    result = run(root, "status", "--json", *args)
    assert result.returncode == 0, result.stderr
    languages = json.loads(result.stdout)["languages"]
    assert isinstance(languages, dict)
    return languages


def test_new_translate_writes_a_stub_beside_its_original(make_site: MakeSite) -> None:
    root = make_site()
    result = run(root, "new", "--translate", "2021-01-siege", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{SIEGE}.en.md"
    text = (root / f"{SIEGE}.en.md").read_text(encoding="utf-8")
    assert f"# A translation of {SIEGE}.ar.md (ar)" in text
    assert "#   title: حصار المربع الأمني\n" in text
    assert re.search(r"^translated_from: [0-9a-f]{12}$", text, re.M)
    assert "date:" not in text and "places:" not in text  # facts stay in the original
    # an empty title is what is left to do
    checked = run(root, "check")
    assert checked.returncode == 1
    assert f"{SIEGE}.en.md:4: error: 'title' is empty" in checked.stderr.splitlines()


def test_new_translate_never_overwrites(make_site: MakeSite) -> None:
    root = make_site()
    before = (root / f"{PROTEST}.en.md").read_text(encoding="utf-8")
    result = run(root, "new", "--translate", "2021-01-27-protest", "--lang", "en")
    assert result.returncode == 2
    assert f"the translation already exists: {PROTEST}.en.md" in result.stderr
    assert (root / f"{PROTEST}.en.md").read_text(encoding="utf-8") == before
    # nor in another folder than the original's
    root = make_site({f"{SIEGE}.en.md": None, "content/incidents/translations/2021-01-siege.en.md":
                      "---\ntitle: Siege\n---\n"})
    result = run(root, "new", "--translate", "2021-01-siege", "--lang", "en")
    assert result.returncode == 2
    assert "content/incidents/translations/2021-01-siege.en.md" in result.stderr
    assert not (root / f"{SIEGE}.en.md").exists()


def test_new_translate_usage_errors(make_site: MakeSite) -> None:
    root = make_site()
    cases = {
        ("--translate", "2021-01-seige", "--lang", "en"): "unknown incident '2021-01-seige'; "
                                                          "did you mean '2021-01-siege'?",
        ("--translate", "2021-01-siege", "--lang", "ar"): "is already in 'ar'",
        ("--translate", "2021-01-siege", "--lang", "fr"): "language 'fr' is not configured",
        ("--translate", "2021-01-siege"): "needs --lang",
    }
    for args, message in cases.items():
        result = run(root, "new", *args)
        assert result.returncode == 2, args
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert not (root / f"{SIEGE}.en.md").exists()


def test_status_lists_untranslated_up_to_date_and_unrecorded(make_site: MakeSite) -> None:
    root = make_site({"content/pages/about.ar.md": "---\ntitle: عن الموقع\n---\nنص.\n"})
    result = run(root, "status")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "ar: nothing to translate, every original is in ar",
        "en: 1 of 2 incidents and 0 of 1 pages translated; 2 untranslated, 0 stale, 1 without "
        "translated_from",
        "  untranslated incident 2021-01-siege: python build.py new --translate 2021-01-siege --lang en",
        "  untranslated page about: translate content/pages/about.ar.md",
        f"  without translated_from incident 2021-01-27-protest: {PROTEST}.en.md: once it matches "
        f"its original, add 'translated_from: {status(root)['en']['unrecorded'][0]['current']}'",  # type: ignore[index]
    ]
    translate(root, "2021-01-siege", "en", "Siege of the security square")
    en = status(root, "--lang", "en")["en"]
    assert list(status(root, "--lang", "en")) == ["en"]
    assert en["incidents"] == {"total": 2, "translated": 2}
    assert en["untranslated"] == [{"kind": "page", "id": "about", "original": "content/pages/about.ar.md"}]
    assert en["stale"] == []
    assert [item["id"] for item in en["unrecorded"]] == ["2021-01-27-protest"]  # type: ignore[attr-defined]


def test_an_edited_original_makes_its_translation_stale(make_site: MakeSite) -> None:
    root = make_site()
    translation = translate(root, "2021-01-siege", "en", "Siege of the security square")
    assert run(root, "check").stderr == ""
    edit(root / f"{SIEGE}.ar.md", "حصار.\n", "حصار دام أسبوعين.\n")

    checked = run(root, "check", github=True)
    assert checked.returncode == 0  # a warning, not an error
    current = status(root)["en"]["stale"][0]["current"]  # type: ignore[index]
    lines = translation.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("translated_from:"))
    message = (f"stale translation: its original ({SIEGE}.ar.md) changed after it was translated; "
               f"bring the text up to date, then set 'translated_from: {current}'")
    assert checked.stderr.splitlines() == [f"{SIEGE}.en.md:{line}: warning: {message}"]
    assert checked.stdout.splitlines() == [f"::warning file={SIEGE}.en.md,line={line}::{message}"]

    stale = status(root)["en"]["stale"]
    assert isinstance(stale, list) and len(stale) == 1
    assert stale[0]["id"] == "2021-01-siege"
    assert stale[0]["path"] == f"{SIEGE}.en.md"
    assert stale[0]["line"] == line
    assert stale[0]["translated_from"] != current
    text = run(root, "status").stdout
    assert f"  stale incident 2021-01-siege: {SIEGE}.en.md:{line}: its original changed" in text

    # the translation brought up to date: the editor sets the new fingerprint
    edit(translation, f"translated_from: {stale[0]['translated_from']}", f"translated_from: {current}")
    assert run(root, "check").stderr == ""
    assert status(root)["en"]["stale"] == []


def test_spacing_alone_does_not_make_a_translation_stale(make_site: MakeSite) -> None:
    root = make_site()
    translate(root, "2021-01-siege", "en", "Siege of the security square")
    edit(root / f"{SIEGE}.ar.md", "title: حصار المربع الأمني", "title:   حصار   المربع الأمني  ")
    edit(root / f"{SIEGE}.ar.md", "حصار.\n", "\nحصار.\n\n\n")
    assert run(root, "check").stderr == ""
    edit(root / f"{SIEGE}.ar.md", "title:   حصار   المربع", "title: حصار مدينة المربع")
    assert "stale translation" in run(root, "check").stderr


_WORDS = st.text(st.sampled_from("ab حص\t\n \u00a0\u2009"), max_size=12)


@settings(max_examples=300, deadline=None)
@given(title=_WORDS.filter(str.strip), summary=_WORDS, body=_WORDS)
def test_the_fingerprint_worked_out_when_parsing_is_the_checked_texts(
        title: str, summary: str, body: str) -> None:
    """An incident original's fingerprint is worked out when its file is
    parsed: it must be the one of the words as the check reads them (title
    trimmed, summary's spaces collapsed), or translations would turn stale
    alone. A translation's (no `date`) is not: no one compares it."""
    front_matter = f"title: {json.dumps(title)}\nsummary: {json.dumps(summary)}"
    data = f"---\ndate: 2021-01-27\n{front_matter}\n---\n{body}".encode()
    parsed = parse_source(data)
    assert isinstance(parsed, tuple)
    front, body_read, words = parsed[0], parsed[2], parsed[-1]
    assert words == fingerprint(front["title"].strip(), " ".join(front["summary"].split()), body_read)
    translation = parse_source(f"---\n{front_matter}\n---\n{body}".encode())
    assert isinstance(translation, tuple)
    assert translation[-1] == ""


def test_a_stale_translations_page_tells_readers(make_site: MakeSite) -> None:
    root = make_site({
        "content/incidents/2021/2021-01-05-statement.en.md": """\
            ---
            title: Statement on the siege
            date: 2021-01-05
            type: siege
            places: [hasakah]
            sources:
              - url: https://www.rozana.fm/
                publisher: Rozana
            ---
            The statement.
            """,
    })
    translate(root, "2021-01-siege", "en", "Siege of the security square")
    translate(root, "2021-01-05-statement", "ar", "بيان حول الحصار")
    assert run(root, "build").returncode == 0
    pages = {lang: soup(root / f"site/{lang}/incidents/{id_}/index.html")
             for lang, id_ in (("en", "2021-01-siege"), ("ar", "2021-01-05-statement"))}
    assert all(page.select(".notice-stale") == [] for page in pages.values())

    edit(root / f"{SIEGE}.ar.md", "حصار.\n", "حصار دام أسبوعين.\n")
    edit(root / "content/incidents/2021/2021-01-05-statement.en.md", "The statement.", "The full statement.")
    assert run(root, "build").returncode == 0
    english = soup(root / "site/en/incidents/2021-01-siege/index.html").select(".notice")
    assert [n.get_text() for n in english] == [
        "The original of this incident (Arabic) has been updated since this translation was made."]
    arabic = soup(root / "site/ar/incidents/2021-01-05-statement/index.html").select(".notice")
    assert [n.get_text() for n in arabic] == [
        "عُدِّل النص الأصلي لهذه الواقعة (الإنجليزية) بعد إعداد هذه الترجمة."]
    # the originals' own pages have nothing to say
    for path in ("ar/incidents/2021-01-siege", "en/incidents/2021-01-05-statement"):
        assert soup(root / f"site/{path}/index.html").select(".notice") == []


def test_pages_have_stale_translations_too(make_site: MakeSite) -> None:
    root = make_site({
        "content/pages/about.ar.md": "---\ntitle: عن الموقع\n---\nنص قديم.\n",
        "content/pages/about.en.md": "---\ntitle: About\ntranslated_from: 000000000000\n---\nText.\n",
    })
    checked = run(root, "check")
    assert checked.returncode == 0
    assert checked.stderr.startswith("content/pages/about.en.md:3: warning: stale translation: "
                                     "its original (content/pages/about.ar.md) changed")
    stale = status(root)["en"]["stale"]
    assert [(s["kind"], s["id"]) for s in stale] == [("page", "about")]  # type: ignore[index]
    assert run(root, "build").returncode == 0
    english = soup(root / "site/en/about/index.html").select(".notice")
    assert [n.get_text() for n in english] == [
        "The original of this page (Arabic) has been updated since this translation was made."]
    assert soup(root / "site/ar/about/index.html").select(".notice") == []


def test_translated_from_belongs_in_translations_only(make_site: MakeSite) -> None:
    root = make_site({
        f"{PROTEST}.en.md": "---\ntitle: Protest\ntranslated_from: 12ab\n---\n",
        f"{SIEGE}.ar.md": "---\ntitle: حصار\ndate: 2021-01\ntype: siege\nplaces: [qamishli]\n"
                          "sources: [{url: 'https://e.org/', publisher: E}]\n"
                          "translated_from: 0123456789ab\n---\n",
        "content/pages/about.ar.md": "---\ntitle: عن\ntranslated_from: 0123456789ab\n---\n",
    })
    result = run(root, "check")
    assert result.returncode == 1
    assert result.stderr.splitlines()[:3] == [
        f"{PROTEST}.en.md:3: error: 'translated_from' must be 12 hexadecimal digits, the original's "
        "fingerprint, not '12ab'; 'python build.py status' shows the current one",
        f"{SIEGE}.ar.md:7: error: 'translated_from' in an original; only a translation records the "
        "original it was made from; remove it here",
        "content/pages/about.ar.md:3: error: unknown field 'translated_from'",
    ]


def test_status_exit_codes(make_site: MakeSite) -> None:
    root = make_site()
    unknown = run(root, "status", "--lang", "fr")
    assert unknown.returncode == 2
    assert "language 'fr' is not configured" in unknown.stderr
    assert run(root, "status", "--bogus").returncode == 2
    broken = make_site({f"{SIEGE}.ar.md": "---\ntitle: x\ndate: 2021-13\n---\n"})
    result = run(broken, "status", "--json")
    assert result.returncode == 1
    assert result.stdout == ""
    assert f"{SIEGE}.ar.md:3: error:" in result.stderr


def test_new_lists_the_ids_in_use_most_used_first(make_site: MakeSite) -> None:
    root = make_site({
        "content/incidents/2021/2021-01-28-checkpoint.ar.md": """\
            ---
            title: حاجز
            date: 2021-01-28
            type: siege
            places: [qamishli]
            sources:
              - url: https://www.rozana.fm/
                publisher: روزنة
            ---
            """,
    })
    result = run(root, "new", "2021-02-01-curfew", "--date", "2021-02-01")
    assert result.returncode == 0, result.stderr
    lines = (root / result.stdout.strip()).read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if line.startswith("#")] == [
        "# Ids to use, the most used first (names in content/*.yaml):",
        "# type: siege (حصار), protest (احتجاج)",
        "# places: qamishli (القامشلي), hasakah (الحسكة), hasakah-governorate (محافظة الحسكة)",
        "# actors: asayish (الأسايش)",
        "# tags: security-square (المربع الأمني)",
    ]
    english = run(root, "new", "2021-02-02-curfew", "--date", "2021-02-02", "--lang", "en")
    text = (root / english.stdout.strip()).read_text(encoding="utf-8")
    assert ("# places: qamishli (Qamishli), hasakah (Hasakah), hasakah-governorate "
            "(Hasakah Governorate)\n") in text
    # the comments change nothing: a fresh draft still builds
    assert run(root, "build").returncode == 0
