"""The story index's filters: topic, region, program and year (see aipg_site.filters)."""

from aipg_site import page_cache
from aipg_site.filters import Filter, ListingFilters, taxonomy_filter, year_filter
from aipg_site.models import ProgramPage, Region, Topic


class StoryFilters(ListingFilters):
    noun = "stories"

    def __init__(self, params, stories):
        programs = list(ProgramPage.objects.live().public().order_by("title").only("title", "slug"))
        # Which years have stories reads every story: remembered until the next publish.
        years = page_cache.remember(
            "story-years:" + page_cache.query_key(stories),
            lambda: [date.year for date in stories.dates("date", "year", order="DESC")],
        )
        super().__init__(
            params,
            [
                taxonomy_filter("topic", "Topic", "All topics", Topic.objects.only("name", "slug"), "topics"),
                taxonomy_filter("region", "Region", "All regions", Region.objects.only("name", "slug"), "regions"),
                Filter(
                    "program",
                    "Program",
                    "All programs",
                    [(program.slug, program.title) for program in programs],
                    "programs",
                    {program.slug: program.pk for program in programs},
                ),
                year_filter(years, "date__year"),
            ],
        )
