"""The library's feeds, under /feeds/ in English and /es/feeds/ in Spanish."""

from django.urls import path

from . import feeds

app_name = "resources"

urlpatterns = [
    path("library/rss/", feeds.LibraryRssFeed(), name="library_rss"),
    path("library/atom/", feeds.LibraryAtomFeed(), name="library_atom"),
]
