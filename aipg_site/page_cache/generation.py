"""The site-wide generation: what every stored page and remembered value is checked against, and the
purge that retires them all by replacing it. The middleware and `remember` read through `read`."""

import uuid

from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "page-cache:generation"


def purge():
    """Retire every cached page: now, and again when the current transaction commits.

    The second purge covers a visitor who rendered the page between the edit and its commit and
    stored the old content under the new generation."""
    new_generation()
    transaction.on_commit(new_generation)


def new_generation():
    generation = uuid.uuid4().hex
    cache.set(GENERATION_KEY, generation, None)
    return generation


def read(key):
    """The current generation and what is stored under `key` (a tuple whose first item is the
    generation it was stored in), or None when nothing is or it was stored before the last purge.

    One round trip for both. With no generation yet (an emptied or restarted cache), a new one starts."""
    found = cache.get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY) or new_generation()
    stored = found.get(key)
    if stored is not None and stored[0] == generation:
        return generation, stored
    return generation, None
