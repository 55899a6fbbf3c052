"""Time builds of a synthetic archive and report medians, stage by stage.

    python bench/run.py [--count 10000] [--runs 3]

The corpus is generated once into bench/corpus/<count>/ (ignored by git). The
machines are shared and noisy: compare medians, and ratios between runs made
one after the other, never single figures.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from waqai import commands
from waqai.config import Config, load_config
from waqai.load import load_content
from waqai.related import related_incidents
from waqai.render import render_site
from waqai.validate import validate


@contextmanager
def stopwatch(stage: str, times: dict[str, list[float]]) -> Iterator[None]:
    """Add the wall-clock time of the block to `times[stage]`."""
    start = time.perf_counter()
    yield
    times.setdefault(stage, []).append(time.perf_counter() - start)


def one_run(config: Config, times: dict[str, list[float]]) -> int:
    """Time each stage once, then a whole build; returns the number of files."""
    with stopwatch("load", times):
        raw, _ = load_content(config)
    with stopwatch("validate", times):
        site, problems = validate(raw, config)
    assert not problems.has_errors, [str(p) for p in problems.errors][:5]
    with stopwatch("related", times):
        related_incidents(site.incidents, site.registries["places"], config.related)
    with stopwatch("render", times):
        output = render_site(site, config)
    with tempfile.TemporaryDirectory() as folder, stopwatch("build (whole)", times):
        problems = commands.build(config, Path(folder) / "site")
    return len(output.pages)


def main() -> None:
    """Generate if needed, run, print medians."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    root = Path(__file__).resolve().parent / "corpus" / str(args.count)
    if not (root / "config.yaml").is_file():
        generate(args.count, root)
    config, problems = load_config(root / "config.yaml")
    assert config is not None, [str(p) for p in problems]
    times: dict[str, list[float]] = {}
    files = 0
    for _ in range(args.runs):
        files = one_run(config, times)
    print(f"{args.count} incidents, {files} files written, median of {args.runs} runs:")
    for stage, values in times.items():
        print(f"  {stage:<14} {statistics.median(values):7.3f} s")
    print("(render includes related; 'build (whole)' is load + validate + render + write)")


if __name__ == "__main__":
    main()
