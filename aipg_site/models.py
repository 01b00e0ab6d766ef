"""The site core: home page, standard pages, images, offices, and the site-wide settings."""

import copy
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, gettext, gettext_noop
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.images.models import AbstractImage, AbstractRendition, Image
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet
from wagtail_localize.fields import SynchronizedField

from . import formats, fragments, structured_data
from .blocks import BodyBlock, ProgramOutputBlock
from .forms import HeroImagePageForm
from .lookups import KeptSetting
from .snippet_translations import TranslatableSnippet, in_active_language, unique_per_language

# How many of a program's stories, and of its resources, its page lists.
RELATED_ON_PROGRAM = 4


def current_year():
    """The default year of a dated post or publication (a callable, so migrations keep no date)."""
    return timezone.localdate().year


# Images ---------------------------------------------------------------------------------------


class SiteImage(AbstractImage):
    """Wagtail's image with a credit line, so photographers are named wherever an image appears."""

    # Wagtail's own field, given help: it is the image's alt text wherever a page says nothing of its
    # own (aipg_site.alt_text), so editors should know what it is for when they upload.
    description = models.CharField(
        max_length=255,
        blank=True,
        default="",
        help_text="What the image shows, for people who cannot see it, e.g. 'Seminar participants at the "
        "memorial gate'. Pages use it as the image's alternative text unless they give their own words.",
    )
    credit = models.CharField(
        max_length=120, blank=True, help_text="Photographer or source, shown with the image (optional)."
    )

    admin_form_fields = Image.admin_form_fields + ("credit",)


class SiteRendition(AbstractRendition):
    image = models.ForeignKey(SiteImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)


# Offices --------------------------------------------------------------------------------------


@register_snippet
class Office(TranslatableSnippet, index.Indexed, models.Model):
    """A regional office. The footer lists every office; programs and pages can point to them.

    Translatable: readers of Spanish read "Nueva York, Estados Unidos". The phone and email are the
    same in every language, so wagtail-localize copies them rather than asking for a translation.
    """

    city = models.CharField(max_length=80, help_text="The city the office is known by, e.g. 'Buenos Aires'.")
    country = models.CharField(max_length=80)
    address = models.TextField(help_text="Postal address, one line per line as it should be printed.")
    phone = models.CharField(max_length=40, blank=True, help_text="With the country code (optional).")
    email = models.EmailField(blank=True, help_text="A contact address for this office (optional).")
    sort_order = models.PositiveSmallIntegerField(
        default=0, help_text="Offices are listed from the lowest number up, e.g. headquarters first."
    )

    panels = [
        FieldRowPanel([FieldPanel("city"), FieldPanel("country")]),
        FieldPanel("address"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldPanel("sort_order"),
    ]
    search_fields = [index.SearchField("city"), index.SearchField("country"), index.FilterField("locale")]
    override_translatable_fields = [SynchronizedField("phone", overridable=False)]

    class Meta(TranslatableSnippet.Meta):
        ordering = ["sort_order", "city"]

    def __str__(self):
        return f"{self.city}, {self.country}"

    @property
    def printed_address(self):
        """The address as printed under the office's city and country: empty when it only repeats them
        (an office known by its city alone, entered as "Kampala / Uganda")."""
        lines = {line.strip().casefold() for line in self.address.splitlines() if line.strip()}
        place = {self.city.casefold(), self.country.casefold(), str(self).casefold()}
        return "" if lines <= place else self.address

    def contact_details(self, shown=None):
        """The address, phone and email a contact block prints for the office, less those `shown` (the
        organisation's own, printed just above the offices in the footer) already gives."""
        details = {"address": self.printed_address, "phone": self.phone, "email": self.email}
        if shown is not None:
            for name, value in details.items():
                if value and _comparable(value) == _comparable(getattr(shown, name, "")):
                    details[name] = ""
        return details


def _comparable(detail):
    """A contact detail reduced to what identifies it: the same address or phone number written with
    other spaces, line breaks, dots, dashes or brackets compares equal."""
    return re.sub(r"[\s.\-()]", "", detail).casefold()


# Taxonomy -------------------------------------------------------------------------------------


class TaxonomyTerm(TranslatableSnippet, index.Indexed, models.Model):
    """A term readers filter by. Stories and resources share the same topics and regions.

    Translatable: its name and description are translated, its slug is the same in every language
    (aipg_site.snippet_translations), so a filter address works in both.
    """

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, help_text="Used in filter addresses, e.g. /stories/?topic=memory.")
    description = models.TextField(blank=True, help_text="A sentence shown on filtered listings (optional).")

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name"), index.FilterField("locale")]
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]

    class Meta(TranslatableSnippet.Meta):
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


