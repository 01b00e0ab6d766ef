"""Stories of impact, the yearly commemorations of observances, and the observance calendar.

A `CommemorationPage` is a `StoryPage` (multi-table inheritance), so the story index, the feeds and
the related stories treat both alike with one query, and a commemoration adds only its observance
and year.
"""

import calendar
import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Locale, Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from aipg_site import formats, fragments, page_cache, structured_data
from aipg_site.language import page_language
from aipg_site.models import ListingFields, OrganisationSettings, ProgramPage, Region, Topic, current_year
from aipg_site.pagination import paginate
from aipg_site.renditions import SOCIAL_IMAGE_SPEC
from aipg_site.snippet_translations import (
    TranslatableSnippet,
    in_active_language,
    one_per_translation,
    unique_per_language,
)

from .blocks import StoryBodyBlock, graphic_images
from .filters import StoryFilterSet
from .forms import StoryPageForm

RELATED_STORIES = 3
# Related stories are chosen among this many of the newest stories sharing a topic: recent work is
# the more relevant, and the choice costs the same however many stories the site holds.
RELATED_CANDIDATES = 100
STORIES_PER_PAGE = 12
# The observance calendar lists each day's posts of its latest few years, and leads to the rest through
# the newest post (which lists every year): the page stays the same length as the years go by.
PAST_YEARS_SHOWN = 3
# Which years' posts a calendar file (/feeds/observances.ics) links: last year's, this year's and next
# year's. Calendar apps show the coming days and the recent past, and the post for a day early in the
# new year is often published in December; older posts are on the calendar page and on each post.
# Listing every year made the file grow with the site (300 occurrences for 30 days over ten years).
# No day is lost by it: each observance stays one event repeating every year, and a year outside the
# window shows that event without the link to its post.
CALENDAR_FILE_YEARS_BEFORE = 1
CALENDAR_FILE_YEARS_AFTER = 1


# Observances ----------------------------------------------------------------------------------


