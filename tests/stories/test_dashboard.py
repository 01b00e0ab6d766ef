import datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stories.models import CommemorationPage

from ..factories import CommemorationPageFactory, ObservanceFactory, TopicFactory


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


# "Start from last year's post" ------------------------------------------------------------------


@pytest.fixture
def last_years_post(index, soon):
    """Last year's published post for the coming observance, with a topic and a history of its own."""
    observance, date = soon
    post = CommemorationPageFactory(
        parent=index,
        observance=observance,
        year=date.year - 1,
        date=observance.date_in(date.year - 1),
        title=f"{date.year - 1} Coming soon",
        slug=f"{date.year - 1}-coming-soon",
        seo_title=f"Coming soon, {date.year - 1}",
        body=[{"type": "paragraph", "value": "<p>What we said last year.</p>"}],
    )
    post.topics.set([TopicFactory()])
    post.save_revision().publish()
    return post


def start_from_previous(client, observance, year, **kwargs):
    url = reverse("stories_admin:start_from_previous_post", args=[observance.pk, year])
    return client.post(url, **kwargs)


def test_a_coming_observance_with_last_years_post_offers_to_start_from_it(admin_client, soon, last_years_post):
    observance, date = soon
    form = panel(admin_client).select_one("tbody tr form")
    assert form["method"] == "post"
    assert form["action"] == reverse("stories_admin:start_from_previous_post", args=[observance.pk, date.year])
    assert form.select_one("input[name=csrfmiddlewaretoken]")["value"]
    assert " ".join(form.button.text.split()) == "Start from last year's post for Coming soon"
    assert f"Copies “{last_years_post.title}” into a {date.year} draft" in form.text


def test_the_offer_names_the_year_when_the_latest_post_is_older(admin_client, index, soon, last_years_post):
    _observance, date = soon
    CommemorationPage.objects.filter(pk=last_years_post.pk).update(year=date.year - 2)
    button = panel(admin_client).select_one("tbody tr form button")
    assert " ".join(button.text.split()) == f"Start from the {date.year - 2} post for Coming soon"


def test_starting_from_last_years_post_makes_a_draft_for_this_year_and_opens_it(
    admin_client, index, soon, last_years_post
):
    observance, date = soon
    response = start_from_previous(admin_client, observance, date.year)
    draft = CommemorationPage.objects.get(observance=observance, year=date.year)
    assert response["Location"] == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    assert not draft.live
    assert draft.has_unpublished_changes
    assert draft.first_published_at is None
    assert draft.title == f"{date.year} Coming soon"
    assert draft.slug == f"{date.year}-coming-soon"
    assert draft.seo_title == f"Coming soon, {date.year}"
    assert draft.date == observance.date_in(date.year)
    assert draft.get_parent().pk == index.pk
    assert draft.body.raw_data[0]["value"] == "<p>What we said last year.</p>"
    assert list(draft.topics.all()) == list(last_years_post.topics.all())
    # A fresh history: one revision, by the editor, and none of last year's.
    assert [revision.user.username for revision in draft.revisions.all()] == ["editor"]
    last_years_post.refresh_from_db()
    assert last_years_post.live
    assert last_years_post.year == date.year - 1
    editor = BeautifulSoup(admin_client.get(response["Location"]).content, "html.parser")
    assert "It is a draft, not published" in editor.select_one(".messages").text


def test_a_second_press_opens_the_draft_instead_of_making_another(admin_client, index, soon, last_years_post):
    observance, date = soon
    first = start_from_previous(admin_client, observance, date.year)
    second = start_from_previous(admin_client, observance, date.year, follow=True)
    assert CommemorationPage.objects.filter(observance=observance, year=date.year).count() == 1
    assert second.redirect_chain[-1][0] == first["Location"]
    assert f"is already the {date.year} post, so it is opened here" in second.content.decode()
    # Once written, the panel shows the draft, and the offer is gone.
    row = panel(admin_client).select_one("tbody tr")
    assert "Draft, not published" in row.text
    assert row.select_one("form") is None


def test_starting_takes_a_post_request_with_its_token(client, admin_client, django_user_model, soon, last_years_post):
    observance, date = soon
    url = reverse("stories_admin:start_from_previous_post", args=[observance.pk, date.year])
    assert admin_client.get(url).status_code == 405
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(django_user_model.objects.get(username="editor"))
    assert guarded.post(url).status_code == 403
    assert not CommemorationPage.objects.filter(year=date.year).exists()


def test_an_editor_who_cannot_add_stories_is_not_offered_it_nor_let_through(
    client, django_user_model, soon, last_years_post
):
    observance, date = soon
    reader = django_user_model.objects.create_user("reader", password="a-long-password")
    reader.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(reader)
    assert panel(client).select_one("tbody tr form") is None
    response = start_from_previous(client, observance, date.year, follow=True)
    assert "you do not have permission" in response.content.decode()
    assert not CommemorationPage.objects.filter(year=date.year).exists()


def test_nothing_to_start_from_without_an_earlier_published_post(admin_client, index, soon):
    observance, date = soon
    assert panel(admin_client).select_one("tbody tr form") is None
    response = start_from_previous(admin_client, observance, date.year, follow=True)
    assert f"has no published post before {date.year} to start from" in response.content.decode()
    assert not CommemorationPage.objects.exists()


def test_a_scheduled_post_shows_its_time_with_the_time_zone(admin_client, index, soon):
    observance, date = soon
    post = CommemorationPageFactory(parent=index, observance=observance, year=date.year, live=False)
    go_live = timezone.now() + datetime.timedelta(days=3)
    post.go_live_at = go_live
    post.save_revision().publish()
    row = " ".join(panel(admin_client).select_one("tbody tr").text.split())
    assert f"Scheduled for {go_live:%-d %B %Y, %H:%M} UTC" in row
