import unicodedata

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
