"""The library's feed of additions, RSS and Atom, newest first by when they were published."""

from django.urls import reverse
from django.utils.feedgenerator import Enclosure
from django.utils.translation import gettext, gettext_lazy

from aipg_site.feeds import FEED_LENGTH, AtomFeed, PageFeed

from .models import ResourceLibraryPage, ResourcePage


class LibraryRssFeed(PageFeed):
    index_model = ResourceLibraryPage
    subject = gettext_lazy("new in the resource library")

    def items(self, source):
        # Annual reports are listed in the library too, wherever their pages sit.
        resources = list(
            ResourcePage.objects.live()
            .public()
            .filter(locale=source["locale"])
            .select_related("document", "collection")
            .prefetch_related("topics")
            .order_by("-first_published_at", "-pk")[:FEED_LENGTH]
        )
        for resource in resources:
            resource.origin = source["origin"]
        return resources

    def item_author_name(self, item):
        return item.authors or None

    def item_pubdate(self, item):
        return item.first_published_at

    def item_categories(self, item):
        categories = super().item_categories(item)
        return [item.collection.name, *categories] if item.collection else categories

    def item_language(self, item):
        return item.foreign_language

    def item_enclosures(self, item):
        if not item.document:
            return []
        url = item.origin + item.download_url
        return [Enclosure(url, str(item.document.file_size or 0), item.document.content_type)]


class LibraryAtomFeed(AtomFeed, LibraryRssFeed):
    pass


def feed_links():
    return [
        ("application/rss+xml", gettext("New resources (RSS)"), reverse("resources:library_rss")),
        ("application/atom+xml", gettext("New resources (Atom)"), reverse("resources:library_atom")),
    ]
