"""Spanish demo pages as wagtail-localize translations of their English sources.

Each Spanish page is made the way an editor's would be: a translation source taken from the English
page, one string translation per segment, then the target saved and published. An editor who opens it
in the admin sees a translation tied to its source, and "Sync translated pages" works on it.

The Spanish is given as a mapping from each English segment to its Spanish counterpart, like a .po
file: a segment whose English changes has no Spanish any more, so the page falls back to the English
for it (as wagtail-localize does for an unfinished translation) and the demo test points it out.
"""

import json

from wagtail.models import Locale, TranslatableMixin
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource


def spanish():
    return Locale.objects.get(language_code="es")


def translate_page(page, into_spanish):
    """The live Spanish translation of `page`, its segments taken from `into_spanish` (English to
    Spanish), created or brought up to date. Publishes only when something changed, so a second run
    adds no revisions."""
    locale = spanish()
    page = page.specific_class.objects.get(pk=page.pk)  # as published, not as the caller last held it
    source = TranslationSource.objects.filter(object_id=page.translation_key, locale_id=page.locale_id).first()
    changed = source is None or _content(json.loads(source.content_json)) != _content(json.loads(page.to_json()))
    if changed:
        source, _ = TranslationSource.update_or_create_from_instance(page)
    translation, created = Translation.objects.get_or_create(source=source, target_locale=locale)
    changed = changed or created

    segments = StringSegment.objects.filter(source=source).select_related("string", "context")
    for segment in segments:
        text = into_spanish.get(segment.string.data)
        if text is None:
            continue
        string_translation, made = StringTranslation.objects.get_or_create(
            translation_of=segment.string,
            locale=locale,
            context=segment.context,
            defaults={"data": text, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
        )
        if made:
            changed = True
        elif string_translation.data != text:
            string_translation.data = text
            string_translation.save()
            changed = True

    target = page.get_translation_or_none(locale)
    if changed or target is None or not target.live or target.has_unpublished_changes:
        # A draft, then published here rather than by wagtail-localize, which publishes only once the
        # surrounding transaction commits: the pages below this one need it live now.
        translation.save_target(publish=False)
        target = page.get_translation(locale)
        target.get_latest_revision().publish()
        target.refresh_from_db()
    return target.specific


def file_like_source(target, source, relations):
    """File the Spanish `target` as its English `source` is filed, under each many-to-many relation in
    `relations` (topics, programs...), choosing the Spanish counterpart of each item where one exists.
    wagtail-localize leaves these relations as they were copied. Publishes only on change."""
    locale = spanish()
    wanted = {name: {_in_spanish(item, locale) for item in getattr(source, name).all()} for name in relations}
    if all(set(getattr(target, name).all()) == items for name, items in wanted.items()):
        return
    for name, items in wanted.items():
        getattr(target, name).set(items)
    target.save_revision().publish()


def _in_spanish(item, locale):
    """The item's Spanish translation, or the item itself when it has none or cannot have one."""
    translation = item.get_translation_or_none(locale) if isinstance(item, TranslatableMixin) else None
    return translation or item


def _content(serialized_page):
    """A page's serialized form without its place in the tree: gaining a child changes no text."""
    return {name: value for name, value in serialized_page.items() if name not in {"path", "depth", "numchild"}}
