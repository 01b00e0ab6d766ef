"""Dropping chosen pages from the cache without retiring the others.

A purge retires every stored page, which suits an edit: an editor never has to know which pages show
what they changed. Some pages change for reasons other than edits, and often: a campaign's bar on the
donate page moves with every gift, and a purge per gift would retire the whole site's cache many
times an hour. Such a page is tagged while it renders (`tag(request, name)`), which notes the key
its copy is stored under (one per address it was asked for by: host, scheme, query); `forget(name)`
then deletes those copies and nothing else.

The keys of a tag are one list in the cache, read and written whole: two renders of a tagged page at
an address never seen before, at the same moment, can lose one of the two notes, and that copy then
lives out its `PAGE_CACHE_SECONDS` (or the next purge). A tagged page asked for at the same
addresses, as pages are, writes its list once.
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from .middleware import key_for

TAG_KEY_PREFIX = "page-cache:tag:"
# Bounds a tag's list whatever addresses a flood invents (the parameters pages read are few, and
# each page's values of them are bounded by its content, but nothing else caps them).
MAX_KEYS_PER_TAG = 200


def tag(request, name):
    """Let `forget(name)` drop the copy of the page this request renders, if the cache keeps one."""
    if not settings.PAGE_CACHE_SECONDS or getattr(request, "page_cache_excluded", False):
        return
    key = key_for(request)
    if key is None:
        return
    tag_key = TAG_KEY_PREFIX + name
    keys = cache.get(tag_key) or []
    if key not in keys:
        cache.set(tag_key, [*keys, key][-MAX_KEYS_PER_TAG:], None)


def forget(name):
    """Drop the stored copies of the pages tagged `name`: now, and again when the current transaction
    commits, like `purge` (a visitor may render the old content between the change and its commit)."""
    _forget(name)
    transaction.on_commit(lambda: _forget(name))


def _forget(name):
    keys = cache.get(TAG_KEY_PREFIX + name)
    if keys:
        cache.delete_many(keys)
