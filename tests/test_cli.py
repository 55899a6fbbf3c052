"""build.py as CI and editors run it: exit codes, messages, no tracebacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import MakeSite

PROJECT = Path(__file__).resolve().parent.parent


LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def run(root: Path, *args: str, github: bool = False,
        locale: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run build.py in `root`, in an English locale unless `locale` says otherwise."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS" and k not in LOCALE_VARIABLES}
    env.update(locale or {"LANG": "C.UTF-8"})
    if github:
        env["GITHUB_ACTIONS"] = "true"
    return subprocess.run([sys.executable, str(PROJECT / "build.py"), *args], cwd=root,
                          capture_output=True, text=True, env=env, check=False)


def test_build_is_the_default_command(make_site: MakeSite) -> None:
    root = make_site()
    result = run(root)
    assert result.returncode == 0, result.stderr
    assert (root / "site/ar/index.html").is_file()


def test_content_errors_exit_1_all_listed_and_nothing_written(make_site: MakeSite) -> None:
    root = make_site({
        "content/incidents/2021/2021-01-27-protest.ar.md": "---\ntitle: x\ndate: 2021-02-30\n"
        "type: protest\nplaces: [hasaka]\nsources: [{url: 'https://e.org/', publisher: E}]\n---\n",
        "content/incidents/2021/bad.fr.md": "---\ntitle: x\n---\n",
    })
    result = run(root, "build", "--out", "public")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "content/incidents/2021/2021-01-27-protest.ar.md:3: error: invalid date '2021-02-30': "\
           "day 30 is not in that month" in lines
    assert "content/incidents/2021/2021-01-27-protest.ar.md:5: error: unknown place 'hasaka'; "\
           "did you mean 'hasakah'?" in lines
    assert any(line.startswith("content/incidents/2021/bad.fr.md: error: language 'fr'") for line in lines)
    assert lines[-1] == "3 error(s), 0 warning(s); nothing was written"
    assert "Traceback" not in result.stderr
    assert not (root / "public").exists()
    assert result.stdout == ""


def test_github_annotations(make_site: MakeSite) -> None:
    root = make_site({"content/incidents/2021/2021-01-27-protest.en.md": "---\ntitle: x\ntype: siege\n---\n"})
    result = run(root, "check", github=True)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::error file=content/incidents/2021/2021-01-27-protest.en.md,line=3::fact field 'type' in a "
        "translation; facts are written once, in the original (the file with 'date')",
    ]


def test_check_passes_on_valid_content(make_site: MakeSite) -> None:
    result = run(make_site(), "check")
    assert (result.returncode, result.stderr) == (0, "")


def test_usage_errors_exit_2(make_site: MakeSite, tmp_path: Path) -> None:
    missing = run(tmp_path, "build")
    assert missing.returncode == 2
    assert "cannot read config file" in missing.stderr
    assert "Traceback" not in missing.stderr
    assert run(make_site(), "build", "--no-such-option").returncode == 2
    assert run(make_site(), "build", "--base-url", "not-a-url").returncode == 2


def test_base_url_option_wins_over_config(make_site: MakeSite) -> None:
    root = make_site()
    assert run(root, "build", "--base-url", "https://news.example/archive").returncode == 0
    html = (root / "site/en/index.html").read_text()
    assert '<link rel="canonical" href="https://news.example/archive/en/">' in html


def test_new_writes_a_ready_to_edit_original(make_site: MakeSite) -> None:
    root = make_site()
    result = run(root, "new", "2021-02-01-checkpoint", "--date", "2021-02-01")
    assert result.returncode == 0, result.stderr
    path = root / "content/incidents/2021/2021-02-01-checkpoint.ar.md"
    assert result.stdout.strip() == "content/incidents/2021/2021-02-01-checkpoint.ar.md"
    text = path.read_text()
    assert "date: 2021-02-01" in text
    assert "draft: true" in text
    # a fresh draft does not stop the site from building; its gaps are warnings
    built = run(root, "build")
    assert built.returncode == 0, built.stderr
    assert "2021-02-01-checkpoint.ar.md:2: warning: 'title' is empty" in built.stderr
    assert not (root / "site/ar/incidents/2021-02-01-checkpoint").exists()
    assert run(root, "build", "--drafts").returncode == 1
    again = run(root, "new", "2021-02-01-checkpoint")
    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert run(root, "new", "Bad Id").returncode == 2


def test_check_drafts_checks_drafts_as_if_published(make_site: MakeSite) -> None:
    root = make_site({"content/incidents/2021/2021-01-28-draft.ar.md": "---\ntitle: x\ndate: 2021-01-28\n"
                      "type: protest\nplaces: [hasaka]\nsources: [{url: 'https://e.org/', publisher: E}]\n"
                      "draft: true\n---\n"})
    problem = ("content/incidents/2021/2021-01-28-draft.ar.md:5: {}: unknown place 'hasaka'; "
               "did you mean 'hasakah'?")
    quiet = run(root, "check")
    assert (quiet.returncode, quiet.stderr.splitlines()) == (0, [problem.format("warning")])
    strict = run(root, "check", "--drafts")
    assert strict.returncode == 1
    assert strict.stderr.splitlines()[0] == problem.format("error")


def test_a_cache_folder_that_cannot_be_written_leaves_builds_whole(make_site: MakeSite) -> None:
    """The cache only saves time: where it cannot be written (here a file
    stands in the folder's place), check and build run as without it."""
    root = make_site()
    (root / ".cache").write_text("not a folder\n", encoding="utf-8")
    checked = run(root, "check")
    built = run(root, "build")
    assert (checked.returncode, checked.stderr) == (0, "")
    assert (built.returncode, built.stderr) == (0, "built site/\n")
    assert (root / "site/ar/index.html").is_file()
    assert (root / ".cache").read_text(encoding="utf-8") == "not a folder\n"
