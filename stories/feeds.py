"""What readers subscribe to: RSS and Atom feeds of stories and of commemorations, and iCalendar
files of the observances.

Feeds are built by Django's syndication framework and calendars by `icalendar`, so escaping,
dates and line folding follow their standards without hand-written markup.
"""

import datetime

import icalendar
from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET
from wagtail.models import Locale, Site

from aipg_site.feeds import FEED_LENGTH, AtomFeed, PageFeed, in_site_in_language
from aipg_site.snippet_translations import one_per_translation

from .models import (
    CommemorationPage,
    Observance,
    ObservanceCalendarPage,
    StoryIndexPage,
    StoryPage,
    calendar_file_years,
)


class StoryRssFeed(PageFeed):
    """The newest stories and commemorations together, as the story index lists them."""

    index_model = StoryIndexPage
    model = StoryPage
    subject = gettext_lazy("stories")

    def items(self, source):
        return (
            self.model.objects.live()
            .public()
            .descendant_of(source["index"])
            .prefetch_related("topics")
            .order_by("-date", "-pk")[:FEED_LENGTH]
        )

    def item_pubdate(self, item):
        return datetime.datetime.combine(item.date, datetime.time(), tzinfo=datetime.UTC)


class StoryAtomFeed(AtomFeed, StoryRssFeed):
    pass


class CommemorationRssFeed(StoryRssFeed):
    model = CommemorationPage
    subject = gettext_lazy("commemorations")

    def link(self, source):
        # The page that lists the observances with their posts; the story index while there is none.
        calendar = in_site_in_language(ObservanceCalendarPage.objects.live(), source["site"], source["locale"]).first()
        return calendar.url if calendar else super().link(source)

    def description(self, source):
        return gettext("The institute's posts marking each year's observances.")


class CommemorationAtomFeed(AtomFeed, CommemorationRssFeed):
    pass


# Calendars ------------------------------------------------------------------------------------


@require_GET
@cache_control(max_age=60 * 60)
def observances_calendar(request):
    """Every observance as a yearly all-day event."""
    observances = one_per_translation(Observance.objects.all())
    return _calendar_response(request, observances, "observances.ics", gettext("Observances"))


@require_GET
@cache_control(max_age=60 * 60)
def observance_calendar(request, slug):
    """One observance as a yearly all-day event, for those who follow only that day."""
    # The slug is the same in every language: the observance in the reader's language where translated.
    observances = one_per_translation(Observance.objects.filter(slug=slug))
    if not observances:
        raise Http404("No observance has this address.")
    observance = observances[0]
    return _calendar_response(request, [observance], f"{observance.slug}.ics", observance.display_name)


