"""Markdown bodies -> safe HTML, with markdown-it-py.

CommonMark plus tables. Raw HTML is shown as text, links with schemes other
than http(s), mailto and tel are left as text, and images from another origin
become links so that a page never loads anything from elsewhere. Local images
live in the content's media/ folder and are copied with the site.

Most bodies are text, emphasis, lists and links to sources, in which none of
these rules changes anything: cmark-gfm, in C and fifteen times faster,
renders those (see `_plain_html`) and markdown-it-py, with the rules, every
other body.
"""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import cmarkgfm
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import escape

from waqai.problems import N_

LINK_SCHEMES = ("http", "https", "mailto", "tel")


ROOT = "\x00root\x00"
"""Stands in the rendered HTML for the way from a page to the site's top folder
(local images need it), so that a body is rendered once and placed at any
depth or under the absolute base URL with `place_root`. Markdown turns NUL
into U+FFFD, so no text of a body can produce it."""


@dataclass(frozen=True, slots=True)
class Rendered:
    """A body's HTML, and the images it shows with their lines."""

    html: str
    """With ROOT where the page's way to the top folder goes."""
    images: tuple[tuple[int, str], ...]
    """(0-based line in the body, src) of every image."""
    raw_html: tuple[tuple[int, str], ...] = ()
    """(0-based line in the body, the first tag) of every line that holds raw
    HTML, which is shown as text: the editor is told, so that tags printed on
    the page are no surprise."""


def render_markdown(body: str) -> Rendered:
    """Render `body` once for every page that shows it."""
    plain = _plain_html(body)
    if plain is not None:
        return Rendered(plain, ())
    md = _parser()
    env: dict[str, Any] = {"root": ROOT}
    tokens = md.parse(body, env)
    return Rendered(md.renderer.render(tokens, md.options, env), tuple(_images(tokens)),
                    tuple(_raw_html(tokens)))


def _plain_html(body: str) -> str | None:
    """`body`'s HTML by cmark-gfm, when none of the rules acts on it: no `<`
    (raw HTML, autolinks), no `|` (tables), and, once rendered, no image and
    no link but to plain web addresses, which both libraries write as they
    are. None for any other body, and for the few constructs in which the
    two libraries' CommonMark versions differ (`_differs`)."""
    if "<" in body or "|" in body or _differs(body):
        return None
    html: str = cmarkgfm.markdown_to_html(body)  # safe mode: an unsafe address would be written empty
    if "<img" in html or "<blockquote>\n</blockquote>" in html:
        return None
    for match in _HREF.finditer(html):
        if not PLAIN_URL.fullmatch(match.group(1).replace("&amp;", "&")):
            return None
    return html


def _differs(body: str) -> bool:
    """Whether `body` holds what cmark-gfm (CommonMark 0.29) and
    markdown-it-py (0.31) write differently, as found by comparing them on
    generated bodies. What is left between them is rare (one generated body
    in 25,000 of those cmark-gfm takes) and still CommonMark: mostly nested
    emphasis (`<strong>` within `<strong>`, which looks the same, and runs
    such as `**a*b*c*`)."""
    return (any(text in body for text in _DIFFERENT_TEXT) or ("`" in body and "\n " in body)
            or _SPACES.search(body) is not None or _BESIDE_SYMBOL.search(body) is not None)


_DIFFERENT_TEXT = ("```", "~~~", "]:", "\\ ", "\n\n\n")
"""Fences, link definitions, a backslash before a space, blank lines in a row
(and, above, code spans that may run on to an indented line)."""
_SPACES = re.compile("[\x00\t\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]")
"""Spaces other than the space, and NUL."""
_BESIDE_SYMBOL = re.compile(r"[*_](?:(?<=[^\x00-\x7f\w\s][*_])|(?=[^\x00-\x7f\w\s]))")
"""Emphasis beside a sign that is neither ASCII nor a letter (« », £):
punctuation since CommonMark 0.31."""

