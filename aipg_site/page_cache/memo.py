"""Values derived from all of a listing's pages, worked out once per generation."""

import hashlib

from django.core.cache import cache
from django.db.models import QuerySet

from .generation import read

REMEMBERED_KEY_PREFIX = "page-cache:remembered:"
# A remembered value is kept until the next purge, or this long if nothing is published meanwhile.
REMEMBER_SECONDS = 24 * 60 * 60


def remember(key, compute):
    """`compute()`, worked out once per generation: for values derived from published content only."""
    full_key = REMEMBERED_KEY_PREFIX + key
    generation, stored = read(full_key)
    if stored is not None:
        return stored[1]
    value = compute()
    cache.set(full_key, (generation, value), REMEMBER_SECONDS)
    return value


def query_key(queryset):
    """A cache key naming exactly what `queryset` selects (its SQL, with its parameters)."""
    sql, params = queryset.query.sql_with_params()
    return hashlib.sha256(repr((sql, params)).encode()).hexdigest()


def count(items):
    """How many rows a queryset selects, counted once per generation (counting reads every row): what
    a listing passes to `aipg_site.pagination.paginate`. None for anything else (search results),
    which the paginator then counts itself."""
    if not isinstance(items, QuerySet):
        return None
    return remember("count:" + query_key(items), items.count)
