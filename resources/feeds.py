"""The library's feed of additions, RSS and Atom, newest first by when they were published."""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from wagtail.models import Site

from aipg_site.models import OrganisationSettings

from .models import ResourceLibraryPage, ResourcePage

FEED_LENGTH = 20


class LibraryRssFeed(Feed):
    feed_type = Rss201rev2Feed

    def get_object(self, request):
        site = Site.find_for_request(request)
        library = ResourceLibraryPage.objects.live().in_site(site).first() if site else None
        if library is None:
            raise Http404("No resource library is published on this site.")
        return {
            "library": library,
            "organisation": OrganisationSettings.for_site(site),
            "origin": request.build_absolute_uri("/").rstrip("/"),
        }

    def title(self, source):
        organisation = source["organisation"]
        return f"{organisation.short_display_name}: new in the resource library"

    def link(self, source):
        return source["library"].url

    def description(self, source):
        return source["library"].summary

    def author_name(self, source):
        return source["organisation"].name or None

    def items(self, source):
        # Annual reports are listed in the library too, wherever their pages sit.
        resources = list(
            ResourcePage.objects.live()
            .public()
            .select_related("document", "collection")
            .prefetch_related("topics")
            .order_by("-first_published_at", "-pk")[:FEED_LENGTH]
        )
        for resource in resources:
            # Enclosure addresses must be absolute, and the syndication framework does not add the host.
            resource.origin = source["origin"]
        return resources

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_author_name(self, item):
        return item.authors or None

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        categories = [topic.name for topic in item.topics.all()]
        return [item.collection.name, *categories] if item.collection else categories

    def item_enclosures(self, item):
        if not item.document:
            return []
        url = item.origin + item.download_url
        return [Enclosure(url, str(item.document.file_size or 0), item.document.content_type)]


class LibraryAtomFeed(LibraryRssFeed):
    feed_type = Atom1Feed

    def subtitle(self, source):
        return source["library"].summary


def feed_links():
    return [
        ("application/rss+xml", "New resources (RSS)", reverse("resources:library_rss")),
        ("application/atom+xml", "New resources (Atom)", reverse("resources:library_atom")),
    ]
