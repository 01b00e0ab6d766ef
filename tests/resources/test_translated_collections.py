"""Library collections in the reader's language: the Spanish library lists each collection once, under
its Spanish name where it is translated."""

import pytest
from bs4 import BeautifulSoup
from wagtail.models import Locale

from resources.models import ResourceCollection

from ..factories import ResourceCollectionFactory, ResourceLibraryPageFactory


@pytest.fixture
def spanish(db):
    return Locale.objects.get(language_code="es")


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def test_the_spanish_library_names_each_collection_once_in_spanish(client, home, spanish):
    papers = ResourceCollectionFactory(name="Policy papers", slug="policy-papers")
    documentos = papers.copy_for_translation(spanish)
    documentos.name = "Documentos de política"
    documentos.save()
    ResourceCollectionFactory(name="Annual reports", slug="annual-reports")  # not translated
    library = publish(ResourceLibraryPageFactory(parent=home))
    publish(home.copy_for_translation(spanish))
    biblioteca = publish(library.copy_for_translation(spanish))

    def collection_options(url):
        html = BeautifulSoup(client.get(url).content, "html.parser")
        return [option.get_text(strip=True) for option in html.select("select[name=collection] option")][1:]

    assert collection_options(library.url) == ["Policy papers", "Annual reports"]
    assert collection_options(biblioteca.url) == ["Documentos de política", "Annual reports"]


def test_a_new_collection_goes_last_among_those_of_its_language(spanish):
    first = ResourceCollectionFactory()
    translation = first.copy_for_translation(spanish)
    translation.sort_order = None
    translation.save()
    assert translation.sort_order == 0
    assert ResourceCollectionFactory().sort_order == 1
    assert ResourceCollection.objects.filter(locale=spanish).count() == 1