@register_snippet
class Topic(TaxonomyTerm):
    """A theme such as memorialization, early warning or transitional justice."""

    class Meta(TaxonomyTerm.Meta):
        constraints = [unique_per_language("name", "topic"), unique_per_language("slug", "topic")]


@register_snippet
class Region(TaxonomyTerm):
    """A part of the world such as Latin America or the Great Lakes region of Africa."""

    class Meta(TaxonomyTerm.Meta):
        constraints = [unique_per_language("name", "region"), unique_per_language("slug", "region")]


# Site settings --------------------------------------------------------------------------------


# The site settings' words readers see, in Spanish. Settings are one row per site, not translatable
# snippets: each such field has a Spanish counterpart on the same row ("tagline" and "tagline_es"),
# edited in the settings' "Spanish" tab beside the English one, shown on Spanish pages and, left
# empty, falling back to the English words. An editor sees both languages of a sentence in one form
# and needs no translation workflow for a dozen short lines.
SPANISH = "es"


def spanish_counterpart(field, **options):
    """The Spanish version of `field` (a CharField or TextField of the same size), optional."""
    _name, _path, args, kwargs = field.deconstruct()
    kwargs.update(
        blank=True,
        default="",
        help_text=options.pop(
            "help_text", "The same words in Spanish; Spanish pages show the English ones while this is empty."
        ),
    )
    kwargs.update(options)
    return type(field)(*args, **kwargs)


class WordsInSpanish:
    """A settings model whose `translated_fields` have a `<name>_es` counterpart."""

    translated_fields: tuple = ()

    def in_language(self, language_code):
        """The settings as a reader of `language_code` sees them: a copy (never saved) whose translated
        fields hold the Spanish words where the editor gave them, on Spanish pages."""
        if (language_code or "").split("-")[0] != SPANISH:
            return self
        shown = copy.copy(self)
        for name in self.translated_fields:
            spanish = getattr(self, f"{name}_{SPANISH}")
            if spanish:
                setattr(shown, name, spanish)
        return shown

    def in_active_language(self):
        return self.in_language(get_language())


