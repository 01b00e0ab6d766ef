"""Snippets in both languages: the base editors translate with wagtail-localize, and how pages pick
the words for the reader's language.

A translatable snippet (an observance, a topic, a region, a library collection, an office) is one
row per language sharing a `translation_key`. Pages point at one of those rows: a page translated
with wagtail-localize points at the translation in its own language (wagtail-localize creates it
when the page is translated), while relations it does not translate (topics and regions, offices of
a program) keep the rows of the page they were copied from. So everything a reader sees goes through
`in_active_language` (the translation when there is one, else the row itself), and every list of all
snippets through `one_per_translation` (each item once, in the reader's language where translated).

Slugs are synchronised, not translated: a topic, a collection and an observance keep one address in
both languages (filters, calendar files, anchors), so a link keeps working when the reader switches.
"""

from django.db import models
from wagtail.models import Locale, TranslatableMixin


class TranslatableSnippet(TranslatableMixin):
    """A snippet editors translate: one row per language, unique per language where it was unique."""

    class Meta(TranslatableMixin.Meta):
        abstract = True

    def validate_constraints(self, exclude=None):
        # The locale is never a field of the editor's form (the admin sets it), and Django skips a
        # constraint naming an excluded field: a second slug in the same language would then reach
        # the database as an error page instead of a message under the field.
        super().validate_constraints(exclude=set(exclude or ()) - {"locale"})


def unique_per_language(field, model_name):
    """The constraint keeping `field` unique among the rows of one language (a translation repeats
    its source's slug, and its name until it is translated)."""
    return models.UniqueConstraint(
        fields=["locale", field],
        name=f"{model_name}_{field}_unique_per_language",
        violation_error_message=f"Another {model_name} in this language already has this {field}.",
    )


def active_locale():
    """The Locale of the language being served (the default one when it has no Locale)."""
    try:
        return Locale.get_active()
    except (LookupError, Locale.DoesNotExist):
        return Locale.get_default()


def in_active_language(objects):
    """`objects` (translatable snippets) as a reader of the active language sees them: each replaced
    by its translation into that language when there is one, in the same order, in one query."""
    objects = list(objects)
    locale = active_locale()
    keys = {obj.translation_key for obj in objects if obj.locale_id != locale.pk}
    if not keys:
        return objects
    model = type(objects[0])
    translations = {
        translation.translation_key: translation
        for translation in model.objects.filter(translation_key__in=keys, locale=locale)
    }
    return [translations.get(obj.translation_key, obj) if obj.locale_id != locale.pk else obj for obj in objects]


def localized(obj):
    """One snippet in the active language (see `in_active_language`); None stays None."""
    return in_active_language([obj])[0] if obj is not None else None


def one_per_translation(queryset):
    """Every item of `queryset` once, in the queryset's order: in the active language where it is
    translated, else in the default language, else in the language it was written in.

    Each comes with `translation_ids`, the primary keys of all its languages' rows, so a filter chosen
    in one language finds the pages that point at any of them.
    """
    rows = list(queryset)
    active, default = active_locale().pk, Locale.get_default().pk
    by_key = {}
    for row in rows:
        by_key.setdefault(row.translation_key, []).append(row)
    chosen = {}
    for key, translations in by_key.items():
        preference = {active: 0, default: 1}
        shown = min(translations, key=lambda row: preference.get(row.locale_id, 2))
        shown.translation_ids = [row.pk for row in translations]
        chosen[key] = shown
    return [row for row in rows if chosen[row.translation_key] is row]