_HREF = re.compile(r'<a href="([^"]*)"')
"""A link's address as cmark-gfm writes it (a `"` in text is written `&quot;`)."""


def place_root(html: str, root: str) -> str:
    """Rendered HTML for a page whose way to the top folder is `root`
    (`../../../`, or the site's absolute URL in feeds)."""
    return html.replace(ROOT, root) if ROOT in html else html


def image_problems(images: Sequence[tuple[int, str]], media: frozenset[str]) -> list[tuple[int, str]]:
    """(line, message) of every image that is neither external nor a file of
    the content's media/ folder; `media` holds paths like `media/map.png`."""
    problems: list[tuple[int, str]] = []
    for line, src in images:
        path = local_media(src)
        if path is None and not (urlsplit(src).scheme or src.startswith("//")):
            problems.append((line, N_("image '{src}' is not in the media/ folder", src=src)))
        elif path is not None and path not in media:
            problems.append((line, N_("image '{src}' not found in the content's media/ folder", src=src)))
    return problems


class _SafeMarkdown(MarkdownIt):
    """CommonMark that links only relative URLs and LINK_SCHEMES."""

    def validateLink(self, url: str) -> bool:
        scheme = urlsplit(url.strip()).scheme.lower()
        return not scheme or scheme in LINK_SCHEMES

    def normalizeLink(self, url: str) -> str:
        """The link as markdown-it writes it: a plain web address (most
        sources) is written as it is, without parsing it (a tenth of the
        time of reading a body)."""
        return url if PLAIN_URL.fullmatch(url) else super().normalizeLink(url)


PLAIN_URL = re.compile(r"https?://[a-z0-9][a-z0-9.-]*(?:/[A-Za-z0-9._~/-]*)?(?:\?[A-Za-z0-9._~=&-]*)?"
                       r"(?:#[A-Za-z0-9._~-]*)?")
"""A web address that markdown-it's normalizeLink leaves as it is: a
lowercase ASCII host, no port, and only characters it never encodes."""


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


def _raw_html(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    """The first HTML tag of each line that has one, outside code spans and
    blocks and not escaped (`\\<b>`). Linear in the text, whatever it holds."""
    found: dict[int, str] = {}
    for token in tokens:
        if token.type != "inline" or not token.map or "<" not in token.content:
            continue
        text = _without_code_spans(token.content)
        line, counted = token.map[0], 0
        for match in _TAG.finditer(text):
            if match.start() and text[match.start() - 1] == "\\":
                continue
            line += text.count("\n", counted, match.start())
            counted = match.start()
            found.setdefault(line, match.group())
    return sorted(found.items())


_TAG = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?:[\s/][^<>]{0,500})?>|!--|![A-Za-z]+|\?[A-Za-z]+)")
"""An HTML tag, comment, declaration or processing instruction as CommonMark
reads raw HTML; bounded, so that a long text without `>` is read once."""
_BACKTICKS = re.compile(r"`+")


def _without_code_spans(text: str) -> str:
    """`text` with its code spans (`` `<b>` ``) made spaces, line ends kept:
    each run of backticks is closed by the next run of the same length."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text)]
    if len(runs) < 2:
        return text
    by_length: dict[int, list[int]] = {}
    for i, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(i)
    seen = dict.fromkeys(by_length, 0)
    pieces, done, i = [], 0, 0
    while i < len(runs):
        start, end = runs[i]
        same = by_length[end - start]
        while seen[end - start] < len(same) and same[seen[end - start]] <= i:
            seen[end - start] += 1
        if seen[end - start] == len(same):
            i += 1  # never closed: plain backticks
            continue
        close = runs[same[seen[end - start]]][1]
        pieces += [text[done:start], re.sub(r"[^\n]", " ", text[start:close])]
        done, i = close, same[seen[end - start]] + 1
    return "".join(pieces) + text[done:]


def _images(tokens: Sequence[Token]) -> list[tuple[int, str]]:
    return [(block.map[0] if block.map else 0, str(child.attrGet("src") or ""))
            for block in tokens for child in block.children or () if child.type == "image"]


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
