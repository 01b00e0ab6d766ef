"""The story index's filters: topic, region, program and year, read from the query string.

Each filter knows its options and the value chosen. A value that matches no option (an unknown
slug, a year such as "abc") is set aside with a notice, so a mistyped or outdated link still
shows a normal page.
"""

from dataclasses import dataclass, field

from aipg_site.models import ProgramPage, Region, Topic

MAX_SHOWN_VALUE = 60


@dataclass
class Filter:
    name: str  # the query-string parameter
    label: str  # "Topic"
    all_label: str  # "All topics"
    options: list  # (value, label) pairs
    lookup: str  # the queryset lookup the chosen option's key goes to
    keys: dict = field(default_factory=dict)  # option value -> lookup value
    value: str = ""  # the chosen option, or "" for all
    remove_query: str = ""  # the query string of this listing without this filter

    @property
    def chosen_label(self):
        return dict(self.options).get(self.value, "")


class StoryFilters:
    def __init__(self, params, stories):
        topics = list(Topic.objects.only("name", "slug"))
        regions = list(Region.objects.only("name", "slug"))
        programs = list(ProgramPage.objects.live().public().order_by("title").only("title", "slug"))
        years = [date.year for date in stories.dates("date", "year", order="DESC")]
        self.filters = [
            Filter(
                "topic",
                "Topic",
                "All topics",
                [(topic.slug, topic.name) for topic in topics],
                "topics",
                {topic.slug: topic.pk for topic in topics},
            ),
            Filter(
                "region",
                "Region",
                "All regions",
                [(region.slug, region.name) for region in regions],
                "regions",
                {region.slug: region.pk for region in regions},
            ),
            Filter(
                "program",
                "Program",
                "All programs",
                [(program.slug, program.title) for program in programs],
                "programs",
                {program.slug: program.pk for program in programs},
            ),
            Filter(
                "year",
                "Year",
                "All years",
                [(str(year), str(year)) for year in years],
                "date__year",
                {str(y): y for y in years},
            ),
        ]
        self.notices = []
        for item in self.filters:
            raw = params.get(item.name, "").strip()
            if not raw:
                continue
            if raw in item.keys:
                item.value = raw
            else:
                shown = raw if len(raw) <= MAX_SHOWN_VALUE else raw[:MAX_SHOWN_VALUE] + "…"
                label = item.label.lower()
                self.notices.append(
                    f"“{shown}” is not a {label} we have stories for, so the list is not filtered by {label}."
                )

        for item in self.active:
            # Other filters stay; the page number goes, since the list it counted changes.
            rest = params.copy()
            for name in (item.name, "page"):
                rest.pop(name, None)
            item.remove_query = f"?{rest.urlencode()}" if rest else "?"

    @property
    def active(self):
        return [item for item in self.filters if item.value]

    def apply(self, stories):
        for item in self.active:
            stories = stories.filter(**{item.lookup: item.keys[item.value]})
        return stories
