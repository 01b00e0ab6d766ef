"""Observances in two languages: editors translate them with wagtail-localize, Spanish pages name them
in Spanish, and an observance not yet translated still shows, in English."""

import pytest
from django.core.exceptions import ValidationError
from django.utils.translation import override
from wagtail.models import Locale

from stories.models import Observance

from ..factories import (
    CommemorationPageFactory,
    ObservanceCalendarPageFactory,
    ObservanceFactory,
    StoryIndexPageFactory,
)

ENGLISH_NAME = "International Day of Commemoration and Dignity of the Victims of the Crime of Genocide"
SPANISH_NAME = "Día Internacional para la Conmemoración y Dignificación de las Víctimas del Crimen de Genocidio"


@pytest.fixture
def spanish(db):
    return Locale.objects.get(language_code="es")


@pytest.fixture
def observance(db):
    return ObservanceFactory(name=ENGLISH_NAME, slug="genocide-victims-day", month=12, day=9)


@pytest.fixture
def stories(home):
    return StoryIndexPageFactory(parent=home)


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def in_spanish(page, spanish):
    return publish(page.copy_for_translation(spanish, copy_parents=True))


def test_translating_a_commemoration_translates_its_observance_and_names_it_in_spanish(
    admin_client, client, home, stories, observance, spanish
):
    post = CommemorationPageFactory(parent=stories, observance=observance, slug="december-2023")
    # The admin's "Translate this page" on the home page, with its subtree.
    response = admin_client.post(
        f"/admin/localize/submit/page/{home.pk}/", {"locales": [spanish.pk], "include_subtree": "on"}
    )
    assert response.status_code == 302

    # wagtail-localize translated the observance with the post: the Spanish post names the Spanish row.
    spanish_observance = observance.get_translation(spanish)
    spanish_post = post.get_translation(spanish)
    assert spanish_post.observance == spanish_observance
    assert spanish_observance.slug == observance.slug
    spanish_observance.name = SPANISH_NAME
    spanish_observance.save()
    for page in (home.get_translation(spanish), stories.get_translation(spanish), spanish_post):
        publish(page)

    spanish_page = client.get(spanish_post.url)
    assert spanish_page.status_code == 200
    assert SPANISH_NAME in spanish_page.text
    assert ENGLISH_NAME not in spanish_page.text
    english_page = client.get(post.url)
    assert ENGLISH_NAME in english_page.text
    assert SPANISH_NAME not in english_page.text


def test_a_post_copied_into_spanish_names_the_spanish_observance_in_english_until_it_is_translated(
    client, home, stories, observance, spanish
):
    post = publish(CommemorationPageFactory(parent=stories, observance=observance, year=2023))
    # Wagtail's own copy, as the admin's "Translate" without wagtail-localize's editor makes it.
    spanish_post = in_spanish(post, spanish)
    assert spanish_post.year == post.year  # the same year in another language breaks no rule
    assert spanish_post.observance.locale == spanish
    assert spanish_post.observance.translation_key == observance.translation_key
    assert ENGLISH_NAME in client.get(spanish_post.url).text  # not translated yet: the English words

    translation = spanish_post.observance
    translation.name = SPANISH_NAME
    translation.save()
    assert SPANISH_NAME in client.get(spanish_post.url).text
    assert ENGLISH_NAME in client.get(post.url).text


def test_the_calendar_lists_each_observance_once_in_its_readers_language(client, home, observance, spanish):
    untranslated = ObservanceFactory(name="Day of Remembrance of the Victims of the Rwandan Genocide", month=4, day=7)
    calendar = publish(ObservanceCalendarPageFactory(parent=home))
    translation = observance.copy_for_translation(spanish)
    translation.name = SPANISH_NAME
    translation.save()
    spanish_calendar = in_spanish(calendar, spanish)

    english = client.get(calendar.url).text
    assert english.count(ENGLISH_NAME) >= 1
    assert SPANISH_NAME not in english
    spanish_page = client.get(spanish_calendar.url).text
    assert SPANISH_NAME in spanish_page
    assert ENGLISH_NAME not in spanish_page
    assert untranslated.name in spanish_page  # the fallback: shown in English until translated
    with override("en"):
        assert sorted(item.name for item in Observance.upcoming()) == sorted([untranslated.name, ENGLISH_NAME])
    with override("es"):
        assert sorted(item.name for item in Observance.upcoming()) == sorted([untranslated.name, SPANISH_NAME])


def test_an_observances_calendar_file_is_served_once_it_has_a_translation(client, observance, spanish):
    observance.copy_for_translation(spanish).save()
    response = client.get(f"/feeds/observances/{observance.slug}.ics")
    assert response.status_code == 200
    assert b"SUMMARY:International Day of Commemoration" in response.content
    everything = client.get("/feeds/observances.ics")
    assert everything.content.count(b"BEGIN:VEVENT") == 1


def test_a_slug_is_unique_within_a_language_and_shared_by_the_translations(observance, spanish):
    with pytest.raises(ValidationError) as error:
        ObservanceFactory.build(slug=observance.slug, locale=observance.locale).full_clean()
    assert "slug" in str(error.value) or "Another observance" in str(error.value)
    observance.copy_for_translation(spanish).full_clean()  # the same slug in Spanish is allowed
