"""Incremental builds: a rebuild into the previous output gives the same files as a clean build.

Each case builds a site into root/"site", changes the project as an editor would,
builds again into the same folder, then compares that folder with a clean build of
a fresh copy of the project (no .cache, a new output folder). Dot-files at the top
of the output (the build marker) are left out of every comparison.
"""

from __future__ import annotations

import dataclasses
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import MakeSite, config_of
from exports_content import FILES as RICH

from waqai import commands, render
from waqai.problems import Problems
from waqai.routes import Route

PROJECT = Path(__file__).resolve().parent.parent

INCIDENTS = "content/incidents/2021"
PROTEST_AR = f"{INCIDENTS}/2021-01-27-protest.ar.md"
PROTEST_EN = f"{INCIDENTS}/2021-01-27-protest.en.md"
SIEGE_AR = f"{INCIDENTS}/2021-01-siege.ar.md"
CURFEW_AR = f"{INCIDENTS}/2021-01-curfew.ar.md"
CURFEW_EN = f"{INCIDENTS}/2021-01-curfew.en.md"
CHECKPOINT_AR = f"{INCIDENTS}/2021-01-30-checkpoint.ar.md"

EXTRA: dict[str, str | None] = {
    # security-square is used; checkpoints only by the draft (so it has no page);
    # water-cuts by nothing (it keeps its page and `check` warns about it).
    "content/tags.yaml": """\
        security-square:
          name: {ar: المربع الأمني, en: Security square}
        checkpoints:
          name: {ar: الحواجز, en: Checkpoints}
        water-cuts:
          name: {ar: قطع المياه, en: Water cuts}
        """,
    CHECKPOINT_AR: """\
        ---
        title: إغلاق حاجز في القامشلي
        summary: أُغلق حاجز على مدخل المدينة.
        date: 2021-01-30
        type: siege
        places: [qamishli]
        actors: [asayish]
        tags: [checkpoints]
        sources:
          - url: https://example.com/checkpoint
            publisher: Example Monitor
        draft: true
        ---
        نص مسودة الحاجز.
        """,
    f"{INCIDENTS}/2021-01-30-checkpoint.en.md": """\
        ---
        title: Checkpoint closed in Qamishli
        summary: A checkpoint at the city's entrance was closed.
        ---
        The draft's text.
        """,
}
"""Added to the basic site and exports_content.FILES in every test of this file."""


# ---------------------------------------------------------------- helpers


def make_project(make_site: MakeSite) -> Path:
    """The test site: sources, media, related links, translations, untranslated
    incidents, a draft, and a registry entry nobody uses."""
    return make_site({**RICH, **EXTRA})


def build(root: Path, out: Path) -> Problems:
    """Build the project at `root` into `out` as `build.py build` does; a project
    holding its own locales/ folder is built with it instead of the engine's."""
    config = config_of(root)
    if (root / "locales").is_dir():
        config = dataclasses.replace(config, locales=root / "locales")
    return commands.build(config, out)


def errors_of(problems: Problems) -> list[str]:
    """The errors of a build, as the terminal shows them."""
    return [str(problem) for problem in problems.errors]


def published(out: Path) -> list[Path]:
    """Every file of an output folder, but the dot-files at its top (the build marker)."""
    return sorted(path for path in out.rglob("*")
                  if path.is_file() and not path.relative_to(out).parts[0].startswith("."))


def contents(out: Path) -> dict[str, bytes]:
    """Every published file's bytes, by its path relative to `out`."""
    return {path.relative_to(out).as_posix(): path.read_bytes() for path in published(out)}


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """Every published file's (inode, st_mtime_ns), by its path relative to `out`."""
    return {path.relative_to(out).as_posix(): (path.stat().st_ino, path.stat().st_mtime_ns)
            for path in published(out)}


def tree_differences(actual: dict[str, bytes], expected: dict[str, bytes]) -> list[str]:
    """What differs between two output trees, one line per path."""
    lines = [f"missing: {path}" for path in sorted(expected.keys() - actual.keys())]
    lines += [f"stale (not in a clean build): {path}" for path in sorted(actual.keys() - expected.keys())]
    lines += [f"different bytes: {path}" for path in sorted(expected.keys() & actual.keys())
              if expected[path] != actual[path]]
    return lines


