"""The editors' side: the observances snippet, the dashboard's reminder of coming observances, and
the shortcut that opens a new commemoration already tied to its observance and year. And, for
readers, the observances that site search finds."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language_info, override
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.models import Locale
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from aipg_site.search import SEARCH_GROUPS_HOOK

from . import admin_views
from .models import CommemorationPage, Observance, StoryIndexPage
from .search import observance_matches

DASHBOARD_DAYS = 60


class ObservanceViewSet(SnippetViewSet):
    model = Observance
    icon = "date"
    menu_label = "Observances"
    list_display = ["name", "month", "day", "established_by"]
    # No `search_fields` here: the listing then searches the model's autocomplete fields as indexed.
    # Naming fields sends SQLite's full-text backend to columns its table does not have (a 500).
    ordering = ["month", "day"]


register_snippet(ObservanceViewSet)
hooks.register(SEARCH_GROUPS_HOOK, observance_matches)


class UpcomingObservancesPanel(Component):
    """Observances of the next 60 days, each with its commemoration post for that year or a link to
    write one, and beside it the post in each other language: the translation with its state, or a
    link to translate the post (wagtail-localize) once it is written."""

    name = "upcoming_observances"
    template_name = "stories/admin/upcoming_observances_panel.html"
    order = 90  # above Wagtail's own panels: this is what editors act on

    def get_context_data(self, parent_context):
        today = timezone.localdate()
        # The source observances, whatever language the editor's admin is in: the posts are written
        # in the default language first and translated from there.
        with override(settings.LANGUAGE_CODE):
            observances = Observance.upcoming(today=today, within_days=DASHBOARD_DAYS)
        posts = {
            (post.observance_id, post.year): post
            for post in CommemorationPage.objects.filter(
                observance__in=observances, year__in={observance.next_date.year for observance in observances}
            )
            .annotate_approved_schedule()
            .only("title", "observance_id", "year", "live", "go_live_at")
        }
        # Each observance's published posts, newest first: the one before the coming year's can be copied.
        published = {}
        for post in (
            CommemorationPage.objects.live()
            .filter(observance__in=observances)
            .order_by("-year")
            .only("title", "observance_id", "year")
        ):
            published.setdefault(post.observance_id, []).append(post)
        other_languages = list(Locale.objects.exclude(pk=Locale.get_default().pk).order_by("language_code"))
        translated = {
            (post.observance.translation_key, post.year, post.locale_id): post
            for post in CommemorationPage.objects.filter(
                locale__in=other_languages,
                observance__translation_key__in=[observance.translation_key for observance in observances],
                year__in={observance.next_date.year for observance in observances},
            )
            .annotate_approved_schedule()
            .select_related("observance")
            .defer_streamfields()
        }
        index = StoryIndexPage.objects.filter(locale=Locale.get_default()).first() or StoryIndexPage.objects.first()
        request = parent_context["request"]
        can_add = index is not None and index.permissions_for_user(request.user).can_add_subpage()
        rows = []
        for observance in observances:
            year = observance.next_date.year
            previous = next((post for post in published.get(observance.pk, []) if post.year < year), None)
            post = posts.get((observance.pk, year))
            rows.append(
                {
                    "observance": observance,
                    "date": observance.next_date,
                    "days_away": (observance.next_date - today).days,
                    "year": year,
                    "post": post,
                    "translations": [
                        {
                            "language": get_language_info(locale.language_code)["name"],
                            "post": translated.get((observance.translation_key, year, locale.pk)),
                            "translate_url": reverse("wagtail_localize:submit_page_translation", args=[post.pk])
                            if post
                            else "",
                        }
                        for locale in other_languages
                    ],
                    "create_url": reverse("stories_admin:new_commemoration", args=[observance.pk, year])
                    if index
                    else "",
                    "previous": previous if can_add else None,
                    "previous_is_last_year": previous is not None and previous.year == year - 1,
                    "start_url": reverse("stories_admin:start_from_previous_post", args=[observance.pk, year]),
                }
            )
        return {
            "rows": rows,
            "other_languages": [get_language_info(locale.language_code)["name"] for locale in other_languages],
            "days": DASHBOARD_DAYS,
            "heading": f"Observances in the next {DASHBOARD_DAYS} days",
            "has_index": index is not None,
            # The panel is drawn outside the dashboard's request context; its forms need the token.
            "csrf_token": parent_context.get("csrf_token"),
        }


@hooks.register("construct_homepage_panels")
def add_upcoming_observances_panel(request, panels):
    panels.append(UpcomingObservancesPanel())


@hooks.register("register_admin_urls")
def register_commemoration_urls():
    urls = [
        path("new/<int:observance_id>/<int:year>/", admin_views.new_commemoration, name="new_commemoration"),
        path(
            "start/<int:observance_id>/<int:year>/",
            admin_views.start_from_previous_post,
            name="start_from_previous_post",
        ),
    ]
    return [path("commemorations/", include((urls, "stories_admin")))]


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def remind_of_the_observances_day(request, page):
    """A commemoration dated off its observance's day is allowed (a post may mark the day late), but
    it is more often a slip, so saving one brings a reminder rather than a refusal."""
    if not isinstance(page, CommemorationPage) or not page.observance_id or not page.year or not page.date:
        return
    day = page.observance.date_in(page.year)
    if page.date != day:
        messages.warning(
            request,
            f"“{page.title}” is dated {date_format(page.date, 'j F Y')}, but {page.observance.display_name} "
            f"is on {date_format(day, 'j F Y')}. If the post should carry the day itself, change its date.",
        )


@hooks.register("before_copy_page")
def refuse_copying_commemorations(request, page):
    """A copy would be a second post for the same observance and year, which is not allowed."""
    copies_commemorations = page.specific_class is not None and issubclass(page.specific_class, CommemorationPage)
    copies_commemorations = copies_commemorations or CommemorationPage.objects.descendant_of(page).exists()
    if copies_commemorations:
        messages.error(
            request,
            "Commemorations cannot be copied: each observance has one post per year. "
            "Create next year's post from the dashboard instead.",
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None
