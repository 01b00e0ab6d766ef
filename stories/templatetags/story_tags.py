"""Stories and observances for templates outside this app, such as the home page."""

from django import template

from stories.feeds import feed_links
from stories.models import Observance, ObservanceCalendarPage, StoryPage, listing

register = template.Library()


@register.simple_tag
def latest_stories(count=3):
    """The newest live stories and commemorations, ready for cards."""
    return list(listing(StoryPage.objects.live().public()).order_by("-date", "-pk")[:count])


@register.simple_tag(takes_context=True)
def upcoming_observances(context, count=4):
    """The next observances, soonest first, each with `next_date` and a `url` on the calendar page."""
    observances = Observance.upcoming(limit=count)
    if observances:
        calendar_page = ObservanceCalendarPage.objects.live().first()
        for observance in observances:
            observance.url = (
                f"{calendar_page.get_url(context.get('request'))}#{observance.slug}" if calendar_page else ""
            )
    return observances


@register.inclusion_tag("components/feed_links.html")
def story_feed_links():
    """<link rel="alternate"> elements for the story feeds and the observance calendar."""
    return {"feeds": feed_links()}
