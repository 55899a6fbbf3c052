"""Write a synthetic chronology of N incidents for timing builds:

    python bench/generate.py 10000 DIR

Every incident is an Arabic original that uses the fact fields of SPEC §2.1
(dates of day, month and year precision, times, end dates, ongoing incidents,
1-2 places, actors, tags, related links to earlier incidents, 1-3 sources,
casualties, media, verification, updated); 85% have an English translation
(title, summary and body only); one in 20 has a correction, in both languages.
Registries grow with N, every entry is used by some incident, and popularity
is skewed (a few places and actors hold most incidents), as in a real archive.
The output depends only on N (seeded random).
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

SEED = 20210127
START = datetime.date(2011, 3, 15)
SPAN_DAYS = 5000
TRANSLATED = 0.85
CORRECTED = 20
"""One incident in CORRECTED has a correction: chosen by its number, not
drawn, so that the rest of the corpus stays as it was."""
TYPES = {  # id: (Arabic name, English name, ACLED event type, ACLED sub-event type)
    "protest": ("تظاهرة", "Protest", "Protests", "Peaceful protest"),
    "protest-dispersal": ("تفريق تظاهرة", "Protest dispersal", "Protests", "Protest with intervention"),
    "armed-clash": ("اشتباك مسلح", "Armed clash", "Battles", "Armed clash"),
    "shelling": ("قصف", "Shelling", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
    "airstrike": ("غارة جوية", "Airstrike", "Explosions/Remote violence", "Air/drone strike"),
    "arrest": ("اعتقال", "Arrest", "Violence against civilians", "Abduction/forced disappearance"),
    "siege": ("حصار", "Siege", "Strategic developments", "Other"),
    "statement": ("بيان", "Statement", "Strategic developments", "Other"),
}
PUBLISHERS = (  # (name, domain, language of its titles)
    ("روزنة", "rozana.fm", "ar"), ("عنب بلدي", "enabbaladi.net", "ar"), ("سانا", "sana.sy", "ar"),
    ("نورث برس", "npasyria.com", "ar"), ("المرصد السوري", "syriahr.com", "ar"),
    ("Reuters", "reuters.com", "en"), ("AFP", "afp.com", "en"), ("Syria Direct", "syriadirect.org", "en"),
)
_AR_TEXT = (
    "قالت مصادر محلية إن عناصر من القوات انتشروا في محيط الحي صباح اليوم وأغلقوا الطرق "
    "المؤدية إلى السوق بينما تجمع عشرات المدنيين أمام المبنى مطالبين بالإفراج عن المعتقلين "
    "وأكد ناشطون أن إطلاق النار استمر ساعة قبل أن تتدخل وساطة من وجهاء العشائر لتهدئة التوتر "
    "في المدينة وسط انقطاع الكهرباء والمياه عن الأحياء الشرقية ونزوح عائلات نحو القرى المجاورة"
)
_EN_TEXT = (
    "local sources said that members of the forces deployed around the district this morning and "
    "closed the roads leading to the market while dozens of civilians gathered outside the building "
    "demanding the release of detainees activists said the shooting lasted an hour before tribal "
    "elders mediated to calm tensions in the city amid power and water cuts in eastern districts "
    "and families fleeing towards nearby villages"
)
AR_WORDS = tuple(_AR_TEXT.split())
EN_WORDS = tuple(_EN_TEXT.split())
SYLLABLES = ("قا", "مش", "لي", "رة", "حس", "كة", "تل", "عين", "دير", "بو", "كم", "رأس", "من", "بج")
LATIN = ("qa", "mish", "li", "ra", "has", "ka", "tal", "ain", "deir", "bu", "kam", "ras", "man", "bij")


@dataclass(frozen=True, slots=True)
class Registries:
    """The ids of each registry."""

    types: tuple[str, ...]
    places: tuple[str, ...]
    actors: tuple[str, ...]
    tags: tuple[str, ...]

    @staticmethod
    def sized(count: int) -> Registries:
        """Registries that grow with the archive (capped), so that all are used."""
        def size(per: int, low: int, high: int) -> int:
            return max(1, min(count, max(low, min(high, count // per))))
        return Registries(
            types=tuple(TYPES)[:max(1, count)],
            places=tuple(f"place-{n}" for n in range(size(25, 10, 400))),
            actors=tuple(f"actor-{n}" for n in range(size(100, 6, 120))),
            tags=tuple(f"tag-{n}" for n in range(size(200, 5, 60))),
        )


class Picker:
    """Skewed (Zipf-like) choices from ids, plus one id forced on chosen incidents
    so that every entry is used at least once."""

    def __init__(self, ids: Sequence[str], count: int, rng: random.Random) -> None:
        self.ids = tuple(ids)
        self.cumulative = list(itertools.accumulate(1 / (k + 1) for k in range(len(ids))))
        self.forced = dict(zip(rng.sample(range(count), len(ids)), ids, strict=True))

    def pick(self, n: int, k: int, rng: random.Random) -> list[str]:
        """Up to `k` distinct ids for incident `n`, in a stable order."""
        chosen = [self.forced[n]] if n in self.forced else []
        chosen += rng.choices(self.ids, cum_weights=self.cumulative, k=max(0, k - len(chosen)))
        return list(dict.fromkeys(chosen))


def words(rng: random.Random, vocabulary: Sequence[str], low: int, high: int) -> str:
    """A run of `low`..`high` words."""
    return " ".join(rng.choices(vocabulary, k=rng.randint(low, high)))


def paragraph(rng: random.Random, vocabulary: Sequence[str], n: int, p: int) -> str:
    """A paragraph with bold text and a link, sometimes a list instead."""
    if p and rng.random() < 0.15:
        return "\n".join(f"- {words(rng, vocabulary, 3, 9)}" for _ in range(rng.randint(2, 5)))
    text = rng.choices(vocabulary, k=rng.randint(30, 90))
    bold = rng.randrange(len(text) - 3)
    text[bold:bold + 3] = [f"**{' '.join(text[bold:bold + 3])}**"]
    link = rng.randrange(len(text))
    text[link] = f"[{text[link]}](https://www.{rng.choice(PUBLISHERS)[1]}/news/{n}-{p})"
    sentence = " ".join(text)
    return sentence[0].upper() + sentence[1:] + "."


def body(rng: random.Random, vocabulary: Sequence[str], n: int) -> str:
    """A Markdown body of 1-4 paragraphs."""
    return "\n\n".join(paragraph(rng, vocabulary, n, p) for p in range(rng.randint(1, 4))) + "\n"


def last_day(date: str) -> datetime.date:
    """The last day of a YYYY, YYYY-MM or YYYY-MM-DD period."""
    parts = [int(x) for x in date.split("-")]
    if len(parts) == 3:
        return datetime.date(*parts)
    if len(parts) == 1:
        return datetime.date(parts[0], 12, 31)
    following = datetime.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
    return following - datetime.timedelta(days=1)


def name(rng: random.Random) -> tuple[str, str]:
    """An Arabic name and its Latin transliteration."""
    parts = rng.choices(range(len(SYLLABLES)), k=rng.randint(2, 3))
    return "".join(SYLLABLES[p] for p in parts), "".join(LATIN[p] for p in parts).title()


def description(rng: random.Random) -> str:
    """`description` in both languages, on about a third of the entries."""
    if rng.random() > 0.3:
        return ""
    return (f"  description:\n    ar: {words(rng, AR_WORDS, 8, 20)}.\n"
            f"    en: {words(rng, EN_WORDS, 8, 20).capitalize()}.\n")


def places_yaml(ids: Sequence[str], rng: random.Random) -> str:
    """Places: every tenth is a governorate; the others lie within one, with
    coordinates and sometimes aliases."""
    entries = []
    for n, id_ in enumerate(ids):
        ar, en = name(rng)
        entry = f"{id_}:\n  name: {{ar: {ar}, en: {en}}}\n"
        if n % 10:
            entry += (f"  within: {ids[n - n % 10]}\n  lat: {rng.uniform(32.4, 37.2):.4f}\n"
                      f"  lon: {rng.uniform(35.8, 42.3):.4f}\n")
        if rng.random() < 0.3:
            entry += f"  aliases: [{en}a, Al-{en}, {ar}ه]\n"
        entries.append(entry + description(rng))
    return "\n".join(entries)


def registry_yaml(ids: Sequence[str], rng: random.Random) -> str:
    """Actors or tags: a name per language, sometimes a description."""
    entries = []
    for id_ in ids:
        ar, en = name(rng)
        entries.append(f"{id_}:\n  name: {{ar: {ar}, en: {en}}}\n{description(rng)}")
    return "\n".join(entries)


def types_yaml(ids: Sequence[str], rng: random.Random) -> str:
    """Types with their ACLED event and sub-event types."""
    return "\n".join(
        f"{id_}:\n  name: {{ar: {ar}, en: {en}}}\n"
        f"  acled: {{event_type: {event}, sub_event_type: {sub}}}\n{description(rng)}"
        for id_, (ar, en, event, sub) in ((id_, TYPES[id_]) for id_ in ids)
    )


@dataclass(slots=True)
class Archive:
    """What incidents are drawn from, and the ids written so far."""

    rng: random.Random
    types: Picker
    places: Picker
    actors: Picker
    tags: Picker
    ids: list[str]


def dates(day: datetime.date, rng: random.Random) -> tuple[str, list[str]]:
    """The date (day, month or year precision) and the lines of time,
    end_date or ongoing, and updated."""
    roll = rng.random()
    date = day.isoformat() if roll < 0.8 else day.isoformat()[:7] if roll < 0.95 else str(day.year)
    lines = [f"date: {date}"]
    if len(date) == 10 and rng.random() < 0.25:
        lines.append(f"time: {rng.randrange(24):02d}:{rng.choice((0, 15, 30, 45)):02d}")
    roll = rng.random()
    if roll < 0.03:
        end = (last_day(date) + datetime.timedelta(days=rng.randint(1, 120))).isoformat()
        lines.append(f"end_date: {end if rng.random() < 0.7 else end[:7]}")
    elif roll < 0.045:
        lines.append("ongoing: true")
    if rng.random() < 0.15:
        lines.append(f"updated: {last_day(date) + datetime.timedelta(days=rng.randint(0, 400))}")
    return date, lines


def sources(n: int, day: datetime.date, rng: random.Random) -> list[str]:
    """1-3 sources, each with url, publisher, title and date, some archived."""
    lines = ["sources:"]
    for k in range(rng.choice((1, 1, 2, 2, 3))):
        publisher, domain, lang = rng.choice(PUBLISHERS)
        url = f"https://www.{domain}/{day.year}/{day.month:02d}/story-{n}-{k}"
        title = words(rng, AR_WORDS, 5, 12) if lang == "ar" else words(rng, EN_WORDS, 5, 12).title()
        lines += [f"  - url: {url}", f"    publisher: {publisher}", f"    title: {title}",
                  f"    date: {day + datetime.timedelta(days=rng.randint(0, 3))}"]
        if rng.random() < 0.25:
            lines.append(f"    archive_url: https://web.archive.org/web/{day:%Y%m%d}120000/{url}")
    return lines


def extras(n: int, rng: random.Random) -> list[str]:
    """Casualties on some incidents, media on fewer, verification on most."""
    lines = []
    if rng.random() < 0.25:
        counts = [f"{key}: {rng.randint(0, 40)}" for key in ("killed", "injured", "detained")
                  if rng.random() < 0.6]
        lines.append(f"casualties: {{{', '.join(counts or ['killed: 1'])}}}")
    if rng.random() < 0.12:
        lines.append("media:")
        for k in range(rng.randint(1, 2)):
            kind = rng.choice(("video", "image", "post"))
            url = {"video": f"https://www.youtube.com/watch?v=bench{n}x{k}",
                   "image": f"https://pbs.twimg.com/media/bench{n}x{k}.jpg",
                   "post": f"https://x.com/activist{n % 50}/status/{10**15 + n * 10 + k}"}[kind]
            lines += [f"  - kind: {kind}", f"    url: {url}",
                      f"    caption: {words(rng, AR_WORDS, 4, 12)}", "    credit: ناشطون محليون"]
    if rng.random() < 0.8:
        lines.append(f"verification: {rng.choices(('reported', 'verified', 'disputed'), (6, 3, 1))[0]}")
    return lines


def correction(n: int, day: datetime.date, lang: str) -> str:
    """The `corrections:` lines of incident `n` in `lang` (most have none)."""
    if n % CORRECTED != 7:
        return ""
    note = ("صُحّح عدد الضحايا بحسب مصدر ثانٍ." if lang == "ar"
            else "The casualty figures were corrected from a second source.")
    return f"corrections:\n  - date: {day + datetime.timedelta(days=1 + n % 40)}\n    note: {note}\n"


def incident(n: int, day: datetime.date, archive: Archive) -> tuple[str, str, str | None]:
    """Incident `n`: its id, Arabic original and English translation (or None)."""
    rng = archive.rng
    date, date_lines = dates(day, rng)
    type_ = archive.types.pick(n, 1, rng)[0]
    id_ = f"{date}-{type_}-{n}"
    lines = [f"title: {words(rng, AR_WORDS, 5, 11)}", f"summary: {words(rng, AR_WORDS, 12, 30)}.",
             *date_lines, f"type: {type_}",
             f"places: [{', '.join(archive.places.pick(n, rng.choice((1, 1, 1, 2)), rng))}]"]
    actors = archive.actors.pick(n, rng.randint(0, 3), rng)
    tags = archive.tags.pick(n, rng.randint(0, 2), rng)
    if actors:
        lines.append(f"actors: [{', '.join(actors)}]")
    if tags:
        lines.append(f"tags: [{', '.join(tags)}]")
    if archive.ids and rng.random() < 0.2:
        earlier = archive.ids[-60:]
        lines.append(f"related: [{', '.join(rng.sample(earlier, min(len(earlier), rng.randint(1, 2))))}]")
    lines += sources(n, day, rng) + extras(n, rng)
    original = ("---\n" + "\n".join(lines) + "\n" + correction(n, day, "ar") + "---\n"
                + body(rng, AR_WORDS, n))
    translation = None
    if rng.random() < TRANSLATED:
        translation = (f"---\ntitle: {words(rng, EN_WORDS, 5, 11).capitalize()}\n"
                       f"summary: {words(rng, EN_WORDS, 12, 30).capitalize()}.\n"
                       + correction(n, day, "en") + "---\n" + body(rng, EN_WORDS, n))
    archive.ids.append(id_)
    return id_, original, translation


CONFIG = """\
title: {ar: أرشيف تجريبي, en: Benchmark archive}
base_url: https://example.org/archive/
default_language: ar
languages:
  ar: {locale: ar_SY}
  en: {locale: en}
