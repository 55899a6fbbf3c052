"""The least a build must do, as a bare loop: the benchmark's yardstick.

    python bench/yardstick.py CONTENT OUT

For every incident file under CONTENT/incidents: read its bytes, split off the
`---` front matter, load it with libyaml, render the Markdown body (CommonMark
with tables), render a minimal page with Jinja2 (autoescape on) and write it to
OUT/<id>.<lang>.html. It uses none of the engine, so it does not drift when the
engine changes: "full build = X × yardstick" compares runs across machines.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from jinja2 import Environment
from markdown_it import MarkdownIt
from markupsafe import Markup

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
{{ body }}
</body></html>
"""


def render_all(content: Path, out: Path) -> int:
    """Render every incident file to its own page; returns how many."""
    markdown = MarkdownIt("commonmark").enable("table")
    template = Environment(autoescape=True).from_string(PAGE)
    out.mkdir(parents=True, exist_ok=True)
    count = 0
    for path in sorted((content / "incidents").rglob("*.md")):
        text = path.read_bytes().decode("utf-8")
        _, front, body = text.split("---\n", 2)
        data = yaml.load(front, Loader=yaml.CSafeLoader)
        html = template.render(title=data["title"], body=Markup(markdown.render(body)))
        (out / f"{path.stem}.html").write_text(html, encoding="utf-8")
        count += 1
    return count


def main() -> None:
    """Command line."""
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    render_all(Path(sys.argv[1]), Path(sys.argv[2]))


if __name__ == "__main__":
    main()
