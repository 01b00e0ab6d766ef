"""What every feed of pages shares: the newest pages of one listing, as RSS 2.0 or Atom 1.0.

Built on Django's syndication framework, so escaping and dates follow the standards. A feed follows
an index page of the requesting site (`index_model`: the story index, the library) and answers 404
while none is published. Each app's feeds subclass `PageFeed` for what their items add (dates,
categories, files); the Atom version of a feed is the RSS one with `AtomFeed` mixed in.

Each language has its feeds at its own addresses (/feeds/, /es/feeds/), listing its own pages, with
the language in the feed's `language` (RSS) or `xml:lang` (Atom) and its title in that language.
Every feed's Atom id is its own address, so no two feeds share one. An item in another language
than the feed's (a Spanish resource in an English library) says so: `xml:lang` on its Atom entry,
Dublin Core's `dc:language` in RSS, which has no attribute for it.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from wagtail.models import Locale, Site

from .models import OrganisationSettings

FEED_LENGTH = 20
DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"


class RssWithItemLanguages(Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])


class AtomWithItemLanguages(Atom1Feed):
    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes["xml:lang"] = item["language"]
        return attributes


def in_site_in_language(pages, site, locale):
    """`pages` of `site` in `locale`: under the site's home page in that language, which is not inside
    the site's root page but beside it (a translation of it), so Wagtail's `in_site` would miss it."""
    home = site.root_page.get_translation_or_none(locale) if site else None
    return pages.descendant_of(home, inclusive=True).filter(locale=locale) if home else pages.none()


class PageFeed(Feed):
    feed_type = RssWithItemLanguages
    index_model = None  # the page type whose listing the feed follows
    subject = ""  # what the feed's title says it holds, e.g. "stories"

    def get_object(self, request):
        site = Site.find_for_request(request)
        # The feed's language is its address's (/feeds/, /es/feeds/): it follows that language's index.
        locale = Locale.get_active()
        index = in_site_in_language(self.index_model.objects.live(), site, locale).first()
        if index is None:
            raise Http404(f"No {self.index_model._meta.verbose_name} is published on this site in this language.")
        return {
            "site": site,
            "locale": locale,
            "index": index,
            "organisation": OrganisationSettings.for_site(site),
            # Enclosure addresses must be absolute, and the syndication framework does not add the host.
            "origin": request.build_absolute_uri("/").rstrip("/"),
            # The site's configured address, not the request's host, keeps the id the same however
            # the feed is fetched.
            "feed_id": site.root_url + request.path,
        }

    def feed_guid(self, source):
        return source["feed_id"]

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

    def item_language(self, item):
        """The item's language when it is not the feed's (the page language), else ""."""
        return ""

    def item_extra_kwargs(self, item):
        return {"language": self.item_language(item)}


class AtomFeed:
    """Mixed into a `PageFeed` subclass: the same feed as Atom, its description as the subtitle."""

    feed_type = AtomWithItemLanguages

    def subtitle(self, source):
        return self.description(source)
