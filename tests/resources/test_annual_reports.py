"""Annual reports: one a year, in the library too, stepping from one year to the next."""

import factory
import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from wagtail.models import Locale

from resources.models import AnnualReportPage

from ..bulk_pages import add_pages
from ..factories import AnnualReportPageFactory, LibraryDocumentFactory, SiteImageFactory
from ..queries import count_queries

pytestmark = pytest.mark.django_db


def test_a_second_report_for_the_same_year_is_refused_naming_the_first(reports_index):
    AnnualReportPageFactory(parent=reports_index, year=2023, title="Annual Report 2023")
    second = AnnualReportPageFactory.build(year=2023, title="Another 2023 report", slug="another")
    with pytest.raises(ValidationError) as refused:
        second.clean()
    assert "“Annual Report 2023” is already the report for 2023" in str(refused.value)


def test_the_editor_refuses_a_second_report_for_a_year(admin_client, reports_index):
    first = AnnualReportPageFactory(parent=reports_index, year=2023)
    response = admin_client.post(
        f"/admin/pages/add/resources/annualreportpage/{reports_index.pk}/",
        {
            "title": "Duplicate",
            "slug": "duplicate",
            "year": "2023",
            "language": "en",
            "summary": "Again.",
            "document": first.document_id,
            "body-count": "0",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 200
    assert "is already the report for 2023" in response.content.decode()
    assert AnnualReportPage.objects.count() == 1


def test_a_years_report_has_its_own_translation_in_each_language(client, reports_index):
    """One report a year in each language: the Spanish translation of 2023's is not a second 2023 report."""
    report = AnnualReportPageFactory(parent=reports_index, year=2023, title="Annual Report 2023")
    spanish = Locale.objects.get(language_code="es")
    for source in (reports_index.get_parent(), reports_index):
        source.specific.copy_for_translation(spanish).save_revision().publish()
    informe = report.copy_for_translation(spanish)
    informe.title = "Informe anual 2023"
    informe.full_clean()
    informe.save_revision().publish()
    assert client.get(informe.url).status_code == 200

    second = AnnualReportPageFactory.build(year=2023, title="Otro informe de 2023", slug="otro", locale=informe.locale)
    with pytest.raises(ValidationError) as refused:
        second.clean()
    assert "“Informe anual 2023” is already the report for 2023" in str(refused.value)


def test_reports_file_themselves_in_the_index_collection(reports_index):
    report = AnnualReportPageFactory(parent=reports_index, collection=None)
    assert report.collection == reports_index.collection
    assert report.kind == "annual-report"


def test_steps_to_the_previous_and_next_years(client, reports_index):
    reports = {year: AnnualReportPageFactory(parent=reports_index, year=year) for year in (2021, 2022, 2024)}
    soup = BeautifulSoup(client.get(reports[2022].url).content, "html.parser")
    assert soup.select_one("a[rel=prev]")["href"] == reports[2021].url
    assert soup.select_one("a[rel=next]")["href"] == reports[2024].url
    first = BeautifulSoup(client.get(reports[2021].url).content, "html.parser")
    assert first.select_one("a[rel=prev]") is None


def test_shows_the_years_figures(client, reports_index):
    report = AnnualReportPageFactory(parent=reports_index, officials_trained=1234, countries=None, programs_run=7)
    soup = BeautifulSoup(client.get(report.url).content, "html.parser")
    figures = [item.get_text(" ", strip=True) for item in soup.select(".figures-row__item")]
    assert figures == ["government officials trained 1,234", "programs run 7"]


def test_the_index_lists_reports_newest_first_and_the_library_lists_them_too(client, reports_index, library):
    for year in (2021, 2023, 2022):
        AnnualReportPageFactory(parent=reports_index, year=year)
    soup = BeautifulSoup(client.get(reports_index.url).content, "html.parser")
    assert [a.get_text() for a in soup.select(".card__title a")] == [f"Annual Report {y}" for y in (2023, 2022, 2021)]
    library_page = client.get(f"{library.url}?collection=annual-reports").content.decode()
    assert "Annual Report 2021" in library_page


def test_the_reports_cost_the_same_queries_with_200_years_as_with_5(client, reports_index):
    """The index lists every report with its cover and document in a fixed number of queries, and a
    report finds the years before and after it without reading the others."""
    reports = add_reports(reports_index, range(1900, 1905))
    urls = [reports_index.url, reports[2].url]
    few = [count_queries(client, url) for url in urls]
    add_reports(reports_index, range(1905, 2100))
    assert [count_queries(client, url) for url in urls] == few
    soup = BeautifulSoup(client.get(reports_index.url).content, "html.parser")
    assert len(soup.select(".resource-card .resource-card__cover img")) == 200
    assert len(soup.select(".resource-card .file-facts")) == 200


def add_reports(reports_index, years):
    """A report for each of `years`, in bulk, with a cover and a document (shared by these reports)."""
    years = list(years)
    return add_pages(
        AnnualReportPageFactory,
        reports_index,
        len(years),
        year=factory.Iterator(years),
        # What saving a report fills in, which pages written in bulk are not.
        report_year=factory.SelfAttribute("year"),
        report_locale=reports_index.locale,
        kind="annual-report",
        collection=reports_index.collection,
        cover_image=SiteImageFactory(),
        document=LibraryDocumentFactory(),
    )
