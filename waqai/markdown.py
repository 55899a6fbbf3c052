"""Markdown bodies -> safe HTML, with markdown-it-py.

CommonMark plus tables. Raw HTML is shown as text, links with schemes other
than http(s), mailto and tel are left as text, and images from another origin
become links so that a page never loads anything from elsewhere. Local images
live in the content's media/ folder and are copied with the site.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape

LINK_SCHEMES = ("http", "https", "mailto", "tel")


@dataclass(frozen=True, slots=True)
class Rendered:
    """A body's HTML and what was wrong in it, by line within the body."""

    html: str
    problems: tuple[tuple[int, str], ...]
    """(0-based line in the body, message)."""


def render_markdown(body: str, *, root: str, media: frozenset[str]) -> Rendered:
    """Render `body`; `root` leads from the page to the site's top folder and
    `media` holds the paths (like `media/map.png`) of the local media files."""
    md = _parser()
    env: dict[str, Any] = {"root": root}
    tokens = md.parse(body, env)
    problems = tuple(_missing_images(tokens, media))
    return Rendered(md.renderer.render(tokens, md.options, env), problems)


class _SafeMarkdown(MarkdownIt):
    """CommonMark that links only relative URLs and LINK_SCHEMES."""

    def validateLink(self, url: str) -> bool:
        scheme = urlsplit(url.strip()).scheme.lower()
        return not scheme or scheme in LINK_SCHEMES


@functools.cache
def _parser() -> MarkdownIt:
    md = _SafeMarkdown("commonmark", {"html": False}).enable("table")
    md.add_render_rule("image", _render_image)
    return md


def local_media(src: str) -> str | None:
    """`media/x.png` for a local media reference, None for anything else."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or src.startswith("//"):
        return None
    path = posixpath.normpath(parts.path.lstrip("/"))
    return path if path.startswith("media/") else None


def _missing_images(tokens: Sequence[Token], media: frozenset[str]) -> list[tuple[int, str]]:
    problems = []
    for block in tokens:
        for child in block.children or ():
            if child.type != "image":
                continue
            src = str(child.attrGet("src") or "")
            path = local_media(src)
            line = block.map[0] if block.map else 0
            if path is None and not (urlsplit(src).scheme or src.startswith("//")):
                problems.append((line, f"image '{src}' is not in the media/ folder"))
            elif path is not None and path not in media:
                problems.append((line, f"image '{src}' not found in the content's media/ folder"))
    return problems


def _render_image(
    renderer: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    alt = renderer.renderInlineAsText(token.children or [], options, env)
    path = local_media(src)
    if path is None:
        label = alt or src
        return f'<a class="external-image" href="{escape(src)}">{escape(label)}</a>'
    title = token.attrGet("title")
    title_attr = f' title="{escape(title)}"' if title else ""
    return (f'<img src="{escape(env["root"] + path)}" alt="{escape(alt)}"{title_attr}'
            f' loading="lazy" decoding="async">')