def clean_build(root: Path, work: Path) -> dict[str, bytes]:
    """Copy the project (without .cache and site) under `work`, build it into a new
    folder, and return that build's files."""
    fresh = work / "fresh-project"
    shutil.copytree(root, fresh, ignore=lambda folder, names: (
        [name for name in names if name in (".cache", "site")] if Path(folder) == root else []))
    out = work / "clean-site"
    problems = build(fresh, out)
    assert not problems.has_errors, f"the clean build failed: {errors_of(problems)}"
    return contents(out)


def assert_same_as_clean_build(out: Path, root: Path, work: Path) -> None:
    """The output at `out` holds exactly the files, with exactly the bytes, of a clean build."""
    differences = tree_differences(contents(out), clean_build(root, work))
    assert not differences, ("the incremental build differs from a clean build:\n  "
                             + "\n  ".join(differences))


def edit(root: Path, path: str, old: str, new: str) -> None:
    """Replace the first `old` in the project file at `path` (which must contain it)."""
    file = root / path
    text = file.read_text(encoding="utf-8")
    assert old in text, f"{path} does not contain {old!r}"
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def write(root: Path, path: str, text: str) -> None:
    """Write a project file, making its folder."""
    file = root / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(text, encoding="utf-8")


def move(root: Path, old: str, new: str) -> None:
    """Rename or move a project file."""
    (root / new).parent.mkdir(parents=True, exist_ok=True)
    (root / old).rename(root / new)


# ---------------------------------------------------------------- the changes


def use_own_templates(root: Path) -> None:
    """The project gets a copy of the engine's templates, named by `templates:`."""
    shutil.copytree(PROJECT / "templates", root / "theme")
    config = root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "templates: theme\n", encoding="utf-8")


def use_own_locales(root: Path) -> None:
    """The project gets a copy of the engine's catalogues (see `build`)."""
    shutil.copytree(PROJECT / "locales", root / "locales")


def rename_one_and_move_another(root: Path) -> None:
    """The curfew gets a new id (both files); the siege moves to another sub-folder."""
    move(root, CURFEW_AR, f"{INCIDENTS}/2021-01-hasakah-curfew.ar.md")
    move(root, CURFEW_EN, f"{INCIDENTS}/2021-01-hasakah-curfew.en.md")
    move(root, SIEGE_AR, "content/incidents/sieges/2021-01-siege.ar.md")


def delete_incident(root: Path) -> None:
    """The curfew, original and translation, is deleted."""
    (root / CURFEW_AR).unlink()
    (root / CURFEW_EN).unlink()


def add_incident(root: Path) -> None:
    """A new published incident, in both languages, related to the protest."""
    write(root, f"{INCIDENTS}/2021-01-28-arrests.ar.md", """\
---
title: اعتقالات في القامشلي
summary: اعتُقل عدة شبان.
date: 2021-01-28
type: protest
places: [qamishli]
actors: [asayish]
related: [2021-01-27-protest]
sources:
  - url: https://example.com/arrests
    publisher: Example Monitor
---
نص الاعتقالات.
""")
    write(root, f"{INCIDENTS}/2021-01-28-arrests.en.md", """\
---
title: Arrests in Qamishli
summary: Several young men were arrested.
---
The arrests.
""")


def replace_unused_tag(root: Path) -> None:
    """The unused tag water-cuts is removed and another unused one added."""
    edit(root, "content/tags.yaml", "water-cuts:\n  name: {ar: قطع المياه, en: Water cuts}\n",
         "bread-queues:\n  name: {ar: طوابير الخبز, en: Bread queues}\n")


def change_media(root: Path) -> None:
    """The curfew's map is replaced by other bytes."""
    (root / "content/media/map.png").write_bytes(b"\x89PNG another map, not the first one")


def add_media(root: Path) -> None:
    """A new image, shown in the siege's body."""
    (root / "content/media/siege").mkdir(parents=True)
    (root / "content/media/siege/photo.png").write_bytes(b"\x89PNG a photo of the siege")
    edit(root, SIEGE_AR, "حصار.\n", "حصار.\n\n![صورة](media/siege/photo.png)\n")


def use_own_basemap(root: Path) -> None:
    """The project draws its maps on its own GeoJSON, named by `basemap:`."""
    write(root, "maps/city.geojson", '{"type": "Polygon", "coordinates": '
          '[[[40.7, 36.45], [40.8, 36.45], [40.8, 36.55], [40.7, 36.45]]]}\n')
    config = root / "config.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "basemap: maps/city.geojson\n", encoding="utf-8")


