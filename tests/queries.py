"""How many database queries a visit makes: what the tests that a page costs the same at any size compare."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    """The queries of a visit to `url` once the site is warm.

    A first visit fills what later visits read from the cache (Wagtail's sites and settings, the
    listings' remembered counts, the images' renditions); the second is counted.
    """
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)
