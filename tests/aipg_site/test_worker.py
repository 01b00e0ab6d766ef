"""The task worker against real processes and real services: a mail server that is down and comes
back, a worker killed in the middle of a task, two workers sharing one queue, Stripe down while an
event waits on it.

Workers are `manage.py run_worker` processes under production settings, on the test's PostgreSQL
database; the mail server is aiosmtpd on loopback, started and stopped by the test; Stripe is the
tests' fake Stripe server. The site's side (the webhook, the manage-link form) runs in the test's
process with the database backend, so what it enqueues is what the workers see. Run by `make test`
(target `test-servers`).
"""

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from aiosmtpd.controller import Controller
from bs4 import BeautifulSoup
from django.core.mail import send_mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aipg_site.mail import QueuedEmailBackend
from aipg_site.models import PeriodicTaskSchedule
from donations.models import Donation, Payment, StripeEvent
from stories.models import StoryPage

from ..donations import stripe_events as events
from ..donations.fake_stripe import FakeStripe
from ..factories import StoryIndexPageFactory, StoryPageFactory

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Short heartbeats and retries, so a test sees in seconds what production does in minutes.
FAST = ["--heartbeat", "0.5", "--stale-after", "3", "--retry-delay", "0.5", "--interval", "0.2", "--no-startup-delay"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def eventually(check, timeout=60, message="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"Timed out after {timeout}s waiting for {message}")


class Mailbox:
    """A real SMTP server on loopback that keeps every message it accepts."""

    def __init__(self, port):
        self.port = port
        self.messages = []
        self._controller = None

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd's handler hook
        self.messages.append(envelope)
        return "250 OK"

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller:
            self._controller.stop()
            self._controller = None

    def to(self, address):
        return [m for m in self.messages if address in m.rcpt_tos]


class SilentSMTP:
    """A mail server that accepts the connection and never says a word: a send hangs on it."""

    def __init__(self, port):
        self._socket = socket.create_server(("127.0.0.1", port))
        self._held = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self._socket.accept()
            except OSError:
                return
            self._held.append(conn)

    @property
    def connections(self):
        return len(self._held)

    def close(self):
        for conn in self._held:
            conn.close()
        self._socket.close()


@pytest.fixture
def queue(settings, database_url):
    """What the site enqueues in this process goes to the database, for the worker processes."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return database_url


@pytest.fixture
def workers(queue, tmp_path):
    """Start worker processes: `workers.start(smtp_port=..., stripe_url=...)`. All are killed at the end."""
    started = []

    class Workers:
        def start(self, smtp_port, stripe_url="http://127.0.0.1:9", worker_id=None):
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "aipg_site.settings.production",
                "SECRET_KEY": "worker-test-secret-key-with-enough-length-0123456789",
                "ALLOWED_HOSTS": "testserver",
                "DATABASE_URL": queue,
                "REDIS_URL": "",
                "EMAIL_HOST": "127.0.0.1",
                "EMAIL_PORT": str(smtp_port),
                "EMAIL_USE_TLS": "false",
                "STRIPE_SECRET_KEY": "sk_test_fake",
                "STRIPE_WEBHOOK_SECRET": events.WEBHOOK_SECRET,
                "STRIPE_API_BASE": stripe_url,
                "MEDIA_ROOT": str(tmp_path / "media"),
                "LOG_LEVEL": "WARNING",
            }
            command = [sys.executable, "manage.py", "run_worker", "--no-reload", *FAST]
            if worker_id:
                command += ["--worker-id", worker_id]
            log = open(tmp_path / f"worker-{len(started)}.log", "w")  # noqa: SIM115 (closed with the process)
            process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            process.log_path, process.log_file = log.name, log
            started.append(process)
            return process

        def log(self, process):
            return Path(process.log_path).read_text()

    yield Workers()
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        process.log_file.close()


@pytest.fixture
def webhook_site(settings, home):
    settings.STRIPE_WEBHOOK_SECRET = events.WEBHOOK_SECRET
    return Client()


def main_text(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").main.get_text().split())


def task_rows(path_suffix):
    return list(DBTaskResult.objects.filter(task_path__endswith=path_suffix))


def test_smtp_down_while_a_gift_is_paid_then_exactly_one_receipt_note_and_link(workers, webhook_site):
    smtp_port = free_port()  # nothing listens here yet: the mail server is down
    worker = workers.start(smtp_port)
    gift = Donation.objects.create(
        amount=5000, currency="USD", frequency="once", donor_name="Ada Donor", donor_email="ada@example.org",
        tribute_type="memory", tribute_name="Sheri", tribute_notify_email="kin@example.org",
        stripe_checkout_session_id=events.new_id("cs"),
    )  # fmt: skip
    Donation.objects.create(
        amount=2000, currency="USD", frequency="monthly", status="active", donor_name="Grace Monthly",
        donor_email="grace@example.org", stripe_customer_id="cus_grace",
    )  # fmt: skip

    started = time.monotonic()
    response = events.deliver(webhook_site, events.event("checkout.session.completed", events.checkout_session(gift)))
    answered_in = time.monotonic() - started
    link_request = webhook_site.post("/donate/manage/", {"email": "grace@example.org"})

    assert response.status_code == 200
    assert response.json()["outcome"] == "queued"
    assert link_request.status_code == 200
    # The worker applies the event (the payment is recorded) but cannot send a thing.
    eventually(lambda: Payment.objects.filter(donation=gift).exists(), message="the payment to be recorded")
    eventually(
        lambda: all(len(row.worker_ids) >= 3 for row in task_rows("send_receipt") + task_rows("send_manage_links")),
        message="three failed attempts at the receipt and the link",
    )
    gift.refresh_from_db()
    payment = Payment.objects.get(donation=gift)
    assert gift.status == "paid"
    assert gift.thanked_at is None
    assert gift.tribute_notified_at is None
    assert payment.receipt_sent_at is None
    # Not given up and not sent: waiting to be tried again, or being tried again already (the worker
    # may have picked up the next attempt between the count above and this line).
    assert all(row.status in {"READY", "RUNNING"} for row in task_rows("send_receipt"))
    assert "ConnectionRefusedError" in task_rows("send_receipt")[0].traceback

    mailbox = Mailbox(smtp_port).start()  # the mail server is back
    try:
        eventually(lambda: len(mailbox.messages) >= 3, message="the receipt, the tribute note and the link")
        time.sleep(3)  # time enough for a duplicate to show up, were there one
        assert len(mailbox.to("ada@example.org")) == 1
        assert len(mailbox.to("kin@example.org")) == 1
        assert len(mailbox.to("grace@example.org")) == 1
        assert len(mailbox.messages) == 3
        assert b"/donate/manage/" in mailbox.to("grace@example.org")[0].content
    finally:
        mailbox.stop()
    gift.refresh_from_db()
    assert gift.thanked_at is not None
    assert gift.tribute_notified_at is not None
    assert Payment.objects.get(donation=gift).receipt_sent_at is not None
    assert worker.poll() is None  # the outage did not stop the worker
    print(f"webhook answered in {answered_in * 1000:.0f} ms with the mail server down")


def test_an_unknown_address_is_answered_like_a_known_one(workers, webhook_site):
    Donation.objects.create(
        amount=2000, currency="USD", frequency="monthly", status="active", donor_name="Grace Monthly",
        donor_email="grace@example.org", stripe_customer_id="cus_grace",
    )  # fmt: skip
    known = webhook_site.post("/donate/manage/", {"email": "grace@example.org"})
    unknown = webhook_site.post("/donate/manage/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert main_text(known) == main_text(unknown)
    # Both are the same work in the request: one task each (with the language to write in), looked up on the worker.
    assert [row.args_kwargs["args"] for row in task_rows("send_manage_links")] in (
        [["grace@example.org", "en"], ["nobody@example.org", "en"]],
        [["nobody@example.org", "en"], ["grace@example.org", "en"]],
    )


def test_a_worker_killed_mid_task_leaves_it_to_another_and_the_effect_happens_once(workers, webhook_site):
    silent_port, good_port = free_port(), free_port()
    silent = SilentSMTP(silent_port)
    gift = Donation.objects.create(
        amount=5000, currency="USD", frequency="once", donor_name="Ada Donor", donor_email="ada@example.org",
        stripe_checkout_session_id=events.new_id("cs"),
    )  # fmt: skip
    first = workers.start(silent_port, worker_id="first-worker")
    events.deliver(webhook_site, events.event("checkout.session.completed", events.checkout_session(gift)))
    # The receipt task is running, its send hanging on a server that never answers: kill the worker.
    eventually(lambda: silent.connections and task_rows("send_receipt"), message="the send to hang")
    assert task_rows("send_receipt")[0].status == "RUNNING"
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    silent.close()

    mailbox = Mailbox(good_port).start()
    try:
        workers.start(good_port, worker_id="second-worker")
        eventually(lambda: mailbox.messages, message="the receipt from the second worker")
        time.sleep(3)
        assert len(mailbox.messages) == 1
    finally:
        mailbox.stop()
    [receipt] = task_rows("send_receipt")
    assert receipt.status == "SUCCESSFUL"
    assert receipt.worker_ids == ["first-worker", "second-worker"]
    assert Payment.objects.get().receipt_sent_at is not None
    [applied] = task_rows("apply_stripe_event")
    assert applied.worker_ids == ["first-worker"]  # finished before the kill: not run again


def test_two_workers_run_every_task_exactly_once(workers, queue):
    mailbox = Mailbox(free_port()).start()
    try:
        QueuedEmailBackend().send_messages([])  # nothing to send is nothing queued
        for number in range(60):
            send_mail(
                f"Message {number}", "Body", None, [f"reader{number}@example.org"], connection=QueuedEmailBackend()
            )
        both = [workers.start(mailbox.port, worker_id=name) for name in ("worker-a", "worker-b")]
        eventually(
            lambda: (
                DBTaskResult.objects.filter(task_path="aipg_site.mail.deliver_email", status="SUCCESSFUL").count() == 60
            ),
            message="60 emails delivered",
        )
        time.sleep(2)
        subjects = sorted(envelope.content.split(b"Subject: ")[1].split(b"\r\n")[0] for envelope in mailbox.messages)
        assert subjects == sorted(f"Message {n}".encode() for n in range(60))  # each once, none twice
        deliveries = task_rows("deliver_email")
        assert all(len(row.worker_ids) == 1 for row in deliveries)
        share = {name: sum(row.worker_ids == [name] for row in deliveries) for name in ("worker-a", "worker-b")}
        assert sum(share.values()) == 60
        # Periodic work is enqueued once per interval whichever worker sees it due first.
        assert len(task_rows("publish_scheduled_pages")) == 1
        assert PeriodicTaskSchedule.objects.get(task_path="aipg_site.tasks.publish_scheduled_pages")
        assert all(process.poll() is None for process in both)
        print(f"60 emails, two workers: {share}")
    finally:
        mailbox.stop()


def test_a_scheduled_page_is_published_by_the_worker(workers, home):
    story = StoryPageFactory(parent=StoryIndexPageFactory(parent=home), title="Scheduled story", live=False)
    story.go_live_at = timezone.now() + timedelta(seconds=2)
    story.save_revision().publish()  # with a go-live time ahead, publishing schedules it
    assert not StoryPage.objects.get(pk=story.pk).live
    PeriodicTaskSchedule.objects.create(
        task_path="aipg_site.tasks.publish_scheduled_pages", next_run_at=timezone.now() + timedelta(seconds=3)
    )
    workers.start(free_port())
    eventually(lambda: StoryPage.objects.get(pk=story.pk).live, message="the story to go live")


def test_stripe_down_while_an_event_needs_it_is_applied_once_stripe_is_back(workers, webhook_site):
    stripe = FakeStripe().start()
    try:
        gift = Donation.objects.create(
            amount=2000, currency="USD", frequency="monthly", donor_name="Grace Monthly",
            donor_email="grace@example.org",
        )  # fmt: skip
        invoice = events.invoice(gift, events.new_id("sub"))
        payment_intent = events.new_id("pi")
        stripe.invoices_by_payment_intent[payment_intent] = invoice
        # Three attempts, each a request and the library's retry (the worker's hourly reconciliation
        # also calls this Stripe, on other paths).
        stripe.fail_next(status=500, times=6, path="/v1/invoice_payments")
        mailbox = Mailbox(free_port()).start()
        workers.start(mailbox.port, stripe_url=stripe.url)
        events.deliver(webhook_site, events.event("invoice.paid", invoice))
        eventually(lambda: Payment.objects.exists(), message="the instalment to be recorded")
        refund = events.event("charge.refunded", events.charge(payment_intent, 2000, "usd", amount_refunded=2000))

        response = events.deliver(webhook_site, refund)

        assert response.status_code == 200  # answered at once although Stripe is down
        eventually(lambda: Payment.objects.get().amount_refunded == 2000, message="the refund, once Stripe answers")
        [stored] = StripeEvent.objects.filter(event_id=refund["id"])
        assert stored.status == "applied"
        [task] = [row for row in task_rows("apply_stripe_event") if row.args_kwargs["args"] == [stored.pk]]
        assert len(task.worker_ids) >= 2  # it failed while Stripe was down, then succeeded
        assert len(stripe.api_requests("/v1/invoice_payments")) >= 7
        mailbox.stop()
    finally:
        stripe.stop()


def test_the_embedded_default_on_sqlite_sends_exactly_one_receipt_once_smtp_is_back(tmp_path):
    """`make run`'s topology, with production settings: gunicorn and a worker on one SQLite file."""
    database = tmp_path / "site.sqlite3"
    smtp_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aipg_site.settings.production",
        "SECRET_KEY": "sqlite-worker-test-secret-key-with-enough-length-0123456789",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "false",
        "STRIPE_WEBHOOK_SECRET": events.WEBHOOK_SECRET,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "LOG_LEVEL": "WARNING",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=PROJECT_ROOT, env=env, check=True)
    created = subprocess.run(
        [*manage, "shell", "-v0", "-c",
         "from donations.models import Donation; d = Donation.objects.create(amount=5000, currency='EUR', "
         "frequency='once', donor_name='Ada', donor_email='ada@example.org', stripe_checkout_session_id='cs_sqlite'); "
         "print(d.uuid)"],
        cwd=PROJECT_ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip
    uuid = created.stdout.strip().splitlines()[-1]
    gift = Donation(uuid=uuid, amount=5000, currency="EUR", frequency="once", stripe_checkout_session_id="cs_sqlite")
    logs = open(tmp_path / "processes.log", "w")  # noqa: SIM115 (closed below)
    web = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "aipg_site.wsgi:application", "--bind", f"127.0.0.1:{web_port}",
         "--workers", "2", "--no-control-socket"],
        cwd=PROJECT_ROOT, env=env, stdout=logs, stderr=subprocess.STDOUT,
    )  # fmt: skip
    worker = subprocess.Popen(
        [*manage, "run_worker", "--no-reload", *FAST], cwd=PROJECT_ROOT, env=env, stdout=logs, stderr=subprocess.STDOUT
    )
    mailbox = Mailbox(smtp_port)
    try:
        payload = json.dumps(events.event("checkout.session.completed", events.checkout_session(gift)))
        headers = {"Content-Type": "application/json", "Stripe-Signature": events.signature(payload)}
        url = f"http://127.0.0.1:{web_port}/donate/stripe/webhook/"
        response = eventually(lambda: _post_when_up(url, payload, headers), message="gunicorn to answer")
        assert response.status_code == 200

        def receipt_attempts():
            with sqlite3.connect(database) as db:
                row = db.execute(
                    "SELECT worker_ids FROM django_tasks_database_dbtaskresult WHERE task_path LIKE '%send_receipt'"
                ).fetchone()
            return row and len(json.loads(row[0])) >= 3

        eventually(receipt_attempts, message="three failed attempts at the receipt")
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT thanked_at FROM donations_donation").fetchone() == (None,)
        mailbox.start()
        eventually(lambda: mailbox.messages, message="the receipt")
        time.sleep(3)
        assert len(mailbox.to("ada@example.org")) == 1
        with sqlite3.connect(database) as db:
            assert db.execute("SELECT thanked_at FROM donations_donation").fetchone() != (None,)
        assert web.poll() is None
        assert worker.poll() is None
    finally:
        mailbox.stop()
        for process in (web, worker):
            process.terminate()
            process.wait(20)
        logs.close()


def _post_when_up(url, payload, headers):
    # A first request can outlast the timeout on a loaded machine (gunicorn's worker still importing);
    # Stripe delivers again when a webhook times out, and the site records the event once.
    try:
        return requests.post(url, data=payload, headers=headers, timeout=30)
    except (requests.ConnectionError, requests.Timeout):
        return None
