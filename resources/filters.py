"""The library's filters (collection, year, topic, language) and its sort orders.

Filters narrow the list before a search runs, so they are expressed only through fields the search
backend can filter on (see `ResourcePage.search_fields`): a topic becomes the set of resource ids
filed under it.
"""

from dataclasses import dataclass

from django.conf import global_settings

from aipg_site import page_cache
from aipg_site.filters import Filter, ListingFilters, taxonomy_filter, year_filter
from aipg_site.models import Topic


@dataclass(frozen=True)
class Sort:
    label: str
    ordering: tuple


# "relevance" applies to a search only; without one the library falls back to "newest".
SORTS = {
    "relevance": Sort("Best match", ()),
    "newest": Sort("Newest first", ("-year", "-first_published_at", "-id")),
    "oldest": Sort("Oldest first", ("year", "first_published_at", "id")),
    "title": Sort("Title, A to Z", ("title", "id")),
}


class LibraryFilters(ListingFilters):
    noun = "resources"

    def __init__(self, params, resources):
        from .models import ResourceCollection

        self.collections = list(ResourceCollection.objects.all())
        # Which years and languages the library holds reads every resource: remembered until the next publish.
        pairs = page_cache.remember(
            "library-years-languages:" + page_cache.query_key(resources),
            lambda: set(resources.order_by().values_list("year", "language").distinct()),
        )
        years = sorted({year for year, _ in pairs}, reverse=True)
        language_names = dict(global_settings.LANGUAGES)
        languages = sorted({code for _, code in pairs}, key=lambda code: language_names.get(code, code))
        super().__init__(
            params,
            [
                taxonomy_filter("collection", "Collection", "All collections", self.collections, "collection_id"),
                year_filter(years, "year"),
                taxonomy_filter("topic", "Topic", "All topics", Topic.objects.only("name", "slug"), "topics"),
                Filter(
                    "language",
                    "Language",
                    "All languages",
                    [(code, language_names.get(code, code)) for code in languages],
                    "language",
                    {code: code for code in languages},
                ),
            ],
        )

    @property
    def chosen_collection(self):
        chosen = self.filters[0].value
        return next((collection for collection in self.collections if collection.slug == chosen), None)

    def apply(self, resources):
        for item in self.active:
            if item.name == "topic":
                filed = resources.model.topics.through.objects.filter(topic_id=item.keys[item.value])
                resources = resources.filter(pk__in=list(filed.values_list("resourcepage_id", flat=True)))
            else:
                resources = resources.filter(**{item.lookup: item.keys[item.value]})
        return resources
