"""Redis speeds the site up and never takes it down: a private Redis is stopped, started, paused and
resumed under anonymous load on a gunicorn server with production settings, then capped at 2 MB and
flooded with invented query strings; an editor stays logged in throughout. Run by `make test`
(target `test-servers`); the shared Redis is never touched.
"""

import shutil
import signal
import statistics
import subprocess
import threading
import time

import pytest
import redis
import requests
from wagtail.models import Site

from aipg_site.models import NavigationSettings

from ..factories import StandardPageFactory
from .real_processes import BIN, free_port, signed_in_editor, start

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


class PrivateRedis:
    def __init__(self, directory):
        self.port = free_port()
        self.directory = directory
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        time.sleep(0.3)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    def pause(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


class Load:
    """Anonymous visitors fetching pages in a loop from four threads, every answer recorded."""

    def __init__(self, urls):
        self.urls = urls
        self.answers = []  # (phase, status, seconds)
        self.phase = "warm"
        self._running = True
        self._threads = [threading.Thread(target=self._visit, args=(n,), daemon=True) for n in range(4)]

    def _visit(self, offset):
        session = requests.Session()
        n = offset
        while self._running:
            url = self.urls[n % len(self.urls)]
            n += 1
            started = time.monotonic()
            try:
                status = session.get(url, timeout=10).status_code
            except requests.RequestException:
                status = 0
            self.answers.append((self.phase, status, time.monotonic() - started))

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._running = False
        for thread in self._threads:
            thread.join(15)

    @staticmethod
    def fetch_all(urls):
        """Fetch every URL from four threads; the count of each status."""
        statuses = {}
        lock = threading.Lock()
        pending = list(urls)

        def fetch():
            session = requests.Session()
            while True:
                with lock:
                    if not pending:
                        return
                    target = pending.pop()
                try:
                    status = session.get(target, timeout=10).status_code
                except requests.RequestException:
                    status = 0
                with lock:
                    statuses[status] = statuses.get(status, 0) + 1

        threads = [threading.Thread(target=fetch) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        return statuses

    def figures(self, phase):
        answers = [(status, seconds) for name, status, seconds in self.answers if name == phase]
        seconds = sorted(s for _, s in answers)
        return {
            "requests": len(answers),
            "errors": sum(1 for status, _ in answers if status == 0 or status >= 500),
            "p95": statistics.quantiles(seconds, n=20)[-1] if len(seconds) > 1 else 0,
        }


def test_redis_stopped_and_paused_under_load_gives_no_error_and_logs_nobody_out(
    tmp_path, database_url, home, django_user_model
):
    pages = [StandardPageFactory(parent=home, title=f"Page {n}", slug=f"page-{n}") for n in range(3)]
    NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    redis_server = PrivateRedis(tmp_path)
    redis_server.start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "aipg_site.settings.production",
        "SECRET_KEY": "redis-fault-test-key-that-is-long-and-random-enough-0123456789-abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{redis_server.port}/0",
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_HOST": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], env=environment, check=True)
    command = [str(BIN / "gunicorn"), "aipg_site.wsgi:application", f"--bind=127.0.0.1:{port}", "--workers=2",
               "--threads=4", "--no-control-socket"]  # fmt: skip
    server = start("gunicorn", command, f"{url}/robots.txt", environment)
    try:
        editor = signed_in_editor(django_user_model, url)
        urls = [f"{url}/", *(f"{url}{page.url}" for page in pages), f"{url}/search/?q=page"]
        with Load(urls) as load:
            time.sleep(2)
            load.phase = "stopped"
            redis_server.stop()
            time.sleep(5)
            load.phase = "restarted"
            redis_server.start()
            time.sleep(3)
            load.phase = "paused"
            redis_server.pause()
            time.sleep(5)
            load.phase = "resumed"
            redis_server.resume()
            time.sleep(3)
        still_in = editor.get(f"{url}/admin/", allow_redirects=False)
        figures = {phase: load.figures(phase) for phase in ("warm", "stopped", "restarted", "paused", "resumed")}
        print(f"Redis faults under load: {figures}")
        for phase, seen in figures.items():
            assert seen["requests"] > 0, phase
            assert seen["errors"] == 0, (phase, seen)
            assert seen["p95"] < 1.0, (phase, seen)
        # The session lives in the database: a Redis restart (which kept nothing) logs nobody out.
        assert still_in.status_code == 200

        # An anonymous flood of invented query strings against a Redis capped at 2 MB that evicts.
        capped = redis.Redis(port=redis_server.port)
        capped.config_set("maxmemory", "2mb")
        capped.config_set("maxmemory-policy", "allkeys-lru")
        entries_before = len(capped.keys("*page-cache:page:*"))
        flood = [f"{url}/?utm_campaign={n}" for n in range(1000)] + [f"{url}{pages[0].url}?x={n}" for n in range(1000)]
        statuses = Load.fetch_all(flood)
        print(f"Flood of {len(flood)} invented query strings: {statuses}")
        assert set(statuses) == {200}
        # Tracked links share the page's one entry; unknown parameters are never stored.
        assert len(capped.keys("*page-cache:page:*")) <= entries_before + 1
        assert editor.get(f"{url}/admin/", allow_redirects=False).status_code == 200
    finally:
        server.terminate()
        server.wait(10)
        if redis_server.process.poll() is None:
            redis_server.resume()
            redis_server.stop()