class Observance(TranslatableSnippet, index.Indexed, models.Model):
    """A day observed every year, such as 9 December. Commemoration posts are tied to one.

    The date is a month and a day with no year and no time zone: an all-day date wherever the reader
    is. 29 February is kept on the last day of February in other years, in the pages and in the
    calendar files alike.

    Translatable: a Spanish commemoration names its observance in Spanish. The date, the year and
    the slug (the calendar file's address) are the same in every language, so wagtail-localize copies
    them from the English observance.
    """

    name = models.CharField(
        max_length=200,
        help_text="The observance's full official name, e.g. 'International Day of Reflection on the 1994 "
        "Genocide against the Tutsi in Rwanda'.",
    )
    short_name = models.CharField(
        max_length=80,
        blank=True,
        help_text="A shorter name for lists and the dashboard, e.g. 'International Day of Commemoration' (optional).",
    )
    slug = models.SlugField(
        max_length=80,
        help_text="Used in addresses, e.g. the observance's own calendar file. Keep it once published.",
    )
    month = models.PositiveSmallIntegerField(
        choices=[(number, calendar.month_name[number]) for number in range(1, 13)],
        help_text="The month it falls in every year.",
    )
    day = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(31)], help_text="The day of the month, 1 to 31."
    )
    established_by = models.CharField(
        max_length=200,
        help_text="Who established it, as it reads after 'by', e.g. 'the United Nations General Assembly'.",
    )
    established_how = models.CharField(
        max_length=200,
        blank=True,
        help_text="How it was established, e.g. 'Resolution 69/323' (optional).",
    )
    established_year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1900), MaxValueValidator(2100)],
        help_text="The year it was established or first observed; calendar files start their yearly events there.",
    )
    description = models.TextField(
        help_text="What the day remembers and why it falls on that date, in two to four sentences."
    )
    link = models.URLField(blank=True, help_text="An official page about the observance (optional).")
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("month"), FieldPanel("day")]),
        MultiFieldPanel(
            [
                FieldPanel("established_by"),
                FieldRowPanel([FieldPanel("established_how"), FieldPanel("established_year")]),
            ],
            heading="Established",
        ),
        FieldPanel("description"),
        FieldPanel("link"),
    ]
    # Site search finds the day by any of these: its names, what it remembers, who established it.
    # The admin's listing searches the autocomplete fields, as editors type.
    search_fields = [
        index.SearchField("name", boost=3),
        index.SearchField("short_name", boost=2),
        index.AutocompleteField("name"),
        index.AutocompleteField("short_name"),
        index.AutocompleteField("description"),
        index.SearchField("description"),
        index.SearchField("established_by"),
        index.SearchField("established_how"),
        index.FilterField("locale"),
    ]
    override_translatable_fields = [SynchronizedField("slug", overridable=False)]

    class Meta(TranslatableSnippet.Meta):
        ordering = ["month", "day", "name"]
        constraints = [unique_per_language("name", "observance"), unique_per_language("slug", "observance")]

    def __str__(self):
        return self.name

    def clean(self):
        # Checked against a leap year, so that 29 February is allowed.
        if self.month and self.day and self.day > calendar.monthrange(2024, self.month)[1]:
            raise ValidationError({"day": f"{calendar.month_name[self.month]} has no day {self.day}."})

    @property
    def display_name(self):
        return self.short_name or self.name

    @property
    def every_year_on(self):
        """Its day and month in the reader's language, "9 December", "9 de diciembre" (a leap year
        holds 29 February)."""
        return formats.local_date(datetime.date(2024, self.month, self.day), "day_month")

    @property
    def is_leap_day(self):
        return self.month == 2 and self.day == 29

    def date_in(self, year):
        """The day it is observed in `year`: 29 February falls back to the 28th outside leap years."""
        if self.is_leap_day and not calendar.isleap(year):
            return datetime.date(year, 2, 28)
        return datetime.date(year, self.month, self.day)

    def next_occurrence(self, today=None):
        """Its next day, today included; after this year's day has passed, next year's."""
        today = today or timezone.localdate()
        this_year = self.date_in(today.year)
        return this_year if this_year >= today else self.date_in(today.year + 1)

    def last_observed_year(self, today=None):
        """The year of its latest day so far, today included: this year once the day has come, else
        last year. A post written ahead for a day still to come is not yet one of its past years."""
        today = today or timezone.localdate()
        return today.year if self.date_in(today.year) <= today else today.year - 1

    @classmethod
    def upcoming(cls, today=None, within_days=None, limit=None):
        """Observances by their next day, soonest first, each with that day as `next_date`: each
        observance once, in the reader's language where it is translated.

        There are a few dozen observances at most, so they are sorted here rather than in SQL,
        where the year's end and 29 February would need database-specific date arithmetic.
        """
        today = today or timezone.localdate()
        observances = one_per_translation(cls.objects.all())
        for observance in observances:
            observance.next_date = observance.next_occurrence(today)
            observance.days_away = (observance.next_date - today).days
        observances.sort(key=lambda observance: (observance.next_date, observance.name))
        if within_days is not None:
            horizon = today + datetime.timedelta(days=within_days)
            observances = [observance for observance in observances if observance.next_date <= horizon]
        return observances[:limit] if limit else observances


# Pages ----------------------------------------------------------------------------------------

# The names search results give these page types (Wagtail's, from the class names), marked for
# translation here: the results page translates the name it shows.
PAGE_TYPE_NAMES = [gettext_noop("Story index page"), gettext_noop("Observance calendar page")]


class StoryIndexPage(ListingFields, Page):
    """/stories/: every story and commemoration, newest first, with filters readers can combine.

    Filters come from the query string (topic, region, program, year); values that match nothing
    known are ignored with a notice rather than failing, so old or mistyped links still work.
    """

    content_panels = Page.content_panels + ListingFields.listing_panels
    search_fields = Page.search_fields + ListingFields.listing_search_fields

    parent_page_types = ["aipg_site.HomePage"]
    subpage_types = ["stories.StoryPage", "stories.CommemorationPage"]
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = StoryPage.objects.child_of(self).live().public()
        filters = StoryFilterSet(request.GET, stories, locale=self.locale_id)
        context["filters"] = filters
        matching = listing(filters.qs).order_by("-date", "-pk")
        context["page_obj"] = paginate(request, matching, STORIES_PER_PAGE, count=page_cache.count(matching))
        return context


