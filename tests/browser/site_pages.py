"""What the browser tests visit: one demo page of every page type, and the other views a visitor sees.

Page types come from Wagtail's page models (the same list as `tests/test_page_types.py`), so a page
type added later is visited without a new test; its demo page is looked up in the database after
`load_demo_content`. Views that are not Wagtail pages are listed in `OTHER_VIEWS`: add a path there and
every browser check covers it.
"""

from dataclasses import dataclass

from wagtail.models import Site

from tests.test_page_types import PROJECT_PAGE_MODELS


@dataclass(frozen=True)
class Visit:
    """One page the browser opens. `name` names its test and its screenshots."""

    name: str
    path: str | None = None  # None: the demo page of `page_model`, found once the demo content is loaded
    status: int = 200
    page_model: type | None = None


OTHER_VIEWS = [
    Visit("search-results", "/search/?q=prevention"),
    Visit("search-observances-only", "/search/?q=Tutsi"),
    Visit("search-without-results", "/search/?q=zyzzyva"),
    Visit("search-form", "/search/"),
    Visit("page-not-found", "/no-such-page/", status=404),
    Visit("library-filtered", "/resources/?q=prevention&topic=early-warning&sort=newest"),
    Visit("library-empty-collection", "/resources/?collection=latin-american-network-reports"),
    Visit("library-no-results", "/resources/?q=zyzzyva&language=es"),
]

VISITS = [Visit(model.__name__, page_model=model) for model in PROJECT_PAGE_MODELS] + OTHER_VIEWS


def demo_page_paths():
    """The path of one live demo page of each project page type, by type name, first in tree order."""
    site = Site.objects.get(is_default_site=True)
    paths = {}
    for model in PROJECT_PAGE_MODELS:
        page = model.objects.live().public().descendant_of(site.root_page, inclusive=True).order_by("path").first()
        if page is not None:
            paths[model.__name__] = page.get_url(current_site=site)
    return paths


def missing_demo_page_message(names):
    return (
        f"No live demo page of type {', '.join(names)}. The browser checks visit one demo page of every page "
        "type: build one in the app's demo.py, called from `load_demo_content`."
    )
