"""Feeds and calendar files, under /feeds/ in English and /es/feeds/ in Spanish."""

from django.urls import path

from . import feeds

app_name = "stories"

urlpatterns = [
    path("stories/rss/", feeds.StoryRssFeed(), name="stories_rss"),
    path("stories/atom/", feeds.StoryAtomFeed(), name="stories_atom"),
    path("commemorations/rss/", feeds.CommemorationRssFeed(), name="commemorations_rss"),
    path("commemorations/atom/", feeds.CommemorationAtomFeed(), name="commemorations_atom"),
    path("observances.ics", feeds.observances_calendar, name="observances_ics"),
    path("observances/<slug:slug>.ics", feeds.observance_calendar, name="observance_ics"),
]
