"""The library's filters (collection, year, topic, language) and its sort orders.

Filters narrow the list before a search runs, so they are expressed only through fields the search
backend can filter on (see `ResourcePage.search_fields`): a topic becomes the resource ids filed
under it (`aipg_site.filters.TermFilter`). This module reads no model of its own app: the library
page hands it the resources and the collections, so the models can use it without either importing
the other.
"""

from dataclasses import dataclass

import django_filters
from django.conf import global_settings
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aipg_site import page_cache
from aipg_site.filters import ListingFilterSet, TermFilter, taxonomy_terms
from aipg_site.models import Topic
from aipg_site.snippet_translations import one_per_translation


@dataclass(frozen=True)
class Sort:
    label: str
    ordering: tuple


# "relevance" applies to a search only; without one the library falls back to "newest".
SORTS = {
    "relevance": Sort(_("Best match"), ()),
    "newest": Sort(_("Newest first"), ("-year", "-first_published_at", "-id")),
    "oldest": Sort(_("Oldest first"), ("year", "first_published_at", "id")),
    "title": Sort(_("Title, A to Z"), ("title", "id")),
}


class LibraryFilterSet(ListingFilterSet):
    noun = _("resources")

    collection = TermFilter(label=_("Collection"), empty_label=_("All collections"), field_name="collection_id")
    year = django_filters.ChoiceFilter(label=_("Year"), empty_label=_("All years"), field_name="year")
    topic = TermFilter(label=_("Topic"), empty_label=_("All topics"), field_name="topics")
    language = django_filters.ChoiceFilter(label=_("Language"), empty_label=_("All languages"), field_name="language")

    def __init__(self, data, resources, *, collections, **kwargs):
        super().__init__(data, resources, **kwargs)
        self.collections = list(collections)
        self.filters["collection"].set_terms(taxonomy_terms(self.collections))
        self.filters["topic"].set_terms(taxonomy_terms(one_per_translation(Topic.objects.all())))
        # Which years and languages the library holds reads every resource: remembered until the next publish.
        pairs = page_cache.remember(
            "library-years-languages:" + page_cache.query_key(resources),
            lambda: set(resources.order_by().values_list("year", "language").distinct()),
        )
        years = sorted({year for year, _code in pairs}, reverse=True)
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]
        # Each language by its name in the reader's language (Django's own translations of the names).
        language_names = {code: capfirst(gettext(name)) for code, name in global_settings.LANGUAGES}
        languages = sorted({code for _year, code in pairs}, key=lambda code: language_names.get(code, code))
        self.filters["language"].extra["choices"] = [(code, language_names.get(code, code)) for code in languages]

    @property
    def chosen_collection(self):
        chosen = self.chosen.get("collection")
        return next((collection for collection in self.collections if collection.slug == chosen), None)
