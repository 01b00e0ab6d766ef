import datetime
import importlib
import random
import unicodedata
from types import SimpleNamespace

import factory
import pytest
from bs4 import BeautifulSoup
from django.apps import apps
from django.db import connection
from wagtail.search.backends import get_search_backend

from aipg_site import search
from aipg_site.models import StandardPage
from stories.models import Observance

from ..bulk_pages import add_pages
from ..factories import ObservanceCalendarPageFactory, ObservanceFactory, StandardPageFactory
from ..queries import count_queries
from ..translations import translate


@pytest.fixture
def pages(home):
    """Twelve pages, and an observance, that "early warning" finds: every search below runs both searches."""
    ObservanceFactory(name="Day of Early Warning", description="A day for early warning and early action.")
    return [StandardPageFactory(parent=home, title=f"Early warning report {n}") for n in range(12)]


@pytest.fixture
def calendar(home):
    return ObservanceCalendarPageFactory(parent=home)


@pytest.fixture
def rwanda(db):
    return ObservanceFactory(
        name="International Day of Reflection on the 1994 Genocide against the Tutsi in Rwanda",
        short_name="Day of Reflection on the Genocide against the Tutsi",
        slug="rwanda-genocide-reflection",
        month=4,
        day=7,
        established_by="the United Nations General Assembly",
        established_how="Resolution 58/234",
        established_year=2003,
        description="The genocide began on 7 April 1994 and lasted about a hundred days.",
    )


def html(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def results(response):
    """The titles of the pages found, in order (observances are a group of their own)."""
    return [link.text for link in html(response).select(".search-results--pages .search-result__title a")]


def observances(response):
    """The observances found, as (name, link)."""
    return [
        (title.get_text(" ", strip=True), title.a["href"] if title.a else None)
        for title in html(response).select(".search-results--observances .search-result__title")
    ]


def test_finds_pages_and_paginates(client, pages):
    first = client.get("/search/", {"q": "early warning"})
    assert first.status_code == 200
    assert len(results(first)) == 10
    assert len(results(client.get("/search/", {"q": "early warning", "page": 2}))) == 2


def test_pagination_links_keep_the_query(client, pages):
    html = BeautifulSoup(client.get("/search/", {"q": "early warning"}).content, "html.parser")
    next_link = html.select_one('.pagination a[rel="next"]')["href"]
    assert "q=early+warning" in next_link
    assert "page=2" in next_link


def test_no_results_shows_an_empty_state(client, pages):
    response = client.get("/search/", {"q": "zebra"})
    assert response.status_code == 200
    assert "No results for" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"q": "warning\x00report"},
        {"q": "x" * 100_000},
        {"q": "early " * 5000},
        {"q": "\ufffd\u202e\x1b[31m"},
        {"q": "' OR 1=1 --"},
        {"q": "early", "page": "abc"},
        {"q": "early", "page": "99999"},
        {"q": "early", "page": "-1"},
        {"q": "early", "page": "9" * 5000},
        {"q": ""},
        {"q": "   "},
    ],
)
def test_bad_input_gives_a_normal_page(client, pages, params):
    response = client.get("/search/", params)
    assert response.status_code == 200
    assert b"<h1" in response.content


def test_repeated_parameters_and_post_are_handled(client, pages):
    assert client.get("/search/?q=early&q=warning&page=1&page=2").status_code == 200
    assert client.post("/search/", {"q": "early"}).status_code == 405


# What a full-text engine may read as syntax: quotes, prefixes, groups, columns, operators.
SYNTAX = ['"', "*", "^", "(", ")", ":", "-", "+", "{", "}", "'", "\\", "NOT", "AND", "OR", "NEAR", "NEAR/2"]


