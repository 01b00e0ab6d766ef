"""The resource library (named in honour of Sheri P. Rosenberg), its collections and resources, the
library's documents, and the annual reports.

An `AnnualReportPage` is a `ResourcePage` (multi-table inheritance), as a commemoration is a story:
the library lists, filters and searches reports with everything else, and a report adds only its
headline figures and its place in the sequence of years.
"""

from django import forms
from django.conf import global_settings, settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Max, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.functional import cached_property
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.models import AbstractDocument, Document
from wagtail.documents.views.serve import serve as serve_document
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from aipg_site import page_cache
from aipg_site.blocks import BodyBlock
from aipg_site.models import ListingFields, OrganisationSettings, ProgramPage, SiteImage, Topic, current_year
from aipg_site.pagination import paginate
from aipg_site.search import clean_query, search_terms

from .documents import PdfCheck, check_message, check_upload, declared_page_count, file_type
from .filters import SORTS, LibraryFilterSet
from .tasks import check_pdf_pages

RESOURCES_PER_PAGE = 20
# On the library's front page, each collection shows its newest few and links to the rest.
NEWEST_PER_COLLECTION = 4
MORE_IN_COLLECTION = 3

LANGUAGES = [(code, name) for code, name in global_settings.LANGUAGES if "-" not in code]


# Documents ------------------------------------------------------------------------------------


class LibraryDocument(AbstractDocument):
    """Wagtail's document, checked on upload and knowing its page count.

    Extensions are limited by WAGTAILDOCS_EXTENSIONS and size by WAGTAILDOCS_MAX_UPLOAD_SIZE; the
    contents must also match the extension. A new PDF gets the page count its catalogue declares at
    once, then the count of the pages the worker finds when it walks them (`resources.tasks`), so
    editors never type it; `pdf_check` says how that walk went.
    """

    page_count = models.PositiveIntegerField(
        null=True, blank=True, editable=False, help_text="Read from the file when it is a PDF."
    )
    pdf_check = models.CharField(
        max_length=20,
        choices=PdfCheck.choices,
        blank=True,
        editable=False,
        help_text="For a PDF: whether every page has been read. Empty for other files.",
    )

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = "document"

    def clean(self):
        super().clean()
        # Only a file just chosen is checked (Django's own test for an uncommitted file): a stored one
        # was checked when it came, and must not stop an editor from changing a title.
        if self.file and not self.file._committed:
            check = check_upload(self.file, self.file_extension)
            if check.error:
                raise ValidationError({"file": check.error})
            self._declared_pages = (self.file.file, check.declared_pages)

    @classmethod
    def from_db(cls, db, field_names, values):
        document = super().from_db(db, field_names, values)
        document._stored_filename = document.filename if document.file else ""
        return document

    def save(self, *args, **kwargs):
        # Documents made outside the admin's upload forms (the demo content, scripts) get the same
        # size, hash and page count as uploaded ones.
        if self.file and self.file_size is None:
            self._set_document_file_metadata()
        super().save(*args, **kwargs)
        earlier = getattr(self, "_stored_filename", "")
        if earlier and earlier != self.filename:
            # Links already shared end in the old name: it keeps redirecting to the new one.
            LibraryDocumentFileName.objects.get_or_create(document=self, filename=earlier)
        self._stored_filename = self.filename
        if self.pdf_check == PdfCheck.PENDING:
            # The check the worker owes a new file. Saving again while it is pending queues it again:
            # a second run finds the work done, and a check that was lost is queued anew.
            check_pdf_pages.enqueue(self.pk, self.file_hash)

    def _set_document_file_metadata(self):
        super()._set_document_file_metadata()
        if not self.is_pdf:
            self.page_count, self.pdf_check = None, ""
            return
        # `clean` has read the declared count of an uploaded file; a file set in code is read here.
        checked_file, declared = getattr(self, "_declared_pages", (None, None))
        if checked_file is not self.file.file:
            declared = declared_page_count(self.file).pages
        self.page_count, self.pdf_check = declared, PdfCheck.PENDING

    @property
    def is_pdf(self):
        kind = file_type(self.file_extension)
        return kind is not None and kind.family == "pdf"

    @property
    def pdf_check_message(self):
        """What the editor is told about the worker's check of a PDF, on the document's edit page."""
        return check_message(self.pdf_check, self.page_count)

    @property
    def type_label(self):
        kind = file_type(self.file_extension)
        return kind.label if kind else self.file_extension.upper()

    @property
    def size_label(self):
        return filesizeformat(self.file_size) if self.file_size is not None else ""


