"""Colours of incident types, for cards and charts, in light and dark schemes.

Each type takes its `color` from types.yaml, or else the next colour of a
fixed palette, in the registry's order. Every colour is used for text (the
type's name on a card) as well as for marks (bars, spans), so it must keep
a contrast of at least 4.5:1 against the theme's backgrounds in both
schemes: an editor's colour that does not is darkened (light scheme) or
lightened (dark scheme) just enough, keeping its hue. The result is written
as a small stylesheet (`static/types.css`: classes `type-<id>` setting
`--type`), so that no page needs an inline style.
"""

from __future__ import annotations

import colorsys
import itertools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from waqai.model import Entry

MIN_CONTRAST = 4.5
"""WCAG AA for text of normal size."""

LIGHT = ("#fbfaf7", "#ffffff", "#f2f0ea")
"""The light scheme's backgrounds in style.css: --bg, --surface, --surface-2."""
DARK = ("#141619", "#1b1e22", "#202328")
"""The dark scheme's: --bg, --surface, --surface-2."""
LIGHT_TINT, DARK_TINT = 0.13, 0.18
"""How much of the type's colour a type's pill mixes into the background (--tint)."""

PALETTE: tuple[tuple[str, str], ...] = (
    ("#2f5b8a", "#8ebcf0"),  # blue
    ("#8a5500", "#e3b562"),  # amber
    ("#0e6b6b", "#6fd0cb"),  # teal
    ("#a51b1b", "#f28b8b"),  # red
    ("#5b3e9b", "#b9a4f0"),  # purple
    ("#3d6b1d", "#a6d67c"),  # green
    ("#7c1f4b", "#e38fb8"),  # maroon
    ("#6b4423", "#d2a67c"),  # brown
    ("#b0390c", "#f39a6b"),  # orange
    ("#5e5a12", "#d4cf6e"),  # olive
    ("#8a2f7a", "#eba0dd"),  # magenta
    ("#3b4f9e", "#a9b8f2"),  # indigo
)
"""(light, dark) pairs, the most distinct first; each meets MIN_CONTRAST."""

GOLDEN_ANGLE = 137.508
"""Hue step for types past the palette: each new hue falls in the widest gap."""


@dataclass(frozen=True, slots=True)
class TypeColor:
    """One type's colours, as `#rrggbb`."""

    light: str
    dark: str


def type_colors(types: Mapping[str, Entry]) -> dict[str, TypeColor]:
    """Every type's colours, in the registry's order: its own `color`, else the
    next palette colour that no type has taken."""
    taken = {entry.color for entry in types.values() if entry.color}
    free = (pair for pair in itertools.chain(PALETTE, _more_pairs()) if pair[0] not in taken)
    found = {}
    for type_id, entry in types.items():
        found[type_id] = _own_color(entry.color) if entry.color else TypeColor(*next(free))
    return found


def _own_color(color: str) -> TypeColor:
    """An editor's colour: a palette colour keeps its dark pair; any other is
    adjusted to the contrast each scheme needs."""
    for light, dark in PALETTE:
        if light == color:
            return TypeColor(light, dark)
    return TypeColor(readable(color, LIGHT, LIGHT_TINT, "#000000"),
                     readable(color, DARK, DARK_TINT, "#ffffff"))


def _more_pairs() -> Iterable[tuple[str, str]]:
    """Endless further colours: hues a golden angle apart, made readable."""
    n = 0
    while True:
        hue = (n * GOLDEN_ANGLE + 17) % 360 / 360
        red, green, blue = colorsys.hls_to_rgb(hue, 0.4, 0.7)
        color = _hex(red, green, blue)
        yield (readable(color, LIGHT, LIGHT_TINT, "#000000"),
               readable(color, DARK, DARK_TINT, "#ffffff"))
        n += 1


def readable(color: str, backgrounds: tuple[str, ...], tint: float, toward: str) -> str:
    """`color`, mixed with `toward` (black or white) in small steps until it
    has MIN_CONTRAST against each background and against its own tint of it."""
    for step in range(0, 101):
        candidate = mix(toward, color, step / 100)
        surfaces = (*backgrounds, mix(candidate, backgrounds[0], tint))
        if all(contrast(candidate, surface) >= MIN_CONTRAST for surface in surfaces):
            return candidate
    return toward


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two colours, from 1 to 21."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def luminance(color: str) -> float:
    """WCAG relative luminance of `#rrggbb`."""
    channels = [int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    red, green, blue = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def mix(first: str, second: str, amount: float) -> str:
    """`amount` of `first` mixed into `second`, in sRGB (as CSS color-mix does)."""
    return _hex(*((int(first[i:i + 2], 16) * amount + int(second[i:i + 2], 16) * (1 - amount)) / 255
                  for i in (1, 3, 5)))


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in (red, green, blue))


def stylesheet(colors: Mapping[str, TypeColor]) -> bytes:
    """`static/types.css`: each type's colour as `--type` on `.type-<id>`, for
    both schemes (loaded after style.css, which draws cards and charts with it)."""
    light = "".join(f".type-{type_id}{{--type:{c.light}}}\n" for type_id, c in colors.items())
    dark = "".join(f".type-{type_id}{{--type:{c.dark}}}\n" for type_id, c in colors.items())
    return (f"/* Incident types' colours, made from types.yaml. */\n{light}"
            f"@media (prefers-color-scheme: dark) {{\n{dark}}}\n"
            f"@media print {{\n{light}}}\n").encode()
