"""waqai.load (with frontmatter): broken and hostile files, as phones, old
editors and attackers make them. Each gets one clear problem at its line, in
well under a second and in bounded memory, or is read as meant; never a
traceback, and a refused file is refused again when its parse is cached."""

from __future__ import annotations

import os
import time
import tracemalloc
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import MakeSite, build_site, check_site, config_of, soup
from test_cli import run

from waqai import cache, commands, load

PATH = "content/incidents/2021/2021-02-01-test.ar.md"
FRONT = (
    "title: عنوان\n"
    "date: 2021-02-01\n"
    "type: protest\n"
    "places: [hasakah]\n"
    "sources:\n"
    "  - url: https://a.example/\n"
    "    publisher: A\n"
)
"""Lines in the file: 1 '---', 2 title, 3 date, 4 type, 5 places, 6 sources,
7 url, 8 publisher, 9 '---', 10 the body."""
BODY_LINE = 10


def incident(front: str = FRONT, body: str = "نص.\n") -> str:
    return f"---\n{front}---\n{body}"


def timed_check(root: Path) -> list[str]:
    """Every problem of the site; `check` must say it within a second."""
    start = time.perf_counter()
    problems = check_site(root)
    assert time.perf_counter() - start < 1.0
    return problems


def with_file(make_site: MakeSite, data: bytes, path: str = PATH) -> Path:
    """The default site plus one file of these bytes."""
    root = make_site()
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_bytes(data)
    return root


def nested(depth: int) -> str:
    return FRONT + "tags: " + "[" * depth + "]" * depth + "\n"


def alias_bomb() -> str:
    lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    return FRONT + "\n".join(lines) + "\n"


BROKEN: list[tuple[str, bytes, str]] = [
    ("latin-1", incident().encode() + "Café\n".encode("latin-1"),
     f"11: error: not UTF-8 text (byte {len(incident().encode()) + 3}); save the file as UTF-8"),
    ("utf-16", incident().encode("utf-16"), "1: error: not UTF-8 text (byte 0); save the file as UTF-8"),
    ("binary", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
     "1: error: not UTF-8 text (byte 0); save the file as UTF-8"),
    ("empty", b"", "1: error: no front matter: the file must start with a '---' line "
     "and the YAML must end with another '---' line"),
    ("not-closed", f"---\n{FRONT}Body, but the front matter never ends.\n".encode(),
     "1: error: no front matter: the file must start with a '---' line "
     "and the YAML must end with another '---' line"),
    ("nul-in-body", incident(body="One\n\nTwo\x00three\n").encode(),
     "12: error: control character U+0000 in text; delete it; it may be invisible in an editor"),
    ("escape-in-body", incident(body="\x1b[31mred\n").encode(),
     "10: error: control character U+001B in text; delete it; it may be invisible in an editor"),
    ("control-in-front", incident(FRONT.replace("عنوان", "عنوان\x07")).encode(),
     "2: error: control character U+0007 in text; delete it; it may be invisible in an editor"),
    ("escaped-nul", incident(FRONT + 'summary: "a\\0b"\n').encode(),
     "9: error: control character U+0000 in text"),
    ("c1-control", incident(body="Mis-decoded \u0085 text\n").encode(),
     "10: error: control character U+0085 in text; delete it; it may be invisible in an editor"),
    ("nested-5000", incident(nested(5000)).encode(),
     "9: error: malformed YAML: values nested more than 20 deep"),
    ("nested-block", incident(FRONT + "tags:\n" + "".join("  " * i + "-\n" for i in range(1, 40))).encode(),
     "29: error: malformed YAML: values nested more than 20 deep"),
    ("alias-bomb", incident(alias_bomb()).encode(),
     "14: error: malformed YAML: too many values (aliases nested too deep?)"),
    ("undefined-alias", incident(FRONT + "tags: [*nothing]\n").encode(),
     "9: error: malformed YAML: found undefined alias 'nothing'"),
    ("list-as-key", incident(FRONT + "? [a, b]\n: c\n").encode(),
     "9: error: malformed YAML: a key must be text, not a list or mapping"),
]


@pytest.mark.parametrize(("data", "expected"), [case[1:] for case in BROKEN],
                         ids=[case[0] for case in BROKEN])
