"""What `make bench` generates and measures: the one file to extend as the site grows.

Two sites are built in every run, `small` and `large`, from the same demo content plus what the
generators add; every page is measured on both, so the cost of growth shows as a ratio.

To add a part of the site:
1. write `def generate_<thing>(home, size, images)` below: it builds content under `home` with
   `bulk.add_children` (thousands of pages in seconds) and reads its counts from `size`;
2. add it to `GENERATORS`, and its counts to both `SIZES`;
3. add the pages to measure to `PAGES`: a name, and a function of `home` returning the path.

`home` is the English home page; the Spanish pages are its translations (`generate_spanish`), so a
path meant in English looks below `home`, where no Spanish page is.
"""

import datetime
import itertools
import math

from django.core.files.base import ContentFile
from wagtail.models import Locale, Site

from aipg_site.models import ProgramIndexPage, ProgramPage, StandardPage, Topic
from aipg_site.sitemaps import PageSitemap
from resources.demo_pdf import build_pdf
from resources.models import (
    AnnualReportIndexPage,
    AnnualReportPage,
    LibraryDocument,
    ResourceCollection,
    ResourceLibraryPage,
    ResourcePage,
)
from stories.models import STORIES_PER_PAGE, CommemorationPage, Observance, StoryIndexPage, StoryPage

from .bulk import add_children

SIZES = {
    "small": {
        "archive_pages": 10,
        "programs": 6,
        # With the 30 commemorations, 70 stories dated in 2024, 14 under each topic: the filtered story
        # index lists a full page (12 cards) here as on the large site, as the library does (below).
        "stories": 100,
        "observances": 30,
        "commemoration_years": 1,
        # Enough that the filtered library lists a full page (20 cards) here as on the large site:
        # the comparison is then of what the site's size costs, not of how many cards are shown.
        "resources": 200,
        "annual_reports": 2,
        "spanish_stories": 10,
    },
    "large": {
        "archive_pages": 10_000,
        "programs": 6,
        "stories": 10_000,
        "observances": 30,
        "commemoration_years": 10,
        "resources": 2_000,
        "annual_reports": 10,
        "spanish_stories": 1_000,
    },
}
# Resources share a few generated PDFs: the pages, not the files, are what grows.
BENCH_DOCUMENTS = 10
LIBRARY_OPENED = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)


def generate_programs(home, size, images):
    """The programs section with a handful of programs (the demo content has none yet)."""
    index = ProgramIndexPage.objects.child_of(home).first()
    if index is None:
        index = add_children(home, [ProgramIndexPage(title="Programs", slug="programs", summary="How we train.")])[0]
    add_children(
        index,
        [
            ProgramPage(
                title=f"Program {number}",
                slug=f"program-{number}",
                summary="A program that trains government officials to recognise and act on warning signs.",
                approach="Learning at sites of past atrocities, followed by years of accompaniment.",
                geographical_scope="Global",
                start_year=2008 + number,
                hero_image=next(images),
                target_audience=[{"type": "audience", "value": "Ministries of Foreign Affairs"}],
            )
            for number in range(1, size["programs"] + 1)
        ],
    )


