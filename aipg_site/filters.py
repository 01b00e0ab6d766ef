"""Listing filters read from the query string, shared by the story index and the resource library.

Each filter knows its options and the value chosen. A value that matches no option (an unknown
slug, a year such as "abc") is set aside with a notice, so a mistyped or outdated link still
shows a normal page.
"""

from dataclasses import dataclass, field

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


class ListingFilters:
    """The filters of one listing. Subclasses build `filters`; `noun` names what is listed."""

    noun = "items"

    def __init__(self, params, filters):
        self.filters = filters
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
                    f"“{shown}” is not a {label} we have {self.noun} for, so the list is not filtered by {label}."
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

    def apply(self, items):
        for item in self.active:
            items = items.filter(**{item.lookup: item.keys[item.value]})
        return items


def taxonomy_filter(name, label, all_label, terms, lookup):
    """A filter over topics, regions or any model with `slug` and `name`."""
    terms = list(terms)
    return Filter(name, label, all_label, [(t.slug, t.name) for t in terms], lookup, {t.slug: t.pk for t in terms})


def year_filter(years, lookup):
    return Filter("year", "Year", "All years", [(str(y), str(y)) for y in years], lookup, {str(y): y for y in years})
