"""The Promote and Settings tabs that every page type shares.

Wagtail builds a page type's editor tabs from its `content_panels`, `promote_panels` and
`settings_panels`, and a page type that sets none of the last two inherits them from `Page`. None of
ours sets its own, so `use_site_panels` (called when the app is ready) sets both once on `Page`:

- Promote keeps the slug, the title tag and the meta description, and leaves out "Show in menus":
  this site's menu is the list of links in the Navigation setting, and nothing reads the flag.
- Settings keeps Wagtail's go-live and expiry dialog and the comments, and the dialog says which
  time zone its times are in.
"""

from django.utils import timezone
from django.utils.formats import date_format
from wagtail.admin.panels import CommentPanel, FieldPanel, MultiFieldPanel, PublishingPanel
from wagtail.models import Page


class SchedulePanel(PublishingPanel):
    """Wagtail's "Set publishing schedule" dialog, saying which time zone the times are in.

    Wagtail reads and shows these times in the editor's own admin time zone (their account's
    preferences, else the site's TIME_ZONE), and its dialog never says which that is.
    """

    class BoundPanel(PublishingPanel.BoundPanel):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            # Rendered inside the admin's request, so the current zone is the editor's.
            self.help_text = schedule_help_text()


def schedule_help_text():
    zone = timezone.get_current_timezone_name()
    now = date_format(timezone.localtime(), "j F Y, H:i")
    return (
        f"Times are in {zone}, your admin time zone: it is now {now} there (your account's Locale "
        "settings change it). “Save schedule” keeps these dates; closing this box without it discards them."
    )


PROMOTE_PANELS = [
    MultiFieldPanel(
        [FieldPanel("slug"), FieldPanel("seo_title"), FieldPanel("search_description")],
        heading="For search engines",
    ),
]

SETTINGS_PANELS = [SchedulePanel(), CommentPanel()]


def use_site_panels():
    Page.promote_panels = PROMOTE_PANELS
    Page.settings_panels = SETTINGS_PANELS
