"""The output folder: swapped in whole, never half-written, identical each time."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import MakeSite, build_site, config_of
from test_cli import PROJECT, run

from bench.generate import generate
from waqai import commands, load, render
from waqai.config import UsageError


def digest(folder: Path) -> dict[str, str]:
    """Every file's content hash, by path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site()
    first, _ = build_site(root, tmp_path / "one")
    second, _ = build_site(root, tmp_path / "two")
    assert digest(first) == digest(second)
    assert len(digest(first)) > 10


def test_failed_build_leaves_previous_output_untouched(make_site: MakeSite) -> None:
    root = make_site()
    out, _ = build_site(root)
    before = digest(out)
    (root / "content/incidents/2021/2021-01-27-protest.ar.md").write_text("---\ntitle: [\n---\n")
    _, problems = build_site(root)
    assert problems.has_errors
    assert digest(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == [".cache", "config.yaml", "content", "site"]


def test_no_stale_file_survives(make_site: MakeSite) -> None:
    root = make_site()
    out, _ = build_site(root)
    assert (out / "en/incidents/2021-01-siege/index.html").is_file()
    (root / "content/incidents/2021/2021-01-siege.ar.md").unlink()
    build_site(root)
    assert not (out / "en/incidents/2021-01-siege").exists()
    assert (out / "en/incidents/2021-01-27-protest/index.html").is_file()


def test_output_folder_of_other_files_is_not_replaced(make_site: MakeSite, tmp_path: Path) -> None:
    root = make_site()
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not empty and was not made by a build"):
        commands.build(config_of(root), precious)
    assert (precious / "notes.txt").read_text() == "keep me"


def test_output_folder_cannot_be_the_project(make_site: MakeSite) -> None:
    root = make_site()
    with pytest.raises(UsageError, match="would replace"):
        commands.build(config_of(root), root)
    assert (root / "config.yaml").is_file()


def test_parallel_parsing_and_rendering_give_the_same_bytes(make_site: MakeSite, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site()
    sequential, _ = build_site(root, tmp_path / "sequential")
    shutil.rmtree(root / ".cache")  # every file parsed again, by the helpers
    monkeypatch.setattr(load, "PARALLEL_FROM", 1)
    monkeypatch.setattr(load, "CHUNK", 2)
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(render.os, "cpu_count", lambda: 2)
    parallel, _ = build_site(root, tmp_path / "parallel")
    assert digest(parallel) == digest(sequential)


def test_a_rendering_helper_that_dies_stops_the_build_and_leaves_the_site(
        make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """A helper killed while rendering (the system out of memory) ends the
    build with one line, exit code 1, the site as it was: it does not wait
    for it forever."""
    root = make_site()
    out, _ = build_site(root)
    before, beside = digest(out), sorted(p.name for p in out.parent.iterdir())
    source = root / "content/incidents/2021/2021-01-27-protest.en.md"
    source.write_text(source.read_text(encoding="utf-8").replace(
        "title: Protest on Palestine Street", "title: A new title"), encoding="utf-8")
    builder = os.getpid()
    rendering = render._render_batch

    def killed_in_a_helper(*args: object) -> object:
        if os.getpid() != builder:
            os.kill(os.getpid(), signal.SIGKILL)
        return rendering(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(render.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(render, "_render_batch", killed_in_a_helper)
    from waqai.cli import main

    code = main(["build", "--config", str(root / "config.yaml"), "--out", str(out)])

    errors = capsys.readouterr().err
    assert code == 1, errors
    assert errors == ("build.py: error: a process helping with the build ended before it finished "
                      "(exit code -9); nothing was written: was the machine out of memory?\n")
    assert digest(out) == before
    assert sorted(p.name for p in out.parent.iterdir()) == beside, "the build left its staging folder"


@pytest.mark.parametrize(("out", "refused"), [
    ("content", "would replace {root}/content"),
    ("content/media/site", "is inside {root}/content, which the build reads"),
    (".", "would replace {root}"),
    ("..", "would replace {root}"),
    ("/", "would replace {root}"),
    ("{project}/templates", "would replace {project}/templates"),
    ("{project}", "would replace {project}"),
    ("documents", "is not empty and was not made by a build"),
], ids=["content", "inside-content", "project", "parent", "root", "theme", "engine", "strangers-files"])
def test_an_unsafe_output_folder_is_a_usage_error(make_site: MakeSite, out: str, refused: str) -> None:
    root = make_site()
    (root / "documents").mkdir()
    (root / "documents/notes.txt").write_text("keep me")
    before = digest(root)
    result = run(root, "build", "--out", out.format(project=PROJECT))
    assert result.returncode == 2
    message = refused.format(root=root, project=PROJECT)
    assert result.stderr.startswith("build.py: error: output ") and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert digest(root) == before


def slow_site(root: Path) -> Path:
    """A generated chronology large enough that writing it takes a while, built once."""
    generate(300, root)
    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    return root / "site"


def kill_while_writing(root: Path) -> None:
    """Start a build and kill it (SIGKILL, with its workers) once it has written pages."""
    build = subprocess.Popen([sys.executable, str(PROJECT / "build.py"), "build"], cwd=root,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and build.poll() is None:
        staged = [p for p in root.glob(".site.*") if (p / ".waqai-staging").is_file()]
        if any(next(p.rglob("index.html"), None) for p in staged):
            os.killpg(build.pid, signal.SIGKILL)
            break
        time.sleep(0.002)
    build.wait()
    assert build.returncode == -signal.SIGKILL, "the build ended before it could be killed"


@pytest.mark.parametrize("change", ["full", "incremental"])
def test_a_build_killed_while_writing_leaves_the_site_and_the_next_cleans_up(tmp_path: Path,
                                                                             change: str) -> None:
    root = tmp_path / "chronology"
    out = slow_site(root)
    before = digest(out)
    config = (root / "config.yaml").read_text(encoding="utf-8")
    assert "Benchmark archive" in config
    (root / "config.yaml").write_text(config.replace("Benchmark archive", "Edited archive"),
                                      encoding="utf-8")  # a change to every page
    if change == "full":
        shutil.rmtree(root / ".cache")
    (root / ".site.backup").mkdir()  # not a build's: kept
    kill_while_writing(root)
    assert digest(out) == before
    assert [p.name for p in root.glob(".site.*") if p.name != ".site.backup"], "nothing was staged"

    result = run(root, "build")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in root.iterdir() if p.name.startswith(".site")) == [".site.backup"]
    fresh, _ = build_site(root, tmp_path / "fresh")
    assert digest(out) == digest(fresh)
