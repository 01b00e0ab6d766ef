"""The Promote and Settings tabs every page type shares: no "Show in menus", and a schedule dialog
that says which time zone its times are in."""

import re

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse
from wagtail.users.models import UserProfile

from ..factories import StandardPageFactory
from ..test_page_types import PROJECT_PAGE_MODELS, model_id


@pytest.mark.parametrize("model", PROJECT_PAGE_MODELS, ids=model_id)
def test_no_page_type_offers_show_in_menus_and_each_keeps_its_search_fields(model):
    fields = model.get_edit_handler().get_form_class().base_fields
    assert "show_in_menus" not in fields
    assert {"slug", "seo_title", "search_description", "go_live_at", "expire_at"} <= set(fields)


def test_nothing_of_ours_reads_show_in_menus():
    """The site's menu is the Navigation setting's links: a template or module that read Wagtail's
    menu flag would make the removed checkbox matter again without anyone seeing it."""
    ours = [
        path
        for folder in ("aipg_site", "stories", "resources", "donations", "templates")
        for path in (settings.BASE_DIR / folder).rglob("*")
        if path.suffix in {".py", ".html"} and "migrations" not in path.parts
    ]
    readers = [str(path) for path in ours if re.search(r"show_in_menus|\bin_menu\b", path.read_text())]
    assert not readers


def schedule_dialog_text(admin_client, page):
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    # Wagtail sends the dialog inside a <template>, which its JavaScript moves into the form.
    dialog = re.search(r'<div id="schedule-publishing-dialog".*?</template>', html, re.DOTALL).group(0)
    return BeautifulSoup(dialog, "html.parser").get_text(" ", strip=True)


@pytest.mark.django_db
def test_the_schedule_dialog_names_the_editors_time_zone(admin_client, home, django_user_model):
    about = StandardPageFactory(parent=home)
    dialog = schedule_dialog_text(admin_client, about)
    assert "Times are in UTC, your admin time zone" in dialog
    assert "closing this box without it discards them" in dialog

    profile = UserProfile.get_for_user(django_user_model.objects.get(username="editor"))
    profile.current_time_zone = "Europe/Warsaw"
    profile.save()
    assert "Times are in Europe/Warsaw, your admin time zone" in schedule_dialog_text(admin_client, about)


@pytest.mark.django_db
def test_the_editor_loads_the_schedule_dialogs_guard(admin_client, home):
    page = StandardPageFactory(parent=home)
    html = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert "js/admin/schedule-dialog.js" in html
