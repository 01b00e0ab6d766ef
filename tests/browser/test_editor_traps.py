"""The editor's side, as an editor meets it in Chromium: the schedule dialog keeps a typed go-live
date from slipping away, and the observance desk starts this year's post from last year's.

The pages these tests add (an observance ten days from today, with last year's post) are removed
again afterwards, so the checks that follow see the demo site as it was loaded.
"""

import datetime
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError, transaction
from django.utils import timezone
from playwright.sync_api import expect
from wagtail.models import Locale

from stories.models import CommemorationPage, Observance, StoryIndexPage

pytestmark = pytest.mark.browser

PASSWORD = "a-long-password-for-the-browser"
SCREEN = {"width": 1280, "height": 900}


def in_thread(function):
    # Django refuses database work in the thread Playwright's event loop runs in.
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(function).result()


@pytest.fixture(scope="module")
def desk(demo_site):
    """An observance ten days away with last year's published post, and two logins: an editor, who
    may add and edit pages but not publish, and a moderator, who may publish."""

    def make():
        from django.contrib.auth import get_user_model

        users = {}
        for name, group in (("desk-editor", "Editors"), ("desk-moderator", "Moderators")):
            user = get_user_model().objects.create_user(name, f"{name}@example.org", PASSWORD)
            user.groups.add(Group.objects.get(name=group))
            users[name] = user
        day = timezone.localdate() + datetime.timedelta(days=10)
        observance = Observance.objects.create(
            name="Browser Check Day",
            slug="browser-check-day",
            month=day.month,
            day=day.day,
            established_by="the test suite",
            established_year=2020,
            description="A day that exists only while the browser checks run.",
        )
        year = observance.next_occurrence().year
        index = StoryIndexPage.objects.get(locale=Locale.get_default())  # the desk's posts are English
        last_year = index.add_child(
            instance=CommemorationPage(
                title=f"{year - 1} Browser Check Day",
                slug=f"{year - 1}-browser-check-day",
                observance=observance,
                year=year - 1,
                date=observance.date_in(year - 1),
                summary="What we wrote last year.",
                body=[("paragraph", "<p>Last year's words.</p>")],
            )
        )
        last_year.save_revision().publish()
        return observance, year, last_year, users

    def remove(observance, users):
        # A closed browser may still have a request in flight at the live server (the editor's
        # beacon releasing its editing session), and the in-memory database locks a table while
        # another thread writes it: wait for the server to finish rather than fail the teardown.
        for attempt in range(50):
            try:
                with transaction.atomic():
                    CommemorationPage.objects.filter(observance=observance).delete()
                    observance.delete()
                    for user in users.values():
                        user.delete()
                return
            except OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.1)

    observance, year, last_year, users = in_thread(make)
    yield {"observance": observance, "year": year, "last_year": last_year}
    in_thread(lambda: remove(observance, users))


def log_in(chromium, demo_site, username):
    context = chromium.new_context(viewport=SCREEN)
    page = context.new_page()
    page.goto(demo_site.url + "/admin/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(demo_site.url + "/admin/")
    return context, page


def test_the_desk_starts_this_years_post_from_last_years_as_a_draft(demo_site, chromium, desk, artifacts):
    context, page = log_in(chromium, demo_site, "desk-editor")
    row = page.locator("#upcoming-observances-section tr", has_text="Browser Check Day")
    button = row.get_by_role("button", name="Start from last year's post for Browser Check Day")
    row.scroll_into_view_if_needed()
    row.screenshot(path=artifacts / "screenshots" / "desk-start-from-last-year.png")
    button.click()
    page.wait_for_load_state("networkidle")
    page.screenshot(path=artifacts / "screenshots" / "desk-draft-in-the-editor.png")

    year = desk["year"]
    assert page.url.endswith("/edit/")
    assert f"Started “{year} Browser Check Day” from the {year - 1} post" in page.locator(".messages").inner_text()
    assert page.locator("input[name=title]").input_value() == f"{year} Browser Check Day"
    assert page.locator("input[name=year]").input_value() == str(year)
    assert page.locator("input[name=date]").input_value() == desk["observance"].date_in(year).isoformat()
    draft = in_thread(lambda: CommemorationPage.objects.get(observance=desk["observance"], year=year))
    assert not draft.live

    # Back on the desk the row shows the draft, and offers no second copy.
    page.goto(demo_site.url + "/admin/")
    row = page.locator("#upcoming-observances-section tr", has_text="Browser Check Day")
    assert "Draft, not published" in row.inner_text()
    assert row.locator("form").count() == 0
    context.close()


def test_escape_in_the_schedule_dialog_closes_the_picker_then_the_dialog_and_says_what_was_lost(
    demo_site, chromium, desk, artifacts
):
    context, page = log_in(chromium, demo_site, "desk-moderator")
    questions = []
    page.on("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.goto(f"{demo_site.url}/admin/pages/{desk['last_year'].pk}/edit/")
    # Well into the form, as an editor is by the time they schedule.
    page.mouse.move(500, 500)
    page.mouse.wheel(0, 1500)
    page.click("button[data-side-panel-toggle='status']")
    page.get_by_role("button", name="Set schedule").click()
    dialog = page.locator("#schedule-publishing-dialog")
    assert "Times are in UTC, your admin time zone" in dialog.inner_text()

    go_live = page.locator("#schedule-publishing-dialog input[name=go_live_at]")
    go_live.click()
    page.locator(".xdsoft_datetimepicker:visible").wait_for()
    go_live.fill("2030-01-05 09:00")
    page.keyboard.press("Escape")
    assert page.locator(".xdsoft_datetimepicker:visible").count() == 0
    assert dialog.is_visible(), "the first Escape puts the picker away and leaves the dialog open"
    assert go_live.input_value() == "2030-01-05 09:00"
    page.screenshot(path=artifacts / "screenshots" / "schedule-dialog-after-one-escape.png")

    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    # Shown where Wagtail shows its own messages, above the editor.
    expect(page.locator(".messages", has_text="Not kept: the go-live date 2030-01-05 09:00")).to_be_in_viewport()
    page.screenshot(path=artifacts / "screenshots" / "schedule-dialog-date-not-kept.png")

    page.locator("footer").get_by_role("button", name="More actions").click()
    page.locator("button[name=action-publish]").click()
    assert questions == [
        "The go-live date you typed, 2030-01-05 09:00, was not saved, so Publish puts this page live now. Publish now?"
    ]
    # Dismissed: nothing was sent, and the editor is still on the page.
    assert page.url.endswith(f"/admin/pages/{desk['last_year'].pk}/edit/")
    context.close()
