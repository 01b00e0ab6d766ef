from wagtail import hooks

from . import page_cache


@hooks.register("before_serve_page")
def keep_uncacheable_pages_out_of_the_cache(page, request, serve_args, serve_kwargs):
    """A page type with `cache_page = False` (one with a form, say) is rendered for every visitor."""
    if not getattr(page, "cache_page", True):
        page_cache.exclude(request)
