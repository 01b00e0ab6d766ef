"""The library page and the resources in it: what /resources/ lists, filters and searches, and
each publication's own page."""

from django import forms
from django.apps import apps
from django.conf import global_settings, settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.template.loader import render_to_string
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy, gettext_noop, pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.views.serve import serve as serve_document
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from aipg_site import fragments, page_cache, structured_data
from aipg_site.blocks import BodyBlock
from aipg_site.language import foreign_language, page_language, primary_subtag
from aipg_site.models import ListingFields, OrganisationSettings, ProgramPage, SiteImage, Topic, current_year
from aipg_site.pagination import paginate
from aipg_site.search import clean_query, search_terms
from aipg_site.snippet_translations import in_active_language, one_per_translation

from ..filters import SORTS, LibraryFilterSet
from ..forms import COLLECTION_REQUIRED, ResourcePageForm
from .collections import ResourceCollection

RESOURCES_PER_PAGE = 20
# On the library's front page, each collection shows its newest few and links to the rest.
NEWEST_PER_COLLECTION = 4
MORE_IN_COLLECTION = 3

LANGUAGES = [(code, name) for code, name in global_settings.LANGUAGES if "-" not in code]


# The names search results give these page types (Wagtail's, from the class names), marked for
# translation here: the results page translates the name it shows.
PAGE_TYPE_NAMES = [gettext_noop("Resource library page")]


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
        # The library in each language lists that language's resources (annual reports included).
        resources = ResourcePage.objects.live().public().filter(locale_id=self.locale_id)
        filters = LibraryFilterSet(
            request.GET, resources, collections=one_per_translation(ResourceCollection.objects.all())
        )
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
            context["page_obj"] = paginate(request, matching, RESOURCES_PER_PAGE, count=page_cache.count(matching))
        else:
            context["collections"] = self.collections_with_newest(filters.collections, resources)
        return context

    def collections_with_newest(self, collections, resources):
        """`collections`, each with its resource count and newest resources (those filed under any of
        its languages' rows: `one_per_translation`).

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
        # By name: the reports' module builds on this one, so this one does not import it back.
        report_index = apps.get_model("resources", "AnnualReportIndexPage")
        index_pages = {
            page.collection_id: page for page in report_index.objects.live().public().filter(locale_id=self.locale_id)
        }
        for collection in collections:
            ids = getattr(collection, "translation_ids", [collection.pk])
            collection.resource_count = sum(counts.get(pk, 0) for pk in ids)
            newest = [resource for pk in ids for resource in by_collection.get(pk, [])]
            collection.newest = sorted(newest, key=lambda resource: (-resource.year, -resource.pk))[
                :NEWEST_PER_COLLECTION
            ]
            collection.index_page = next((index_pages[pk] for pk in ids if pk in index_pages), None)
        return collections


RESOURCE_KINDS = [
    ("policy-paper", gettext_lazy("Policy paper")),
    ("policy-brief", gettext_lazy("Policy brief")),
    ("research-report", gettext_lazy("Research report")),
    ("white-paper", gettext_lazy("White paper")),
    ("working-paper", gettext_lazy("Working paper")),
    ("training", gettext_lazy("Training material")),
    ("booklet", gettext_lazy("Booklet")),
    ("annual-report", gettext_lazy("Annual report")),
    ("other", pgettext_lazy("kind of resource", "Other")),
]


class ResourcePage(RoutablePageMixin, Page):
    """A publication in the library: a document to download or a link to where it is published.

    The file's type, size and (for a PDF) page count are shown from the document itself. Downloads
    go through the resource's own address (/resources/<slug>/download/), which keeps working when
    an editor replaces the file.
    """

    kind = models.CharField(
        max_length=20,
        choices=RESOURCE_KINDS,
        default="policy-paper",
        help_text="What sort of publication it is. Shown above the title on its card and its page, and it "
        "tells search engines whether it is a report.",
    )
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
    language = models.CharField(
        max_length=10,
        choices=LANGUAGES,
        default="en",
        help_text="The language it is written in. Readers can filter the library by it, and its title and "
        "summary are marked as that language wherever they appear, so screen readers pronounce them rightly.",
    )
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

    base_form_class = ResourcePageForm
    parent_page_types = ["resources.ResourceLibraryPage"]
    subpage_types = []

    class Meta:
        verbose_name = gettext_lazy("resource")
        # Newest first, in the library and in each collection, read from an index on any size of library.
        indexes = [
            models.Index(fields=["-year", "-page_ptr"], name="resource_newest"),
            models.Index(fields=["collection", "-year", "-page_ptr"], name="resource_newest_in_collection"),
        ]

    def clean_fields(self, exclude=None):
        # The collection is required of library resources but not of annual reports, so the rule is
        # here rather than in `blank`. Checked with the other fields, it is skipped where the editor's
        # form has already refused an empty collection, and the message is not shown twice.
        errors = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.requires_collection and not self.collection_id and "collection" not in (exclude or ()):
            errors.setdefault("collection", []).append(COLLECTION_REQUIRED)
        if errors:
            raise ValidationError(errors)

    requires_collection = True

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
        return errors

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The same for every reader until the next publish: worked out once per generation (a
        # preview works them out afresh from the draft).
        context.update(fragments.shared(request, "resource-parts", lambda: self.shared_parts(request), self.pk))
        return context

    def shared_parts(self, request):
        """What the resource shows around its body, as markup and data: its filing (topics,
        programs), the others in its collection, the library's address and its structured data."""
        filing = {
            "topics": in_active_language(self.topics.all()),
            # In previews the relations are in-memory lists, so filter in Python rather than in SQL.
            "programs": [program for program in self.programs.all() if program.live],
            "listing_url": self.library_url(request),
        }
        more = self.more_in_collection()
        return {
            "library_url": filing["listing_url"],
            "filing": render_to_string("components/filing.html", filing, request),
            "more_in_collection": render_to_string(
                "resources/more_in_collection.html", {"page": self, "more_in_collection": more}, request
            )
            if more
            else "",
            "structured_data": self.get_structured_data(request, filing["topics"]),
        }

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
        """The library in the resource's language (an annual report's too, though it sits elsewhere)."""
        return ResourceLibraryPage.objects.live().filter(locale_id=self.locale_id).first()

    def library_url(self, request):
        library = self.library_page
        return library.get_url(request) if library else ""

    def more_in_collection(self):
        if not self.collection_id:
            return []
        others = (
            ResourcePage.objects.live()
            .public()
            .filter(locale_id=self.locale_id, collection_id=self.collection_id)
            .exclude(pk=self.pk)
            .order_by("-year", "-pk")
        )
        return list(listing_cards(others)[:MORE_IN_COLLECTION])

    def get_structured_data(self, request, topics):
        """schema.org data for the publication, with its file when it has one."""
        institute = structured_data.organisation(
            request, OrganisationSettings.for_request(request).in_active_language().name
        )
        data = {
            "@context": "https://schema.org",
            "@type": "Report" if "report" in self.kind or "paper" in self.kind else "CreativeWork",
            "name": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "datePublished": str(self.year),
            "inLanguage": self.language,
            "keywords": [topic.name for topic in topics],
            "author": self.authors or institute,
            "publisher": institute,
        }
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
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
    def article_published_time(self):
        """The year it was published, for link previews (Open Graph's article:published_time)."""
        return str(self.year)

    @property
    def text_language(self):
        """The language its title and summary are written in. In the default language's tree an editor
        writes them in the resource's own language (a Spanish report in the English library keeps its
        Spanish title); a translation's are written in its translation's language, whatever the
        document's (the Spanish page of an English report). Listings, feeds and search show the pages of
        the language being read, so that language tells which, without a query per card."""
        if primary_subtag(page_language()) == primary_subtag(settings.LANGUAGE_CODE):
            return self.language
        return page_language()

    @property
    def foreign_language(self):
        """Its title and summary's language when it is not the page's, for their `lang`."""
        return foreign_language(self.text_language)

    @property
    def download_url(self):
        return self.url + self.reverse_subpage("download") if self.document_id else ""

    @property
    def listing_meta(self):
        """The line above the title on a card: kind and year, e.g. "Policy brief · 2021"."""
        return f"{self.get_kind_display()} · {self.year}"


def listing_cards(resources):
    """`resources` ready for cards: cover, document and collection fetched with them."""
    return resources.select_related("cover_image", "document", "collection").prefetch_related("cover_image__renditions")
