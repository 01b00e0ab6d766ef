"""The anonymous page cache: pages rendered once and served from the shared cache, until anything changes.

Anonymous visitors all see the same page, so the first one's rendering is kept in the default cache
(Redis in production, shared by every worker and server) and served to the next ones without
touching sessions, the database or templates.

Purging is deliberately coarse: every stored page carries the site-wide *generation* current when it
was rendered, and any edit that can change what a page shows (a page published, unpublished, moved or
deleted; a snippet, a site setting, an image, a document, a site or a privacy setting saved or
deleted) replaces the generation, which retires every stored page at once. The next visitor renders
the page afresh. An editor never has to think about which listings show which page, and a new page
type or snippet is covered without a line of code: snippets, settings, images and documents are
recognised by their base classes. Another kind of model that pages show can join with
`purge_when_changed(Model)`.

The same generation keeps `remember`ed values: what a listing derives from all its pages (how many
match, which years they span) costs a scan of every page, so it is worked out once per purge and
then read from the cache, whether or not the page around it is cached.

What is never served from or stored in the cache:
- requests that carry a session cookie (editors, and anyone with state of their own), a messages
  cookie or an Authorization header, and everything under /admin/ (previews included);
- responses that set a cookie: rendering a CSRF token sets the CSRF cookie, so a page with a form
  opts out by itself and nobody is ever handed someone else's token;
- responses marked private or no-store (Django's `never_cache`), anything but a 200, streamed files,
  and responses that vary on anything but the cookie;
- page types with `cache_page = False`, which also get `Cache-Control: no-store` so no CDN or
  browser keeps them either.

A page that changes for reasons other than edits (the donate page's campaign bar, with every gift)
is `tag`ged while it renders, and `forget(tag)` drops only its copies.


The package is laid out as Wagtail lays out a contrib app:
- `generation`: the generation, `purge`, and the one-round-trip read every lookup goes through;
- `middleware`: `PageCacheMiddleware` (in MIDDLEWARE), the parameters that make a key, and `exclude`;
- `signal_handlers`: `register_signal_handlers()`, called from the app's ready(), and
  `purge_when_changed`;
- `memo`: `remember`, `query_key` and `count` for listings;
- `tags`: `tag` and `forget`, for dropping chosen pages without a purge.
What is public is imported here: `from aipg_site import page_cache`, then `page_cache.purge()`.
The cache itself is Django's default cache; in production the Redis backend of `aipg_site/cache.py`.
"""

from .generation import purge
from .memo import count, query_key, remember
from .middleware import exclude
from .signal_handlers import purge_when_changed
from .tags import forget, tag

__all__ = ["count", "exclude", "forget", "purge", "purge_when_changed", "query_key", "remember", "tag"]
