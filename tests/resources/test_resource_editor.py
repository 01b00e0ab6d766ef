"""The resource editor says what each field needs before the editor saves."""

import pytest
from bs4 import BeautifulSoup

from resources.models import ResourcePage

from ..factories import AnnualReportPageFactory, LibraryDocumentFactory

pytestmark = pytest.mark.django_db


def add_resource_url(library):
    return f"/admin/pages/add/resources/resourcepage/{library.pk}/"


def field_wrapper(html, name):
    """The Wagtail field panel holding the input called `name`."""
    soup = BeautifulSoup(html, "html.parser")
    return soup.select_one(f"[name={name}]").find_parent(attrs={"data-field-wrapper": True})


def label(html, name):
    return BeautifulSoup(html, "html.parser").select_one(f"label[for=id_{name}]")


def test_the_collection_is_marked_required_like_the_other_required_fields(admin_client, library):
    html = admin_client.get(add_resource_url(library)).content.decode()
    assert label(html, "summary").select_one(".w-required-mark"), "the summary shows Wagtail's required mark"
    assert label(html, "collection").select_one(".w-required-mark"), "so does the collection"
    assert not label(html, "authors").select_one(".w-required-mark"), "an optional field does not"
    assert field_wrapper(html, "collection").select_one("[name=collection]").has_attr("required")


def test_saving_without_a_collection_says_which_field_and_why(admin_client, library):
    for action in ("action-publish", "action-save"):
        response = admin_client.post(
            add_resource_url(library),
            {
                "title": "Without a section",
                "slug": "without-a-section",
                "kind": "policy-paper",
                "year": "2024",
                "language": "en",
                "summary": "A paper not yet filed.",
                "document": LibraryDocumentFactory().pk,
                "body-count": "0",
                action: action,
            },
        )
        assert response.status_code == 200, action
        error = field_wrapper(response.content.decode(), "collection").select_one(".error-message")
        assert error.get_text(strip=True) == "Choose the library collection this resource is listed in."
    assert not ResourcePage.objects.exists()


def test_annual_reports_file_themselves_and_never_ask_for_a_collection(admin_client, reports_index):
    report = AnnualReportPageFactory(parent=reports_index, year=2023)
    html = admin_client.get(f"/admin/pages/{report.pk}/edit/").content.decode()
    assert BeautifulSoup(html, "html.parser").select_one("[name=collection]") is None


def test_kind_and_language_say_what_they_do(admin_client, library):
    html = admin_client.get(add_resource_url(library)).content.decode()
    kind = field_wrapper(html, "kind").get_text(" ", strip=True)
    language = field_wrapper(html, "language").get_text(" ", strip=True)
    assert "What sort of publication it is" in kind
    assert "The language it is written in" in language
