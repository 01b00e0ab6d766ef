"""The annual reports: their index page, and one page per year, each a resource of the library."""

from django import forms
from django.db import models
from django.utils.translation import gettext, gettext_lazy, gettext_noop
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page

from aipg_site import formats, structured_data
from aipg_site.models import ListingFields

from .collections import ResourceCollection
from .library import ResourcePage

# The names search results give these page types (Wagtail's, from the class names), marked for
# translation here: the results page translates the name it shows.
PAGE_TYPE_NAMES = [gettext_noop("Annual report index page")]


class AnnualReportIndexPage(ListingFields, Page):
    """/annual-reports/: the institute's annual reports, newest first."""

    collection = models.ForeignKey(
        ResourceCollection,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The library collection annual reports are listed in, e.g. 'Auschwitz Institute Annual Reports'.",
    )

    content_panels = Page.content_panels + ListingFields.listing_panels + [FieldPanel("collection")]
    search_fields = Page.search_fields + ListingFields.listing_search_fields

    parent_page_types = ["aipg_site.HomePage"]
    subpage_types = ["resources.AnnualReportPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        reports = AnnualReportPage.objects.child_of(self).live().public().order_by("-year")
        context["reports"] = list(reports.select_related("cover_image", "document"))
        return context


class AnnualReportPage(ResourcePage):
    """One year's report: its PDF, a summary and the year's headline figures.

    There is one report per year in each language: a second is refused in the editor with a message
    naming the first, and the database holds the same rule through `report_year` and `report_locale`.
    """

    officials_trained = models.PositiveIntegerField(
        null=True, blank=True, help_text="Government officials trained that year (optional)."
    )
    countries = models.PositiveIntegerField(
        null=True, blank=True, help_text="Countries those officials came from (optional)."
    )
    programs_run = models.PositiveIntegerField(
        null=True, blank=True, help_text="Programs, seminars and courses run that year (optional)."
    )
    # Copies of `year`, which lives on the resource's table, and of the page's locale, on Wagtail's, so
    # that a unique constraint can hold them: the Spanish translation of a year's report is its own row.
    report_year = models.PositiveSmallIntegerField(editable=False)
    report_locale = models.ForeignKey("wagtailcore.Locale", on_delete=models.PROTECT, editable=False, related_name="+")

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("year"), FieldPanel("language")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("document"), FieldPanel("external_url")],
            heading="The report",
            help_text="Upload the report's PDF, or give the address where it is published.",
        ),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("officials_trained"), FieldPanel("countries"), FieldPanel("programs_run")])],
            heading="Headline figures",
            help_text="Shown as a row of figures and published as structured data. Leave empty what you do not count.",
        ),
        FieldPanel("body"),
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
    ]

    parent_page_types = ["resources.AnnualReportIndexPage"]
    subpage_types = []
    requires_collection = False

    class Meta:
        verbose_name = gettext_lazy("annual report")
        constraints = [
            models.UniqueConstraint(
                fields=["report_year", "report_locale"], name="one_annual_report_per_year_and_language"
            )
        ]

    def publication_errors(self):
        errors = super().publication_errors()
        if self.year:
            locale_id = self.locale_id or self.get_default_locale().pk  # a new page's, before its first save
            existing = (
                AnnualReportPage.objects.filter(report_year=self.year, report_locale_id=locale_id)
                .exclude(pk=self.pk)
                .first()
            )
            if existing:
                errors["year"] = (
                    f"“{existing.title}” is already the report for {self.year}. "
                    "Edit that report instead, or choose another year."
                )
        return errors

    def save(self, *args, **kwargs):
        self.kind = "annual-report"
        self.report_year = self.year
        if self.locale_id is None:
            self.locale = self.get_default_locale()  # as Wagtail's own save does, a step later
        self.report_locale_id = self.locale_id
        if not self.collection_id:
            parent = self.get_parent() if self.pk or self.path else None
            index_page = parent.specific if parent else None
            if isinstance(index_page, AnnualReportIndexPage):
                self.collection_id = index_page.collection_id
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The previous and next years' reports in the report's own language.
        reports = (
            AnnualReportPage.objects.live()
            .public()
            .filter(locale_id=self.locale_id)
            .only("title", "year", "url_path", "path", "depth")
        )
        context["previous_report"] = reports.filter(year__lt=self.year).order_by("-year").first()
        context["next_report"] = reports.filter(year__gt=self.year).order_by("year").first()
        context["headline_figures"] = self.headline_figures
        context["reports_url"] = self.get_parent().get_url(request)
        return context

    def more_in_collection(self):
        # A report's page steps to the previous and next years instead.
        return []

    def reported_figures(self):
        """The year's figures an editor filled in, as (value, label) pairs for the page and its data."""
        figures = [
            (self.officials_trained, gettext("government officials trained")),
            (self.countries, gettext("countries represented")),
            (self.programs_run, gettext("programs run")),
        ]
        return [(value, label) for value, label in figures if value is not None]

    @property
    def headline_figures(self):
        return [{"value": formats.local_number(value), "label": label} for value, label in self.reported_figures()]

    def get_structured_data(self, request, topics):
        data = super().get_structured_data(request, topics)
        data["@type"] = "Report"
        # The figures of the year the report covers: a year's count, as it stood at the year's end.
        figures = [(label.capitalize(), value) for value, label in self.reported_figures()]
        if figures:
            data["about"] = structured_data.observations(
                data["publisher"]["@id"], figures, date=f"{self.year}-12-31", period="P1Y"
            )
        return data

    @property
    def listing_meta(self):
        return gettext("Annual report · %(year)s") % {"year": self.year}