# The editor's panels for a story, shared by commemorations (which add their observance first).
STORY_PANELS = [
    FieldPanel("date"),
    FieldPanel("summary"),
    MultiFieldPanel(ListingFields.hero_image_panels, heading="Image"),
    FieldPanel("content_note"),
    FieldPanel("body"),
    MultiFieldPanel(
        [
            FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
            FieldPanel("regions", widget=forms.CheckboxSelectMultiple),
            FieldPanel("programs", widget=forms.CheckboxSelectMultiple),
        ],
        heading="Filing",
    ),
    InlinePanel(
        "related_links",
        heading="Related stories",
        label="Related story",
        max_num=RELATED_STORIES,
        help_text="Up to three. When fewer are chosen, stories sharing the most topics fill the rest.",
    ),
]


class StoryPage(ListingFields, Page):
    """A story of impact: what a program did, for whom, with whose words.

    Every story opens with the donate call, as the institute's posts always have, and ends with
    related stories: those the editor chose, then others sharing the most topics, up to three.
    """

    date = models.DateField(
        default=timezone.localdate, help_text="The date shown on the post, usually the day it is published."
    )
    content_note = models.TextField(
        max_length=400,
        blank=True,
        help_text="A short note shown under the title, before any image, when the story describes violence or "
        "other distressing events, e.g. 'This story describes mass killings and includes survivors' testimony'. "
        "Needed before publishing a story with a graphic image.",
    )
    body = StreamField(
        StoryBodyBlock(),
        blank=True,
        help_text="The story. Quotes carry the speaker's name and role; tick 'graphic' on distressing images.",
    )
    topics = ParentalManyToManyField(
        Topic, blank=True, related_name="stories", help_text="Themes readers can filter by; also pick related stories."
    )
    regions = ParentalManyToManyField(
        Region, blank=True, related_name="stories", help_text="Where the story takes place."
    )
    programs = ParentalManyToManyField(
        ProgramPage, blank=True, related_name="stories", help_text="The programs the story is about."
    )

    content_panels = Page.content_panels + STORY_PANELS
    base_form_class = StoryPageForm
    search_fields = (
        Page.search_fields
        + ListingFields.listing_search_fields
        + [
            index.SearchField("body"),
            index.FilterField("date"),
        ]
    )

    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = gettext_lazy("story")
        verbose_name_plural = "stories"
        # Every listing shows the newest first: read from the index, a page of 12 costs the same at any size.
        indexes = [models.Index(fields=["-date", "-page_ptr"], name="story_newest")]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The same for every reader until the next publish: worked out once per generation (a
        # preview works them out afresh from the draft).
        context.update(fragments.shared(request, "story-parts", lambda: self.shared_parts(request), self.pk))
        return context

    def shared_parts(self, request):
        """What the story shows around its body, as markup and data: its filing (topics, regions,
        programs), the related stories, its index's address and its structured data."""
        topics = list(self.topics.all())
        # Shown in the reader's language; related stories are found by the rows the page points at.
        filing = {
            "topics": in_active_language(topics),
            "regions": in_active_language(self.regions.all()),
            # In previews the relations are in-memory lists, so filter in Python rather than in SQL.
            "programs": [program for program in self.programs.all() if program.live],
            "listing_url": self.get_parent().get_url(request),
        }
        related = self.related_stories([topic.pk for topic in topics])
        return {
            "index_url": filing["listing_url"],
            "filing": render_to_string("components/filing.html", filing, request),
            "related": render_to_string("stories/related_stories.html", {"related_stories": related}, request)
            if related
            else "",
            "structured_data": self.get_structured_data(request, filing["topics"]),
            "has_graphic_images": bool(graphic_images(self.body)),
        }

    def related_stories(self, topic_ids):
        """The chosen related stories, then those sharing the most topics (of the newest
        RELATED_CANDIDATES sharing any), three in all, in the story's own language.

        A translation keeps the links of its source, which name stories in the source's language
        (wagtail-localize copies links to pages as they are): each is shown in this story's language,
        and left out where it has no translation yet."""
        links = [link.story_id for link in self.related_links.all() if link.story_id and link.story_id != self.pk]
        in_language = StoryPage.objects.live().public().filter(locale_id=self.locale_id)
        stories = []
        if links:
            keys = dict(StoryPage.objects.filter(pk__in=links).values_list("pk", "translation_key"))
            chosen = in_language.filter(translation_key__in=keys.values()).exclude(pk=self.pk)
            by_key = {story.translation_key: story for story in listing(chosen)}
            stories = [by_key[keys[pk]] for pk in links if keys.get(pk) in by_key][:RELATED_STORIES]
        missing = RELATED_STORIES - len(stories)
        if missing > 0 and topic_ids:
            candidates = (
                in_language.filter(topics__in=topic_ids)
                .exclude(pk__in=[self.pk, *(story.pk for story in stories)])
                .order_by("-date", "-pk")
                .values("pk")[:RELATED_CANDIDATES]
            )
            sharing = (
                StoryPage.objects.filter(pk__in=candidates)
                .annotate(shared_topics=Count("topics", filter=Q(topics__in=topic_ids)))
                .order_by("-shared_topics", "-date", "-pk")
            )
            stories += list(listing(sharing)[:missing])
        return stories

    def get_structured_data(self, request, topics):
        """schema.org `Article` data, for search engines and link previews."""
        organisation = OrganisationSettings.for_request(request).in_active_language()
        institute = structured_data.organisation(request, organisation.name)
        data = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.summary,
            "datePublished": self.date.isoformat(),
            "url": self.get_full_url(request),
            "mainEntityOfPage": self.get_full_url(request),
            "inLanguage": page_language(),
            "keywords": [topic.name for topic in topics],
            "author": institute,
            "publisher": institute,
        }
        if self.last_published_at:
            data["dateModified"] = self.last_published_at.isoformat()
        # The image a shared link shows (templates/components/meta_tags.html): the story's own, else
        # the organisation's default.
        image = self.hero_image or organisation.default_social_image
        if image:
            data["image"] = image.get_rendition(SOCIAL_IMAGE_SPEC).full_url
        return data

    @property
    def article_published_time(self):
        """The date link previews give the post (Open Graph's article:published_time): the one it shows."""
        return self.date.isoformat()

    @property
    def listing_meta(self):
        """The line above the title on a card: the date, and what kind of post it is."""
        date = formats.local_date(self.date, "long")
        return _("Commemoration · %(date)s") % {"date": date} if self.is_commemoration else date

    @property
    def is_commemoration(self):
        """True for a commemoration, also when loaded as a plain story in a listing."""
        return isinstance(self, CommemorationPage) or hasattr(self, "commemorationpage")


