"""The output folder: swapped in whole, never half-written, identical each time."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import MakeSite, build_site, config_of

from waqai import commands, render
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


def test_parallel_rendering_gives_the_same_bytes(make_site: MakeSite, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_site()
    sequential, _ = build_site(root, tmp_path / "sequential")
    monkeypatch.setattr(render, "PARALLEL_FROM", 1)
    monkeypatch.setattr(render.os, "cpu_count", lambda: 2)
    parallel, _ = build_site(root, tmp_path / "parallel")
    assert digest(parallel) == digest(sequential)
