"""The pages `make audit` measures, found in the demo database: `manage.py shell -c` runs this file's
text once the demo content is loaded, and it prints them as JSON, one object a line.

One live page of every page type of the project's apps in each language (a page type added later
is audited without a new line here), then the views that are not pages: a filtered library and
search results. Addresses, filters and search words all come from the demo content, so nothing
here guesses a slug the demo may change.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from wagtail.models import Locale, Site, get_page_models

from aipg_site.models import Topic
from resources.models import ResourceLibraryPage, ResourcePage
from stories.models import StoryPage

PROJECT_APPS = ("aipg_site", "stories", "resources", "donations")


def page_name(model):
    """'story index' for StoryIndexPage: the type's verbose name without 'page'."""
    name = str(model._meta.verbose_name)
    return name.removesuffix(" page") if name != "page" else name


def demo_page(model, locale, home):
    pages = (
        # The type itself, not one derived from it: a commemoration is a story, and has its own row.
        model.objects.exact_type(model)
        .live()
        .public()
        .filter(locale=locale, alias_of__isnull=True)
        .descendant_of(home, inclusive=True)
    )
    if issubclass(model, StoryPage):
        # The page a shared link most often opens: the newest, with its hero image (the heaviest).
        return pages.filter(hero_image__isnull=False).order_by("-date").first() or pages.order_by("-date").first()
    return pages.order_by("path").first()


def library_topic(locale):
    """A topic some resource in `locale` is filed under, named in that language: a filter with results.
    (A translated resource may be filed under the topic's English row; the filter takes either.)"""
    resources = ResourcePage.objects.live().public().filter(locale=locale)
    topic = Topic.objects.filter(resources__in=resources).order_by("pk").first()
    return topic.get_translation_or_none(locale) or topic


def audited_pages():
    site = Site.objects.get(is_default_site=True)
    models = [model for model in get_page_models() if model._meta.app_label in PROJECT_APPS]
    for language, _ in settings.LANGUAGES:
        locale = Locale.objects.get(language_code=language)
        home = site.root_page.get_translation(locale)
        for model in models:
            page = demo_page(model, locale, home)
            if page is None:
                raise SystemExit(f"The demo has no live {model.__name__} in {language}: make audit measures every type")
            yield page_name(model), language, page.get_url(current_site=site)
        topic = library_topic(locale)
        library = ResourceLibraryPage.objects.live().get(locale=locale)
        yield "library, filtered", language, library.get_url(current_site=site) + "?" + urlencode({"topic": topic.slug})
        prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
        yield "search results", language, f"{prefix}/search/?" + urlencode({"q": topic.name})


for name, language, path in audited_pages():
    print(json.dumps({"name": name, "language": language, "path": path}))