def generate_archive(home, size, images):
    """Text pages with images, in sections of 100: the stand-in for stories until they exist.

    They make the sitemap and the search index as big as the large site's will be."""
    archive = add_children(
        home, [StandardPage(title="Archive", slug="archive", summary="Earlier pages, kept for reference.")]
    )[0]
    count = size["archive_pages"]
    sections = add_children(
        archive,
        [
            StandardPage(title=f"Archive section {number}", slug=f"section-{number}", summary="Earlier pages.")
            for number in range(1, (count + 99) // 100 + 1)
        ],
        index=False,
    )
    numbers = iter(range(1, count + 1))
    for section in sections:
        add_children(
            section,
            [
                StandardPage(
                    title=f"Prevention in practice, part {number}",
                    slug=f"page-{number}",
                    summary="How officials trained by the institute used early warning in their own countries.",
                    hero_image=next(images),
                    body=[
                        {"type": "heading", "value": {"text": "What happened", "level": "h2"}},
                        {"type": "paragraph", "value": "<p>Officials met, compared risks and agreed on steps.</p>"},
                    ],
                )
                for number in itertools.islice(numbers, 100)
            ],
        )


def generate_stories(home, size, images):
    """Observances, a commemoration per observance and year, and stories of impact up to `stories`.

    Stories carry images and topics, so listings, related stories and filters do their real work."""
    index = StoryIndexPage.objects.child_of(home).get()
    # Observances, topics and collections are translatable: the English rows, as an editor working
    # in English would choose them (their Spanish translations share the slug).
    existing = Observance.objects.filter(locale=home.locale).count()
    observances = Observance.objects.bulk_create(
        Observance(
            locale=home.locale,
            name=f"Bench observance {number}",
            slug=f"bench-observance-{number}",
            month=number % 12 + 1,
            day=number % 28 + 1,
            established_by="a national parliament",
            established_how="a law",
            established_year=2000,
            description="A day of remembrance generated for the benchmark.",
        )
        for number in range(1, size["observances"] - existing + 1)
    )
    commemorations = [
        CommemorationPage(
            title=f"{year} {observance.name}",
            slug=f"{year}-{observance.slug}",
            date=datetime.date(year, observance.month, observance.day),
            summary="The institute marks the day with its partners.",
            hero_image=next(images),
            hero_image_alt="",
            observance=observance,
            year=year,
            # What saving a post fills in, which pages written in bulk are not.
            post_locale_id=index.locale_id,
        )
        for observance in observances
        for year in range(2025 - size["commemoration_years"] + 1, 2026)
    ]
    add_children(index, commemorations)
    # Newest first: the first stories fall in 2024 (the year the filtered index is measured with),
    # then back a day each to 2000.
    last_day = datetime.date(2024, 8, 20)
    stories = add_children(
        index,
        [
            StoryPage(
                title=f"Prevention in practice, story {number}",
                slug=f"bench-story-{number}",
                date=last_day - datetime.timedelta(days=(number - 1) % 9000),
                summary="How officials trained by the institute used early warning in their own countries.",
                hero_image=next(images),
                hero_image_alt="",
                body=[{"type": "paragraph", "value": "<p>Officials met, compared risks and agreed on steps.</p>"}],
            )
            for number in range(1, max(size["stories"] - len(commemorations), 0) + 1)
        ],
    )
    topics = list(Topic.objects.filter(locale=home.locale))
    if topics:
        StoryPage.topics.through.objects.bulk_create(
            StoryPage.topics.through(storypage_id=story.pk, topic_id=topics[number % len(topics)].pk)
            for number, story in enumerate(stories)
        )


def generate_library(home, size, images):
    """Resources up to `resources` across the demo collections, and annual reports up to `annual_reports` years.

    Resources carry covers, documents and topics, so the library's cards, filters and feed do their real work."""
    library = ResourceLibraryPage.objects.child_of(home).get()
    collections = list(ResourceCollection.objects.filter(locale=home.locale).order_by("sort_order"))
    documents = [
        LibraryDocument.objects.create(
            title=f"Bench document {number}",
            file=ContentFile(build_pdf(f"Bench document {number}", "Benchmark", ["Text."], number + 1), "bench.pdf"),
        )
        for number in range(1, BENCH_DOCUMENTS + 1)
    ]
    existing = ResourcePage.objects.exact_type(ResourcePage).count()
    resources = add_children(
        library,
        [
            ResourcePage(
                title=f"Prevention policy paper {number}",
                slug=f"bench-resource-{number}",
                kind="policy-paper",
                collection=collections[number % (len(collections) - 1)],
                year=1990 + number % 36,
                language="es" if number % 5 == 0 else "en",
                summary="What officials can do when the first warning signs of atrocity risk appear.",
                cover_image=next(images),
                document=documents[number % len(documents)],
                # Added to the library over the years, as on a live site (the feed lists the newest).
                first_published_at=LIBRARY_OPENED + datetime.timedelta(hours=number),
            )
            for number in range(1, max(size["resources"] - existing, 0) + 1)
        ],
    )
    topics = list(Topic.objects.filter(locale=home.locale))
    if topics:
        ResourcePage.topics.through.objects.bulk_create(
            ResourcePage.topics.through(resourcepage_id=resource.pk, topic_id=topics[number % len(topics)].pk)
            for number, resource in enumerate(resources)
        )
    reports_index = AnnualReportIndexPage.objects.child_of(home).get()
    have = set(AnnualReportPage.objects.values_list("year", flat=True))
    years = [year for year in range(2025, 1990, -1) if year not in have][: max(size["annual_reports"] - len(have), 0)]
    add_children(
        reports_index,
        [
            AnnualReportPage(
                title=f"Annual Report {year}",
                slug=str(year),
                kind="annual-report",
                collection=reports_index.collection,
                year=year,
                report_year=year,
                report_locale=reports_index.locale,
                summary="The year's programs, participants and finances.",
                cover_image=next(images),
                document=documents[year % len(documents)],
                officials_trained=400,
                countries=50,
                programs_run=20,
            )
            for year in years
        ],
    )


def generate_spanish(home, size, images):
    """The site in Spanish, as far as readers meet it first: the home page and the stories, with
    `spanish_stories` of the English stories translated, so the language switcher, the `hreflang`
    alternates and the sitemap's alternates find their pairs."""
    spanish = Locale.objects.get(language_code="es")
    _translated(home, spanish, "Inicio")
    index = StoryIndexPage.objects.child_of(home).get()
    spanish_index = _translated(index, spanish, "Historias")
    already = StoryPage.objects.filter(locale=spanish).values("translation_key")
    sources = list(
        StoryPage.objects.live()
        .child_of(index)
        .exact_type(StoryPage)
        .exclude(translation_key__in=already)
        .order_by("path")[: size["spanish_stories"]]
    )
    add_children(
        spanish_index,
        [
            StoryPage(
                title=f"La prevención en la práctica, historia {number}",
                slug=source.slug,
                date=source.date,
                summary="Cómo usaron la alerta temprana en sus países funcionarios formados por el instituto.",
                hero_image=next(images),
                hero_image_alt="",
                body=[
                    {
                        "type": "paragraph",
                        "value": "<p>Los funcionarios se reunieron, compararon los riesgos y acordaron qué hacer.</p>",
                    }
                ],
            )
            for number, source in enumerate(sources, start=1)
        ],
        translation_of=sources,
    )


def _translated(page, locale, title):
    """The page's live translation into `locale`, made (titled `title`) and published here when the
    demo has none."""
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale)
        translation.title = title
    if not translation.live:
        translation.save_revision().publish()
    return translation.specific


