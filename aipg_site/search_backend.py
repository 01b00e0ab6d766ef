"""The site's search backend: the database's own full-text search, each language stemmed as itself.

On PostgreSQL, Wagtail's database backend indexes and queries with one text-search configuration
(`SEARCH_CONFIG`). Here a page is indexed with its own language's (`SEARCH_CONFIGS`, by language
code: Spanish pages with Spanish stemming, so "genocidios" finds "genocidio"), and a search is read
with the configuration of the language it is made in (the active one: /es/search/ and the Spanish
library search in Spanish). What has no language of its own (a snippet without a locale) keeps
`SEARCH_CONFIG`. Each configuration removes accents before stemming (aipg_site migrations 0010 and
0014), so "prevencion" finds "prevención" in either language.

SQLite's engine does not stem; its index ignores accents whatever the language (migration 0010), so
there the database backend is used as it is.
"""

import copy
from collections import defaultdict

from django.db import connection
from django.utils.translation import get_language
from wagtail.search.backends.database import SearchBackend as DatabaseSearchBackend

from .language import primary_subtag


def SearchBackend(params):
    """The database backend, with a text-search configuration per language on PostgreSQL."""
    if connection.vendor != "postgresql":
        return DatabaseSearchBackend(params)
    from .search_postgresql import LanguageSearchBackend

    return LanguageSearchBackend(params)


class SearchConfigs:
    """Mixed into a PostgreSQL backend: the text-search configuration of each language."""

    def __init__(self, params):
        super().__init__(params)
        self.configs = params.get("SEARCH_CONFIGS", {})

    def config_for(self, language_code):
        return self.configs.get(primary_subtag(language_code), self.config)

    def with_config(self, config):
        """This backend indexing and searching with `config`."""
        backend = copy.copy(self)
        backend.config = config
        return backend

    def group_by_config(self, objs):
        """`objs` by the configuration of their language (their Wagtail locale's), as {config: [objs]}."""
        from wagtail.models import Locale

        languages = dict(Locale.objects.values_list("pk", "language_code"))
        groups = defaultdict(list)
        for obj in objs:
            groups[self.config_for(languages.get(getattr(obj, "locale_id", None), ""))].append(obj)
        return groups

    def query_config(self):
        return self.config_for(get_language() or "")