@pytest.mark.parametrize("q", ['"', 'early"', '"early', '"early" "', 'early "warning report'])
def test_a_quote_left_open_searches_the_words(client, pages, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert results(response) or "early" not in q


def test_quotes_around_words_find_the_words(client, pages):
    assert len(results(client.get("/search/", {"q": '"early warning"'}))) == 10


def test_queries_made_of_search_syntax_never_fail(client, pages):
    """Two hundred queries mixing words and syntax, the same every run (a fixed seed)."""
    chooser = random.Random(2026)  # noqa: S311 (test data, not secrets)
    for _ in range(200):
        parts = [chooser.choice([*SYNTAX, "early", "warning"]) for _ in range(chooser.randint(1, 6))]
        glue = chooser.choice(["", " "])
        q = glue.join(parts)
        assert client.get("/search/", {"q": q}).status_code == 200, q


# Order and counting ----------------------------------------------------------------------------


def published(year, month=1, day=1):
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


def all_results(client, q):
    """The titles of every page found, following the pagination to the end."""
    titles, number = [], 1
    while True:
        page = html(client.get("/search/", {"q": q, "page": number}))
        titles += [link.text for link in page.select(".search-results--pages .search-result__title a")]
        if not page.select_one('.pagination a[rel="next"]'):
            return titles
        number += 1


def test_the_newest_matches_come_first_whatever_their_wording(client, home):
    """Publication order, not how often or where the words appear: the page that repeats the words in
    its title is listed by its date like any other."""
    for title, year in [
        ("Early warning in 2019", 2019),
        ("Early warning, early warning, early warning", 2012),
        ("A report that mentions early warning once", 2024),
        ("Early warning in 2021", 2021),
    ]:
        StandardPageFactory(parent=home, title=title, first_published_at=published(year))
    StandardPageFactory(parent=home, title="Unrelated news", first_published_at=published(2025))
    page = html(client.get("/search/", {"q": "early warning"}))
    assert [link.text for link in page.select(".search-results--pages .search-result__title a")] == [
        "A report that mentions early warning once",
        "Early warning in 2021",
        "Early warning in 2019",
        "Early warning, early warning, early warning",
    ]
    assert [time["datetime"] for time in page.select(".search-result__type time")] == [
        "2024-01-01",
        "2021-01-01",
        "2019-01-01",
        "2012-01-01",
    ]
    assert "newest first" in page.select_one(".search-order").get_text()


def test_pages_published_together_keep_one_order_across_the_pages_of_results(client, home):
    for number in range(15):
        StandardPageFactory(parent=home, title=f"Early warning note {number}", first_published_at=published(2024))
    found = all_results(client, "early warning")
    assert sorted(found) == sorted(f"Early warning note {number}" for number in range(15))
    assert found == [f"Early warning note {number}" for number in reversed(range(15))]


def test_an_old_page_titled_as_the_query_is_still_found(client, home):
    """Newer pages that only mention the words come before it, but it is listed, last."""
    old = StandardPageFactory(parent=home, title="Srebrenica remembrance", first_published_at=published(2005))
    add_pages(
        StandardPageFactory,
        home,
        25,
        title=factory.Sequence(lambda number: f"Annual commemoration {number}"),
        summary="The institute took part in the Srebrenica remembrance.",
        first_published_at=published(2020),
    )
    found = all_results(client, "Srebrenica remembrance")
    assert len(found) == 26
    assert found[-1] == old.title


def test_more_matches_than_it_counts_are_said_to_be_more(client, pages, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 5)
    page = html(client.get("/search/", {"q": "early warning"}))
    assert " ".join(page.select_one(".search-summary").get_text().split()) == "More than 5 results for “early warning”"
    assert "Only the newest 5 are listed" in page.select_one(".search-order").get_text()
    assert len(page.select(".search-results--pages .search-result")) == 5
    assert page.select_one(".pagination") is None
    # The observance is a group of its own, counted in full, above the pages.
    assert "(more than 5)" in " ".join(page.select_one("#search-pages").get_text().split())
    # A page number past what is listed gives the last page listed.
    assert len(results(client.get("/search/", {"q": "early warning", "page": 3}))) == 5


def test_exactly_as_many_matches_as_it_counts_are_counted_exactly(client, pages, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 12)
    page = html(client.get("/search/", {"q": "early warning"}))
    assert " ".join(page.select_one(".search-summary").get_text().split()) == "13 results for “early warning”"
    assert "Only the newest" not in page.select_one(".search-order").get_text()


@pytest.mark.parametrize("page", [1, 2])
def test_search_costs_the_same_queries_for_5_pages_as_for_200(client, home, page):
    """Neither the page of results nor the count reads a query per match (on the last page listed too)."""

    def queries_for(count):
        add_pages(
            StandardPageFactory,
            home,
            count - StandardPage.objects.count(),
            title=factory.Sequence(lambda number: f"Prevention in practice {number}"),
        )
        return count_queries(client, f"/search/?q=prevention+practice&page={page}")

    assert queries_for(5) == queries_for(200)


# Observances ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "field"),
    [
        ("Rwanda", "its name"),
        ("Reflection Tutsi", "its name and short name"),
        ("hundred days", "its description"),
        ("General Assembly", "who established it"),
        ("58/234", "how it was established"),
    ],
)
def test_finds_an_observance_by(client, calendar, rwanda, q, field):
    ObservanceFactory(name="Day of Remembrance of the Victims of Srebrenica", established_by="the European Parliament")
    assert [name for name, _ in observances(client.get("/search/", {"q": q}))] == [rwanda.name], field


