"""The preview: pages from memory, the errors while the content has some."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import MakeSite, build_site, config_of

from waqai import serve
from waqai.serve import Preview, error_page, reload_script

PROJECT = Path(__file__).resolve().parent.parent


def preview_of(root: Path) -> Preview:
    """A preview of the site at `root`, built once."""
    preview = Preview(config_of(root))
    assert not preview.rebuild().has_errors
    return preview


def test_preview_serves_the_pages_a_build_makes(make_site: MakeSite) -> None:
    root = make_site()
    out, _ = build_site(root, root.parent / "built")
    preview = preview_of(root)
    status, kind, body = preview.respond("/en/")
    assert (status, kind) == (200, "text/html; charset=utf-8")
    script = reload_script(preview.generation)
    assert script == b'<script src="/_preview/reload.js?since=1" defer></script>\n'
    assert body == (out / "en/index.html").read_bytes().replace(b"</body>", script + b"</body>")
    assert preview.respond("/en/feed.xml")[2] == (out / "en/feed.xml").read_bytes()
    assert preview.respond("/static/style.css")[:2] == (200, "text/css; charset=utf-8")
    assert preview.respond("/en/incidents/2021-01-siege")[0] == 200
    assert not (root / "site").exists(), "the preview wrote the publishable output"


def test_preview_keeps_inside_the_site(make_site: MakeSite) -> None:
    preview = preview_of(make_site())
    status, _, body = preview.respond("/../config.yaml")
    assert status == 404
    assert b"<html" in body
    assert preview.respond("/nowhere/")[0] == 404


def test_preview_shows_the_errors_instead_of_pages(make_site: MakeSite) -> None:
    root = make_site()
    preview = preview_of(root)
    source = root / "content/incidents/2021/2021-01-27-protest.ar.md"
    source.write_text(source.read_text().replace("places: [hasakah]", "places: [<hasaka>]"))
    assert preview.rebuild([source]).has_errors
    status, _, body = preview.respond("/ar/index.html")
    assert status == 500
    error = ("content/incidents/2021/2021-01-27-protest.ar.md:7: error: unknown place '<hasaka>'; "
             "did you mean 'hasakah'?")
    assert body == error_page([error], preview.generation)
    shown = [li.text for li in BeautifulSoup(body, "html.parser").select("li")]
    assert shown == [error]
    assert body.count(reload_script(preview.generation)) == 1, "the error page reloads by itself once fixed"
    assert preview.respond("/static/style.css")[0] == 200


def test_a_failing_rebuild_is_shown_and_the_preview_goes_on(make_site: MakeSite,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    preview = preview_of(make_site())

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug in a derivation")

    with monkeypatch.context() as patch:
        patch.setattr(serve, "derive", broken)
        preview.rebuild()
    status, _, body = preview.respond("/en/")
    assert status == 500
    assert b"RuntimeError: a bug in a derivation" in body
    assert not preview.rebuild().has_errors
    assert preview.respond("/en/")[0] == 200


def test_a_folder_moved_or_deleted_is_read_again(make_site: MakeSite) -> None:
    root = make_site()
    preview = preview_of(root)
    old, new = root / "content/incidents/2021", root / "content/incidents/by-year"
    old.rename(new)
    assert not preview.rebuild([old, new]).has_errors
    assert preview.respond("/en/incidents/2021-01-siege/")[0] == 200
    for path in new.iterdir():
        path.unlink()
    new.rmdir()
    preview.rebuild([new])  # what inotify reports when a folder goes
    assert preview.respond("/en/incidents/2021-01-siege/")[0] == 404


def test_an_edit_is_served_after_one_rebuild(make_site: MakeSite) -> None:
    root = make_site()
    preview = preview_of(root)
    source = root / "content/incidents/2021/2021-01-27-protest.en.md"
    source.write_text(source.read_text().replace("Protest on Palestine Street", "Rally on Palestine Street"))
    assert not preview.rebuild([source]).has_errors
    for path in ("/en/incidents/2021-01-27-protest/", "/en/", "/en/2021/", "/en/places/hasakah/"):
        assert b"Rally on Palestine Street" in preview.respond(path)[2], path
    records = preview.respond("/en/search/records/0.js")[2]
    assert b"Rally on Palestine Street" in records and b"Protest on Palestine Street" not in records


def test_a_port_in_use_is_a_usage_error(make_site: MakeSite) -> None:
    root = make_site()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([sys.executable, str(PROJECT / "build.py"), "serve", "--port", str(port)],
                              cwd=root, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert f"build.py: error: cannot serve on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "Traceback" not in done.stderr
    assert not (root / "site").exists()


def test_a_plain_page_added_or_renamed_shows_everywhere(make_site: MakeSite) -> None:
    root = make_site()
    preview = preview_of(root)
    preview.respond("/en/")  # renders the navigation once
    about = root / "content/pages/about.en.md"
    about.parent.mkdir(parents=True, exist_ok=True)
    about.write_text("---\ntitle: About this record\n---\nWho we are.\n", encoding="utf-8")
    assert not preview.rebuild([about]).has_errors
    assert preview.respond("/en/about/")[0] == 200
    assert b"About this record" in preview.respond("/en/incidents/2021-01-siege/")[2]
    about.write_text("---\ntitle: Who keeps it\n---\nWho we are.\n", encoding="utf-8")
    assert not preview.rebuild([about]).has_errors
    assert b"Who keeps it" in preview.respond("/en/")[2]


DRAFT = """\
    ---
    title: حاجز في القامشلي
    date: 2021-01-28
    type: siege
    places: [qamishli]
    related: [2021-01-siege]
    sources:
      - url: https://www.rozana.fm/
        publisher: روزنة
    draft: true
    ---
    مسودة.
    """


def test_the_preview_shows_drafts_marked_as_drafts(make_site: MakeSite) -> None:
    root = make_site({"content/incidents/2021/2021-01-28-checkpoint.ar.md": DRAFT})
    preview = preview_of(root)
    status, _, body = preview.respond("/ar/incidents/2021-01-28-checkpoint/")
    assert status == 200
    page = BeautifulSoup(body, "html.parser")
    assert [n.get_text() for n in page.select(".notice-draft")] == ["مسودّة: لم تُنشر هذه الواقعة بعد."]
    english = BeautifulSoup(preview.respond("/en/")[2], "html.parser")
    drafts = [card.select_one(".event-title").get_text() for card in english.select("li.event")
              if card.select(".badge-draft")]
    assert drafts == ["حاجز في القامشلي"]
    # a published incident is not marked
    published = BeautifulSoup(preview.respond("/en/incidents/2021-01-siege/")[2], "html.parser")
    assert published.select(".notice-draft") == []
    # as published: no drafts
    hidden = Preview(config_of(root), drafts=False)
    assert not hidden.rebuild().has_errors
    assert hidden.respond("/ar/incidents/2021-01-28-checkpoint/")[0] == 404


def test_an_unfinished_draft_does_not_stop_the_preview(make_site: MakeSite) -> None:
    root = make_site({"content/incidents/2021/2021-01-28-checkpoint.ar.md":
                      DRAFT.replace("places: [qamishli]", "places: [qamishly]")})
    preview = Preview(config_of(root))
    problems = preview.rebuild()
    assert not problems.has_errors
    assert [str(p) for p in problems] == [
        "content/incidents/2021/2021-01-28-checkpoint.ar.md:5: warning: unknown place 'qamishly'; "
        "did you mean 'qamishli'?"]
    assert preview.respond("/ar/incidents/2021-01-28-checkpoint/")[0] == 404
    assert preview.respond("/ar/")[0] == 200


def test_a_translation_added_in_the_preview_reaches_the_sitemap(make_site: MakeSite) -> None:
    root = make_site()
    preview = preview_of(root)
    assert b"/en/incidents/2021-01-siege/" not in preview.respond("/sitemap.xml")[2]  # only a fallback
    source = root / "content/incidents/2021/2021-01-siege.en.md"
    source.write_text("---\ntitle: The siege of the security square\n---\nThe siege went on.\n",
                      encoding="utf-8")
    assert not preview.rebuild([source]).has_errors
    out, _ = build_site(root, root.parent / "built")
    sitemap = preview.respond("/sitemap.xml")[2]
    assert b"/en/incidents/2021-01-siege/" in sitemap
    assert sitemap == (out / "sitemap.xml").read_bytes()
