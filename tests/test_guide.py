"""The editors' guides (docs/guide.en.md, docs/guide.ar.md) run as written.

Each guide is followed from top to bottom on a copy of the sample project (a
Git repository with a remote to push to), in the guide's language: every
```sh block is run and must exit 0, and the files it tells the editor to write
are written. HTML comments, which readers do not see, say what a block is:

- `<!-- file: PATH -->` before a block: the editor writes PATH with this text;
- `<!-- set: PATH -->`: the editor sets these front-matter fields in PATH
  (a field already there is replaced, another is added at the end);
- `<!-- append: PATH -->`: the editor adds these lines at the end of PATH;
- `<!-- exit: N -->` before a ```sh block: it must exit N (a guide shows errors);
- `<!-- output -->` before a block: every line of it is a line the previous
  ```sh block printed;
- `<!-- long-running -->` before a ```sh block: a command that runs until it is
  stopped (only `python build.py serve`): it is started, must answer over
  HTTP, and is stopped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
GUIDES = {"en": PROJECT / "docs" / "guide.en.md", "ar": PROJECT / "docs" / "guide.ar.md"}
LOCALES = {"en": "C.UTF-8", "ar": "ar_SY.UTF-8"}
_MARKER = re.compile(r"<!-- (file|set|append|exit|output|long-running)(?:: (\S+))? -->")


@dataclass(frozen=True)
class Block:
    language: str
    text: str
    line: int
    marker: str | None = None
    argument: str | None = None


def blocks(path: Path) -> list[Block]:
    """The fenced blocks of a guide, each with the marker just above it."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        if lines[i].startswith("```"):
            start, language = i, lines[i][3:].strip()
            i += 1
            while not lines[i].startswith("```"):
                i += 1
            marker = _MARKER.fullmatch(lines[start - 1].strip()) if start else None
            found.append(Block(language, "".join(f"{line}\n" for line in lines[start + 1:i]), start + 1,
                               marker[1] if marker else None, marker[2] if marker else None))
        i += 1
    return found


def project_copy(root: Path) -> Path:
    """The sample project in `root`/project, committed, with a remote at `root`/origin.git."""
    project = root / "project"
    project.mkdir()
    for name in ("config.yaml", "build.py", ".gitignore"):
        shutil.copy2(PROJECT / name, project / name)
    for name in ("content", "schemas"):
        shutil.copytree(PROJECT / name, project / name)
    env = environment(root, "en")
    for command in (["git", "init", "-q", "-b", "main"], ["git", "add", "-A"],
                    ["git", "commit", "-q", "-m", "The sample chronology"],
                    ["git", "init", "-q", "--bare", str(root / "origin.git")],
                    ["git", "remote", "add", "origin", str(root / "origin.git")]):
        subprocess.run(command, cwd=project, env=env, check=True)
    return project


def environment(root: Path, lang: str) -> dict[str, str]:
    """A controlled environment: this project's Python first, the guide's locale, no CI."""
    return {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}/usr/bin{os.pathsep}/bin",
        "PYTHONPATH": str(PROJECT), "HOME": str(root), "LANG": LOCALES[lang],
        "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_CONFIG_NOSYSTEM": "1",
    }


