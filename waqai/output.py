"""Write the site to a temporary folder, then swap it in.

A failed build leaves the previous output untouched; a successful one leaves
no stale file behind, because the old folder is replaced as a whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from waqai.config import UsageError
from waqai.render import Output

MARKER = ".waqai-site"
"""Written into every output folder, so that only a folder Waqai made is replaced."""


def check_output_folder(out: Path, protected: tuple[Path, ...]) -> None:
    """Refuse an output folder that would swallow the project or a stranger's files."""
    out = out.resolve()
    for path in protected:
        path = path.resolve()
        if out == path or out in path.parents:
            raise UsageError(f"output folder {out} would replace {path}; choose another --out")
    if out.exists() and not out.is_dir():
        raise UsageError(f"output {out} exists and is not a folder")
    if out.is_dir() and any(out.iterdir()) and not (out / MARKER).is_file():
        raise UsageError(f"output folder {out} is not empty and was not made by a build; "
                         "remove it or choose another --out")


def write_site(output: Output, out: Path) -> None:
    """Write every file into a fresh folder beside `out`, then put it in `out`'s place."""
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for path, content in sorted(output.pages.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        for path, source in sorted(output.copies.items()):
            target = staging / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        (staging / MARKER).write_text("Built by build.py; replaced as a whole on each build.\n")
        staging.chmod(0o755)
        _swap(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _swap(staging: Path, out: Path) -> None:
    if not out.exists():
        os.replace(staging, out)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
    os.replace(out, retired / out.name)
    os.replace(staging, out)
    shutil.rmtree(retired, ignore_errors=True)