def add_correction(root: Path) -> None:
    """A correction of the protest, in both languages: its page, `updated`
    (feeds, sitemap, exports) and the corrections' pages and feeds change."""
    edit(root, PROTEST_AR, "---\nنص الواقعة", "corrections:\n  - date: 2021-01-29\n"
         "    note: صُحّح وقت التظاهرة.\n---\nنص الواقعة")
    edit(root, PROTEST_EN, "---\nThe incident", "corrections:\n  - date: 2021-01-29\n"
         "    note: The time of the protest was corrected.\n---\nThe incident")


def edit_correction_note(root: Path) -> None:
    """The English words of an existing correction change (added before the first build)."""
    edit(root, PROTEST_EN, "The time of the protest was corrected.", "The protest's time was corrected.")


@dataclass(frozen=True)
class Case:
    """One kind of change an editor makes between two builds."""

    id: str
    change: Callable[[Path], None]
    prepare: Callable[[Path], None] | None = field(default=None)
    """Run on the project before the first build."""


CASES = [
    Case("incident-body-edited",
         lambda root: edit(root, PROTEST_AR, "نص الواقعة", "نص الواقعة بعد التحرير،")),
    Case("incident-title-edited-in-original",
         lambda root: edit(root, PROTEST_AR, "title: تظاهرة في شارع فلسطين", "title: مسيرة في شارع فلسطين")),
    Case("incident-title-edited-in-translation",
         lambda root: edit(root, PROTEST_EN, "title: Protest on Palestine Street",
                           "title: Rally on Palestine Street")),
    Case("incident-date-moved-to-another-year",
         lambda root: edit(root, PROTEST_AR, "date: 2021-01-27\ntime", "date: 2022-03-05\ntime")),
    Case("incident-places-changed",
         lambda root: edit(root, PROTEST_AR, "places: [hasakah]", "places: [palestine-street, qamishli]")),
    Case("explicit-related-link-added",
         lambda root: edit(root, CURFEW_AR, "type: siege\n", "type: siege\nrelated: [2021-01-27-protest]\n")),
    Case("translation-added",
         lambda root: write(root, f"{INCIDENTS}/2021-01-siege.en.md",
                            "---\ntitle: Siege of the square\nsummary: A siege.\n---\nThe siege.\n")),
    Case("translation-deleted", lambda root: (root / CURFEW_EN).unlink()),
    Case("incident-renamed-and-another-moved", rename_one_and_move_another),
    Case("incident-deleted", delete_incident),
    Case("incident-added", add_incident),
    Case("registry-name-changed",
         lambda root: edit(root, "content/places.yaml", "en: Hasakah}", "en: Al-Hasakah}")),
    Case("registry-entry-added-and-unused-one-removed", replace_unused_tag),
    Case("config-title-changed",
         lambda root: edit(root, "config.yaml", "en: Test Chronicle}", "en: The Hasakah Chronicle}")),
    Case("config-digits-arab", lambda root: edit(root, "config.yaml", "digits: latn", "digits: arab")),
    Case("template-changed",
         lambda root: edit(root, "theme/base.html", "</main>",
                           '<p class="colophon">Edited page frame</p>\n</main>'),
         prepare=use_own_templates),
    Case("partial-template-changed",
         lambda root: edit(root, "theme/_footer.html", "</footer>",
                           '<p class="colophon">Edited footer text</p>\n</footer>'),
         prepare=use_own_templates),
    Case("locale-message-changed",
         lambda root: edit(root, "locales/ar/LC_MESSAGES/messages.po",
                           'msgid "Browse"\nmsgstr "تصفّح"', 'msgid "Browse"\nmsgstr "تصفّح الأرشيف"'),
         prepare=use_own_locales),
    Case("draft-published", lambda root: edit(root, CHECKPOINT_AR, "draft: true\n", "")),
    Case("incident-made-draft",
         lambda root: edit(root, CURFEW_AR, "type: siege\n", "type: siege\ndraft: true\n")),
    Case("place-coordinates-changed",
         lambda root: edit(root, "content/places.yaml", "lat: 36.5", "lat: 36.6")),
    Case("basemap-changed",
         lambda root: edit(root, "maps/city.geojson", "[40.8, 36.55]", "[40.9, 36.6]"),
         prepare=use_own_basemap),
    Case("correction-added", add_correction),
    Case("correction-note-edited-in-translation", edit_correction_note, prepare=add_correction),
    Case("media-added", add_media),
    Case("media-changed", change_media),
    Case("incident-verification-changed",  # cards' badges, the charts' tables
         lambda root: edit(root, PROTEST_AR, "type: protest\n", "type: protest\nverification: disputed\n")),
    Case("incident-type-changed", lambda root: edit(root, PROTEST_AR, "type: protest\n", "type: siege\n")),
    Case("lasting-incident-made-ongoing",  # a span runs to its latest source
         lambda root: edit(root, SIEGE_AR, "end_date: 2021-02\n", "ongoing: true\n")),
    Case("ongoing-incident-later-source",
         lambda root: edit(root, SIEGE_AR, "    publisher: روزنة\n",
                           "    publisher: روزنة\n    date: 2021-03-02\n"),
         prepare=lambda root: edit(root, SIEGE_AR, "end_date: 2021-02\n", "ongoing: true\n")),
    Case("type-color-set",
         lambda root: edit(root, "content/types.yaml", "siege:\n", 'siege:\n  color: "#123456"\n')),
]


