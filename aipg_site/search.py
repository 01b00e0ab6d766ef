import unicodedata
from dataclasses import dataclass, field

from wagtail import hooks

MAX_QUERY_LENGTH = 200


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
