"""What the browser tests visit: one demo page of every page type in each language, and the other
views a visitor sees, in each language too.

Page types come from Wagtail's page models (the same list as `tests/test_page_types.py`), so a page
type added later is visited without a new test; its demo page is looked up in the database after
`load_demo_content`, in English and in Spanish (the Spanish site's own translation of a page, not an
alias wagtail-localize makes of an untranslated parent, which shows the English). Views that are not
Wagtail pages are listed in `OTHER_VIEWS`: add a path there and every browser check covers it.
"""

from dataclasses import dataclass

from django.conf import settings
from wagtail.models import Locale, Site

from tests.test_page_types import PROJECT_PAGE_MODELS

LANGUAGES = [code for code, _ in settings.LANGUAGES]  # English first: the site's default


@dataclass(frozen=True)
class Visit:
    """One page the browser opens. `name` names its test and its screenshots."""

    name: str
    path: str | None = None  # None: the demo page of `page_model`, found once the demo content is loaded
    status: int = 200
    page_model: type | None = None
    language: str = "en"
    # The name of a page visit whose demo page's address `path` (a query string) is added to, such as
    # a listing filtered: for pages whose address depends on the demo content.
    on_page: str | None = None

    @property
    def demo_page(self):
        """The name of the demo page this visit opens (its own, or `on_page`'s), or None for a fixed path."""
        return self.on_page or (self.name if self.page_model else None)


def page_visit(model, language):
    """The visit to the demo page of `model` in `language`: named after the type, with the language
    after it for any but English ("StoryPage", "StoryPage-es")."""
    name = model.__name__ if language == LANGUAGES[0] else f"{model.__name__}-{language}"
    return Visit(name, page_model=model, language=language)


OTHER_VIEWS = [
    Visit("search-results", "/search/?q=prevention"),
    Visit("search-observances-only", "/search/?q=Tutsi"),
    Visit("search-without-results", "/search/?q=zyzzyva"),
    Visit("search-form", "/search/"),
    Visit("page-not-found", "/no-such-page/", status=404),
    Visit("library-filtered", "/resources/?q=prevention&topic=early-warning&sort=newest"),
    Visit("library-empty-collection", "/resources/?collection=latin-american-network-reports"),
    Visit("library-no-results", "/resources/?q=zyzzyva&language=es"),
    # The same in Spanish. The library's Spanish address is its translation's, found with the demo pages.
    Visit("search-results-es", "/es/search/?q=prevenci%C3%B3n", language="es"),
    Visit("search-without-results-es", "/es/search/?q=zyzzyva", language="es"),
    Visit("page-not-found-es", "/es/no-existe/", status=404, language="es"),
    Visit(
        "library-filtered-es",
        "?q=prevenci%C3%B3n&topic=early-warning&sort=newest",
        language="es",
        on_page="ResourceLibraryPage-es",
    ),
]

PAGE_VISITS = [page_visit(model, language) for language in LANGUAGES for model in PROJECT_PAGE_MODELS]
VISITS = PAGE_VISITS + OTHER_VIEWS


def demo_page_paths():
    """The path of one live demo page of each project page type in each language, by visit name
    ("StoryPage", "StoryPage-es"), the first of that exact type in tree order."""
    site = Site.objects.get(is_default_site=True)
    paths = {}
    for visit in PAGE_VISITS:
        locale = Locale.objects.get(language_code=visit.language)
        home = site.root_page.get_translation_or_none(locale)
        if home is None:
            continue
        page = (
            # Of the type itself, not one derived from it: a commemoration is a story, but the plain story
            # page needs a visit of its own.
            visit.page_model.objects.exact_type(visit.page_model)
            .live()
            .public()
            .filter(locale=locale, alias_of__isnull=True)
            .descendant_of(home, inclusive=True)
            .order_by("path")
            .first()
        )
        if page is not None:
            paths[visit.name] = page.get_url(current_site=site)
    return paths


def missing_demo_page_message(names):
    return (
        f"No live demo page for {', '.join(names)} (a page type, with '-es' for its Spanish page). The browser "
        "checks visit one demo page of every page type in each language: build the English page in the app's "
        "demo.py, called from `load_demo_content`, and its Spanish translation there or in "
        "aipg_site/demo/spanish_pages.py (a translation of its own, not an alias of the English page)."
    )
