"""Pages in another language, as editors leave them after translating.

`translate` copies a page into Spanish and publishes it, for tests of what each language lists.
`translate_page` goes the way an editor goes in wagtail-localize: "Translate this page"
(wagtail-localize's `TranslationCreator`, which also translates the snippets the page names), the
strings filled in the translation editor, then published; parents are translated first, top down, so
that each Spanish page sits under a Spanish page of its own rather than under the alias
wagtail-localize would otherwise make of an untranslated parent.
"""

from django.test import TestCase
from wagtail.models import Locale, Page
from wagtail_localize.models import StringSegment, StringTranslation, Translation
from wagtail_localize.operations import TranslationCreator


def spanish_locale():
    return Locale.objects.get(language_code="es")


def translate(page, **fields):
    """`page` translated into Spanish and published on its own, with `fields` written in Spanish.

    Its parent must be translated first, as in the admin. The translation keeps what the source was
    filed under (topics, programs) and links to, as wagtail-localize copies them."""
    spanish = page.copy_for_translation(spanish_locale())
    for name, value in fields.items():
        setattr(spanish, name, value)
    spanish.save_revision().publish()
    return type(page).objects.get(pk=spanish.pk)


def translate_page(page, language_code, title=None):
    """`page`'s published translation into `language_code`, its ancestors translated first where
    they are not yet; `title`, when given, typed in the translation editor for its title (the rest keeps
    the source's words, as wagtail-localize shows an unfinished translation)."""
    locale = Locale.objects.get(language_code=language_code)
    for source in [*page.get_ancestors().filter(depth__gt=1), page]:
        if not source.has_translation(locale):
            TranslationCreator(None, [locale]).create_translations(source)  # a draft
            if source.pk == page.pk and title is not None:
                type_translation(page, language_code, "title", title)
            publish(source, language_code)
    return Page.objects.get(pk=page.get_translation(locale).pk).specific


def translation_of(page, language_code):
    return Translation.objects.get(source__object_id=page.translation_key, target_locale__language_code=language_code)


def type_translation(page, language_code, field, text):
    """What an editor types for `field` of `page` in wagtail-localize's translation editor, saved but not
    yet published."""
    translation = translation_of(page, language_code)
    segment = StringSegment.objects.get(source=translation.source, context__path=field)
    StringTranslation.objects.update_or_create(
        translation_of=segment.string,
        locale=translation.target_locale,
        context=segment.context,
        defaults={"data": text, "translation_type": "manual"},
    )


def publish(page, language_code):
    """The translation editor's "Publish": `page`'s translation saved with what has been typed, and live."""
    # wagtail-localize publishes once the transaction commits, which a test's never does: run what would
    # then run.
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation_of(page, language_code).save_target(publish=True)
