"""What site search finds among the observances, which are snippets rather than pages.

The core's search page shows them as a group above the pages (`aipg_site.search.SearchGroup`), each
linking to its day on the observance calendar; `wagtail_hooks` registers `observance_matches`.
"""

from django.utils.translation import gettext
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from aipg_site.search import SearchGroup
from aipg_site.snippet_translations import active_locale

from .models import Observance, ObservanceCalendarPage


def observance_matches(request, terms, shown):
    """The observances `terms` find (by name, description or who established them), the most
    relevant first: how many, and the first `shown`, each with its `search_url`."""
    # The observances written in the reader's language (each translation is a row of its own).
    found = get_search_backend().search(terms, Observance.objects.filter(locale=active_locale()))
    group = SearchGroup(
        name="observances",
        heading=gettext("On the observance calendar"),
        count=found.count(),
        item_template="stories/observance_search_result.html",
    )
    if group.count and shown:
        # The calendar in the reader's language: /es/search/ leads to the Spanish calendar.
        calendar = ObservanceCalendarPage.objects.live().public().filter(locale=Locale.get_active()).first()
        calendar_url = calendar.get_url(request) if calendar else ""
        group.matches = list(found[:shown])
        for observance in group.matches:
            # Without a calendar on the site, the official page is the best place to send a reader.
            observance.search_url = f"{calendar_url}#{observance.slug}" if calendar_url else observance.link
        group.more_url, group.more_label = calendar_url, gettext("See every observance on the calendar")
    return group