def test_an_observance_links_to_its_day_on_the_calendar(client, calendar, rwanda):
    page = html(client.get("/search/", {"q": "Tutsi"}))
    item = page.select_one(".search-results--observances .search-result")
    link = item.select_one(".search-result__title a")["href"]
    assert link == f"{calendar.url}#{rwanda.slug}"
    assert "every year on 7 April" in item.get_text(" ", strip=True)
    assert "Established in 2003 by the United Nations General Assembly (Resolution 58/234)" in " ".join(
        item.select_one(".search-result__meta").get_text().split()
    )
    path, anchor = link.split("#")
    assert html(client.get(path)).find(id=anchor) is not None, "the calendar has the day the result points to"


def test_without_a_calendar_an_observance_links_to_its_official_page_or_to_nothing(client, home, rwanda):
    ObservanceFactory(name="Srebrenica Day", link="https://example.org/srebrenica", description="Remembrance.")
    found = dict(
        observances(client.get("/search/", {"q": "Rwanda"})) + observances(client.get("/search/", {"q": "Srebrenica"}))
    )
    assert found == {rwanda.name: None, "Srebrenica Day": "https://example.org/srebrenica"}


def test_observances_come_above_the_pages_with_their_counts(client, calendar, rwanda):
    StandardPageFactory(parent=calendar.get_parent(), title="Rwanda: twenty years of prevention work")
    page = html(client.get("/search/", {"q": "Rwanda"}))
    groups = [" ".join(title.get_text().split()) for title in page.select(".search-group__title")]
    assert groups == ["On the observance calendar (1)", "Pages (1)"]
    assert " ".join(page.select_one(".search-summary").get_text().split()) == "2 results for “Rwanda”"
    assert page.select_one(".search-results--observances").find_next("ol")["class"] == [
        "search-results",
        "search-results--pages",
    ]


def test_an_observance_alone_is_a_result_not_an_empty_state(client, calendar, rwanda):
    response = client.get("/search/", {"q": "Tutsi"})
    assert observances(response)
    assert results(response) == []
    assert "No results" not in response.content.decode()
    assert " ".join(html(response).select_one(".search-summary").get_text().split()) == "1 result for “Tutsi”"


def test_many_observances_show_the_first_few_and_point_to_the_calendar(client, calendar):
    ObservanceFactory.create_batch(8)
    page = html(client.get("/search/", {"q": "remembrance"}))
    assert len(page.select(".search-results--observances .search-result")) == 5
    assert "(8)" in page.select_one(".search-group__title").get_text()
    assert page.select_one(".search-group__more a")["href"] == calendar.url


