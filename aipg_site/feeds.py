"""What every feed of pages shares: the newest pages of one listing, as RSS 2.0 or Atom 1.0.

Built on Django's syndication framework, so escaping and dates follow the standards. A feed follows
an index page of the requesting site (`index_model`: the story index, the library) and answers 404
while none is published. Each app's feeds subclass `PageFeed` for what their items add (dates,
categories, files); the Atom version of a feed is the RSS one with `AtomFeed` mixed in.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from wagtail.models import Site

from .models import OrganisationSettings

FEED_LENGTH = 20


class PageFeed(Feed):
    feed_type = Rss201rev2Feed
    index_model = None  # the page type whose listing the feed follows
    subject = ""  # what the feed's title says it holds, e.g. "stories"

    def get_object(self, request):
        site = Site.find_for_request(request)
        index = self.index_model.objects.live().in_site(site).first() if site else None
        if index is None:
            raise Http404(f"No {self.index_model._meta.verbose_name} is published on this site.")
        return {
            "index": index,
            "organisation": OrganisationSettings.for_site(site),
            # Enclosure addresses must be absolute, and the syndication framework does not add the host.
            "origin": request.build_absolute_uri("/").rstrip("/"),
        }

    def title(self, source):
        return f"{source['organisation'].short_display_name}: {self.subject}"

    def link(self, source):
        return source["index"].url

    def description(self, source):
        return source["index"].summary

    def author_name(self, source):
        return source["organisation"].name or None

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        # Items come with their topics prefetched.
        return [topic.name for topic in item.topics.all()]


class AtomFeed:
    """Mixed into a `PageFeed` subclass: the same feed as Atom, its description as the subtitle."""

    feed_type = Atom1Feed

    def subtitle(self, source):
        return self.description(source)
