"""A local preview: build, serve the output, rebuild on change, reload the browser.

Content errors are printed in the terminal and the previous output keeps being
served, so a typo never takes the preview down.
"""

from __future__ import annotations

import sys

from livereload import Server

from waqai import commands
from waqai.config import Config
from waqai.problems import report


def serve(config: Config, *, host: str, port: int) -> int:
    """Serve the site until interrupted; returns the exit code."""
    out = config.output

    def rebuild() -> None:
        problems = commands.build(config, out)
        report(problems, sys.stderr, sys.stdout, github=False)
        status = "not rebuilt: fix the errors above" if problems.has_errors else "rebuilt"
        print(f"site {status}", file=sys.stderr)

    rebuild()
    server = Server()
    for path in (config.content, config.templates, config.locales, config.path):
        server.watch(str(path), rebuild)
    server.serve(host=host, port=port, root=str(out), open_url_delay=None)
    return 0