@register_setting(icon="site")
class OrganisationSettings(KeptSetting, WordsInSpanish, ClusterableModel, BaseSiteSetting):
    """Who we are and how to reach us: the footer, the contact block and the donate call use it.

    The words readers see have Spanish counterparts (`WordsInSpanish`); templates read the settings
    through `in_active_language`, Python code that writes for one donor through `in_language`.
    """

    name = models.CharField(max_length=200, help_text="The organisation's full name.")
    short_name = models.CharField(max_length=20, blank=True, help_text="An abbreviation, e.g. 'AIPG'.")
    tagline = models.CharField(max_length=200, blank=True, help_text="One line under the name in the footer.")
    address = models.TextField(blank=True, help_text="The main postal address, as it should be printed.")
    phone = models.CharField(max_length=40, blank=True, help_text="With the country code.")
    email = models.EmailField(blank=True)
    registration_identifier = models.CharField(
        max_length=60,
        blank=True,
        help_text="The charity registration or tax identifier donors may need for their records.",
    )
    receipt_statement = models.TextField(
        default="No goods or services were provided in exchange for this gift.",
        help_text="Printed on every donation receipt: what tax authorities ask a receipt to say about what "
        "the donor received in return.",
    )
    default_social_image = models.ForeignKey(
        SiteImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown when a page shared on social media has no image of its own.",
    )
    donate_heading = models.CharField(
        max_length=120, blank=True, help_text="The donate call's heading, e.g. 'Help build a world without genocide'."
    )
    donate_text = models.CharField(
        max_length=300, blank=True, help_text="One sentence under the heading saying what a gift does."
    )
    donate_button_label = models.CharField(max_length=40, default="Donate", help_text="The button's words.")
    donate_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Where the donate button leads. The donate call is hidden while no page is chosen.",
    )

    name_es = spanish_counterpart(name, help_text="The organisation's full name in Spanish.")
    tagline_es = spanish_counterpart(tagline)
    receipt_statement_es = spanish_counterpart(
        receipt_statement,
        default="No se entregaron bienes ni servicios a cambio de esta donación.",
        help_text="The statement on receipts of gifts made in Spanish.",
    )
    donate_heading_es = spanish_counterpart(donate_heading)
    donate_text_es = spanish_counterpart(donate_text)
    donate_button_label_es = spanish_counterpart(donate_button_label, default="Donar")

    translated_fields = ("name", "tagline", "receipt_statement", "donate_heading", "donate_text", "donate_button_label")

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("short_name"),
                FieldPanel("tagline"),
            ],
            heading="Organisation",
        ),
        MultiFieldPanel(
            [FieldPanel("registration_identifier"), FieldPanel("receipt_statement")],
            heading="Donation receipts",
            help_text="With the name and the postal address below, what each donor's receipt shows.",
        ),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("phone"), FieldPanel("email")], heading="Contact"),
        InlinePanel("social_accounts", heading="Social accounts", label="Account"),
        MultiFieldPanel(
            [
                FieldPanel("donate_heading"),
                FieldPanel("donate_text"),
                FieldPanel("donate_button_label"),
                FieldPanel("donate_page"),
            ],
            heading="Donate call to action",
        ),
        FieldPanel("default_social_image"),
    ]
    spanish_panels = [
        MultiFieldPanel([FieldPanel("name_es"), FieldPanel("tagline_es")], heading="Organisation"),
        FieldPanel("receipt_statement_es"),
        MultiFieldPanel(
            [FieldPanel("donate_heading_es"), FieldPanel("donate_text_es"), FieldPanel("donate_button_label_es")],
            heading="Donate call to action",
            help_text="The donate button leads to the Spanish translation of the donate page when it has one.",
        ),
    ]
    edit_handler = TabbedInterface(
        [ObjectList(panels, heading="English"), ObjectList(spanish_panels, heading="Spanish")]
    )

    class Meta:
        verbose_name = "organisation"

    def in_language(self, language_code):
        shown = super().in_language(language_code)
        locale = Locale.objects.filter(language_code=SPANISH).first() if shown is not self else None
        if locale and self.donate_page:
            # The donate call leads to the donate page in the reader's language, when it is live.
            translation = self.donate_page.get_translation_or_none(locale)
            if translation and translation.live:
                shown.donate_page = translation
        return shown

    @property
    def short_display_name(self) -> str:
        """How the site names itself where room is short (page titles, feed titles, Stripe's page):
        the abbreviation, else the full name, else the name the settings give the site."""
        return self.short_name or self.name or settings.WAGTAIL_SITE_NAME


