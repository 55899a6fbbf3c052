"""Time a full build of a synthetic archive, stage by stage, and report medians.

    python bench/run.py [--count 10000] [--runs 3]

The corpus is generated once into bench/corpus/<count>/ (ignored by git).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate  # noqa: E402
from waqai.config import load_config  # noqa: E402
from waqai.load import load_content  # noqa: E402
from waqai.output import write_site  # noqa: E402
from waqai.related import related_incidents  # noqa: E402
from waqai.render import render_site  # noqa: E402
from waqai.validate import validate  # noqa: E402


def timed(stage: str, times: dict[str, list[float]], func: Callable[[], object]) -> object:
    """Run `func`, adding its wall-clock time to `times[stage]`."""
    start = time.perf_counter()
    result = func()
    times.setdefault(stage, []).append(time.perf_counter() - start)
    return result


def main() -> None:
    """Generate if needed, then build `runs` times and print median seconds per stage."""
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
    for _ in range(args.runs):
        start = time.perf_counter()
        raw, _ = timed("load", times, lambda: load_content(config))  # type: ignore[misc]
        site, found = timed("validate", times, lambda: validate(raw, config))  # type: ignore[misc]
        assert not found.has_errors, [str(p) for p in found.errors][:5]
        timed("related", times, lambda: related_incidents(site.incidents, site.registries["places"],
                                                          config.related))
        output = timed("render", times, lambda: render_site(site, config))
        with tempfile.TemporaryDirectory() as folder:
            timed("write", times, lambda: write_site(output, Path(folder) / "site"))  # type: ignore[arg-type]
        times.setdefault("total", []).append(time.perf_counter() - start - times["related"][-1])
    pages = sum(1 for path in output.pages if path.endswith(".html"))  # type: ignore[attr-defined]
    print(f"{args.count} incidents, {pages} HTML pages, median of {args.runs} runs:")
    for stage, values in times.items():
        print(f"  {stage:<9} {statistics.median(values):7.3f} s")
    print("(render includes related; 'related' is also timed alone)")


if __name__ == "__main__":
    main()
