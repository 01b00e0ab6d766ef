import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.apps import apps
from django.db import connection
from wagtail.contrib.frontend_cache import signal_handlers as wagtail_purge
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished


@pytest.fixture
def database_url(transactional_db):
    """The test database's address, for the app servers and workers a test starts in other processes.
    They need PostgreSQL: SQLite's test database lives in this process's memory."""
    if connection.vendor != "postgresql":
        pytest.fail("This test starts other processes on the test database and needs PostgreSQL: run it with "
                    "DATABASE_URL=postgres://... (make test does).")  # fmt: skip
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"


class CachingProxy(BaseHTTPRequestHandler):
    """A stand-in for Varnish or any purge-by-URL cache: it notes each address it is told to forget."""

    def do_PURGE(self):
        self.server.purged.append(f"http://{self.headers['Host']}{self.path}")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cdn(settings):
    """A CDN purged over HTTP, with Wagtail's own purge of each page connected, as production has it
    once FRONTEND_CACHE_BACKEND is set (the test settings leave the app out). The list of purged
    addresses fills as the purges are sent (at once: the test settings run tasks immediately)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), CachingProxy)
    server.purged = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.WAGTAILFRONTENDCACHE = {
        "default": {
            "BACKEND": "aipg_site.cdn.HTTPBackend",
            "LOCATION": f"http://127.0.0.1:{server.server_port}",
        }
    }
    wagtail_purge.register_signal_handlers()
    yield server.purged
    for model in apps.get_models():
        if not issubclass(model, Page):
            continue
        page_published.disconnect(wagtail_purge.page_published_signal_handler, sender=model)
        page_unpublished.disconnect(wagtail_purge.page_unpublished_signal_handler, sender=model)
    server.shutdown()
    server.server_close()
