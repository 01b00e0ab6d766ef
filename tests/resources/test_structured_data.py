"""A resource as link previews and search engines read it: an article of its year, published by
the institute with its logo."""

import json

import pytest
from bs4 import BeautifulSoup

from ..factories import AnnualReportPageFactory, ResourcePageFactory

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


def test_an_annual_report_publishes_its_figures_as_observations_of_its_year(client, reports_index):
    report = AnnualReportPageFactory(parent=reports_index, year=2023, officials_trained=400, countries=None)
    html = BeautifulSoup(client.get(report.url).content, "html.parser")
    data = json.loads(html.select_one('script[type="application/ld+json"]').string)
    assert data["@type"] == "Report"
    assert "additionalProperty" not in data  # schema.org gives reports no such property
    assert [figure["variableMeasured"] for figure in data["about"]] == ["Government officials trained", "Programs run"]
    assert data["about"][0] == {
        "@type": "Observation",
        "observationAbout": {"@id": "http://testserver/#organisation"},
        "variableMeasured": "Government officials trained",
        "value": 400,
        "observationDate": "2023-12-31",
        "observationPeriod": "P1Y",
    }
