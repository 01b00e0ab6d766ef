"""One test over every page type in the project: it renders, edits, previews, and lives where it should.

The page models come from Wagtail itself, so a page type added later is covered here without a new
test; it only needs a factory in `tests/factories.py` (which the first test insists on).
"""

import pytest
from django.urls import reverse
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.test.utils.form_data import querydict_from_html

from .factories import PAGE_FACTORIES, create_page

PROJECT_APPS = {"aipg_site", "stories", "donations", "resources"}
PROJECT_PAGE_MODELS = [model for model in get_page_models() if model._meta.app_label in PROJECT_APPS]


def model_id(model):
    return model.__name__


def test_every_page_type_has_a_factory():
    missing = [model.__name__ for model in PROJECT_PAGE_MODELS if model not in PAGE_FACTORIES]
    assert not missing, f"Add a factory to tests/factories.py for: {', '.join(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("model", PROJECT_PAGE_MODELS, ids=model_id)
class TestEveryPageType:
    def test_renders(self, client, home, model):
        page = create_page(model, home)
        response = client.get(page.url)
        assert response.status_code == 200
        assert f"<title>{page.seo_title or page.title}" in response.content.decode()

    def test_opens_in_the_editor(self, admin_client, home, model):
        page = create_page(model, home)
        response = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200

    def test_previews(self, admin_client, home, model):
        page = create_page(model, home)
        preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
        edit_page = admin_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        data = querydict_from_html(edit_page, form_id="page-edit-form")
        for name in _stream_field_names(model):
            # StreamFields are drawn by the admin's JavaScript, so the HTML holds none of their inputs:
            # post them empty, as a browser would for a body with no blocks.
            data.setdefault(f"{name}-count", "0")
        data["title"] = "A title seen only in preview"
        assert admin_client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
        response = admin_client.get(preview_url)
        assert response.status_code == 200
        assert "A title seen only in preview" in response.content.decode()

    def test_can_be_added_only_under_its_allowed_parents(self, admin_client, home, model):
        parents = {other: create_page(other, home) for other in PROJECT_PAGE_MODELS}
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


def _stream_field_names(model):
    return [field.name for field in model._meta.get_fields() if isinstance(field, StreamField)]
