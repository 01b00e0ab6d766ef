"""Spanish demo pages and snippets as wagtail-localize translations of their English sources.

Each Spanish page is made the way an editor's would be: a translation source taken from the English
page, one string translation per segment, then the target saved and published. An editor who opens it
in the admin sees a translation tied to its source, and "Sync translated pages" works on it.

The Spanish is given as a mapping from each English segment to its Spanish counterpart, like a .po
file: a segment whose English changes has no Spanish any more, so the page falls back to the English
for it (as wagtail-localize does for an unfinished translation) and the demo test points it out.
"""

import json

from django.core.serializers.json import DjangoJSONEncoder
from modelcluster.models import ClusterableModel, get_serializable_data_for_fields
from wagtail.models import DraftStateMixin, Locale, Page, TranslatableMixin
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource


def spanish():
    return Locale.objects.get(language_code="es")


def translate(instance, into_spanish):
    """The live Spanish translation of `instance` (a page or a translatable snippet), its segments
    taken from `into_spanish` (English to Spanish), created or brought up to date. Saves and publishes
    only when something changed, so a second run adds no revisions."""
    locale = spanish()
    instance = _as_stored(instance)
    source = TranslationSource.objects.filter(object_id=instance.translation_key, locale_id=instance.locale_id).first()
    changed = source is None or _content(json.loads(source.content_json)) != _content(_serialized(instance))
    if changed:
        source, _ = TranslationSource.update_or_create_from_instance(instance)
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

    target = instance.get_translation_or_none(locale)
    drafts = isinstance(instance, DraftStateMixin)  # pages, and snippets with drafts
    if changed or target is None or (drafts and (not target.live or target.has_unpublished_changes)):
        # Pages and snippets with drafts: a draft, then published here rather than by wagtail-localize,
        # which publishes only once the surrounding transaction commits (what comes after needs it live).
        translation.save_target(publish=not drafts)
        target = instance.get_translation(locale)
        if drafts:
            target.get_latest_revision().publish()
            target.refresh_from_db()
    return _as_stored(target)


def file_like_source(target, source, relations):
    """File the Spanish `target` as its English `source` is filed, under each many-to-many relation in
    `relations` (topics, programs...), choosing the Spanish counterpart of each item where one exists.
    wagtail-localize leaves these relations as they were copied. Publishes only on change."""
    wanted = {name: set(in_spanish(getattr(source, name).all())) for name in relations}
    if all(set(getattr(target, name).all()) == items for name, items in wanted.items()):
        return
    for name, items in wanted.items():
        getattr(target, name).set(items)
    target.save_revision().publish()


def in_spanish(items):
    """Each item's Spanish translation, or the item itself when it has none or cannot have one."""
    locale = spanish()
    return [
        (item.get_translation_or_none(locale) if isinstance(item, TranslatableMixin) else None) or item
        for item in items
    ]


def _as_stored(instance):
    """The instance as the database has it now (for a page, its specific type), not as a caller
    last held it."""
    if isinstance(instance, Page):
        return instance.specific_class.objects.get(pk=instance.pk)
    return type(instance).objects.get(pk=instance.pk)


def _serialized(instance):
    """The instance's content as wagtail-localize stores it in a translation source."""
    if isinstance(instance, ClusterableModel):
        return json.loads(instance.to_json())
    return json.loads(json.dumps(get_serializable_data_for_fields(instance), cls=DjangoJSONEncoder))


def _content(serialized):
    """A serialized instance without a page's place in the tree (gaining a child changes no text) and
    without a snippet's last-saved time (saving it unchanged changes no text either)."""
    return {
        name: value for name, value in serialized.items() if name not in {"path", "depth", "numchild", "updated_at"}
    }
