"""A PostgreSQL connection cut mid-session (a failover, a restarted pooler, an administrator's
`pg_terminate_backend`): the web server's next request and the worker's next task succeed, on a
fresh connection. Run by `make test` (target `test-servers`)."""

import subprocess
import sys

import pytest
import requests
from django.db import connection
from django_tasks_db.models import DBTaskResult

from aipg_site.mail import QueuedEmailBackend

from .real_processes import BIN, PROJECT_ROOT, free_port, start
from .test_worker import FAST, Mailbox, eventually

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def other_connections():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def cut_every_other_connection():
    """Terminate every server process on the test database but this test's own."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_the_next_request_and_the_next_task_succeed_after_the_connections_are_cut(
    tmp_path, database_url, home, settings
):
    mailbox = Mailbox(free_port()).start()
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "aipg_site.settings.production",
        "SECRET_KEY": "database-fault-test-key-that-is-long-and-random-enough-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(tmp_path / "static"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mailbox.port),
        "EMAIL_USE_TLS": "false",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run([str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"], env=environment, check=True)
    server = start(
        "gunicorn",
        [str(BIN / "gunicorn"), "aipg_site.wsgi:application", f"--bind=127.0.0.1:{port}", "--workers=1",
         "--no-control-socket"],
        f"{url}/robots.txt",
        environment,
    )  # fmt: skip
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-reload", *FAST],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    try:
        assert requests.get(f"{url}/", timeout=30).status_code == 200  # the server now holds a connection
        # The worker holds its own once it has started and polled: on a loaded machine that takes
        # longer than any fixed pause would promise.
        eventually(lambda: other_connections() >= 2, timeout=60, message="the server and the worker to connect")

        assert cut_every_other_connection() >= 2

        answers = [requests.get(f"{url}/", timeout=30).status_code for _ in range(3)]
        assert answers == [200, 200, 200]
        QueuedEmailBackend().send_messages([_message()])
        eventually(lambda: mailbox.messages, timeout=30, message="the worker to deliver on a fresh connection")
        assert DBTaskResult.objects.filter(task_path="aipg_site.mail.deliver_email", status="SUCCESSFUL").exists()
        assert worker.poll() is None
    finally:
        worker.terminate()
        worker.wait(20)
        server.terminate()
        server.wait(10)
        mailbox.stop()


def _message():
    from django.core.mail import EmailMessage

    return EmailMessage("After the cut", "Delivered on a new connection.", None, ["editor@example.org"])