def test_a_broken_file_gets_one_problem_at_its_line(make_site: MakeSite, data: bytes,
                                                    expected: str) -> None:
    root = with_file(make_site, data)
    assert timed_check(root) == [f"{PATH}:{expected}"]
    assert timed_check(root) == [f"{PATH}:{expected}"], "refused again when the cache is warm"


def test_deep_nesting_from_the_command_line_is_an_error_not_a_traceback(make_site: MakeSite) -> None:
    root = with_file(make_site, incident(nested(100_000)).encode())
    for command in ("check", "build"):
        result = run(root, command)
        assert result.returncode == 1
        assert result.stderr.splitlines()[0] == \
            f"{PATH}:9: error: malformed YAML: values nested more than 20 deep"
        assert "Traceback" not in result.stderr


@pytest.mark.parametrize("data", [
    "\ufeff" + incident(),
    incident().replace("\n", "\r\n"),
    incident().replace("\n", "\r\n").replace("---\r\n", "---  \r\n"),
], ids=["byte-order-mark", "crlf", "crlf-trailing-spaces"])
def test_windows_files_are_read_as_meant(make_site: MakeSite, data: str) -> None:
    root = with_file(make_site, data.encode())
    site, problems = commands.check(config_of(root))
    assert list(problems) == []
    test = site.by_id["2021-02-01-test"]
    assert test.texts["ar"].title == "عنوان"
    assert test.places == ("hasakah",)
    assert test.sources[0].url == "https://a.example/"


def write_big(root: Path, size: int) -> None:
    """An incident whose body makes the file `size` bytes long."""
    head = incident(body="").encode()
    with open(root / PATH, "wb") as stream:
        stream.write(head)
        stream.write(b"x" * (size - len(head)))


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(make_site: MakeSite) -> None:
    root = make_site()
    write_big(root, 20 * 1024 * 1024)
    tracemalloc.start()
    try:
        problems = timed_check(root)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problems == [f"{PATH}:1: error: file of 20.0 MB is larger than max_file_size (1.0 MB); "
                        "it is not read; split it, or raise max_file_size in config.yaml"]
    assert peak < 5 * 1024 * 1024, "the 20 MB file was read"


def test_reading_many_files_takes_no_memory_mapping_per_file(tmp_path: Path) -> None:
    """The system allows a process about 65,000 memory mappings: an archive of
    50,000 incidents (90,000 files) must be readable in one build."""
    from waqai.load import read_file

    files = []
    for n in range(3000):
        path = tmp_path / f"{n}.md"
        path.write_text(incident(), encoding="utf-8")
        files.append(str(path))

    def mappings() -> int:
        return len(Path("/proc/self/maps").read_text().splitlines())

    before = mappings()
    kept = [read_file(path, 1024 * 1024, None) for path in files]
    assert all(data == incident().encode() for data in kept)
    assert mappings() - before < 300, "each file read left a memory mapping behind"


@pytest.mark.parametrize(("setting", "size", "expected"), [
    ("max_file_size: 500KB\n", 600 * 1024, "file of 600 KB is larger than max_file_size (500 KB)"),
    ("max_file_size: 2 mb\n", 3 * 1024 * 1024, "file of 3.0 MB is larger than max_file_size (2.0 MB)"),
    ("max_file_size: 2000\n", 2001, "file of 1 KB is larger than max_file_size (1 KB)"),
    ("max_file_size: 2MB\n", 1536 * 1024, None),
], ids=["kilobytes", "megabytes-lower-case", "bytes", "under-the-limit"])
def test_the_size_limit_is_set_in_the_config(make_site: MakeSite, setting: str, size: int,
                                             expected: str | None) -> None:
    from conftest import CONFIG

    root = make_site(config=CONFIG + setting)
    write_big(root, size)
    found = [p for p in check_site(root) if ": error: " in p]
    assert found == ([f"{PATH}:1: error: {expected}; it is not read; "
                      "split it, or raise max_file_size in config.yaml"] if expected else [])


