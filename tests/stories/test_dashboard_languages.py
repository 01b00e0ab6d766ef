"""The observance desk shows this year's post in each language: the English post, and beside it its
Spanish translation with its state, or a link to translate it once the English post is written."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from ..factories import CommemorationPageFactory, ObservanceFactory


@pytest.fixture
def spanish(db):
    return Locale.objects.get(language_code="es")


@pytest.fixture
def soon(db):
    date = timezone.localdate() + datetime.timedelta(days=10)
    return ObservanceFactory(name="Coming soon", slug="coming-soon", month=date.month, day=date.day), date


def desk(admin_client):
    html = BeautifulSoup(admin_client.get(reverse("wagtailadmin_home")).content, "html.parser")
    section = html.select_one("#upcoming-observances-section")
    headers = [cell.get_text(strip=True) for cell in section.select("thead th")]
    rows = section.select("tbody tr")
    assert len(rows) == 1
    return dict(zip(headers, rows[0].select("td"), strict=True))


def test_before_the_post_is_written_there_is_nothing_to_translate(admin_client, index, soon):
    cells = desk(admin_client)
    assert "Write the" in cells["This year's post"].get_text()
    assert "Translated once the" in cells["In Spanish"].get_text()
    assert cells["In Spanish"].select_one("a") is None


def test_a_written_post_offers_its_spanish_translation(admin_client, index, soon):
    observance, date = soon
    post = CommemorationPageFactory(parent=index, observance=observance, year=date.year, title="This year")
    cells = desk(admin_client)
    assert "Not translated yet" in cells["In Spanish"].get_text()
    link = cells["In Spanish"].select_one("a")
    assert link["href"] == reverse("wagtail_localize:submit_page_translation", args=[post.pk])
    assert admin_client.get(link["href"]).status_code == 200


def test_a_spanish_translation_shows_with_its_state_and_a_link_to_its_editor(admin_client, home, index, soon, spanish):
    observance, date = soon
    post = CommemorationPageFactory(parent=index, observance=observance, year=date.year, title="This year")
    translation = post.copy_for_translation(spanish, copy_parents=True)  # a draft until published
    cells = desk(admin_client)
    assert "Published" in cells["This year's post"].get_text()
    spanish_cell = cells["In Spanish"]
    assert "Draft, not published" in spanish_cell.get_text()
    assert spanish_cell.select_one("a")["href"] == reverse("wagtailadmin_pages:edit", args=[translation.pk])

    translation.save_revision().publish()
    assert "Published" in desk(admin_client)["In Spanish"].get_text()


def test_writing_this_years_post_opens_the_english_index_when_a_spanish_one_exists(admin_client, index, soon, spanish):
    observance, date = soon
    index.copy_for_translation(spanish, copy_parents=True)
    response = admin_client.get(reverse("stories_admin:new_commemoration", args=[observance.pk, date.year]))
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").select_one("#page-edit-form")
    assert form["action"] == reverse("wagtailadmin_pages:add", args=["stories", "commemorationpage", index.pk])