def build_calendar(observances, host, page_url, name, posts=(), language=settings.LANGUAGE_CODE, years=None):
    """An iCalendar with one yearly all-day event per observance, in `language`.

    Each event starts in the year the observance was established and repeats every year. Its UID
    is derived from the observance's id, the site's host and (but for English, whose UIDs predate
    the other languages) the language, so calendar apps update an event rather than duplicate it
    when the file changes, and keep one of each language apart. A year with a published commemoration gets
    that occurrence overridden (same UID, a RECURRENCE-ID) to link to the post: `posts` are
    (commemoration, its absolute URL) pairs, of the `years` (first, last) the file says it covers
    (`X-WR-CALDESC`).
    """
    cal = icalendar.Calendar()
    cal.add("prodid", f"-//{host}//Observances//{language.upper()}")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    if years:
        first, last = years
        cal.add(
            "x-wr-caldesc",
            gettext(
                "Each observance as a yearly all-day event. The days from %(first)s to %(last)s link to the "
                "institute's post for that year; earlier posts are on the website."
            )
            % {"first": first, "last": last},
        )
    suffix = "" if language == settings.LANGUAGE_CODE else f"-{language}"

    def uid(observance):
        # The observance's first row (its source; a translation is a later row): translating the
        # observance does not change the event calendar apps already hold.
        return f"observance-{min(rows_of(observance))}{suffix}@{host}"

    for observance in observances:
        event = icalendar.Event()
        start = observance.date_in(observance.established_year)
        event.add("uid", uid(observance))
        event.add("dtstamp", observance.updated_at)
        event.add("last-modified", observance.updated_at)
        event.add("summary", observance.name)
        event.add("description", _event_description(observance))
        event.add("dtstart", start)
        event.add("dtend", start + datetime.timedelta(days=1))
        if observance.is_leap_day:
            # The last day of February: the 29th in leap years, the 28th otherwise.
            event.add("rrule", {"freq": "yearly", "bymonth": 2, "bymonthday": -1})
        else:
            event.add("rrule", {"freq": "yearly"})
        event.add("transp", "TRANSPARENT")
        event.add("url", f"{page_url}#{observance.slug}" if page_url else observance.link or "")
        cal.add_component(event)
    by_id = {pk: observance for observance in observances for pk in rows_of(observance)}
    for post, url in posts:
        observance = by_id.get(post.observance_id)
        if observance is None or post.year < observance.established_year:
            continue
        day = observance.date_in(post.year)
        occurrence = icalendar.Event()
        occurrence.add("uid", uid(observance))
        occurrence.add("recurrence-id", day)
        occurrence.add("dtstamp", post.last_published_at or observance.updated_at)
        occurrence.add("summary", observance.name)
        occurrence.add("description", f"{post.title}: {post.summary}\n\n{url}")
        occurrence.add("dtstart", day)
        occurrence.add("dtend", day + datetime.timedelta(days=1))
        occurrence.add("transp", "TRANSPARENT")
        occurrence.add("url", url)
        cal.add_component(occurrence)
    return cal


def _calendar_response(request, observances, filename, name):
    site = Site.find_for_request(request)
    # The calendar file's language is its address's (/feeds/, /es/feeds/): its page and its posts are
    # that language's. The observances' own words are what the snippet holds.
    locale = Locale.get_active()
    calendar_page = in_site_in_language(ObservanceCalendarPage.objects.live(), site, locale).first()
    page_url = calendar_page.get_full_url(request) if calendar_page else ""
    # The site's configured host name, not the one in the request, keeps UIDs the same however the
    # file is fetched.
    host = site.hostname if site else request.get_host().split(":")[0]
    first, last = calendar_file_years()
    posts = [
        (post, post.get_full_url(request))
        for post in CommemorationPage.objects.live()
        .public()
        .filter(
            locale=locale,
            observance_id__in=[pk for observance in observances for pk in rows_of(observance)],
            year__range=(first, last),
        )
        .order_by("year")
    ]
    cal = build_calendar(observances, host, page_url, name, posts, language=locale.language_code, years=(first, last))
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def rows_of(observance):
    """The primary keys of the observance's rows in every language (`one_per_translation`)."""
    return getattr(observance, "translation_ids", [observance.pk])


def _event_description(observance):
    facts = {"year": observance.established_year, "by": observance.established_by, "how": observance.established_how}
    if observance.established_how:
        established = gettext("Established in %(year)s by %(by)s (%(how)s).") % facts
    else:
        established = gettext("Established in %(year)s by %(by)s.") % facts
    return f"{observance.description}\n\n{established}"


def feed_links():
    """The feeds a page lists in its <head>, for browsers and feed readers to discover."""
    return [
        ("application/rss+xml", gettext("Stories (RSS)"), reverse("stories:stories_rss")),
        ("application/atom+xml", gettext("Stories (Atom)"), reverse("stories:stories_atom")),
        ("application/rss+xml", gettext("Commemorations (RSS)"), reverse("stories:commemorations_rss")),
        ("application/atom+xml", gettext("Commemorations (Atom)"), reverse("stories:commemorations_atom")),
        ("text/calendar", gettext("Observances (iCalendar)"), reverse("stories:observances_ics")),
    ]
