"""One test over every page type in the project, in English and in Spanish: it renders, edits,
previews, and lives where it should.

The page models come from Wagtail itself, so a page type added later is covered here without a new
test; it only needs a factory in `tests/factories.py` (which the first test insists on). A Spanish
page is the English one translated as an editor translates it, with wagtail-localize (`translations.py`).
"""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, get_page_models
from wagtail.test.utils.form_data import querydict_from_html

from .factories import PAGE_FACTORIES, create_page
from .translations import translate_page, translation_of, type_translation

PROJECT_APPS = {"aipg_site", "stories", "donations", "resources"}
PROJECT_PAGE_MODELS = [model for model in get_page_models() if model._meta.app_label in PROJECT_APPS]
LANGUAGES = ["en", "es"]
SPANISH_TITLE = "Una página traducida al español"
PREVIEW_TITLES = {"en": "A title seen only in preview", "es": "Un título que solo muestra la vista previa"}


def model_id(model):
    return model.__name__


def page_in(language, model, home):
    """A published `model` page in `language`: the English page, or its Spanish translation with a
    Spanish title."""
    page = create_page(model, home)
    if language == "en":
        return page
    return translate_page(page, language, title=SPANISH_TITLE)


def html_lang(response):
    return BeautifulSoup(response.content, "html.parser").html["lang"]


def test_every_page_type_has_a_factory():
    missing = [model.__name__ for model in PROJECT_PAGE_MODELS if model not in PAGE_FACTORIES]
    assert not missing, f"Add a factory to tests/factories.py for: {', '.join(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("model", PROJECT_PAGE_MODELS, ids=model_id)
class TestEveryPageType:
    def test_renders(self, client, home, model, language):
        page = page_in(language, model, home)
        if language != "en":
            assert page.url.startswith(f"/{language}/")
        response = client.get(page.url)
        assert response.status_code == 200
        assert html_lang(response) == language
        assert f"<title>{page.seo_title or page.title}" in response.content.decode()

    def test_opens_in_the_editor(self, admin_client, home, model, language):
        page = page_in(language, model, home)
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200
        if language != "en":
            # A translated page opens in wagtail-localize's translation editor, in place of Wagtail's.
            assert "translation-editor" in response.content.decode()

    def test_previews(self, admin_client, home, model, language):
        page = page_in(language, model, home)
        title = PREVIEW_TITLES[language]
        if language == "en":
            response = self._preview_an_edited_title(admin_client, page, title)
        else:
            # The translation editor keeps what the translator types, and previews it before it is published.
            source = page.get_translation(Locale.get_default())
            type_translation(source, language, "title", title)
            translation = translation_of(source, language)
            response = admin_client.get(reverse("wagtail_localize:preview_translation", args=[translation.pk]))
        assert response.status_code == 200
        assert title in response.content.decode()
        assert html_lang(response) == language
        assert title not in admin_client.get(page.url).content.decode()

    def test_can_be_added_only_under_its_allowed_parents(self, admin_client, home, model, language):
        parents = {other: page_in(language, other, home) for other in PROJECT_PAGE_MODELS}
        parents[Page] = Page.get_first_root_node()
        allowed = set(model.allowed_parent_page_models())
        for parent_model, parent in parents.items():
            add_url = reverse("wagtailadmin_pages:add", args=[model._meta.app_label, model._meta.model_name, parent.pk])
            can_add = model.can_create_at(parent) and parent_model in allowed
            status = admin_client.get(add_url).status_code
            if can_add:
                assert status == 200, f"{model.__name__} should be addable under {parent_model.__name__}"
            else:
                assert status in {302, 403}, f"{model.__name__} must not be addable under {parent_model.__name__}"

    @staticmethod
    def _preview_an_edited_title(admin_client, page, title):
        preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
        edit_page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        data = querydict_from_html(edit_page, form_id="page-edit-form")
        for name in _stream_field_names(type(page)):
            # StreamFields are drawn by the admin's JavaScript, so the HTML holds none of their inputs:
            # post them empty, as a browser would for a body with no blocks.
            data.setdefault(f"{name}-count", "0")
        data["title"] = title
        assert admin_client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
        return admin_client.get(preview_url)


def _stream_field_names(model):
    return [field.name for field in model._meta.get_fields() if isinstance(field, StreamField)]