class SocialAccount(Orderable):
    SERVICES = [
        ("x", "X (Twitter)"),
        ("facebook", "Facebook"),
        ("instagram", "Instagram"),
        ("linkedin", "LinkedIn"),
        ("youtube", "YouTube"),
        ("bluesky", "Bluesky"),
        ("mastodon", "Mastodon"),
    ]

    settings = ParentalKey(OrganisationSettings, on_delete=models.CASCADE, related_name="social_accounts")
    service = models.CharField(max_length=20, choices=SERVICES)
    url = models.URLField(help_text="The full address of the account, e.g. https://x.com/genprev.")
    handle = models.CharField(max_length=60, blank=True, help_text="As people know it, e.g. '@genprev' (optional).")

    panels = [FieldPanel("service"), FieldPanel("url"), FieldPanel("handle")]

    def __str__(self):
        return self.get_service_display()


@register_setting(icon="list-ul")
class NavigationSettings(KeptSetting, ClusterableModel, BaseSiteSetting):
    """The main menu, in the order editors arrange it: one menu for both languages.

    An item that links to a page leads, on Spanish pages, to that page's Spanish translation and
    reads its title, as soon as the translation is live; until then it leads to the English page.
    So translating a page is all it takes to translate its menu item; a Spanish label is there for
    the item whose Spanish words should differ from its page's title, and for links elsewhere.
    """

    panels = [InlinePanel("menu_items", heading="Main menu", label="Menu item", max_num=8)]

    class Meta:
        verbose_name = "navigation"


class MenuItem(Orderable):
    settings = ParentalKey(NavigationSettings, on_delete=models.CASCADE, related_name="menu_items")
    link_page = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The page this item opens.",
    )
    link_url = models.URLField(blank=True, help_text="Or an address elsewhere, when no page is chosen.")
    label = models.CharField(
        max_length=40, blank=True, help_text="The words in the menu; the page's title when left empty."
    )
    label_es = models.CharField(
        max_length=40,
        blank=True,
        verbose_name="Spanish label",
        help_text="The words in the Spanish menu; the Spanish page's title when left empty, else the label.",
    )

    panels = [
        FieldPanel("link_page"),
        FieldPanel("link_url"),
        FieldRowPanel([FieldPanel("label"), FieldPanel("label_es")]),
    ]

    def clean(self):
        if not self.link_page and not self.link_url:
            raise ValidationError({"link_page": "Choose a page or enter an address."})
        if self.link_url and not self.label:
            raise ValidationError({"label": "A link to another site needs a label."})

    @property
    def text(self):
        return self.label or (self.link_page.title if self.link_page else self.link_url)

    def text_in(self, language_code, page=None):
        """The item's words in `language_code`, `page` being the page it leads to in that language
        (the linked page's translation, or the linked page itself while it has none)."""
        if (language_code or "").split("-")[0] != SPANISH:
            return self.text
        translated_page = page if page is not None and page.pk != self.link_page_id else None
        return self.label_es or (translated_page.title if translated_page else "") or self.text


# Pages ----------------------------------------------------------------------------------------


# A hero image's alt text follows the site's rule (aipg_site.alt_text): these words, else the image's
# description, else nothing when the editor says the image is decorative.
HERO_IMAGE_ALT_HELP = (
    "What the image shows, for people who cannot see it. Leave empty to use the description saved with the image."
)
HERO_IMAGE_DECORATIVE_HELP = (
    "Tick when the image only sets the mood and says nothing the page does not: screen readers then skip it."
)


class ListingFields(models.Model):
    """What a page shows of itself wherever it is listed: on cards, in search results and feeds,
    and when it is shared. Listed page types inherit it, so the fields, their help, their panels
    and their search fields are written once."""

    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences under the title; also shown on cards, in search results and feeds, "
        "and when the page is shared.",
    )
    hero_image = models.ForeignKey(
        SiteImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A wide image at the top of the page, also shown on its card and when it is shared (optional). "
        "Never choose a graphic image here: put those in the body and mark them graphic.",
    )
    hero_image_alt = models.CharField(
        max_length=250, blank=True, verbose_name="hero image alt text", help_text=HERO_IMAGE_ALT_HELP
    )
    hero_image_decorative = models.BooleanField(
        default=False, verbose_name="decorative image", help_text=HERO_IMAGE_DECORATIVE_HELP
    )

    base_form_class = HeroImagePageForm
    hero_image_panels = [FieldPanel("hero_image"), FieldPanel("hero_image_alt"), FieldPanel("hero_image_decorative")]
    listing_panels = [FieldPanel("summary"), MultiFieldPanel(hero_image_panels, heading="Image")]
    listing_search_fields = [index.SearchField("summary")]

    class Meta:
        abstract = True


