"""PostgreSQL's part of the site's search backend (aipg_site.search_backend), imported only there:
Wagtail's PostgreSQL index cannot be loaded on another database."""

import copy

from modelsearch.backends.database.postgres.postgres import (
    PostgresIndex,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
)

from .search_backend import SearchConfigs


class LanguageIndex(PostgresIndex):
    def add_items(self, model, objs):
        for config, group in self.backend.group_by_config(objs).items():
            index = copy.copy(self)
            index.backend = self.backend.with_config(config)
            super(LanguageIndex, index).add_items(model, group)


class LanguageQueryCompiler(PostgresSearchQueryCompiler):
    def get_config(self, backend):
        return backend.query_config()


class LanguageSearchBackend(SearchConfigs, PostgresSearchBackend):
    index_class = LanguageIndex
    query_compiler_class = LanguageQueryCompiler
