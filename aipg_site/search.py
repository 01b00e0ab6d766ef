import unicodedata
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.db.models import F
from django.utils.functional import cached_property
from wagtail import hooks

MAX_QUERY_LENGTH = 200

# How many matching pages search counts, and lists, at most (20 pages of results). Counting reads
# every match: a query that matches 10,000 pages is read this far and no further, and the reader is
# told there are more and to add a word. Counting 1,000 took about 90 ms on the 10,000-story site;
# 200, under 10.
COUNT_LIMIT = 200


def clean_query(raw):
    """A search query that every backend accepts: printable, single-spaced and bounded in length.

    NUL and other control characters make PostgreSQL refuse the query outright, and a query of
    thousands of words is never a person searching.
    """
    printable = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH].strip()


def search_terms(query):
    """The query as the search backend is given it: the words, without double quotes.

    SQLite's full-text engine (FTS5, the embedded default's) reads a double quote as the start of a
    phrase and refuses a query that leaves one open with a syntax error, and a quoted phrase found
    nothing on either engine (the backend does not pass phrases through). So "early warning", with
    or without its quotes, finds what early warning finds.
    """
    return " ".join(query.replace('"', " ").split())


def newest_first(pages):
    """`pages` in the order search lists them: the most recently published first.

    Why not ranked by relevance: ranking (PostgreSQL's `ts_rank`, SQLite's `bm25`) has to score every
    match before it can name the best ten, so a word found on all 10,000 stories cost seconds. In
    publication order the database walks an index from the newest page down and stops after the
    page of results (`aipg_page_newest`, aipg_site migration 0019), however many pages match.
    Relevance is kept as a floor rather than an order: a page is a match only when every word of the
    query is in its title, summary or text (stemmed, accents ignored), so adding a word narrows the
    list. We chose this over ranking the newest few hundred matches, which costs the same but shows
    a first page that is neither the newest nor the best, and in an order a reader cannot predict.
    An old page whose title is the query is still found, after the newer matches; when more than
    `COUNT_LIMIT` newer pages match too, the reader is told to add a word. Ties (pages published
    together) go by id, newest first, so the pages of results never overlap.
    """
    return pages.order_by(F("first_published_at").desc(nulls_last=True), "-id")


class SearchPaginator(Paginator):
    """Pages of search results, counted up to `limit` (`COUNT_LIMIT`).

    Counting reads every match, so the count stops one past the limit: `count` is then the limit,
    and `more` says there were more. Only the first `limit` results can be paged to.
    """

    def __init__(self, results, per_page, limit=None):
        super().__init__(results, per_page)
        self.limit = COUNT_LIMIT if limit is None else limit

    @cached_property
    def counted(self):
        return self.object_list[: self.limit + 1].count()

    @cached_property
    def count(self):
        return min(self.counted, self.limit)

    @property
    def more(self):
        return self.counted > self.limit


# Apps add what search finds outside the page tree (an app's snippets) through this Wagtail hook: a
# function of (request, terms, shown) that returns a SearchGroup, or None when nothing matched.
SEARCH_GROUPS_HOOK = "site_search_groups"


@dataclass
class SearchGroup:
    """Matches that are not pages, shown as a short group above the first page of results.

    `count` is every match; `matches` the first `shown` of them, each rendered by `item_template`
    (as `match`, in a list item). `more_url` leads to where all of them are listed.
    """

    name: str
    heading: str
    count: int
    item_template: str
    matches: list = field(default_factory=list)
    more_url: str = ""
    more_label: str = ""


def search_groups(request, terms, shown):
    """The groups the apps found for `terms`, those with no match left out."""
    if not terms:
        return []
    groups = (find(request, terms, shown) for find in hooks.get_hooks(SEARCH_GROUPS_HOOK))
    return [group for group in groups if group and group.count]
