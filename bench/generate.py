"""Write a synthetic chronology of N incidents (Arabic originals, most with an
English translation) for timing builds: python bench/generate.py 10000 DIR."""

from __future__ import annotations

import argparse
import datetime
import random
from pathlib import Path

PLACES = 200
ACTORS = 60
TYPES = ("protest", "shots-fired", "siege", "political-pressure", "armed-clash", "arrest")
TAGS = 40


def registry(prefix: str, count: int, *, places: bool = False) -> str:
    """A registry of `count` entries; every tenth place is a governorate."""
    lines = []
    for n in range(count):
        lines.append(f"{prefix}-{n}:\n  name: {{ar: {prefix} عربي {n}, en: {prefix.title()} {n}}}")
        if places and n % 10:
            lines.append(f"  within: {prefix}-{n - n % 10}\n  lat: {33 + n % 5}.5\n  lon: {36 + n % 7}.25")
    return "\n".join(lines) + "\n"


def incident(n: int, day: datetime.date, rng: random.Random) -> tuple[str, str]:
    """The Arabic original and English translation of incident `n`."""
    precision = rng.random()
    date = day.isoformat() if precision > 0.1 else day.isoformat()[:7]
    places = sorted({f"place-{rng.randrange(PLACES)}" for _ in range(rng.randint(1, 2))})
    actors = sorted({f"actor-{rng.randrange(ACTORS)}" for _ in range(rng.randint(1, 3))})
    tags = sorted({f"tag-{rng.randrange(TAGS)}" for _ in range(rng.randint(0, 2))})
    related = f"related: [incident-{n - 1}]\n" if n and rng.random() < 0.3 else ""
    end = f"end_date: {(day + datetime.timedelta(days=40)).isoformat()}\n" if rng.random() < 0.03 else ""
    body = "\n\n".join(f"فقرة {p} عن الواقعة {n}، مع **تفاصيل** ومصدر [روزنة](https://www.rozana.fm/)."
                       for p in range(rng.randint(1, 4)))
    original = (
        f"---\ntitle: واقعة رقم {n} في مكان ما\nsummary: ملخص قصير للواقعة {n}.\n"
        f"date: {date}\n{end}type: {rng.choice(TYPES)}\nplaces: [{', '.join(places)}]\n"
        f"actors: [{', '.join(actors)}]\ntags: [{', '.join(tags)}]\n{related}"
        "sources:\n  - url: https://www.rozana.fm/\n    publisher: روزنة\n"
        f"verification: reported\n---\n{body}\n"
    )
    translation = (f"---\ntitle: Incident number {n} somewhere\nsummary: A short summary of {n}.\n---\n"
                   + "\n\n".join(f"Paragraph {p} about incident {n}, with **details**."
                                 for p in range(rng.randint(1, 4))) + "\n")
    return original, translation


def generate(count: int, root: Path) -> None:
    """Write config.yaml and content/ for `count` incidents into `root`."""
    rng = random.Random(20210127)
    content = root / "content"
    (content / "incidents").mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(
        "title: {ar: أرشيف تجريبي, en: Benchmark archive}\nbase_url: https://example.org/archive/\n"
        "default_language: ar\nlanguages:\n  ar: {locale: ar_SY}\n  en: {locale: en}\n"
        "timezone: Asia/Damascus\n", encoding="utf-8")
    (content / "places.yaml").write_text(registry("place", PLACES, places=True), encoding="utf-8")
    (content / "actors.yaml").write_text(registry("actor", ACTORS), encoding="utf-8")
    (content / "tags.yaml").write_text(registry("tag", TAGS), encoding="utf-8")
    (content / "types.yaml").write_text("".join(
        f"{t}:\n  name: {{ar: نوع {t}, en: {t.title()}}}\n" for t in TYPES), encoding="utf-8")
    start = datetime.date(2011, 3, 15)
    for n in range(count):
        day = start + datetime.timedelta(days=n * 5000 // max(count, 1))
        original, translation = incident(n, day, rng)
        folder = content / "incidents" / str(day.year)
        folder.mkdir(exist_ok=True)
        (folder / f"incident-{n}.ar.md").write_text(original, encoding="utf-8")
        if n % 20:
            (folder / f"incident-{n}.en.md").write_text(translation, encoding="utf-8")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("count", type=int)
    parser.add_argument("root", type=Path)
    args = parser.parse_args()
    generate(args.count, args.root)


if __name__ == "__main__":
    main()
