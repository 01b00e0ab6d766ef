import random

import pytest
from bs4 import BeautifulSoup

from ..factories import StandardPageFactory


@pytest.fixture
def pages(home):
    return [StandardPageFactory(parent=home, title=f"Early warning report {n}") for n in range(12)]


def results(response):
    return [link.text for link in BeautifulSoup(response.content, "html.parser").select(".search-result__title a")]


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