class LibraryDocumentFileName(models.Model):
    """A file name a document had before its file was replaced. Its old address redirects to the
    current one (`resources.views.serve_document`); any other name is not found."""

    document = models.ForeignKey(LibraryDocument, on_delete=models.CASCADE, related_name="earlier_filenames")
    filename = models.CharField(max_length=255)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["document", "filename"], name="document_filename_once")]

    def __str__(self):
        return self.filename


# Collections ----------------------------------------------------------------------------------


class ResourceCollection(index.Indexed, Orderable):
    """A section of the library, such as "Policy Papers and Briefs in Prevention".

    Editors order the collections by dragging them in the snippets listing; the library shows them
    in that order.
    """

    name = models.CharField(max_length=160, unique=True)
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="Used in the library's addresses, e.g. /resources/?collection=sncf-papers.",
    )
    introduction = models.TextField(
        max_length=600, help_text="Two or three sentences on what the collection holds and who it is for."
    )

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("introduction")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta(Orderable.Meta):
        verbose_name = "library collection"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A new collection goes to the end until an editor drags it elsewhere.
        if self.sort_order is None:
            last = ResourceCollection.objects.aggregate(last=Max("sort_order"))["last"]
            self.sort_order = 0 if last is None else last + 1
        super().save(*args, **kwargs)


# Pages ----------------------------------------------------------------------------------------


