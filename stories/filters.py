"""The story index's filters: topic, region, program and year (see aipg_site.filters)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from aipg_site import page_cache
from aipg_site.filters import ListingFilterSet, TermFilter, TranslatedPageFilter, taxonomy_terms
from aipg_site.models import ProgramPage, Region, Topic
from aipg_site.snippet_translations import one_per_translation


class StoryFilterSet(ListingFilterSet):
    noun = _("stories")

    topic = TermFilter(label=_("Topic"), empty_label=_("All topics"), field_name="topics")
    region = TermFilter(label=_("Region"), empty_label=_("All regions"), field_name="regions")
    program = TranslatedPageFilter(label=_("Program"), empty_label=_("All programs"), field_name="programs")
    year = django_filters.ChoiceFilter(label=_("Year"), empty_label=_("All years"), field_name="date__year")

    def __init__(self, data, stories, *, locale, **kwargs):
        super().__init__(data, stories, **kwargs)
        self.filters["topic"].set_terms(taxonomy_terms(one_per_translation(Topic.objects.all())))
        self.filters["region"].set_terms(taxonomy_terms(one_per_translation(Region.objects.all())))
        # The programs in the listing's language (`locale`, a locale's id), matched in any language.
        programs = (
            ProgramPage.objects.live()
            .public()
            .filter(locale_id=locale)
            .order_by("title")
            .only("title", "slug", "translation_key")
        )
        self.filters["program"].set_terms(
            (program.slug, program.title, program.translation_key) for program in programs
        )
        # Which years have stories reads every story: remembered until the next publish.
        years = page_cache.remember(
            "story-years:" + page_cache.query_key(stories),
            lambda: [date.year for date in stories.dates("date", "year", order="DESC")],
        )
        self.filters["year"].extra["choices"] = [(str(year), str(year)) for year in years]
