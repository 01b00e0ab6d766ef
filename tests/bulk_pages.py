"""Hundreds of pages in a second or two, for tests that compare a small site with a large one.

Factories add pages one `add_child` at a time, tens of milliseconds each; the benchmark's
`bench.bulk.add_children` writes them in bulk. Here the factories still describe the pages, so a
test says what it builds as the other tests do.
"""

from django.core.cache import cache

from bench.bulk import add_children


def add_pages(page_factory, parent, count, **fields):
    """`count` published pages from `page_factory` under `parent`, written in bulk; returned saved.

    `fields` are the factory's attributes, declarations included (`factory.Iterator([...])` for a
    value per page). Many-to-many choices are lists (`topics=[topic]`) and are saved with the pages.
    Related objects must be saved already: give the ones the factory would make (a resource's
    collection and document, a commemoration's observance), once for all the pages.
    """
    pages = add_children(parent, page_factory.build_batch(count, **fields))
    # Pages added in bulk send no publish signal, so nothing retires what the site remembered of its
    # listings (counts, years): forget it all, as a publish would.
    cache.clear()
    return pages