COMMEMORATION_DATE_HELP = (
    "The date shown on the post: the observance's day in that year, as filled in when the post is started "
    "from the dashboard. Another date is allowed, and saving one brings a reminder."
)


class CommemorationPage(StoryPage):
    """This year's post for an observance: a story tied to one observance and one year.

    There is one per observance, year and language (the Spanish post is a translation of the English
    one, not a second post). A second is refused in the editor with a message naming
    the first; the database holds the same rule. The dashboard's "upcoming observances" panel links
    to a new one with the observance and year already filled in.
    """

    observance = models.ForeignKey(
        Observance,
        on_delete=models.PROTECT,
        related_name="commemorations",
        help_text="The observance this post marks. Add new observances under Snippets.",
    )
    year = models.PositiveSmallIntegerField(
        default=current_year,
        validators=[MinValueValidator(1945), MaxValueValidator(2100)],
        help_text="The year this post commemorates; one post per observance and year.",
    )
    # A copy of the page's locale, which lives on Wagtail's page table, so that the unique constraint
    # can hold it.
    post_locale = models.ForeignKey(Locale, on_delete=models.PROTECT, related_name="+", editable=False)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("observance"), FieldPanel("year")], heading="Commemorates"),
        # STORY_PANELS begins with the date, given here its own help: a commemoration is dated on its day.
        FieldPanel("date", help_text=COMMEMORATION_DATE_HELP),
        *STORY_PANELS[1:],
    ]

    parent_page_types = ["stories.StoryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = gettext_lazy("commemoration")
        constraints = [
            models.UniqueConstraint(
                fields=["observance", "year", "post_locale"],
                name="one_commemoration_per_observance_year_and_language",
                violation_error_message="This observance already has a commemoration post for that year.",
            )
        ]

    def clean(self):
        super().clean()
        self.name_observance_in_own_language()
        if self.observance_id and self.year:
            existing = (
                CommemorationPage.objects.filter(
                    observance_id=self.observance_id,
                    year=self.year,
                    locale_id=self.locale_id or Locale.get_default().pk,
                )
                .exclude(pk=self.pk)
                .first()
            )
            if existing:
                raise ValidationError(
                    {
                        "year": f"“{existing.title}” already commemorates {self.observance} in {self.year}. "
                        "Edit that post instead, or choose another year."
                    }
                )

    def name_observance_in_own_language(self):
        """Point at the observance's row in the post's own language, making it (an untranslated copy,
        for a translator to take up) when there is none yet.

        A post copied into another language (Wagtail's "copy for translation", which wagtail-localize
        starts with) keeps its source's observance; with each language's posts naming that language's
        observance, a Spanish post names its day in Spanish, as wagtail-localize's own translation of
        the relation does.
        """
        if not self.observance_id or not self.locale_id:
            return
        observance = self.observance
        if observance.locale_id == self.locale_id:
            return
        translation = observance.get_translation_or_none(self.locale_id)
        if translation is None:
            translation = observance.copy_for_translation(self.locale)
            translation.save()
        self.observance = translation

    def validate_constraints(self, exclude=None):
        # `clean` already refuses a second post with a message naming the first; the constraint's own
        # message would repeat it less helpfully.
        super().validate_constraints(exclude={*(exclude or ()), "observance", "year", "post_locale"})

    def save(self, *args, **kwargs):
        if self.locale_id is None:
            self.locale = self.get_default_locale()
        self.post_locale_id = self.locale_id
        self.name_observance_in_own_language()
        super().save(*args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["observance"] = self.observance
        context["observance_date"] = self.observance.date_in(self.year)
        calendar_page = self.calendar_page
        context["observance_url"] = (
            f"{calendar_page.get_url(request)}#{self.observance.slug}" if calendar_page else self.observance.link
        )
        context["other_years"] = list(
            CommemorationPage.objects.live()
            .public()
            .filter(
                locale_id=self.locale_id,
                observance_id=self.observance_id,
                year__lte=self.observance.last_observed_year(),
            )
            .exclude(pk=self.pk)
            .order_by("-year")
            .only("title", "year", "url_path", "path", "depth")
        )
        return context

    def get_structured_data(self, request, topics):
        data = super().get_structured_data(request, topics)
        data["about"] = observance_data(self.observance, self.calendar_page, request)
        # The day the post marks, all day.
        data["temporalCoverage"] = self.observance.date_in(self.year).isoformat()
        return data

    @cached_property
    def calendar_page(self):
        """The calendar that lists the observance, in the post's language, whose entry for it the page links to."""
        return ObservanceCalendarPage.objects.live().filter(locale_id=self.locale_id).first()

    def pages_showing_it(self):
        """Besides its ancestors, the calendar in its language lists it: a CDN forgets that too when
        it is published or withdrawn (aipg_site/cdn.py)."""
        return ObservanceCalendarPage.objects.live().filter(locale_id=self.locale_id)


class StoryRelatedLink(Orderable):
    page = ParentalKey(StoryPage, on_delete=models.CASCADE, related_name="related_links")
    story = models.ForeignKey(
        StoryPage, on_delete=models.CASCADE, related_name="+", help_text="A story or commemoration to suggest."
    )

    panels = [FieldPanel("story")]


class ObservanceCalendarPage(ListingFields, Page):
    """/commemorations/: every observance, the next one first, with its posts of past years.

    The calendar files (all observances, or one) live at /feeds/observances.ics and
    /feeds/observances/<slug>.ics (/es/feeds/... in Spanish), so calendar apps can subscribe to them.
    """

    content_panels = Page.content_panels + ListingFields.listing_panels
    search_fields = Page.search_fields + ListingFields.listing_search_fields

    parent_page_types = ["aipg_site.HomePage"]
    subpage_types = []
    max_count = 1

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        today = timezone.localdate()
        observances = Observance.upcoming(today=today)
        # The posts in the calendar's own language, by observance whichever row (language) they name:
        # each observance's newest few up to this year. Two more than are shown: this year's may be
        # for a day still to come, and one more says whether there are earlier years to link to.
        posts = {}
        for post in (
            CommemorationPage.objects.live()
            .public()
            .filter(
                locale_id=self.locale_id,
                observance__translation_key__in=[o.translation_key for o in observances],
                year__lte=today.year,
            )
            .annotate(
                newest=Window(RowNumber(), partition_by=F("observance__translation_key"), order_by=F("year").desc())
            )
            .filter(newest__lte=PAST_YEARS_SHOWN + 2)
            .order_by("-year")
            .select_related("observance")
            .only("title", "year", "observance__translation_key", "url_path", "path", "depth")
        ):
            posts.setdefault(post.observance.translation_key, []).append(post)
        for observance in observances:
            past_years = observance.last_observed_year(today)
            past = [post for post in posts.get(observance.translation_key, []) if post.year <= past_years]
            observance.posts = past[:PAST_YEARS_SHOWN]
            observance.earlier_posts = len(past) > PAST_YEARS_SHOWN
        context["observances"] = observances
        context["calendar_file_years"] = calendar_file_years(today)
        context["structured_data"] = {
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "inLanguage": page_language(),
            "mainEntity": [observance_data(observance, self, request) for observance in observances],
        }
        return context


# Helpers --------------------------------------------------------------------------------------


def calendar_file_years(today=None):
    """The first and last year whose posts the calendar files link (see CALENDAR_FILE_YEARS_BEFORE)."""
    year = (today or timezone.localdate()).year
    return year - CALENDAR_FILE_YEARS_BEFORE, year + CALENDAR_FILE_YEARS_AFTER


def listing(stories):
    """`stories` ready for cards: image and renditions fetched in bulk, commemorations told apart."""
    return stories.select_related("hero_image", "commemorationpage").prefetch_related("hero_image__renditions")


def observance_data(observance, calendar_page, request):
    """schema.org data for an observance: a named day that comes back every year, all day.

    Not an `Event`: search engines take an event to be held at a place, online or not, and require
    that place; an observance is kept wherever people keep it, and the site knows of no place to
    name. A yearly `Schedule` says what the day is and when it falls, with no time and no invented
    place. Its address is its entry on the calendar page (`calendar_page`, None while none is live).
    """
    entry = f"{calendar_page.get_full_url(request)}#{observance.slug}" if calendar_page else ""
    data = {
        "@type": "Schedule",
        "name": observance.name,
        "description": observance.description,
        "repeatFrequency": "P1Y",
        # 29 February stays 29 here; the pages and the calendar files say it falls on the 28th in
        # other years, which schema.org's schedules cannot express.
        "byMonth": observance.month,
        "byMonthDay": observance.day,
        "startDate": observance.date_in(observance.established_year).isoformat(),
    }
    if observance.short_name:
        data["alternateName"] = observance.short_name
    if entry:
        data["@id"] = data["url"] = entry
        if observance.link:
            data["sameAs"] = observance.link
    elif observance.link:
        data["url"] = observance.link
    return data
