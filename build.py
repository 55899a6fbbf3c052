#!/usr/bin/env python3
"""Command line: python build.py [build|check|serve|new|status] ... (see README)."""

from __future__ import annotations

import sys

from waqai.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
