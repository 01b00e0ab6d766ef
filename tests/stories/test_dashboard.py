import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from stories.models import CommemorationPage

from ..factories import CommemorationPageFactory, ObservanceFactory


@pytest.fixture
def soon(db):
    """An observance ten days from today, and one too far off for the panel."""
    today = timezone.localdate()
    date = today + datetime.timedelta(days=10)
    far = today + datetime.timedelta(days=100)
    ObservanceFactory(name="Far off", slug="far-off", month=far.month, day=min(far.day, 28))
    return ObservanceFactory(name="Coming soon", slug="coming-soon", month=date.month, day=date.day), date


def panel(admin_client):
    html = BeautifulSoup(admin_client.get(reverse("wagtailadmin_home")).content, "html.parser")
    return html.select_one("#upcoming-observances-section")


def test_lists_the_next_60_days_with_a_link_to_write_this_years_post(admin_client, index, soon):
    observance, date = soon
    section = panel(admin_client)
    rows = section.select("tbody tr")
    assert len(rows) == 1
    assert "Coming soon" in rows[0].text
    link = rows[0].select_one("a")
    assert f"Write the {date.year} post" in link.text
    assert link["href"] == reverse("stories_admin:new_commemoration", args=[observance.pk, date.year])


def test_the_link_opens_the_editor_with_observance_and_year_filled_in(admin_client, index, soon):
    observance, date = soon
    response = admin_client.get(reverse("stories_admin:new_commemoration", args=[observance.pk, date.year]))
    assert response.status_code == 200
    form = BeautifulSoup(response.content, "html.parser").select_one("#page-edit-form")
    assert form.select_one("input[name=observance]")["value"] == str(observance.pk)  # a snippet chooser
    assert form.select_one("input[name=year]")["value"] == str(date.year)
    assert form.select_one("input[name=title]")["value"] == f"{date.year} Coming soon"
    # Saving goes through Wagtail's own add-page view.
    assert form["action"] == reverse("wagtailadmin_pages:add", args=["stories", "commemorationpage", index.pk])


def test_once_written_the_panel_shows_the_post(admin_client, index, soon):
    observance, date = soon
    post = CommemorationPageFactory(parent=index, observance=observance, year=date.year, title="This year's post")
    row = panel(admin_client).select_one("tbody tr")
    assert "This year's post" in row.text
    assert "Published" in row.text
    assert row.select_one("a")["href"] == reverse("wagtailadmin_pages:edit", args=[post.pk])
    # The shortcut leads to the existing post instead of a second one.
    response = admin_client.get(reverse("stories_admin:new_commemoration", args=[observance.pk, date.year]))
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[post.pk])
    assert CommemorationPage.objects.count() == 1


def test_says_so_when_nothing_is_coming(admin_client, index):
    assert "No observance falls in the next 60 days" in panel(admin_client).text