def set_fields(path: Path, text: str) -> None:
    """Set top-level front-matter fields, one per line of `text`."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    end = lines.index("---\n", 1)
    for field in text.splitlines(keepends=True):
        name = field.split(":", 1)[0]
        at = next((i for i in range(1, end) if lines[i].startswith(f"{name}:")), None)
        if at is None:
            lines.insert(end, field)
            end += 1
        else:
            lines[at] = field
    path.write_text("".join(lines), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def preview(block: Block, project: Path, env: dict[str, str]) -> None:
    """Start the preview as the guide says (on a free port), see it answer, stop it."""
    commands = [line for line in block.text.splitlines() if line.strip() and not line.startswith("#")]
    assert commands and all(line.startswith("python build.py serve") for line in commands), \
        f"line {block.line}: only the preview may be long-running"
    for command in commands:
        port = free_port()
        # Ctrl-C stops the preview as in a terminal, even when these tests run
        # in a background job, which ignores SIGINT and passes that on: a
        # signal this process handles is reset to its default in a command it runs.
        before = signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            process = subprocess.Popen(f"exec {command} --port {port}", shell=True, cwd=project, env=env,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                       start_new_session=True)
        finally:
            signal.signal(signal.SIGINT, before)
        try:
            status = wait_for(f"http://127.0.0.1:{port}/", process)
            assert status == 200, f"line {block.line}: the preview answered {status}"
        finally:
            os.killpg(process.pid, signal.SIGINT)
            process.wait(timeout=30)


def wait_for(url: str, process: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def follow(lang: str, root: Path) -> Path:
    """Do what the guide says; returns the project it was done in."""
    project = project_copy(root)
    env = environment(root, lang)
    output = ""
    for block in blocks(GUIDES[lang]):
        where = f"{GUIDES[lang].name}:{block.line}"
        if block.marker in ("file", "set", "append"):
            assert block.argument, where
            target = project / block.argument
            if block.marker == "file":
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(block.text, encoding="utf-8")
            elif block.marker == "set":
                set_fields(target, block.text)
            else:
                with target.open("a", encoding="utf-8") as handle:
                    handle.write(block.text)
        elif block.marker == "output":
            printed = [line.rstrip() for line in output.splitlines()]
            for line in block.text.splitlines():
                assert line.rstrip() in printed, f"{where}: not printed: {line!r}\n{output}"
        elif block.language == "sh" and block.marker == "long-running":
            preview(block, project, env)
        elif block.language == "sh":
            result = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", block.text], cwd=project, env=env,
                                    capture_output=True, text=True, check=False)
            output = result.stdout + result.stderr
            expected = int(block.argument or 0) if block.marker == "exit" else 0
            assert result.returncode == expected, f"{where}: exit {result.returncode}\n{output}"
        else:
            assert block.marker is None, f"{where}: a {block.marker} marker on a {block.language} block"
    return project


@pytest.mark.parametrize("lang", GUIDES)
def test_the_guide_runs_as_written(lang: str, tmp_path: Path) -> None:
    project = follow(lang, tmp_path)
    # The guide leaves a clean, published-ready project: no problem, no stale translation.
    env = environment(tmp_path, lang)
    check = subprocess.run(["python", "build.py", "check"], cwd=project, env=env, capture_output=True,
                           text=True, check=False)
    assert (check.returncode, check.stderr) == (0, "")
    status = subprocess.run(["python", "build.py", "status", "--json"], cwd=project, env=env,
                            capture_output=True, text=True, check=True)
    assert json.loads(status.stdout)["languages"]["en"]["stale"] == []
    pushed = subprocess.run(["git", "ls-tree", "-r", "--name-only", "example-sit-in", "content/incidents"],
                            cwd=tmp_path / "origin.git", env=env, capture_output=True, text=True, check=True)
    assert {f"content/incidents/2021/2021-01-28-qamishli-example-sit-in.{code}.md" for code in GUIDES} \
        <= set(pushed.stdout.splitlines()), "the guide pushes its work on a branch"


@pytest.mark.parametrize("lang", GUIDES)
def test_every_shell_block_is_run(lang: str) -> None:
    """No shell block hides under another fence, and markers sit on blocks."""
    text = GUIDES[lang].read_text(encoding="utf-8")
    fences = [line[3:].strip() for line in text.splitlines() if line.startswith("```") and line[3:].strip()]
    assert not {"bash", "shell", "console", "shell-session"} & set(fences)
    assert len(_MARKER.findall(text)) == sum(1 for block in blocks(GUIDES[lang]) if block.marker)
    assert sum(1 for block in blocks(GUIDES[lang]) if block.language == "sh") >= 10


def test_the_guides_cover_the_same_tasks() -> None:
    """Both guides run the same commands, in the same order."""
    def commands(lang: str) -> list[str]:
        return [line for block in blocks(GUIDES[lang]) if block.language == "sh"
                for line in block.text.splitlines() if line.strip() and not line.startswith("#")]
    english, arabic = commands("en"), commands("ar")
    assert [c.split(" -m ")[0] for c in english] == [c.split(" -m ")[0] for c in arabic]