def test_observances_are_shown_on_the_first_page_of_results_only(client, calendar, pages):
    assert len(observances(client.get("/search/", {"q": "early warning"}))) == 1
    second = client.get("/search/", {"q": "early warning", "page": 2})
    assert observances(second) == []
    assert len(results(second)) == 2
    assert "13 results" in html(second).select_one(".search-summary").get_text()


def test_observances_cost_the_same_queries_however_many_there_are(client, calendar):
    def queries_for(count):
        ObservanceFactory.create_batch(count - Observance.objects.count())
        assert f"({count})" in html(client.get("/search/?q=remembrance")).select_one(".search-group__title").text
        return count_queries(client, "/search/?q=remembrance")

    # One shown, then five, then five of 200: no query per observance shown, nor per observance found.
    assert queries_for(1) == queries_for(5) == queries_for(200)


# Accents ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "q"),
    [
        ("Prevención del genocidio en América Latina", "prevencion"),
        ("Prevencion del genocidio en America Latina", "prevención"),
        ("Prevención del genocidio en América Latina", unicodedata.normalize("NFD", "prevención")),
        ("Memorial visits to Oświęcim", "Oswiecim"),
        ("Việt Nam: a workshop for officials", "Viet Nam"),
        ("Débat à Genève", "debat geneve"),
    ],
)
def test_accents_are_ignored_both_ways(client, home, title, q):
    StandardPageFactory(parent=home, title=title)
    assert results(client.get("/search/", {"q": q})) == [title]


def test_accents_are_ignored_in_observances_too(client, calendar):
    ObservanceFactory(name="Día Internacional de Conmemoración", description="Recordamos a las víctimas.")
    assert len(observances(client.get("/search/", {"q": "dia victimas"}))) == 1


def test_sqlite_searches_with_its_full_text_engine(db):
    """The accents are ignored by FTS5's tokenizer: the plain fallback (LIKE) would not ignore them."""
    backend = type(get_search_backend()).__name__
    assert backend == {"sqlite": "SQLiteSearchBackend", "postgresql": "LanguageSearchBackend"}[connection.vendor]


def test_running_the_migration_again_keeps_the_index_and_ignores_accents(client, home):
    """What an existing site's database goes through: the migration runs over a filled index."""
    StandardPageFactory(parent=home, title="Prevención temprana")
    migration = importlib.import_module("aipg_site.migrations.0010_search_ignores_accents")
    editor = SimpleNamespace(connection=connection)  # all the migration's steps use of a schema editor
    for operation in migration.Migration.operations:
        operation.code(apps, editor)
    assert results(client.get("/search/", {"q": "prevencion temprana"})) == ["Prevención temprana"]


# Each language ---------------------------------------------------------------------------------


@pytest.fixture
def spanish_page(home):
    """An English page and its Spanish translation, which names prevention with its accent."""
    english = StandardPageFactory(parent=home, title="Genocide prevention in Latin America")
    translate(home, title="Inicio")
    return translate(english, title="Prevención del genocidio en América Latina")


def test_the_spanish_search_finds_spanish_pages_without_their_accents(client, home, spanish_page):
    StandardPageFactory(parent=home, title="Training in Buenos Aires")
    assert results(client.get("/es/search/", {"q": "prevencion"})) == [spanish_page.title]
    assert results(client.get("/es/search/", {"q": "Buenos Aires"})) == []


def test_an_english_search_never_returns_a_spanish_page(client, spanish_page):
    assert results(client.get("/search/", {"q": "prevencion"})) == []
    assert results(client.get("/search/", {"q": "genocide prevention"})) == ["Genocide prevention in Latin America"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite's full-text engine stems no language")
def test_spanish_pages_are_stemmed_as_spanish(client, home, spanish_page):
    """Spanish stemming joins the plural to the singular, as English stemming would not ("genocidios"
    is not an English word to stem); an English page is still stemmed as English."""
    assert results(client.get("/es/search/", {"q": "genocidios"})) == [spanish_page.title]
    assert results(client.get("/es/search/", {"q": "prevenciones"})) == [spanish_page.title]
    assert results(client.get("/search/", {"q": "preventing genocides"})) == ["Genocide prevention in Latin America"]
