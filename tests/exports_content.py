"""Content added to conftest's basic site for the feed, export and share tests.

With BASIC, the site holds three incidents:
- 2021-01-27-protest (ar + en), a day with a time, in Hasakah;
- 2021-01-siege (ar only), a month to a month, in Qamishli;
- 2021-01-curfew (ar + en), a month, revised on 2021-02-03, in Palestine Street
  (within Hasakah, which has the coordinates) and Qamishli, with a local image
  and two killed.
"""

from __future__ import annotations

FILES: dict[str, str | None] = {
    "content/types.yaml": """\
        protest:
          name: {ar: احتجاج, en: Protest}
          acled: {event_type: Protests, sub_event_type: Peaceful protest}
        siege:
          name: {ar: حصار, en: Siege}
        """,
    "content/places.yaml": """\
        hasakah-governorate:
          name: {ar: محافظة الحسكة, en: Hasakah Governorate}
        hasakah:
          name: {ar: الحسكة, en: Hasakah}
          within: hasakah-governorate
          lat: 36.5
          lon: 40.75
        palestine-street:
          name: {ar: شارع فلسطين, en: Palestine Street}
          within: hasakah
        qamishli:
          name: {ar: القامشلي, en: Qamishli}
          within: hasakah-governorate
        """,
    "content/actors.yaml": """\
        asayish:
          name: {ar: الأسايش, en: Asayish}
        ndf:
          name: {ar: الدفاع الوطني, en: National Defence Forces}
        civilians:
          name: {ar: مدنيون, en: Civilians}
        """,
    "content/media/map.png": "not really a PNG, but a local media file",
    "content/incidents/2021/2021-01-curfew.ar.md": """\
        ---
        title: حظر تجوال في الحسكة
        summary: فرض حظر تجوال.
        date: 2021-01
        updated: 2021-02-03
        type: siege
        places: [palestine-street, qamishli]
        actors: [asayish, ndf, civilians]
        casualties: {killed: 2}
        sources:
          - url: https://example.com/report
            publisher: Example Monitor
          - url: https://www.rozana.fm/
            publisher: روزنة
        ---
        ![خريطة](media/map.png)
        """,
    "content/incidents/2021/2021-01-curfew.en.md": """\
        ---
        title: Curfew in Hasakah
        summary: A curfew was imposed.
        ---
        ![Map](media/map.png)

        See [the protest](../2021-01-27-protest/).
        """,
}