@pytest.mark.parametrize("value", ["big", "0", "-1MB", "1TB", "[1MB]"])
def test_a_bad_size_limit_is_a_config_problem(make_site: MakeSite, value: str) -> None:
    from conftest import CONFIG

    root = make_site(config=CONFIG + f"max_file_size: {value}\n")
    assert check_site(root) == [
        f"config.yaml:9: error: max_file_size must be a size such as 1MB or 500KB, not '{value}'"
        if not value.startswith("[") else
        "config.yaml:9: error: 'max_file_size' must be text, not a list"]


def test_a_registry_over_the_size_limit_is_refused(make_site: MakeSite) -> None:
    root = make_site()
    with open(root / "content/tags.yaml", "a", encoding="utf-8") as stream:
        stream.write("# " + "x" * (2 * 1024 * 1024) + "\n")
    assert ("content/tags.yaml:1: error: file of 2.0 MB is larger than max_file_size (1.0 MB); "
            "it is not read; split it, or raise max_file_size in config.yaml") in timed_check(root)


def test_thousands_of_list_items(make_site: MakeSite) -> None:
    tags = ", ".join(f"tag-{i}" for i in range(5000))
    root = with_file(make_site, incident(FRONT + f"tags: [{tags}]\n").encode())
    problems = timed_check(root)
    assert problems == [f"{PATH}:9: error: unknown tag 'tag-{i}'" for i in range(10)] + [
        f"{PATH}:9: error: more problems in 'tags' than are listed here; fix these, then check again"]


def test_thousands_of_known_ids_are_accepted(make_site: MakeSite) -> None:
    tags = "".join(f"tag-{i}:\n  name: {{ar: وسم {i}, en: Tag {i}}}\n" for i in range(3000))
    listed = "".join(f"  - tag-{i}\n" for i in range(3000))
    root = make_site({"content/tags.yaml": tags, PATH: incident(FRONT + "tags:\n" + listed)}, basic=False)
    site, problems = commands.check(config_of(root))
    assert not problems.has_errors
    assert len(site.by_id["2021-02-01-test"].tags) == 3000


# Links, pipes and what they point at

SECRET = "secret-of-another-folder"


def outside(tmp_path: Path) -> Path:
    """A file outside the project that reads as a valid incident."""
    target = tmp_path / "elsewhere" / "secret.md"
    target.parent.mkdir(exist_ok=True)
    target.write_text(incident(body=f"{SECRET}\n"), encoding="utf-8")
    return target


LINKED = "content/incidents/2021/2021-02-02-linked.ar.md"


@pytest.mark.parametrize(("link", "target", "expected"), [
    (LINKED, lambda t: outside(t),
     "1: error: symbolic link to a file outside the content folder; it is not read; "
     "copy what it points to into the content folder"),
    ("content/incidents/elsewhere", lambda t: outside(t).parent,
     "1: error: symbolic link to a folder outside the content folder; it is not read; "
     "copy what it points to into the content folder"),
    ("content/media/leak.png", lambda t: outside(t),
     "1: error: symbolic link to a file outside the content folder; it is not read; "
     "copy what it points to into the content folder"),
    ("content/places.yaml", lambda t: outside(t),
     "1: error: symbolic link to a file outside the content folder; it is not read; "
     "copy what it points to into the content folder"),
    ("content/pages/about.en.md", lambda t: Path("/etc/passwd"),
     "1: error: symbolic link to a file outside the content folder; it is not read; "
     "copy what it points to into the content folder"),
], ids=["incident", "folder", "media", "registry", "system-file"])
def test_a_link_out_of_the_content_folder_is_refused(make_site: MakeSite, tmp_path: Path, link: str,
                                                     target: Callable[[Path], Path], expected: str) -> None:
    root = make_site()
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).unlink(missing_ok=True)
    os.symlink(target(tmp_path), root / link)
    problems = [p for p in timed_check(root) if link in p]
    assert problems == [f"{link}:{expected}"]
    out, found = build_site(root)
    assert found.has_errors and not out.exists()


def test_a_link_inside_the_content_folder_is_read(make_site: MakeSite) -> None:
    root = make_site({"content/drafts/2021-02-02-linked.ar.md": incident(body="Linked.\n")})
    os.symlink(root / "content/drafts/2021-02-02-linked.ar.md", root / LINKED)
    site, problems = commands.check(config_of(root))
    assert list(problems) == []
    assert "2021-02-02-linked" in site.by_id


