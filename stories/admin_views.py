"""The dashboard's commemoration shortcuts: "write this year's post" opens Wagtail's own page editor
filled in ahead; "start from last year's post" copies the latest earlier post into a draft."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from django.views.decorators.http import require_POST
from wagtail.admin.auth import permission_denied
from wagtail.admin.views.pages.create import CreateView
from wagtail.coreutils import find_available_slug

from .models import CommemorationPage, Observance, StoryIndexPage


class NewCommemorationView(CreateView):
    """Wagtail's create view for a commemoration, with the observance, year and title set.

    The form posts to Wagtail's usual add-page address, so saving, publishing, scheduling and
    validation are exactly those of any new page.
    """

    observance = None
    year = None

    def get(self, request):
        self.page.observance = self.observance
        self.page.year = self.year
        self.page.title = f"{self.year} {self.observance.display_name}"
        self.page.slug = slugify(self.page.title)
        self.page.date = self.observance.date_in(self.year)
        return super().get(request)


def new_commemoration(request, observance_id, year):
    observance = get_object_or_404(Observance, pk=observance_id)
    existing = CommemorationPage.objects.filter(observance=observance, year=year).first()
    if existing:
        return redirect("wagtailadmin_pages:edit", existing.pk)
    # The stories index in the observance's language (the Spanish one holds the Spanish translations).
    index = get_object_or_404(StoryIndexPage, locale_id=observance.locale_id)
    view = NewCommemorationView.as_view(observance=observance, year=year)
    return view(request, "stories", "commemorationpage", index.pk)


@require_POST
def start_from_previous_post(request, observance_id, year):
    """Copies the observance's latest published post before `year` into a draft for `year`, then
    opens it in the editor.

    Pressed twice, or after someone else has started the year's post, it opens that post instead:
    there is one post per observance and year.
    """
    observance = get_object_or_404(Observance, pk=observance_id)
    if existing := _post_for(observance, year):
        return _open_existing(request, existing)
    previous = observance.commemorations.live().filter(year__lt=year).order_by("-year").first()
    if previous is None:
        messages.error(request, f"{observance.display_name} has no published post before {year} to start from.")
        return redirect("wagtailadmin_home")
    parent = previous.get_parent()
    if not parent.permissions_for_user(request.user).can_add_subpage():
        return permission_denied(request)
    try:
        with transaction.atomic():
            draft = copy_as_draft(previous, year, request.user)
    except (IntegrityError, ValidationError) as error:
        # A second press racing the first: the database kept one post, which is the one to open.
        if existing := _post_for(observance, year):
            return _open_existing(request, existing)
        messages.error(request, f"The {year} post could not be started: {'; '.join(_messages_of(error))}")
        return redirect("wagtailadmin_home")
    messages.success(
        request,
        f"Started “{draft.title}” from the {previous.year} post. It is a draft, not published: bring its words, "
        "images and date up to date, then publish it.",
    )
    return redirect("wagtailadmin_pages:edit", draft.pk)


def copy_as_draft(previous, year, user):
    """A draft copy of the commemoration `previous` for `year`, beside it, with its history left behind.

    Wagtail's own copy: the body, the image, the filing and the related stories come along; the
    title's year, the slug and the date follow the new year; schedule and lock do not.
    """
    old_year, new_year = str(previous.year), str(year)
    if old_year in previous.title:
        title = previous.title.replace(old_year, new_year)
    else:
        title = f"{year} {previous.observance.display_name}"
    parent = previous.get_parent()
    return previous.copy(
        to=parent,
        update_attrs={
            "title": title,
            "draft_title": title,
            "slug": find_available_slug(parent, slugify(title)),
            "seo_title": previous.seo_title.replace(old_year, new_year),
            "year": year,
            "date": previous.observance.date_in(year),
            "go_live_at": None,
            "expire_at": None,
            "expired": False,
            "locked": False,
            "locked_by": None,
            "locked_at": None,
        },
        keep_live=False,
        copy_revisions=False,
        user=user,
    )


def _post_for(observance, year):
    return CommemorationPage.objects.filter(observance=observance, year=year).first()


def _open_existing(request, post):
    messages.info(request, f"“{post.title}” is already the {post.year} post, so it is opened here.")
    return redirect("wagtailadmin_pages:edit", post.pk)


def _messages_of(error):
    return error.messages if isinstance(error, ValidationError) else [str(error)]
