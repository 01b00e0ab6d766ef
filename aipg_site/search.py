import unicodedata

MAX_QUERY_LENGTH = 200


def clean_query(raw):
    """A search query that every backend accepts: printable, single-spaced and bounded in length.

    NUL and other control characters make PostgreSQL refuse the query outright, and a query of
    thousands of words is never a person searching.
    """
    printable = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH].strip()
