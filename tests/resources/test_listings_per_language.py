"""Each language's library and annual reports list that language's resources only."""

import pytest
from bs4 import BeautifulSoup

from resources.models import AnnualReportPage

from ..factories import AnnualReportPageFactory
from ..translations import translate


def titles(client, url, selector):
    response = client.get(url)
    assert response.status_code == 200
    return [element.get_text(strip=True) for element in BeautifulSoup(response.content, "html.parser").select(selector)]


@pytest.fixture
def spanish_library(home, library):
    translate(home, title="Inicio")
    return translate(library, title="Biblioteca")


def test_each_librarys_collections_filters_and_search_hold_its_own_languages_resources(
    client, library, spanish_library, make_resources
):
    english = make_resources(2)[0]
    translate(english, title="Prevención en la práctica", year=1990)
    cards = ".resource-card .card__title"
    assert titles(client, spanish_library.url, cards) == ["Prevención en la práctica"]
    assert titles(client, f"{spanish_library.url}?sort=newest", cards) == ["Prevención en la práctica"]
    # The translation's summary is still its source's, so a search finds it, and it alone.
    assert titles(client, f"{spanish_library.url}?q=mechanism", cards) == ["Prevención en la práctica"]
    assert sorted(titles(client, f"{library.url}?q=mechanism", cards)) == ["Resource 0", "Resource 1"]
    spanish_years = titles(client, spanish_library.url, "select[name=year] option")
    assert spanish_years == ["Todos los años", "1990"]
    assert titles(client, library.url, cards) == ["Resource 1", "Resource 0"]


def test_the_spanish_reports_step_between_spanish_reports(client, home, reports_index, library):
    reports = {year: AnnualReportPageFactory(parent=reports_index, year=year) for year in (2021, 2022, 2023)}
    translate(home, title="Inicio")
    spanish_index = translate(reports_index, title="Informes anuales")
    informe_2021 = translate(reports[2021], title="Informe anual 2021")
    informe_2022 = translate(reports[2022], title="Informe anual 2022")

    assert AnnualReportPage.objects.filter(year=2022).count() == 2
    assert titles(client, spanish_index.url, ".card__title a") == ["Informe anual 2022", "Informe anual 2021"]
    page = BeautifulSoup(client.get(informe_2022.url).content, "html.parser")
    assert page.select_one("a[rel=prev]")["href"] == informe_2021.url
    assert page.select_one("a[rel=next]") is None
