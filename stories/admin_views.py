"""The dashboard's "write this year's post" link: Wagtail's own page editor, filled in ahead."""

from django.shortcuts import get_object_or_404, redirect
from django.utils.text import slugify
from wagtail.admin.views.pages.create import CreateView

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
    index = get_object_or_404(StoryIndexPage)
    view = NewCommemorationView.as_view(observance=observance, year=year)
    return view(request, "stories", "commemorationpage", index.pk)
