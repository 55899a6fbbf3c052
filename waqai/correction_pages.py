"""The context of a language's corrections page: every correction of the
chronology, newest first, `page_size` to a page, each linked to its place on
its incident's page."""

from __future__ import annotations

from waqai import routes
from waqai.contexts import Views
from waqai.corrections import Listed, correction_in, correction_pages
from waqai.i18n import load_translations
from waqai.routes import Route
from waqai.views import CorrectionView, Link, PageContext


def corrections_context(views: Views, route: Route) -> PageContext:
    """A page of a language's corrections and updates."""
    listed = views.model.corrections
    size = views.config.page_size
    pages = tuple(routes.corrections(views.lang, n)
                  for n in range(1, correction_pages(len(listed), size) + 1))
    number = route.page
    pager = views.pager(route, pages[number - 2] if number > 1 else None,
                        pages[number] if number < len(pages) else None, pages)
    name = load_translations(views.config.locales, views.lang).gettext("Corrections and updates")
    title = name if number == 1 else f"{name} ({views.number(number)}/{views.number(len(pages))})"
    shown = listed[(number - 1) * size:number * size]
    return PageContext(route.path, "corrections.html", views.lang, {
        "head": views.head(route, title, pager=pager), "pager": pager,
        "feed": routes.corrections_feed(views.lang).path,
        "count": len(listed), "count_text": views.number(len(listed)),
        "corrections": tuple(correction_view(views, item) for item in shown),
    })


def correction_view(views: Views, listed: Listed) -> CorrectionView:
    """One correction with its incident, linked to the correction on the incident's page."""
    incident = views.model.by_id[listed.incident_id]
    correction, lang = correction_in(incident, views.lang, listed)
    text = incident.text(views.lang)
    path = f"{routes.incident(views.lang, incident.id).path}#{listed.anchor}"
    return CorrectionView(listed.anchor, views.day(correction.date), views.label(correction.note, lang),
                          Link(path, views.label(text.title, text.lang)),
                          views.when(incident.date, incident.time))
