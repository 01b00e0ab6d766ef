"""What the story index and the resource library share about their filters, on django-filter.

A listing's `FilterSet` declares one `ChoiceFilter` per query-string parameter, and sets each one's
choices when it is built (the options are what the listing holds: its topics, its years).
django-filter filters by every valid value and leaves an invalid one out of `cleaned_data`: so a
value that matches no option (an unknown slug, a year such as "abc") is simply not applied, and the
reader is told so in a notice. A mistyped or outdated link still shows a normal page.

Templates read three things: `menus` (one select per filter that has options), `active` (the chips
of chosen filters, each with a link that removes it) and `notices`.
"""

from dataclasses import dataclass

import django_filters
from django.utils.functional import cached_property
from django.utils.text import get_text_list
from django.utils.translation import gettext, gettext_lazy
from django_filters.constants import EMPTY_VALUES

MAX_SHOWN_VALUE = 60


class TermFilter(django_filters.ChoiceFilter):
    """One of a set of terms (topics, regions, programs, collections), chosen by slug.

    The listing filters by the term's primary keys: a translated term has one per language, and a
    page may point at any of them. `field_name` is the field those keys go to.

    Through a many-to-many field (topics, regions), the items are those whose primary key is among
    the rows filed under the term, a subquery (`pk IN (SELECT ...)`) rather than a join: an item
    filed under the term in two languages is listed once, the search backend (which filters on the
    primary key but cannot follow the relation) accepts it, and the database runs it as a
    semi-join from the term's rows (their index) to each item by primary key, at the same cost on
    any size of site."""

    def set_terms(self, terms):
        """`terms`: (slug, label, primary keys) triples."""
        terms = list(terms)
        self.extra["choices"] = [(slug, label) for slug, label, _ in terms]
        self.keys = {slug: key for slug, _, key in terms}

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        field = queryset.model._meta.get_field(self.field_name)
        if not field.many_to_many:
            return queryset.filter(**{f"{self.field_name}__in": self.keys[value]})
        filed = field.remote_field.through.objects.filter(**{f"{field.m2m_reverse_field_name()}__in": self.keys[value]})
        return queryset.filter(pk__in=filed.values(field.m2m_field_name()))


class TranslatedPageFilter(TermFilter):
    """A page (a program) chosen by slug among the listing's language's, by its translation key.

    A translated story keeps the pages its source was filed under (wagtail-localize copies
    many-to-many choices as they are), so an item filed under the page in any language matches; a
    subquery keeps an item filed under two of its translations from being listed twice."""

    def filter(self, queryset, value):
        if value in EMPTY_VALUES:
            return queryset
        filed = queryset.model.objects.filter(**{f"{self.field_name}__translation_key": self.keys[value]})
        return queryset.filter(pk__in=filed.values("pk"))


def taxonomy_terms(terms, label="name"):
    """Terms of any model with a `slug` (topics, regions, pages), for `TermFilter.set_terms`. A
    translatable snippet's terms come from `aipg_site.snippet_translations.one_per_translation`, each with the
    keys of all its languages."""
    return [(term.slug, getattr(term, label), getattr(term, "translation_ids", [term.pk])) for term in terms]


@dataclass
class FilterMenu:
    """One select of a listing's filter form."""

    name: str  # the query-string parameter
    label: str  # "Topic"
    all_label: str  # "All topics"
    options: list  # (value, label) pairs
    value: str  # the chosen option, or ""


@dataclass
class ActiveFilter:
    """A chosen filter, shown as a chip with a link to the same listing without it."""

    name: str
    label: str
    chosen_label: str
    remove_query: str


class ListingFilterSet(django_filters.FilterSet):
    """A listing's filters read from the query string. Subclasses declare the filters, set their
    choices in `__init__`, and name what is listed in `noun` ("stories")."""

    noun = gettext_lazy("items")

    def __init__(self, data, queryset, **kwargs):
        # Stray spaces around a value (a link pasted with them) do not make it unknown.
        cleaned = data.copy()
        for name in self.base_filters:
            if name in cleaned:
                cleaned[name] = cleaned[name].strip()
        super().__init__(cleaned, queryset, **kwargs)
        self.params = data

    @cached_property
    def chosen(self):
        """Parameter -> the valid value given for it; unknown values are not here."""
        self.form.is_valid()
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    @cached_property
    def menus(self):
        return [
            FilterMenu(name, str(field.label), field.empty_label, choices, self.chosen.get(name, ""))
            for name, field in self.form.fields.items()
            if (choices := [choice for choice in field.choices if choice[0] != ""])
        ]

    @cached_property
    def active(self):
        chosen = []
        for name, field in self.form.fields.items():
            if name not in self.chosen:
                continue
            # Other filters stay; the page number goes, since the list it counted changes.
            rest = self.params.copy()
            for parameter in (name, "page"):
                rest.pop(parameter, None)
            remove_query = f"?{rest.urlencode()}" if rest else "?"
            chosen.append(ActiveFilter(name, str(field.label), dict(field.choices)[self.chosen[name]], remove_query))
        return chosen

    @property
    def active_description(self):
        """The chosen filters in words, "topic “Justice” and year “2024”", for a sentence that says
        nothing is filed under them."""
        described = [
            gettext("%(label)s “%(value)s”") % {"label": active.label.lower(), "value": active.chosen_label}
            for active in self.active
        ]
        return get_text_list(described, gettext("and"))

    @cached_property
    def notices(self):
        notices = []
        self.form.is_valid()
        for name, field in self.form.fields.items():
            if name not in self.form.errors:
                continue
            raw = self.data.get(name, "")
            shown = raw if len(raw) <= MAX_SHOWN_VALUE else raw[:MAX_SHOWN_VALUE] + "…"
            label = str(field.label).lower()
            notices.append(
                gettext(
                    "“%(value)s” is not a %(label)s we have %(noun)s for, so the list is not filtered by %(label)s."
                )
                % {"value": shown, "label": label, "noun": self.noun}
            )
        return notices
