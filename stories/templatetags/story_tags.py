"""Stories and observances for templates outside this app, such as the home page."""

from django import template

from aipg_site.language import context_locale_id
from stories.feeds import feed_links
from stories.models import Observance, ObservanceCalendarPage, StoryPage, listing

register = template.Library()


@register.simple_tag(takes_context=True)
def latest_stories(context, count=3):
    """The newest live stories and commemorations in the page's language, ready for cards."""
    stories = StoryPage.objects.live().public().filter(locale_id=context_locale_id(context))
    return list(listing(stories).order_by("-date", "-pk")[:count])


@register.simple_tag(takes_context=True)
def upcoming_observances(context, count=4):
    """The next observances, soonest first, each with `next_date` and a `url` on the calendar page
    in the page's language."""
    observances = Observance.upcoming(limit=count)
    if observances:
        calendar_page = ObservanceCalendarPage.objects.live().filter(locale_id=context_locale_id(context)).first()
        for observance in observances:
            observance.url = (
                f"{calendar_page.get_url(context.get('request'))}#{observance.slug}" if calendar_page else ""
            )
    return observances


@register.inclusion_tag("components/feed_links.html")
def story_feed_links():
    """<link rel="alternate"> elements for the story feeds and the observance calendar."""
    return {"feeds": feed_links()}