class ResourceLibraryPage(ListingFields, Page):
    """/resources/: every resource, browsed by collection or found by filters, search and sort.

    With no filter or search the page shows each collection with its newest resources; with any,
    a single paginated list. Unknown filter values are set aside with a notice.
    """

    dedication = models.TextField(
        max_length=600,
        blank=True,
        help_text="Whom the library is named for and why, shown under the introduction (optional).",
    )

    content_panels = Page.content_panels + ListingFields.listing_panels + [FieldPanel("dedication")]
    search_fields = Page.search_fields + ListingFields.listing_search_fields + [index.SearchField("dedication")]

    parent_page_types = ["aipg_site.HomePage"]
    subpage_types = ["resources.ResourcePage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        resources = ResourcePage.objects.live().public()
        filters = LibraryFilterSet(request.GET, resources, collections=ResourceCollection.objects.all())
        query = clean_query(request.GET.get("q", ""))
        sort = request.GET.get("sort", "")
        if sort not in SORTS:
            sort = "relevance" if query else "newest"
        context.update(filters=filters, query=query, sort=sort, sorts=SORTS)
        context["collection"] = filters.chosen_collection
        # A list when readers asked for one (a filter, a search, a chosen order); otherwise the collections.
        context["show_list"] = bool(filters.active or query or request.GET.get("sort") in SORTS)
        if context["show_list"]:
            matching = listing_cards(filters.qs)
            if sort != "relevance":
                matching = matching.order_by(*SORTS[sort].ordering)
            if query:
                # Sorted by the backend's ranking, or else by the queryset's own order.
                matching = matching.search(search_terms(query), order_by_relevance=sort == "relevance")
            context["page_obj"] = paginate(request, matching, RESOURCES_PER_PAGE)
        else:
            context["collections"] = self.collections_with_newest(filters.collections, resources)
        return context

    def collections_with_newest(self, collections, resources):
        """`collections`, each with its resource count and newest resources.

        Both read every resource, so which resources they are is remembered until the next publish
        (`page_cache.remember`) and the cards are then fetched by id."""
        key = page_cache.query_key(resources)
        counts = page_cache.remember(
            "library-counts:" + key,
            lambda: dict(resources.order_by().values_list("collection").annotate(count=Count("pk"))),
        )
        newest_ids = page_cache.remember(
            "library-newest:" + key,
            lambda: list(
                resources.filter(collection__isnull=False)
                .annotate(
                    rank=Window(
                        RowNumber(), partition_by=F("collection_id"), order_by=[F("year").desc(), F("pk").desc()]
                    )
                )
                .filter(rank__lte=NEWEST_PER_COLLECTION)
                .values_list("pk", flat=True)
            ),
        )
        by_collection = {}
        newest = resources.filter(pk__in=newest_ids).order_by("collection_id", "-year", "-pk")
        for resource in listing_cards(newest):
            by_collection.setdefault(resource.collection_id, []).append(resource)
        # A collection that an index page lists in full (the annual reports) links to that page too.
        index_pages = {page.collection_id: page for page in AnnualReportIndexPage.objects.live().public()}
        for collection in collections:
            collection.resource_count = counts.get(collection.pk, 0)
            collection.newest = by_collection.get(collection.pk, [])
            collection.index_page = index_pages.get(collection.pk)
        return collections


RESOURCE_KINDS = [
    ("policy-paper", "Policy paper"),
    ("policy-brief", "Policy brief"),
    ("research-report", "Research report"),
    ("white-paper", "White paper"),
    ("working-paper", "Working paper"),
    ("training", "Training material"),
    ("booklet", "Booklet"),
    ("annual-report", "Annual report"),
    ("other", "Other"),
]


class ResourcePage(RoutablePageMixin, Page):
    """A publication in the library: a document to download or a link to where it is published.

    The file's type, size and (for a PDF) page count are shown from the document itself. Downloads
    go through the resource's own address (/resources/<slug>/download/), which keeps working when
    an editor replaces the file.
    """

    kind = models.CharField(max_length=20, choices=RESOURCE_KINDS, default="policy-paper")
    collection = models.ForeignKey(
        ResourceCollection,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resources",
        help_text="The library section it is listed in. Add or reorder sections under Snippets.",
    )
    authors = models.CharField(
        max_length=300, blank=True, help_text="As they should be credited, e.g. 'Jane Doe and John Roe' (optional)."
    )
    year = models.PositiveSmallIntegerField(
        default=current_year,
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="The year it was published.",
    )
    language = models.CharField(max_length=10, choices=LANGUAGES, default="en")
    # Not `ListingFields`: a publication is listed by its cover, and its summary is an abstract,
    # longer than other pages' one or two sentences.
    summary = models.TextField(
        max_length=600, help_text="Two or three sentences: what it covers and who it is for. Shown in listings."
    )
    cover_image = models.ForeignKey(
        SiteImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The front cover or an image that stands for it (optional).",
    )
    document = models.ForeignKey(
        settings.WAGTAILDOCS_DOCUMENT_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The file readers download. Its type, size and page count are shown from the file itself.",
    )
    external_url = models.URLField(
        blank=True, help_text="Or, when it is published elsewhere, the address where it can be read."
    )
    body = StreamField(
        BodyBlock(), blank=True, help_text="More about it: contents, context, how to cite it (optional)."
    )
    topics = ParentalManyToManyField(
        Topic, blank=True, related_name="resources", help_text="Themes readers can filter the library by."
    )
    programs = ParentalManyToManyField(
        ProgramPage, blank=True, related_name="resources", help_text="The programs it comes from or serves."
    )

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("collection")]),
        FieldRowPanel([FieldPanel("year"), FieldPanel("language")]),
        FieldPanel("authors"),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("document"), FieldPanel("external_url")],
            heading="The publication",
            help_text="Choose or upload a document, or give the address where it is published.",
        ),
        FieldPanel("cover_image"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
                FieldPanel("programs", widget=forms.CheckboxSelectMultiple),
            ],
            heading="Filing",
        ),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("authors"),
        index.SearchField("body"),
        index.AutocompleteField("authors"),
        index.FilterField("collection"),
        index.FilterField("year"),
        index.FilterField("language"),
        index.FilterField("kind"),
    ]

    parent_page_types = ["resources.ResourceLibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = "resource"
        # Newest first, in the library and in each collection, read from an index on any size of library.
        indexes = [
            models.Index(fields=["-year", "-page_ptr"], name="resource_newest"),
            models.Index(fields=["collection", "-year", "-page_ptr"], name="resource_newest_in_collection"),
        ]

    def clean(self):
        super().clean()
        if errors := self.publication_errors():
            raise ValidationError(errors)

    def publication_errors(self):
        """Field name -> message for what an editor must fix before the resource can be saved."""
        errors = {}
        if not self.document_id and not self.external_url:
            errors["document"] = "Choose a document, or give the address where the resource is published."
        if self.document_id and self.external_url:
            errors["external_url"] = "Give either a document or an address, not both: readers need one place to go."
        if self.requires_collection and not self.collection_id:
            errors["collection"] = "Choose the library collection this resource is listed in."
        return errors

    requires_collection = True

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["topics"] = list(self.topics.all())
        context["programs"] = [program for program in self.programs.all() if program.live]
        context["library_url"] = self.library_url(request)
        context["more_in_collection"] = self.more_in_collection()
        context["structured_data"] = self.get_structured_data(request, context["topics"])
        return context

    @path("download/")
    def download(self, request):
        """The current document as an attachment, through Wagtail's document view and its checks.

        Pages link here rather than to the document's own address, so links keep working when an
        editor replaces the file with one of another name.
        """
        if not self.document_id:
            raise Http404("This resource has no document to download.")
        return serve_document(request, self.document_id, self.document.filename)

    @cached_property
    def library_page(self):
        return ResourceLibraryPage.objects.live().first()

    def library_url(self, request):
        library = self.library_page
        return library.get_url(request) if library else ""

    def more_in_collection(self):
        if not self.collection_id:
            return []
        others = (
            ResourcePage.objects.live()
            .public()
            .filter(collection_id=self.collection_id)
            .exclude(pk=self.pk)
            .order_by("-year", "-pk")
        )
        return list(listing_cards(others)[:MORE_IN_COLLECTION])

    def get_structured_data(self, request, topics):
        """schema.org data for the publication, with its file when it has one."""
        organisation = OrganisationSettings.for_request(request).name
        data = {
            "@context": "https://schema.org",
            "@type": "Report" if "report" in self.kind or "paper" in self.kind else "CreativeWork",
            "name": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "datePublished": str(self.year),
            "inLanguage": self.language,
            "keywords": [topic.name for topic in topics],
            "author": self.authors or {"@type": "Organization", "name": organisation},
            "publisher": {"@type": "Organization", "name": organisation},
        }
        if self.document:
            data["encoding"] = {
                "@type": "MediaObject",
                "contentUrl": request.build_absolute_uri(self.download_url),
                "encodingFormat": self.document.content_type,
                "contentSize": self.document.size_label,
            }
        elif self.external_url:
            data["sameAs"] = self.external_url
        return data

    @property
    def download_url(self):
        return self.url + self.reverse_subpage("download") if self.document_id else ""

    @property
    def listing_meta(self):
        """The line above the title on a card: kind and year, e.g. "Policy brief · 2021"."""
        return f"{self.get_kind_display()} · {self.year}"


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

    There is one report per year: a second is refused in the editor with a message naming the
    first, and the database holds the same rule through `report_year`.
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
    # A copy of `year`, which lives on the resource's table, so that a unique constraint can hold it.
    report_year = models.PositiveSmallIntegerField(unique=True, editable=False)

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
        verbose_name = "annual report"

    def publication_errors(self):
        errors = super().publication_errors()
        if self.year:
            existing = AnnualReportPage.objects.filter(report_year=self.year).exclude(pk=self.pk).first()
            if existing:
                errors["year"] = (
                    f"“{existing.title}” is already the report for {self.year}. "
                    "Edit that report instead, or choose another year."
                )
        return errors

    def save(self, *args, **kwargs):
        self.kind = "annual-report"
        self.report_year = self.year
        if not self.collection_id:
            parent = self.get_parent() if self.pk or self.path else None
            index_page = parent.specific if parent else None
            if isinstance(index_page, AnnualReportIndexPage):
                self.collection_id = index_page.collection_id
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        reports = AnnualReportPage.objects.live().public().only("title", "year", "url_path", "path", "depth")
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
            (self.officials_trained, "government officials trained"),
            (self.countries, "countries represented"),
            (self.programs_run, "programs run"),
        ]
        return [(value, label) for value, label in figures if value is not None]

    @property
    def headline_figures(self):
        return [{"value": f"{value:,}", "label": label} for value, label in self.reported_figures()]

    def get_structured_data(self, request, topics):
        data = super().get_structured_data(request, topics)
        data["@type"] = "Report"
        data["additionalProperty"] = [
            {"@type": "PropertyValue", "name": label.capitalize(), "value": value}
            for value, label in self.reported_figures()
        ]
        return data

    @property
    def listing_meta(self):
        return f"Annual report · {self.year}"


# Helpers --------------------------------------------------------------------------------------


def listing_cards(resources):
    """`resources` ready for cards: cover, document and collection fetched with them."""
    return resources.select_related("cover_image", "document", "collection").prefetch_related("cover_image__renditions")
