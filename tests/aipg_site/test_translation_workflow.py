"""Editors translate pages with wagtail-localize: a translation starts as a draft, is published on its
own, and says when its source has changed since it was translated."""

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation

from ..factories import StandardPageFactory


@pytest.fixture
def spanish(db):
    return Locale.objects.get(language_code="es")


@pytest.fixture
def about(home):
    return StandardPageFactory(
        parent=home, title="About us", slug="about", summary="Who we are and what we do.", body=[]
    )


@pytest.fixture
def translated(admin_client, home, about, spanish, django_capture_on_commit_callbacks):
    """The home page and the pages below it sent for translation into Spanish, as the admin's
    "Translate this page" with "Include subtree" does. What wagtail-localize leaves to run once the
    request's transaction commits runs too, as it would outside a test (it would publish there)."""
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            f"/admin/localize/submit/page/{home.pk}/", {"locales": [spanish.pk], "include_subtree": "on"}
        )
    assert response.status_code == 302
    return about.get_translation(spanish)


def translate_every_string(translation, into):
    for segment in StringSegment.objects.filter(source=translation.source).select_related("string"):
        StringTranslation.objects.update_or_create(
            translation_of=segment.string,
            locale=translation.target_locale,
            context=segment.context,
            defaults={"data": into[segment.string.data], "translation_type": "manual"},
        )


def test_a_translation_waits_as_a_draft_until_an_editor_publishes_it(admin_client, client, home, translated, spanish):
    assert not translated.live
    assert client.get("/es/about/").status_code == 404
    # wagtail-localize's translation editor opens in place of the page editor.
    response = admin_client.get(f"/admin/pages/{translated.pk}/edit/")
    assert response.status_code == 200
    assert b"wagtail_localize" in response.content or b"translation-editor" in response.content

    home.get_translation(spanish).save_revision().publish()
    translated.save_revision().publish()
    assert client.get("/es/about/").status_code == 200
    assert client.get("/about/").status_code == 200


def test_a_translation_says_when_its_source_has_changed(admin_client, about, translated, spanish):
    translation = Translation.objects.get(source__object_id=about.translation_key, target_locale=spanish)
    translate_every_string(
        translation,
        into={
            "About us": "Quiénes somos",
            "about": "quienes-somos",
            "Who we are and what we do.": "Quiénes somos y qué hacemos.",
        },
    )
    assert translation.get_status_display() == "Up to date"

    about.title = "About the institute"
    about.save_revision().publish()
    # The source's "Sync translated pages" action in the admin.
    response = admin_client.post(f"/admin/localize/update/{translation.source_id}/")
    assert response.status_code == 302

    total, translated_so_far = translation.get_progress()
    assert translated_so_far == total - 1  # the new title alone
    assert translation.get_status_display() == "Waiting for translations"
    report = admin_client.get("/admin/localize/reports/translations/", {"waiting_for_translation": "true"})
    assert report.status_code == 200
    assert "About the institute" in report.content.decode()
