import pytest

from ..factories import (
    AnnualReportIndexPageFactory,
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
