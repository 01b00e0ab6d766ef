"""A resource's page: what the file is, how to get it, and where it sits in the library."""

import json

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError

from ..factories import LibraryDocumentFactory, ProgramIndexPageFactory, ProgramPageFactory, ResourcePageFactory
from ..queries import count_queries

pytestmark = pytest.mark.django_db


def test_shows_type_size_and_page_count_read_from_the_file(client, library, collection):
    resource = ResourcePageFactory(parent=library, collection=collection, document=LibraryDocumentFactory(pages=12))
    soup = BeautifulSoup(client.get(resource.url).content, "html.parser")
    facts = soup.select_one(".resource__download .file-facts").get_text(" ", strip=True).replace("\xa0", " ")
    assert facts.startswith("PDF")
    assert resource.document.size_label.replace("\xa0", " ") in facts
    assert facts.endswith("12 pages")
    assert soup.select_one(".resource__download a.button")["href"] == f"{resource.url}download/"


def test_download_serves_the_current_file_as_an_attachment(client, library, collection):
    resource = ResourcePageFactory(parent=library, collection=collection)
    response = client.get(f"{resource.url}download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    resource.document = LibraryDocumentFactory(title="Second edition", pages=2)
    resource.save_revision().publish()
    assert b"Second edition" in b"".join(client.get(f"{resource.url}download/").streaming_content)


def test_a_resource_published_elsewhere_links_there_and_has_no_download(client, library, collection):
    resource = ResourcePageFactory(
        parent=library, collection=collection, document=None, external_url="https://example.org/paper"
    )
    page = client.get(resource.url).content.decode()
    assert 'href="https://example.org/paper"' in page
    assert client.get(f"{resource.url}download/").status_code == 404


def test_a_resource_needs_a_document_or_an_address_but_not_both(library, collection):
    resource = ResourcePageFactory.build(collection=collection, document=None, external_url="")
    with pytest.raises(ValidationError, match="Choose a document"):
        resource.clean()
    resource.document = LibraryDocumentFactory()
    resource.external_url = "https://example.org"
    with pytest.raises(ValidationError, match="not both"):
        resource.clean()


def test_a_resource_needs_a_collection(library):
    resource = ResourcePageFactory.build(collection=None, document=LibraryDocumentFactory())
    with pytest.raises(ValidationError, match="library collection"):
        resource.clean_fields()


def test_publishes_schema_org_data_with_the_file(client, library, collection):
    resource = ResourcePageFactory(parent=library, collection=collection, authors="Jane Roe")
    soup = BeautifulSoup(client.get(resource.url).content, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["author"] == "Jane Roe"
    assert data["encoding"]["encodingFormat"] == "application/pdf"
    assert data["encoding"]["contentUrl"].endswith(f"{resource.url}download/")


def test_program_pages_list_the_resources_filed_under_them(client, home, library, collection):
    program = ProgramPageFactory(parent=ProgramIndexPageFactory(parent=home), title="Latin America Program")
    resource = ResourcePageFactory(parent=library, collection=collection, title="A regional review")
    resource.programs.set([program])
    resource.save_revision().publish()
    page = client.get(program.url).content.decode()
    assert "Resources from this program" in page
    assert "A regional review" in page


def test_a_resource_costs_the_same_queries_among_200_resources_as_among_5(client, add_resources):
    """The other resources of its collection come with their covers and documents in a fixed number
    of queries. Among five, two others share its collection, fewer than the three the page shows."""
    resource = add_resources(5)[0]
    few = count_queries(client, resource.url)
    add_resources(195)
    assert count_queries(client, resource.url) == few
    more = BeautifulSoup(client.get(resource.url).content, "html.parser").select(".resource-card")
    assert len(more) == 3
    assert all(card.select_one(".resource-card__cover img") and card.select_one(".file-facts") for card in more)