def test_a_named_pipe_does_not_block_the_build(make_site: MakeSite) -> None:
    root = make_site()
    os.mkfifo(root / "content/incidents/2021/2021-02-03-pipe.ar.md")
    assert timed_check(root) == ["content/incidents/2021/2021-02-03-pipe.ar.md:1: error: "
                                 "not a regular file; it is not read"]


# Invisible characters and Unicode forms

@pytest.mark.parametrize(("front", "expected"), [
    (FRONT.replace("[hasakah]", "[hasakah\u200b]"),
     "5: error: unknown place 'hasakah<U+200B>': it holds the invisible character U+200B; "
     "did you mean 'hasakah'?"),
    (FRONT.replace("protest", "\u2060protest"),
     "4: error: unknown type '<U+2060>protest': it holds the invisible character U+2060; "
     "did you mean 'protest'?"),
    (FRONT + "related: [2021-01-siege\u00a0]\n",
     "9: error: unknown incident '2021-01-siege<U+00A0>': it holds the invisible character U+00A0 "
     "in 'related'; did you mean '2021-01-siege'?"),
], ids=["zero-width-space", "word-joiner", "no-break-space"])
def test_an_invisible_character_in_an_id_is_named(make_site: MakeSite, front: str, expected: str) -> None:
    root = with_file(make_site, incident(front).encode())
    assert [p for p in check_site(root) if "error" in p] == [f"{PATH}:{expected}"]


def test_an_invisible_character_in_a_file_name_or_registry_id(make_site: MakeSite) -> None:
    root = make_site({"content/incidents/2021/2021-02-01\u200btest.ar.md": incident(),
                      "content/actors.yaml": "asayish\u200d:\n  name: {ar: الأسايش, en: Asayish}\n"})
    assert [p for p in check_site(root) if "invalid id" in p] == [
        "content/actors.yaml:1: error: invalid id 'asayish<U+200D>'; "
        "use lowercase ASCII letters, digits and hyphens",
        "content/incidents/2021/2021-02-01\u200btest.ar.md: error: invalid id '2021-02-01<U+200B>test'; "
        "use lowercase ASCII letters, digits and hyphens",
    ]


def test_text_is_read_in_composed_form(make_site: MakeSite) -> None:
    decomposed = "ا\u0654سايش"  # alef and a combining hamza: أسايش once composed
    assert not unicodedata.is_normalized("NFC", decomposed)
    places = "hasakah:\n  name: {ar: الحسكة, en: Hasake\u0301}\n  aliases: [Hasake\u0301h]\n"
    root = make_site({
        PATH: incident(FRONT.replace("عنوان", decomposed), f"{decomposed} Cafe\u0301\n"),
        "content/places.yaml": places,
    }, basic=False)
    site, problems = commands.check(config_of(root))
    assert not problems.has_errors
    test = site.by_id["2021-02-01-test"]
    assert test.texts["ar"].title == "أسايش"
    assert "Café" in test.texts["ar"].html
    assert site.registries["places"]["hasakah"].name["en"] == "Hasaké"
    assert site.registries["places"]["hasakah"].aliases == ("Hasakéh",)
    out, _ = build_site(root)
    page = soup(out / "ar/incidents/2021-02-01-test/index.html")
    assert page.h1 is not None and page.h1.get_text() == "أسايش"
    data = "".join(p.read_text(encoding="utf-8") for p in sorted(out.rglob("*"))
                   if p.suffix in (".js", ".json") and "static" not in p.parts)
    assert "Hasakéh" in data or "hasakéh" in data, "the alias is searchable as typed in either form"
    assert "e\u0301" not in data and "\u0627\u0654" not in data


def test_raw_html_is_inert_and_check_warns_at_its_line(make_site: MakeSite) -> None:
    body = ("Plain first line.\n\nA <b>bold</b> claim and `<i>` in code.\n\n"
            "<script>alert(1)</script>\n\n    <pre>indented code</pre>\n\n\\<u> escaped\n")
    root = with_file(make_site, incident(body=body).encode())
    assert check_site(root) == [
        f"{PATH}:12: warning: raw HTML <b> is shown as text, not used as markup; "
        "write Markdown instead, or put the tag in `code`",
        f"{PATH}:14: warning: raw HTML <script> is shown as text, not used as markup; "
        "write Markdown instead, or put the tag in `code`",
    ]
    out, problems = build_site(root)
    assert not problems.has_errors
    prose = soup(out / "ar/incidents/2021-02-01-test/index.html").select_one(".prose")
    assert prose is not None
    assert prose.find("script") is None and prose.find("b") is None
    assert "<script>alert(1)</script>" in prose.get_text()