# ---------------------------------------------------------------- tests


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_incremental_build_equals_clean_build(case: Case, make_site: MakeSite, tmp_path: Path) -> None:
    root = make_project(make_site)
    if case.prepare:
        case.prepare(root)
    out = root / "site"
    first = build(root, out)
    assert not first.has_errors, f"the first build failed: {errors_of(first)}"
    before = contents(out)

    case.change(root)
    problems = build(root, out)

    assert not problems.has_errors, f"the incremental build failed: {errors_of(problems)}"
    assert contents(out) != before, "the change made no difference to the site (the case tests nothing)"
    assert_same_as_clean_build(out, root, tmp_path)


def test_body_edit_rewrites_only_the_pages_it_changes(make_site: MakeSite) -> None:
    root = make_project(make_site)
    out = root / "site"
    assert not build(root, out).has_errors
    unaffected = ["en/incidents/2021-01-siege/index.html", "static/style.css"]
    edited = "ar/incidents/2021-01-27-protest/index.html"
    before = stamps(out)
    edited_before = (out / edited).read_bytes()

    edit(root, PROTEST_AR, "نص الواقعة", "نص الواقعة بعد التحرير،")
    problems = build(root, out)

    assert not problems.has_errors, errors_of(problems)
    after = stamps(out)
    rewritten = [f"{path}: (inode, mtime) {before[path]} -> {after.get(path)}"
                 for path in unaffected if after.get(path) != before[path]]
    assert not rewritten, "files the edit does not affect were written again:\n  " + "\n  ".join(rewritten)
    assert (out / edited).read_bytes() != edited_before, f"{edited} was not updated"
    assert "بعد التحرير" in (out / edited).read_text(encoding="utf-8")