# The names search results give these page types (Wagtail's, from the class names), marked for
# translation here: the results page translates the name it shows.
PAGE_TYPE_NAMES = [
    gettext_noop("Home page"),
    gettext_noop("Standard page"),
    gettext_noop("Program index page"),
    gettext_noop("Program page"),
]


class HomePage(Page):
    """The front page: the mission, headline figures, the donate call, and the latest news.

    Later sections (latest stories, upcoming observances) are filled by the apps that own them and
    stay hidden while they have nothing to show.
    """

    hero_heading = models.CharField(
        max_length=120, help_text="The large line at the top, e.g. 'Building a world that prevents genocide'."
    )
    mission_statement = models.TextField(
        max_length=600, help_text="What the institute does, in two or three sentences."
    )
    hero_image = models.ForeignKey(
        SiteImage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A wide image behind or beside the heading (optional).",
    )
    hero_image_alt = models.CharField(
        max_length=250, blank=True, verbose_name="hero image alt text", help_text=HERO_IMAGE_ALT_HELP
    )
    hero_image_decorative = models.BooleanField(
        default=False, verbose_name="decorative image", help_text=HERO_IMAGE_DECORATIVE_HELP
    )
    officials_trained = models.PositiveIntegerField(
        help_text="How many government officials the institute has trained, as a whole number."
    )
    countries_reached = models.PositiveIntegerField(help_text="How many countries those officials came from.")
    founding_year = models.PositiveSmallIntegerField(help_text="The year the institute was founded.")
    body = StreamField(BodyBlock(), blank=True, help_text="More sections below the figures (optional).")

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("hero_heading"), FieldPanel("mission_statement"), *ListingFields.hero_image_panels],
            heading="Introduction",
        ),
        MultiFieldPanel(
            [FieldPanel("officials_trained"), FieldPanel("countries_reached"), FieldPanel("founding_year")],
            heading="Headline figures",
            help_text="Shown as a row of figures and published as structured data for search engines.",
        ),
        FieldPanel("body"),
    ]
    search_fields = Page.search_fields + [index.SearchField("mission_statement"), index.SearchField("body")]

    base_form_class = HeroImagePageForm
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    @property
    def summary(self):
        return self.mission_statement

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["headline_figures"] = [
            {
                "value": f"{formats.local_number(self.officials_trained)}+",
                "label": gettext("government officials trained"),
            },
            {"value": f"{formats.local_number(self.countries_reached)}+", "label": gettext("countries they serve")},
            {"value": str(self.founding_year), "label": gettext("the year we began")},
        ]
        context["structured_data"] = self.get_structured_data(request)
        return context

    def get_structured_data(self, request):
        """schema.org data about the organisation, with the headline figures search engines can read
        (as of the page's last publication, when the editor last stated them)."""
        organisation = OrganisationSettings.for_request(request).in_active_language()
        institute = {
            **structured_data.organisation(request, organisation.name or self.title),
            "description": self.mission_statement,
            "foundingDate": str(self.founding_year),
            "telephone": organisation.phone,
            "email": organisation.email,
            "address": organisation.address,
            "sameAs": [account.url for account in organisation.social_accounts.all()],
        }
        figures = [
            (gettext("Government officials trained"), self.officials_trained),
            (gettext("Countries reached"), self.countries_reached),
        ]
        stated = self.last_published_at.date().isoformat() if self.last_published_at else None
        return {
            "@context": "https://schema.org",
            "@graph": [
                {key: value for key, value in institute.items() if value},
                *structured_data.observations(institute["@id"], figures, date=stated),
            ],
        }