@pytest.mark.parametrize("body", [
    "".join("`" * k + "a<b> " for k in range(1, 200)),
    "<a b=' " * 120_000,
    "<a " + "b " * 400_000,
    "[" * load.MAX_MARKS,
    "a*" * load.MAX_MARKS,
    "[x](!" * (load.MAX_MARKS // 2),
    "- x\n" * load.MAX_LINES,
], ids=["backtick-runs", "unclosed-quotes", "endless-attributes", "brackets", "emphasis", "link-targets",
        "list-items"])
def test_a_body_made_to_be_slow_is_read_at_once(make_site: MakeSite, body: str) -> None:
    root = with_file(make_site, incident(body=body).encode())
    problems = timed_check(root)
    assert [p for p in problems if ": error: " in p] == []


@pytest.mark.parametrize(("body", "expected"), [
    ("[" * 900_000, "the text has 900,000 Markdown marks ([, ], *, _, `), more than 20,000"),
    ("a*" * 450_000, "the text has 450,000 Markdown marks ([, ], *, _, `), more than 20,000"),
    ("[x](![x](" * 100_000, "the text has 400,000 Markdown marks ([, ], *, _, `), more than 20,000"),
    ("".join("`" * k + "a<b> " for k in range(1, 1300)),
     "the text has 844,350 Markdown marks ([, ], *, _, `), more than 20,000"),
], ids=["brackets", "emphasis", "link-targets", "backtick-runs"])
def test_a_body_of_markup_alone_is_refused_before_it_is_rendered(make_site: MakeSite, body: str,
                                                                  expected: str) -> None:
    root = with_file(make_site, incident(body=body).encode())
    hint = "remove the marks that are not links or emphasis"
    errors = [p for p in timed_check(root) if ": error: " in p]
    assert errors == [f"{PATH}:{BODY_LINE}: error: {expected}; {hint}"]


def test_a_body_of_too_many_lines_is_refused_at_the_first_line_beyond(make_site: MakeSite) -> None:
    root = with_file(make_site, incident(body="- x\n" * 100_000).encode())
    assert [p for p in timed_check(root) if ": error: " in p] == [
        f"{PATH}:{BODY_LINE + load.MAX_LINES}: error: the text has 100,000 lines, more than 10,000; "
        "split it into several incidents, or shorten it"]


@pytest.mark.parametrize("damage", ["another engine", "cut short", "not a cache"])
def test_a_cache_of_parses_this_engine_did_not_write_is_not_used(damage: str, make_site: MakeSite) -> None:
    """The parse cache says which engine wrote it on its first line: a cache
    of another version (or a damaged one) is ignored, never trusted."""
    root = make_site({PATH: incident(body="النص الأصلي.\n")})
    assert not check_site(root)
    parsed = root / cache.FOLDER / "parsed.bin"
    data = parsed.read_bytes()
    stamp, _, entries = data.partition(b"\n")
    assert stamp.decode() == cache.engine_version()
    # The same file's parse, with another body (as long): what a wrong cache would show.
    lied = entries.replace("النص الأصلي".encode(), "النص المزور".encode())
    assert lied != entries and len(lied) == len(entries)
    parsed.write_bytes({"another engine": b"0" * 32 + stamp[32:] + b"\n" + lied,
                        "cut short": stamp + b"\n" + lied[:len(lied) // 2],
                        "not a cache": b"\x00\xff" * 64}[damage])

    out, problems = build_site(root)

    assert not problems.has_errors
    page = (out / "ar/incidents/2021-02-01-test/index.html").read_text(encoding="utf-8")
    assert "النص الأصلي" in page and "النص المزور" not in page
    assert parsed.read_bytes().partition(b"\n")[0] == stamp, "the build did not write its own cache"
