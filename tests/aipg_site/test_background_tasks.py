"""The queue's rules, in process: retries and their backoff, rescuing a stopped worker's task, periodic
tasks enqueued once, every email through the queue, and the superusers' view of failed tasks.
tests/aipg_site/test_worker.py shows the same with real worker processes and real services."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from aipg_site.background import background_task, retry_delay
from aipg_site.mail import QueuedEmailBackend
from aipg_site.models import WorkerHeartbeat
from aipg_site.worker import Worker, enqueue_due_periodic_tasks, requeue_abandoned_tasks

pytestmark = pytest.mark.django_db

RUNS = []


@background_task(retry_on=(smtplib.SMTPException,), max_attempts=3)
def flaky_send(outcome):
    RUNS.append(outcome)
    if outcome == "smtp down":
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
    if outcome == "bug":
        raise ValueError("not a thing to retry")
    return "sent"


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    RUNS.clear()


def worker(name="worker-a"):
    return Worker(
        queue_names=["default"], excluded_queue_names=[], interval=0, batch=True, backend_name="default",
        startup_delay=False, max_tasks=None, worker_id=name, heartbeat=1, stale_after=10, retry_delays=(30, 3600),
    )  # fmt: skip


def claim_and_run(result_id, name="worker-a"):
    row = DBTaskResult.objects.get(pk=result_id)
    row.claim(name)
    worker(name).run_task(row)
    return DBTaskResult.objects.get(pk=result_id)


class TestRetries:
    def test_a_retryable_error_queues_the_task_again_later_with_its_error(self, database_queue):
        result = flaky_send.enqueue("smtp down")
        before = timezone.now()

        row = claim_and_run(result.id)

        assert row.status == "READY"
        assert before + timedelta(seconds=29) < row.run_after < before + timedelta(seconds=32)
        assert "SMTPServerDisconnected" in row.exception_class_path
        assert row.worker_ids == ["worker-a"]

    def test_the_delay_doubles_and_the_last_attempt_fails_for_good(self, database_queue):
        result = flaky_send.enqueue("smtp down")
        claim_and_run(result.id)
        row = claim_and_run(result.id, "worker-b")
        assert row.status == "READY"
        assert row.run_after > timezone.now() + timedelta(seconds=59)  # 30 s, then 60 s
        row = claim_and_run(result.id)
        assert row.status == "FAILED"  # three attempts were allowed
        assert len(row.worker_ids) == 3
        assert RUNS == ["smtp down"] * 3

    def test_an_error_the_policy_does_not_name_fails_at_once(self, database_queue):
        row = claim_and_run(flaky_send.enqueue("bug").id)
        assert row.status == "FAILED"
        assert "ValueError" in row.traceback

    def test_success_is_recorded(self, database_queue):
        row = claim_and_run(flaky_send.enqueue("fine").id)
        assert (row.status, row.return_value) == ("SUCCESSFUL", "sent")

    def test_delays_are_capped(self):
        assert [retry_delay(n, 30, 3600) for n in (1, 2, 3, 8, 20)] == [30, 60, 120, 3600, 3600]


class TestStoppedWorkers:
    def test_a_task_left_running_by_a_silent_worker_is_queued_again(self, database_queue):
        WorkerHeartbeat.objects.create(worker_id="alive", hostname="a", pid=1)
        WorkerHeartbeat.objects.create(
            worker_id="killed", hostname="b", pid=2, seen_at=timezone.now() - timedelta(minutes=5)
        )
        abandoned, running = flaky_send.enqueue("fine"), flaky_send.enqueue("fine")
        DBTaskResult.objects.get(pk=abandoned.id).claim("killed")
        DBTaskResult.objects.get(pk=running.id).claim("alive")

        assert requeue_abandoned_tasks("default", stale_after=60) == 1

        assert DBTaskResult.objects.get(pk=abandoned.id).status == "READY"
        assert DBTaskResult.objects.get(pk=running.id).status == "RUNNING"  # its worker is alive
        # It runs again, counting the cut-off attempt.
        assert claim_and_run(abandoned.id, "alive").worker_ids == ["killed", "alive"]

    def test_a_task_that_keeps_killing_its_workers_is_failed_not_retried_for_ever(self, database_queue):
        result = flaky_send.enqueue("fine")
        row = DBTaskResult.objects.get(pk=result.id)
        row.worker_ids = ["first", "second"]
        row.save()
        row.claim("third")  # the policy allows three attempts; this is the third, and it dies too

        requeue_abandoned_tasks("default", stale_after=60)

        row = DBTaskResult.objects.get(pk=result.id)
        assert row.status == "FAILED"
        assert row.exception_class_path == "aipg_site.worker.WorkerLost"


class TestPeriodicTasks:
    def test_enqueued_once_per_interval_whoever_asks(self, database_queue, settings):
        settings.PERIODIC_TASKS = {"aipg_site.tasks.publish_scheduled_pages": 60}
        assert enqueue_due_periodic_tasks() == ["aipg_site.tasks.publish_scheduled_pages"]
        assert enqueue_due_periodic_tasks() == []  # a second worker a moment later
        assert DBTaskResult.objects.filter(task_path="aipg_site.tasks.publish_scheduled_pages").count() == 1


class TestEveryEmailThroughTheQueue:
    def test_a_message_is_queued_and_delivered_whole(self, settings, database_queue):
        message = EmailMultiAlternatives(
            "Reset your password", "Plain text", "AIPG <no-reply@example.org>", ["editor@example.org"],
            reply_to=["help@example.org"], headers={"X-Campaign": "none"},
        )  # fmt: skip
        message.attach_alternative("<p>HTML</p>", "text/html")
        assert QueuedEmailBackend().send_messages([message]) == 1
        assert not mail.outbox  # queued, not sent
        row = DBTaskResult.objects.get(task_path="aipg_site.mail.deliver_email")

        claim_and_run(row.pk)

        [sent] = mail.outbox
        assert (sent.subject, sent.body, sent.to, sent.reply_to) == (
            "Reset your password", "Plain text", ["editor@example.org"], ["help@example.org"],
        )  # fmt: skip
        assert sent.alternatives[0][0] == "<p>HTML</p>"
        assert sent.extra_headers == {"X-Campaign": "none"}

    def test_wagtails_password_reset_goes_through_the_queue(self, client, settings, database_queue, django_user_model):
        settings.EMAIL_BACKEND = "aipg_site.mail.QueuedEmailBackend"
        django_user_model.objects.create_user("editor", "editor@example.org", "a-long-password-for-tests")
        response = client.post("/admin/password_reset/", {"email": "editor@example.org"})
        assert response.status_code == 302
        assert not mail.outbox
        [row] = DBTaskResult.objects.filter(task_path="aipg_site.mail.deliver_email")
        claim_and_run(row.pk)
        assert mail.outbox[0].to == ["editor@example.org"]


class TestFailedTasksForSuperusers:
    URL = "/admin/background-tasks/"

    def failed_task(self):
        row = claim_and_run(flaky_send.enqueue("bug").id)
        assert row.status == "FAILED"
        return row

    def test_lists_the_failure_with_its_error_and_retries_it(self, admin_client, database_queue):
        row = self.failed_task()
        page = admin_client.get(self.URL)
        assert page.status_code == 200
        assert b"flaky_send" in page.content
        assert b"ValueError: not a thing to retry" in page.content
        assert b"No worker has been heard from recently" in page.content

        response = admin_client.post(f"{self.URL}{row.pk}/retry/")

        assert response.status_code == 302
        row.refresh_from_db()
        assert row.status == "READY"
        assert row.worker_ids == ["worker-a"]  # its history is kept

    def test_retry_needs_a_post(self, admin_client, database_queue):
        row = self.failed_task()
        assert admin_client.get(f"{self.URL}{row.pk}/retry/").status_code == 405

    def test_other_staff_neither_see_nor_retry(self, client, database_queue, django_user_model):
        from django.contrib.auth.models import Permission

        editor = django_user_model.objects.create_user("editor", "editor@example.org", "a-long-password-for-tests")
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(editor)
        row = self.failed_task()
        assert client.get(self.URL).status_code in {302, 403}
        assert client.post(f"{self.URL}{row.pk}/retry/").status_code in {302, 403}
        assert DBTaskResult.objects.get(pk=row.pk).status == "FAILED"
        assert b"Background tasks" not in client.get("/admin/").content


class TestDashboard:
    def test_superusers_are_told_when_tasks_wait_and_no_worker_runs(self, admin_client, database_queue):
        assert b"Background tasks need attention" not in admin_client.get("/admin/").content
        flaky_send.enqueue("fine")
        page = admin_client.get("/admin/").content
        assert b"Background tasks need attention" in page
        assert b"No task worker has been heard from recently, and 1 task is waiting" in page
        WorkerHeartbeat.objects.create(worker_id="alive", hostname="a", pid=1)
        assert b"Background tasks need attention" not in admin_client.get("/admin/").content

    def test_and_when_a_task_failed_for_good(self, admin_client, database_queue):
        WorkerHeartbeat.objects.create(worker_id="alive", hostname="a", pid=1)
        claim_and_run(flaky_send.enqueue("bug").id)
        assert b"1 task failed for good." in admin_client.get("/admin/").content