GENERATORS = [generate_programs, generate_archive, generate_stories, generate_library, generate_spanish]


def _first(model, home):
    return model.objects.descendant_of(home).live().order_by("path").first().url


PAGES = [
    ("home", lambda home: "/"),
    ("about", lambda home: "/about/"),
    ("program index", lambda home: _first(ProgramIndexPage, home)),
    ("program", lambda home: _first(ProgramPage, home)),
    (
        "archived page",
        lambda home: StandardPage.objects.descendant_of(home).filter(depth=home.depth + 3).order_by("-path")[0].url,
    ),
    ("story index", lambda home: "/stories/"),
    ("story index, last page", lambda home: f"/stories/?page={_story_pages(home)}"),
    ("story index, filtered", lambda home: f"/stories/?topic={Topic.objects.order_by('slug')[0].slug}&year=2024"),
    ("story", lambda home: StoryPage.objects.descendant_of(home).live().exact_type(StoryPage).order_by("-path")[0].url),
    ("commemoration", lambda home: CommemorationPage.objects.descendant_of(home).live().order_by("-path")[0].url),
    ("observance calendar", lambda home: "/commemorations/"),
    ("iCal file", lambda home: "/feeds/observances.ics"),
    ("story feed", lambda home: "/feeds/stories/rss/"),
    ("resource library", lambda home: "/resources/"),
    (
        "resource library, filtered",
        lambda home: f"/resources/?topic={Topic.objects.order_by('slug')[0].slug}&language=en&sort=title",
    ),
    (
        "resource",
        lambda home: ResourcePage.objects.descendant_of(home).live().exact_type(ResourcePage).order_by("-path")[0].url,
    ),
    ("annual report", lambda home: AnnualReportPage.objects.descendant_of(home).live().order_by("-year")[0].url),
    ("library feed", lambda home: "/feeds/library/rss/"),
    ("donate", lambda home: "/donate/"),
    # A query every generated page matches (the newest 200 are listed), and one only a few demo pages match.
    ("search", lambda home: "/search/?q=prevention+officials"),
    ("search, a rare word", lambda home: "/search/?q=cambodia"),
    ("home, in Spanish", lambda home: "/es/"),
    # The demo gives the Spanish pages Spanish slugs (/es/historias/).
    (
        "story index, in Spanish",
        lambda home: (
            StoryIndexPage.objects.child_of(home).get().get_translation(Locale.objects.get(language_code="es")).url
        ),
    ),
    (
        "story, in Spanish",
        lambda home: StoryPage.objects.live().filter(locale__language_code="es").order_by("-path")[0].url,
    ),
    ("sitemap index", lambda home: "/sitemap.xml"),
    ("sitemap, last file", lambda home: _last_sitemap_file(home)),
]


def _story_pages(home):
    return max(math.ceil(StoryPage.objects.descendant_of(home).live().count() / STORIES_PER_PAGE), 1)


def _last_sitemap_file(home):
    files = math.ceil(PageSitemap().items().count() / PageSitemap.limit)
    return "/sitemap-pages.xml" + (f"?p={files}" if files > 1 else "")


def home_page():
    """The English home page, where the generators start (the Spanish one is its translation)."""
    return Site.objects.get(is_default_site=True).root_page.specific