digits: latn
timezone: Asia/Damascus
content: content
output: site
"""


def generate(count: int, root: Path) -> None:
    """Write config.yaml and content/ for `count` incidents into `root`."""
    rng = random.Random(SEED)
    content = root / "content"
    (content / "incidents").mkdir(parents=True, exist_ok=True)
    (root / "config.yaml").write_text(CONFIG, encoding="utf-8")
    sizes = Registries.sized(count)
    (content / "places.yaml").write_text(places_yaml(sizes.places, rng), encoding="utf-8")
    (content / "actors.yaml").write_text(registry_yaml(sizes.actors, rng), encoding="utf-8")
    (content / "tags.yaml").write_text(registry_yaml(sizes.tags, rng), encoding="utf-8")
    (content / "types.yaml").write_text(types_yaml(sizes.types, rng), encoding="utf-8")
    archive = Archive(rng, Picker(sizes.types, count, rng), Picker(sizes.places, count, rng),
                      Picker(sizes.actors, count, rng), Picker(sizes.tags, count, rng), [])
    for n in range(count):
        day = START + datetime.timedelta(days=n * SPAN_DAYS // count)
        id_, original, translation = incident(n, day, archive)
        folder = content / "incidents" / str(day.year)
        folder.mkdir(exist_ok=True)
        (folder / f"{id_}.ar.md").write_text(original, encoding="utf-8")
        if translation is not None:
            (folder / f"{id_}.en.md").write_text(translation, encoding="utf-8")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int)
    parser.add_argument("root", type=Path)
    args = parser.parse_args()
    generate(args.count, args.root)


if __name__ == "__main__":
    main()
