"""The library: browsing by collection, filters, search, sort, pagination and empty states."""

import pytest
from bs4 import BeautifulSoup

from resources.models import ResourcePage

from ..factories import ResourceCollectionFactory, ResourcePageFactory, TopicFactory
from ..queries import count_queries

pytestmark = pytest.mark.django_db


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [link.get_text() for link in soup.select(".card__title a")]


def test_browsing_shows_collections_in_order_with_their_newest_and_a_link_to_the_rest(client, library, make_resources):
    later = ResourceCollectionFactory(name="Training Resources", slug="training", sort_order=5)
    make_resources(6)
    ResourcePageFactory(parent=library, title="A trainer's guide", collection=later)
    soup = BeautifulSoup(client.get(library.url).content, "html.parser")
    headings = [heading.get_text() for heading in soup.select(".collection__heading")]
    assert headings == ["Policy Papers and Briefs in Prevention", "Training Resources"]
    first = soup.select(".collection")[0]
    assert [link.get_text() for link in first.select(".card__title a")] == [f"Resource {n}" for n in (5, 4, 3, 2)]
    rest = first.find("a", string="All 6 in Policy Papers and Briefs in Prevention")
    assert rest["href"] == "?collection=policy-papers"


def test_an_empty_collection_says_so(client, library, collection):
    ResourceCollectionFactory(name="SNCF Papers", slug="sncf-papers")
    page = client.get(library.url).content.decode()
    assert page.count("Nothing has been published in this collection yet") == 2
    filtered = client.get(f"{library.url}?collection=sncf-papers").content.decode()
    assert "Nothing in this collection yet" in filtered
    assert "SNCF Papers" in filtered


def test_filters_by_collection_year_topic_and_language(client, library, make_resources):
    resources = make_resources(3)
    spanish = ResourcePageFactory(parent=library, title="Un informe", language="es", year=1951)
    topic = TopicFactory(name="Early warning", slug="early-warning")
    spanish.topics.set([topic])
    spanish.save_revision().publish()
    assert titles(client.get(f"{library.url}?year=1951")) == ["Un informe", "Resource 1"]
    assert titles(client.get(f"{library.url}?language=es")) == ["Un informe"]
    assert titles(client.get(f"{library.url}?topic=early-warning&year=1951")) == ["Un informe"]
    assert titles(client.get(f"{library.url}?collection={resources[0].collection.slug}&sort=oldest")) == [
        "Resource 0",
        "Resource 1",
        "Resource 2",
    ]


def test_searches_titles_summaries_and_authors_within_the_filters(client, library, make_resources):
    make_resources(2)
    ResourcePageFactory(parent=library, title="Corporate memory", authors="Jane Roe", year=1990)
    ResourcePageFactory(parent=library, title="Another paper", summary="On corporate memory and silence.", year=1991)
    assert sorted(titles(client.get(f"{library.url}?q=corporate"))) == ["Another paper", "Corporate memory"]
    assert titles(client.get(f"{library.url}?q=roe")) == ["Corporate memory"]
    assert titles(client.get(f"{library.url}?q=corporate&year=1991")) == ["Another paper"]
    assert titles(client.get(f"{library.url}?q=corporate&sort=title")) == ["Another paper", "Corporate memory"]
    # A topic narrows a search too (the search backend filters on the ids filed under it).
    memory = TopicFactory(name="Memory", slug="memory")
    filed = ResourcePage.objects.get(title="Another paper")
    filed.topics.set([memory])
    filed.save_revision().publish()
    assert titles(client.get(f"{library.url}?q=corporate&topic=memory")) == ["Another paper"]
    assert titles(client.get(f"{library.url}?q=corporate&topic=memory&sort=newest")) == ["Another paper"]
    # A quote left open (SQLite's full-text engine refused it with a syntax error) searches the words.
    assert titles(client.get(f"{library.url}?q=%22roe")) == ["Corporate memory"]
    assert client.get(f"{library.url}?q=%22").status_code == 200


def test_no_match_explains_and_offers_a_way_out(client, library, make_resources):
    make_resources(2)
    page = client.get(f"{library.url}?q=zyzzyva&year=1950").content.decode()
    assert "No resources match “zyzzyva” with these filters" in page
    assert "Browse the whole library" in page


def test_unknown_filter_values_and_a_bad_page_give_a_normal_page_with_a_notice(client, library, make_resources):
    make_resources(2)
    response = client.get(f"{library.url}?year=abc&topic=%00&sort=sideways&page=-3&q=" + "x" * 5000)
    assert response.status_code == 200
    assert "“abc” is not a year we have resources for" in response.content.decode()


def test_pages_keep_filters_and_search_in_their_links(client, library, make_resources):
    make_resources(25)
    soup = BeautifulSoup(client.get(f"{library.url}?q=resource&sort=newest&page=1").content, "html.parser")
    next_link = soup.select_one(".pagination a[rel=next]")["href"]
    for kept in ("q=resource", "sort=newest", "page=2"):
        assert kept in next_link


def test_filtered_pages_are_not_indexed_but_the_library_is(client, library, make_resources):
    make_resources(1)
    assert 'content="noindex' not in client.get(library.url).content.decode()
    assert 'content="noindex, follow"' in client.get(f"{library.url}?year=1950").content.decode()


def test_the_library_costs_the_same_queries_with_200_resources_as_with_5(client, library, add_resources):
    """Each card's cover, document and collection come with the listing's own queries, and counts
    and years are worked out once: browsing the collections, filtering and searching cost what they
    cost with 5 resources, which fill fewer cards than any of those pages has."""
    topic = add_resources(5)[0].topics.get()
    urls = [library.url, f"{library.url}?topic={topic.slug}&sort=title", f"{library.url}?q=resource&year=1950"]
    few = [count_queries(client, url) for url in urls]
    add_resources(195)
    assert [count_queries(client, url) for url in urls] == few
    for url, cards in zip(urls, [8, 20, 2], strict=True):
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        assert len(soup.select(".resource-card .resource-card__cover img")) == cards
        assert len(soup.select(".resource-card .file-facts")) == cards


def test_a_collection_in_use_cannot_be_deleted_and_the_editor_is_told(admin_client, library, make_resources):
    collection = make_resources(1)[0].collection
    url = f"/admin/snippets/resources/resourcecollection/delete/{collection.pk}/"
    assert "prevent it from being deleted" in admin_client.get(url).content.decode()
    admin_client.post(url, follow=True)
    assert type(collection).objects.filter(pk=collection.pk).exists()
