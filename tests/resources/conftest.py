import factory
import pytest

from ..bulk_pages import add_pages
from ..factories import (
    AnnualReportIndexPageFactory,
    LibraryDocumentFactory,
    ResourceCollectionFactory,
    ResourceLibraryPageFactory,
    ResourcePageFactory,
    SiteImageFactory,
    TopicFactory,
)


@pytest.fixture
def library(home):
    return ResourceLibraryPageFactory(parent=home)


@pytest.fixture
def collection(db):
    return ResourceCollectionFactory(name="Policy Papers and Briefs in Prevention", slug="policy-papers")


@pytest.fixture
def reports_index(home, db):
    annual = ResourceCollectionFactory(name="Auschwitz Institute Annual Reports", slug="annual-reports")
    return AnnualReportIndexPageFactory(parent=home, collection=annual)


@pytest.fixture
def make_resources(library, collection):
    """`count` resources in `collection`, a year apart (newest last), sharing one cover and one topic."""

    def make(count, **fields):
        cover = SiteImageFactory()
        topic = TopicFactory()
        resources = []
        for number in range(count):
            resource = ResourcePageFactory(
                parent=library,
                title=f"Resource {number}",
                collection=fields.pop("collection", collection),
                year=1950 + number % 100,
                cover_image=cover,
                **fields,
            )
            resource.topics.set([topic])
            resource.save_revision().publish()
            resources.append(resource)
        return resources

    return make


@pytest.fixture
def add_resources(library, collection):
    """Adds `count` resources in bulk with what cards show of them: in turn in `collection` and a
    second one, a year apart, all with one cover, one document and one topic. Returns them."""
    collections = [collection, ResourceCollectionFactory(name="Training Resources", slug="training")]
    cover = SiteImageFactory()
    document = LibraryDocumentFactory()
    topic = TopicFactory()
    added_before = 0

    def add(count):
        nonlocal added_before
        numbers = range(added_before, added_before + count)
        added_before += count
        return add_pages(
            ResourcePageFactory,
            library,
            count,
            collection=factory.Iterator([collections[number % 2] for number in numbers]),
            year=factory.Iterator([1950 + number % 100 for number in numbers]),
            cover_image=cover,
            document=document,
            topics=[topic],
        )

    return add