class StandardPage(ListingFields, Page):  # noqa: DJ008 (Page defines __str__)
    """About, mission, history, offices, contact: any page that is mostly text and images."""

    body = StreamField(BodyBlock(), blank=True)

    content_panels = Page.content_panels + ListingFields.listing_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + ListingFields.listing_search_fields + [index.SearchField("body")]

    parent_page_types = ["aipg_site.HomePage", "aipg_site.StandardPage"]
    subpage_types = ["aipg_site.StandardPage"]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The same for every reader until the next publish: rendered once per generation.
        context["child_pages"] = fragments.shared_html(
            request,
            "child-pages",
            lambda: render_to_string(
                "aipg_site/child_pages.html",
                {"child_pages": self.get_children().live().public().specific().order_by("path")},
                request,
            ),
            self.pk,
        )
        return context


class ProgramIndexPage(ListingFields, Page):  # noqa: DJ008 (Page defines __str__)
    """The list of the institute's programs, in the order editors arrange them in the page tree."""

    body = StreamField(BodyBlock(), blank=True, help_text="More about how the programs fit together (optional).")

    content_panels = Page.content_panels + ListingFields.listing_panels + [FieldPanel("body")]
    search_fields = Page.search_fields + ListingFields.listing_search_fields

    parent_page_types = ["aipg_site.HomePage"]
    subpage_types = ["aipg_site.ProgramPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["programs"] = ProgramPage.objects.child_of(self).live().public().select_related("hero_image")
        context["structured_data"] = {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "mainEntity": [program.project_reference(request) for program in context["programs"]],
        }
        return context


class ProgramPage(ListingFields, Page):  # noqa: DJ008 (Page defines __str__)
    """One program, described as structured data: who it is for, what it produces, where and since when.

    The structure follows how prevention practices are catalogued (audience, outputs, scope, start
    year), so the same facts can be listed, filtered and published as schema.org data.
    """

    approach = models.TextField(
        blank=True, help_text="The program's method in a few sentences, e.g. learning at sites of past atrocities."
    )
    target_audience = StreamField(
        [("audience", blocks.CharBlock(max_length=160, label="Audience", icon="group"))],
        blank=True,
        help_text="Who takes part, one entry each, e.g. 'Ministry of Foreign Affairs'.",
    )
    outputs = StreamField(
        [("output", ProgramOutputBlock())], blank=True, help_text="What the program produces, one entry each."
    )
    geographical_scope = models.CharField(
        max_length=160, blank=True, help_text="Where it works, e.g. 'Global: UN member states' or 'Latin America'."
    )
    start_year = models.PositiveSmallIntegerField(null=True, blank=True, help_text="The year the program began.")
    offices = ParentalManyToManyField(
        Office, blank=True, related_name="programs", help_text="The offices that run the program."
    )
    body = StreamField(BodyBlock(), blank=True)

    content_panels = (
        Page.content_panels
        + ListingFields.listing_panels
        + [
            MultiFieldPanel(
                [
                    FieldPanel("approach"),
                    FieldPanel("target_audience"),
                    FieldPanel("outputs"),
                    FieldRowPanel([FieldPanel("geographical_scope"), FieldPanel("start_year")]),
                    FieldPanel("offices"),
                ],
                heading="Program facts",
            ),
            FieldPanel("body"),
        ]
    )
    search_fields = (
        Page.search_fields
        + ListingFields.listing_search_fields
        + [
            index.SearchField("approach"),
            index.SearchField("geographical_scope"),
            index.SearchField("body"),
        ]
    )

    parent_page_types = ["aipg_site.ProgramIndexPage"]
    subpage_types = []

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["offices"] = in_active_language(self.offices.all())
        # Stories and resources file themselves under programs (their `programs` fields), so the
        # program page lists them without editors linking both ways, in the page's language.
        stories = self.filed_here(self.stories).select_related("hero_image", "commemorationpage")
        context["related_stories"] = list(
            stories.prefetch_related("hero_image__renditions").order_by("-date", "-pk")[:RELATED_ON_PROGRAM]
        )
        resources = self.filed_here(self.resources).select_related("cover_image", "document", "collection")
        context["related_resources"] = list(
            resources.prefetch_related("cover_image__renditions").order_by("-year", "-pk")[:RELATED_ON_PROGRAM]
        )
        context["structured_data"] = self.get_structured_data(request)
        return context

    def filed_here(self, relation):
        """The live pages of `relation` (`self.stories`) in this page's language, filed under the
        program in any of its languages: a translation keeps the programs its source was filed
        under, as wagtail-localize copies many-to-many choices unchanged."""
        pages = relation.model.objects
        filed = pages.filter(programs__translation_key=self.translation_key).values("pk")
        return pages.live().public().filter(locale_id=self.locale_id, pk__in=filed)

    def project_reference(self, request):
        """The program as schema.org names it from elsewhere (the program index): a `Project` with its address."""
        url = self.get_full_url(request)
        return {"@type": "Project", "@id": f"{url}#program", "name": self.title, "url": url}

    def get_structured_data(self, request):
        """schema.org data for the program: a `Project` of the institute, where it works and since when.

        A project rather than an educational program: most programs train officials, but others build
        networks or publish, and a project fits them all. Who takes part and what it produces have no
        schema.org property on a project, so the page alone shows them.
        """
        organisation = OrganisationSettings.for_request(request).in_active_language()
        data = {
            "@context": "https://schema.org",
            **self.project_reference(request),
            "description": self.summary,
            "parentOrganization": structured_data.organisation(request, organisation.name),
        }
        if self.geographical_scope:
            data["areaServed"] = self.geographical_scope
        if self.start_year:
            data["foundingDate"] = str(self.start_year)
        offices = [
            {
                "@type": "Place",
                "name": office.city,
                "address": {"@type": "PostalAddress", "addressLocality": office.city, "addressCountry": office.country},
            }
            for office in in_active_language(self.offices.all())
        ]
        if offices:
            data["location"] = offices
        if self.hero_image:
            # Imported here: the renditions module imports this one for the image model.
            from .renditions import SOCIAL_IMAGE_SPEC

            data["image"] = self.hero_image.get_rendition(SOCIAL_IMAGE_SPEC).full_url
        return data


# Background work ------------------------------------------------------------------------------


class WorkerHeartbeat(models.Model):
    """A running task worker (`manage.py run_worker`), which touches its row every few seconds.

    A task left running by a worker whose row has gone quiet was cut off (the process was killed,
    the machine lost): another worker puts it back in the queue (`aipg_site/worker.py`).
    """

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self):
        return f"worker {self.worker_id} (pid {self.pid} on {self.hostname})"


class PeriodicTaskSchedule(models.Model):
    """When a periodic task (settings.PERIODIC_TASKS) is next due. The worker that moves `next_run_at`
    on enqueues the task, so with any number of workers it is enqueued once per interval."""

    task_path = models.CharField(max_length=255, unique=True)
    next_run_at = models.DateTimeField(default=timezone.now)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.task_path} next at {self.next_run_at:%Y-%m-%d %H:%M:%S}"


class RateLimitCounter(models.Model):
    """Requests from one client address in one fixed window (`aipg_site.ratelimit`)."""

    bucket = models.CharField(max_length=20)
    address = models.CharField(max_length=64)
    window_start = models.DateTimeField(db_index=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["bucket", "address", "window_start"], name="ratelimit_one_counter")
        ]

    def __str__(self):
        return f"{self.bucket} {self.address} {self.window_start:%Y-%m-%d %H:%M}: {self.count}"