def test_a_page_made_again_with_the_same_bytes_is_not_written(make_site: MakeSite,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose bytes change but not its words (a line break added at
    the end) makes its incident's pages again: they come out the same, and
    the files in place are left as they are."""
    root = make_project(make_site)
    out = root / "site"
    assert not build(root, out).has_errors
    pages = ["ar/incidents/2021-01-27-protest/index.html", "en/incidents/2021-01-27-protest/index.html"]
    before = stamps(out)
    made: list[str] = []
    rendering = render.Renderer.render

    def recorded(self: render.Renderer, route: Route) -> bytes:
        made.append(route.path)
        return rendering(self, route)

    monkeypatch.setattr(render.Renderer, "render", recorded)
    source = root / PROTEST_AR
    source.write_text(source.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    problems = build(root, out)

    assert not problems.has_errors, errors_of(problems)
    assert set(pages) <= set(made), f"the edit made {made}, not the incident's pages"
    after = stamps(out)
    rewritten = [path for path in pages if after[path] != before[path]]
    assert not rewritten, f"pages made again with the same bytes were written again: {rewritten}"


@pytest.mark.parametrize("tampering", ["deleted", "edited", "stray-file-added"])
def test_output_changed_by_hand_is_restored(tampering: str, make_site: MakeSite, tmp_path: Path) -> None:
    root = make_project(make_site)
    out = root / "site"
    assert not build(root, out).has_errors
    if tampering == "deleted":
        (out / "en/index.html").unlink()
        (out / "static/style.css").unlink()
        shutil.rmtree(out / "ar/incidents/2021-01-siege")
    elif tampering == "edited":
        (out / "en/index.html").write_text("edited by hand", encoding="utf-8")
        with (out / "ar/incidents/2021-01-27-protest/index.html").open("ab") as page:
            page.write(b"<!-- appended by hand -->")
    else:
        (out / "en/notes.html").write_text("not made by the build", encoding="utf-8")

    problems = build(root, out)

    assert not problems.has_errors, errors_of(problems)
    assert_same_as_clean_build(out, root, tmp_path)


def test_build_with_errors_writes_nothing(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_project(make_site)
    out = root / "site"
    assert not build(root, out).has_errors
    before, before_stamps = contents(out), stamps(out)
    original = (root / PROTEST_EN).read_text(encoding="utf-8")

    edit(root, PROTEST_EN, "title: Protest on Palestine Street",
         "title: Rally on Palestine Street\ntype: siege")  # a fact field in a translation
    edit(root, PROTEST_AR, "نص الواقعة", "نص الواقعة بعد التحرير،")  # valid, but not published yet
    broken = build(root, out)

    assert broken.has_errors, "a fact field in a translation was not reported"
    differences = tree_differences(contents(out), before)
    assert not differences, "a build with errors changed the output:\n  " + "\n  ".join(differences)
    touched = sorted(path for path, stamp in stamps(out).items() if before_stamps.get(path) != stamp)
    assert not touched, f"a build with errors wrote files: {touched}"

    (root / PROTEST_EN).write_text(original, encoding="utf-8")  # fixed, as it was
    fixed = build(root, out)

    assert not fixed.has_errors, errors_of(fixed)
    assert "بعد التحرير" in (out / "ar/incidents/2021-01-27-protest/index.html").read_text(encoding="utf-8")
    assert_same_as_clean_build(out, root, tmp_path)


def test_build_without_changes_writes_nothing(make_site: MakeSite) -> None:
    root = make_project(make_site)
    out = root / "site"
    assert not build(root, out).has_errors
    before, before_stamps = contents(out), stamps(out)

    problems = build(root, out)

    assert not problems.has_errors, errors_of(problems)
    assert contents(out) == before
    after = stamps(out)
    touched = sorted(path for path in before_stamps.keys() | after.keys()
                     if before_stamps.get(path) != after.get(path))
    assert not touched, (f"a build with nothing changed wrote {len(touched)} of {len(before)} files "
                         f"again, e.g. {touched[:5]}")


def test_mtime_granularity_does_not_hide_an_edit(make_site: MakeSite, tmp_path: Path) -> None:
    """An edit that keeps the file's size and modification time is still seen
    (as after `git checkout` or a copy that keeps times)."""
    root = make_project(make_site)
    out = root / "site"
    assert not build(root, out).has_errors
    source = root / PROTEST_EN
    stat = source.stat()
    edit(root, PROTEST_EN, "title: Protest on Palestine", "title: Protest at Palestine")
    assert source.stat().st_size == stat.st_size
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))

    problems = build(root, out)

    assert not problems.has_errors, errors_of(problems)
    assert "Protest at Palestine Street" in (out / "en/incidents/2021-01-27-protest/index.html").read_text(
        encoding="utf-8")
    assert_same_as_clean_build(out, root, tmp_path)


@pytest.mark.parametrize("parallel", [False, True])
def test_a_fresh_build_leaves_nothing_to_render_for_the_next(parallel: bool, make_site: MakeSite,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh build makes its pages' fingerprints while rendering them (in
    helpers when the work is shared): they are those the next build
    compares, so a build with nothing changed renders no page at all."""
    root = make_project(make_site)
    out = root / "site"
    if parallel:
        monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    assert not build(root, out).has_errors
    monkeypatch.undo()

    def fail(self: render.Renderer, route: Route) -> bytes:
        raise AssertionError(f"{route.path} was rendered again")

    monkeypatch.setattr(render.Renderer, "render", fail)
    assert not build(root, out).has_errors
