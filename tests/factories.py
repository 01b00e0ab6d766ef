"""Factories for every page type, and a way to build any of them under a parent it allows.

`PAGE_FACTORIES` must name a factory for every page model in the project: the page-type tests fail
for a model without one, so a new page type cannot slip in untested.
"""

import datetime

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.models import Page

from aipg_site.models import HomePage, Office, ProgramIndexPage, ProgramPage, Region, StandardPage, Topic
from donations.models import DonatePage
from resources.demo_pdf import build_pdf
from resources.models import (
    AnnualReportIndexPage,
    AnnualReportPage,
    LibraryDocument,
    ResourceCollection,
    ResourceLibraryPage,
    ResourcePage,
)
from stories.models import CommemorationPage, Observance, ObservanceCalendarPage, StoryIndexPage, StoryPage


class SiteImageFactory(wagtail_factories.ImageFactory):
    title = factory.Sequence(lambda n: f"Image {n}")
    file = factory.django.ImageField(width=1600, height=1000, color="#12395b")


class OfficeFactory(factory.django.DjangoModelFactory):
    city = factory.Sequence(lambda n: f"City {n}")
    country = "Poland"
    address = "1 Main Street\nCity"

    class Meta:
        model = Office


class HomePageFactory(wagtail_factories.PageFactory):
    title = "Home"
    hero_heading = "Preventing genocide before it begins"
    mission_statement = "We train officials to recognise and act on the warning signs of mass atrocities."
    officials_trained = 7700
    countries_reached = 90
    founding_year = 2008

    class Meta:
        model = HomePage


class StandardPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Standard page {n}")
    summary = "A short summary of this page."
    body = factory.LazyFunction(
        lambda: [
            {"type": "heading", "value": {"text": "A heading", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Some <b>rich</b> text.</p>"},
            {"type": "quote", "value": {"text": "Words.", "attribution": "A person", "role": "A role"}},
        ]
    )

    class Meta:
        model = StandardPage


class ProgramIndexPageFactory(wagtail_factories.PageFactory):
    title = "Programs"
    slug = "programs"
    summary = "How we train and accompany officials."

    class Meta:
        model = ProgramIndexPage


class ProgramPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Program {n}")
    summary = "A program for government officials."
    approach = "Learning at sites of past atrocities."
    geographical_scope = "Global"
    start_year = 2008
    target_audience = factory.LazyFunction(lambda: [{"type": "audience", "value": "Ministry of Justice"}])
    outputs = factory.LazyFunction(lambda: [{"type": "output", "value": {"name": "A seminar", "description": ""}}])

    class Meta:
        model = ProgramPage


class TopicFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")

    class Meta:
        model = Topic


class RegionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Region {n}")
    slug = factory.Sequence(lambda n: f"region-{n}")

    class Meta:
        model = Region


class ObservanceFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Day of Remembrance {n}")
    slug = factory.Sequence(lambda n: f"day-of-remembrance-{n}")
    month = 12
    day = 9
    established_by = "the United Nations General Assembly"
    established_how = "Resolution 69/323"
    established_year = 2015
    description = "A day to remember the victims and to recommit to prevention."

    class Meta:
        model = Observance


class StoryIndexPageFactory(wagtail_factories.PageFactory):
    title = "Stories"
    slug = "stories"
    summary = "What our programs change, and the days we remember."

    class Meta:
        model = StoryIndexPage


class StoryPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Story {n}")
    date = datetime.date(2024, 3, 1)
    summary = "Officials trained in one region meet to share what worked."
    body = factory.LazyFunction(
        lambda: [
            {"type": "paragraph", "value": "<p>What happened, and why it matters.</p>"},
            {"type": "quote", "value": {"text": "Words.", "attribution": "A person", "role": "A role"}},
        ]
    )

    class Meta:
        model = StoryPage


class CommemorationPageFactory(StoryPageFactory):
    title = factory.Sequence(lambda n: f"Commemoration {n}")
    observance = factory.SubFactory(ObservanceFactory)
    year = 2023
    date = datetime.date(2023, 12, 9)

    class Meta:
        model = CommemorationPage


class ObservanceCalendarPageFactory(wagtail_factories.PageFactory):
    title = "Commemorations"
    slug = "commemorations"
    summary = "The days we mark every year."

    class Meta:
        model = ObservanceCalendarPage


class DonatePageFactory(wagtail_factories.PageFactory):
    title = "Donate"
    intro = "<p>Your gift trains officials to act on the warning signs.</p>"

    class Meta:
        model = DonatePage


class LibraryDocumentFactory(factory.django.DjangoModelFactory):
    """A real PDF of `pages` pages (3 unless given), so size and page count are read from a file."""

    title = factory.Sequence(lambda n: f"Document {n}")
    file = factory.LazyAttribute(
        lambda document: ContentFile(build_pdf(document.title, "Test", ["Text."], document.pages), "document.pdf")
    )

    class Params:
        pages = 3

    class Meta:
        model = LibraryDocument


class ResourceCollectionFactory(factory.django.DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Collection {n}")
    slug = factory.Sequence(lambda n: f"collection-{n}")
    introduction = "Papers for officials who design prevention policy."

    class Meta:
        model = ResourceCollection


class ResourceLibraryPageFactory(wagtail_factories.PageFactory):
    title = "Resource Library"
    slug = "resources"
    summary = "Policy papers, research and training material."

    class Meta:
        model = ResourceLibraryPage


class ResourcePageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Resource {n}")
    kind = "policy-brief"
    collection = factory.SubFactory(ResourceCollectionFactory)
    year = 2021
    summary = "What a national prevention mechanism is and how one is set up."
    document = factory.SubFactory(LibraryDocumentFactory)

    class Meta:
        model = ResourcePage


class AnnualReportIndexPageFactory(wagtail_factories.PageFactory):
    title = "Annual reports"
    slug = "annual-reports"
    summary = "What the institute did each year."

    class Meta:
        model = AnnualReportIndexPage


class AnnualReportPageFactory(wagtail_factories.PageFactory):
    title = factory.LazyAttribute(lambda report: f"Annual Report {report.year}")
    slug = factory.LazyAttribute(lambda report: str(report.year))
    year = factory.Sequence(lambda n: 1990 + n % 100)
    summary = "The year's programs and participants."
    document = factory.SubFactory(LibraryDocumentFactory)
    officials_trained = 400
    countries = 50
    programs_run = 20

    class Meta:
        model = AnnualReportPage


PAGE_FACTORIES = {
    HomePage: HomePageFactory,
    StandardPage: StandardPageFactory,
    ProgramIndexPage: ProgramIndexPageFactory,
    ProgramPage: ProgramPageFactory,
    StoryIndexPage: StoryIndexPageFactory,
    StoryPage: StoryPageFactory,
    CommemorationPage: CommemorationPageFactory,
    ObservanceCalendarPage: ObservanceCalendarPageFactory,
    DonatePage: DonatePageFactory,
    ResourceLibraryPage: ResourceLibraryPageFactory,
    ResourcePage: ResourcePageFactory,
    AnnualReportIndexPage: AnnualReportIndexPageFactory,
    AnnualReportPage: AnnualReportPageFactory,
}


def create_page(model, home):
    """A published `model` page under the nearest parent type it allows, built as needed under `home`.

    Types limited to one per site (`max_count = 1`) are returned when they already exist."""
    if model is HomePage:
        return home
    if model.max_count == 1 and (existing := model.objects.descendant_of(home).first()):
        return existing
    parent_models = [parent for parent in model.allowed_parent_page_models() if parent is not Page]
    if HomePage in parent_models:
        parent = home
    else:
        parent_model = next(parent for parent in parent_models if parent in PAGE_FACTORIES)
        # Reuse a parent built earlier: index pages are often limited to one per site.
        parent = parent_model.objects.descendant_of(home).first() or create_page(parent_model, home)
    return PAGE_FACTORIES[model](parent=parent)
