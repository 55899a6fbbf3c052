"""The GitHub Actions workflows, checked offline: GitHub's schema, zizmor's
audits, and what each workflow must do (check, test, build and publish)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import MakeSite, soup

PROJECT = Path(__file__).resolve().parent.parent
WORKFLOWS = PROJECT / ".github" / "workflows"
BIN = Path(sys.executable).parent
PINNED = re.compile(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}")


def workflow(name: str) -> dict[str, object]:
    """A workflow as plain strings (BaseLoader: `on` stays a key, not True)."""
    data = yaml.load((WORKFLOWS / name).read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert isinstance(data, dict)
    return data


def steps(data: dict[str, object], job: str) -> list[dict[str, str]]:
    """The steps of one job."""
    jobs = data["jobs"]
    assert isinstance(jobs, dict)
    found = jobs[job]["steps"]
    assert isinstance(found, list)
    return found


def zizmor(*paths: Path) -> list[dict[str, object]]:
    """zizmor's findings of medium severity or above, offline."""
    result = subprocess.run(
        [str(BIN / "zizmor"), "--offline", "--no-progress", "--format", "json", "--min-severity",
         "medium", *map(str, paths)], capture_output=True, text=True, check=False)
    assert result.stdout.strip(), result.stderr
    findings = json.loads(result.stdout)
    assert isinstance(findings, list)
    return findings


def test_workflows_match_githubs_schema() -> None:
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["check.yml", "publish.yml"]
    result = subprocess.run(
        [str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_of_medium_severity_or_above() -> None:
    findings = zizmor(WORKFLOWS)
    assert [(f["ident"], f["determinations"]) for f in findings] == []


def test_zizmor_would_catch_an_injection(tmp_path: Path) -> None:
    """The audit above is not empty by accident: a title pasted into a shell is caught."""
    bad = tmp_path / ".github" / "workflows" / "bad.yml"
    bad.parent.mkdir(parents=True)
    text = (WORKFLOWS / "check.yml").read_text(encoding="utf-8")
    bad.write_text(text.replace("run: python build.py check",
                                'run: echo "${{ github.event.pull_request.title }}"'), encoding="utf-8")
    assert "template-injection" in {f["ident"] for f in zizmor(bad)}


@pytest.mark.parametrize("name", ["check.yml", "publish.yml"])
def test_every_action_is_pinned_to_a_commit(name: str) -> None:
    text = (WORKFLOWS / name).read_text(encoding="utf-8")
    uses = re.findall(r"uses:\s*(\S+)", text)
    assert uses
    assert [u for u in uses if not PINNED.fullmatch(u)] == []


def test_pull_requests_check_content_and_run_the_tests() -> None:
    data = workflow("check.yml")
    assert list(data["on"]) == ["pull_request"]  # type: ignore[call-overload]
    assert data["permissions"] == {"contents": "read"}
    runs = [step.get("run") for step in steps(data, "content")]
    assert "python build.py check" in runs
    assert "make test" in [step.get("run") for step in steps(data, "test")]


def test_pushes_publish_to_pages_at_the_address_pages_gives() -> None:
    data = workflow("publish.yml")
    assert data["on"]["push"] == {"branches": ["main"]}  # type: ignore[index]
    assert data["permissions"] == {}
    assert data["concurrency"] == {"group": "pages", "cancel-in-progress": "false"}
    jobs = data["jobs"]
    assert isinstance(jobs, dict)
    assert jobs["build"]["permissions"] == {"contents": "read", "pages": "read"}
    assert jobs["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert jobs["deploy"]["needs"] == "build"
    build = steps(data, "build")
    uses = [step.get("uses", "").split("@")[0] for step in build]
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    step = next(s for s in build if "build.py build" in s.get("run", ""))
    assert step["env"] == {"BASE_URL": "${{ steps.pages.outputs.base_url }}"}
    assert next(s for s in build if "upload-pages-artifact" in s.get("uses", ""))["with"] == {"path": "site"}
    setup = next(s for s in build if "setup-python" in s.get("uses", ""))
    assert setup["with"]["cache"] == "pip"  # type: ignore[index]
    # Publishing needs neither the test suite nor a browser.
    text = (WORKFLOWS / "publish.yml").read_text(encoding="utf-8")
    assert "make test" not in text
    assert "CHROMIUM" not in text.upper()
    assert [s.get("uses", "").split("@")[0] for s in steps(data, "deploy")] == ["actions/deploy-pages"]


def test_the_publish_build_step_makes_a_site_under_the_pages_address(make_site: MakeSite) -> None:
    """The build step's own command, as the runner's shell runs it, with the
    address that configure-pages gives a project site (no trailing slash)."""
    root = make_site()
    shutil.copy(PROJECT / "build.py", root / "build.py")
    step = next(s for s in steps(workflow("publish.yml"), "build") if "build.py build" in s.get("run", ""))
    env = {**os.environ, "BASE_URL": "https://editors.github.io/chronology",
           "PYTHONPATH": str(PROJECT)}
    result = subprocess.run(["bash", "-c", step["run"].replace("python ", f"{sys.executable} ", 1)],
                            cwd=root, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    page = soup(root / "site" / "en" / "index.html")
    canonical = page.find("link", rel="canonical")
    assert canonical is not None
    assert canonical["href"] == "https://editors.github.io/chronology/en/"
