"""Factories for every page type, and a way to build any of them under a parent it allows.

`PAGE_FACTORIES` must name a factory for every page model in the project: the page-type tests fail
for a model without one, so a new page type cannot slip in untested.
"""

import factory
import wagtail_factories
from wagtail.models import Page

from aipg_site.models import HomePage, Office, StandardPage
from donations.models import DonatePage


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


class DonatePageFactory(wagtail_factories.PageFactory):
    title = "Donate"
    intro = "<p>Your gift trains officials to act on the warning signs.</p>"

    class Meta:
        model = DonatePage


PAGE_FACTORIES = {
    HomePage: HomePageFactory,
    StandardPage: StandardPageFactory,
    DonatePage: DonatePageFactory,
}


def create_page(model, home):
    """A published `model` page under the nearest parent type it allows, built as needed under `home`."""
    if model is HomePage:
        return home
    parent_models = [parent for parent in model.allowed_parent_page_models() if parent is not Page]
    if HomePage in parent_models:
        parent = home
    else:
        parent_model = next(parent for parent in parent_models if parent in PAGE_FACTORIES)
        parent = create_page(parent_model, home)
    return PAGE_FACTORIES[model](parent=parent)
