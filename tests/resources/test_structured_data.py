"""A resource as link previews and search engines read it: an article of its year, published by
the institute with its logo."""

import json

import pytest
from bs4 import BeautifulSoup

from ..factories import ResourcePageFactory

pytestmark = pytest.mark.django_db


def test_a_resource_is_shared_as_an_article_of_its_year(client, library, collection):
    resource = ResourcePageFactory(parent=library, collection=collection, year=2019)
    resource.save_revision().publish()
    resource.refresh_from_db()
    html = BeautifulSoup(client.get(resource.url).content, "html.parser")
    assert html.select_one('meta[property="og:type"]')["content"] == "article"
    assert html.select_one('meta[property="article:published_time"]')["content"] == "2019"
    assert html.select_one('meta[property="article:modified_time"]') is not None
    data = json.loads(html.select_one('script[type="application/ld+json"]').string)
    assert data["datePublished"] == "2019"
    assert data["dateModified"] == resource.last_published_at.isoformat()
    assert data["publisher"]["logo"]["url"] == "http://testserver/static/img/aipg-mark-512.png"
    assert data["author"] == data["publisher"]  # no authors named: the institute wrote it
