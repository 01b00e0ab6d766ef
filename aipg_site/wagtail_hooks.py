from django.http import Http404
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import get_language
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.coreutils import get_supported_content_language_variant

from . import admin_views, page_cache
from .two_factor import views as two_factor_views


@hooks.register("before_serve_page")
def keep_uncacheable_pages_out_of_the_cache(page, request, serve_args, serve_kwargs):
    """A page type with `cache_page = False` (one with a form, say) is rendered for every visitor."""
    if not getattr(page, "cache_page", True):
        page_cache.exclude(request)


@hooks.register("before_serve_page")
def serve_pages_only_in_their_own_language(page, request, serve_args, serve_kwargs):
    """A page is served only at an address in its own language. Where the site's home page has no
    translation in the address's language, Wagtail routes from the English home instead, and would
    show /es/about/ as the English About page under a Spanish address: that is not found."""
    if page.locale.language_code != get_supported_content_language_variant(get_language()):
        raise Http404


@hooks.register("insert_editor_js")
def schedule_dialog_js():
    """Keeps a go-live date from being lost in the schedule dialog (static/js/admin/schedule-dialog.js)."""
    return format_html('<script src="{}"></script>', static("js/admin/schedule-dialog.js"))


@hooks.register("register_admin_urls")
def register_background_task_urls():
    return [
        path("background-tasks/", admin_views.BackgroundTasksView.as_view(), name="aipg_background_tasks"),
        path("background-tasks/<uuid:task_id>/retry/", admin_views.retry_task, name="aipg_background_task_retry"),
    ]


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return [
        path("two-step/", two_factor_views.verify, name="aipg_two_factor_verify"),
        path("two-step/setup/", two_factor_views.setup, name="aipg_two_factor_setup"),
        path("account/two-step/", two_factor_views.manage, name="aipg_two_factor_manage"),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("aipg_two_factor_manage"),
        "label": "Two-step verification",
        "help_text": "A code from your phone at each sign-in, and backup codes for when it is not to hand.",
    }


@hooks.register("register_settings_menu_item")
def register_background_tasks_menu_item():
    return AdminOnlyMenuItem("Background tasks", reverse("aipg_background_tasks"), icon_name="cogs", order=900)


class AdminOnlyMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


class BackgroundTasksPanel(Component):
    """On superusers' dashboards while a task has failed for good, or tasks wait and no worker runs."""

    name = "background_tasks"
    order = 80
    template_name = "aipg_site/admin/background_tasks_panel.html"

    def __init__(self, health):
        self.health = health

    def get_context_data(self, parent_context=None):
        return self.health


@hooks.register("construct_homepage_panels")
def add_background_tasks_panel(request, panels):
    if request.user.is_superuser:
        health = admin_views.queue_health()
        if health["failed"] or (health["waiting"] and not health["workers_alive"]):
            panels.append(BackgroundTasksPanel(health))
