"""Parts of a page that every reader sees alike, worked out once per page-cache generation.

The menu's links, the footer, a page's other languages and a picture's markup are the same on
every request for a language and an address, and cost a dozen queries to work out. They are kept
with `page_cache.remember`, under the generation every stored page is checked against: whatever
retires the stored pages (a page published, moved or deleted, a snippet, a setting, an image saved)
retires these with them, so a fragment is never older than the page around it would be. With the
page cache off the fragments are still kept: only whole pages depend on PAGE_CACHE_SECONDS. With
Redis away a fragment is worked out afresh, as before.

What goes in a fragment must not depend on who is reading: never a CSRF token, the Wagtail userbar,
a signed-in state, a search query, or which menu item is the current page (the caller works that
out per request from the shared part). The key names what it does depend on: the fragment, the
host (a page's address is relative on its own site), the language, and whatever else the caller
adds (a page's id). A preview renders everything afresh and keeps nothing: a draft is not what
readers see.
"""

from django.utils.safestring import mark_safe

from . import page_cache
from .language import page_language

FRAGMENT_KEY_PREFIX = "fragment:"


def shared(request, name, compute, *depends_on):
    """`compute()`, kept per generation under `name`, the request's host and language and `depends_on`."""
    if request is None or getattr(request, "is_preview", False):
        return compute()
    key = ":".join([FRAGMENT_KEY_PREFIX + name, request.get_host(), page_language(), *map(str, depends_on)])
    return page_cache.remember(key, compute)


def shared_html(request, name, render, *depends_on):
    """`shared` for markup: `render()` returns HTML that was safe when it was made, and stays so."""
    return mark_safe(str(shared(request, name, lambda: str(render()), *depends_on)))  # noqa: S308
