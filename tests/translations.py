"""Pages in Spanish, as an editor leaves them after translating: for tests of what each language lists."""

from wagtail.models import Locale


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
