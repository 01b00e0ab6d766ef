"""The task worker: django-tasks-db's worker, made to survive what happens to real processes.

`manage.py run_worker` runs this. On top of django-tasks-db's loop (claim one ready task with a
row lock, so two workers never run the same task; run it; record the outcome) it adds:

- **retries with backoff**: a task that raises an error its policy names (`aipg_site.background`)
  is put back in the queue to run after a delay, keeping its attempt count and last error;
- **a heartbeat**: a thread touches this worker's `WorkerHeartbeat` row every few seconds, and puts
  back in the queue any task left running by a worker that has stopped touching its own (killed,
  out of memory, machine lost), so an interrupted task runs again;
- **periodic tasks** (`settings.PERIODIC_TASKS`): the same thread enqueues each when it is due, once
  whatever the number of workers.
"""

import logging
import os
import socket
import threading
from contextlib import suppress
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskContext
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult, get_date_max

from .background import retry_delay, retry_policy
from .models import PeriodicTaskSchedule, WorkerHeartbeat

logger = logging.getLogger("aipg_site.worker")

READY, RUNNING, FAILED = "READY", "RUNNING", "FAILED"


class Worker(db_worker.Worker):
    def __init__(self, *, heartbeat: float, stale_after: float, retry_delays: tuple[float, float], **options):
        super().__init__(**options)
        self.heartbeat = heartbeat
        self.stale_after = stale_after
        self.retry_delays = retry_delays
        self._stopped = threading.Event()

    # The loop --------------------------------------------------------------------------------

    def run(self) -> None:
        self._beat()
        housekeeper = threading.Thread(target=self._housekeeping, name="worker-heartbeat", daemon=True)
        housekeeper.start()
        try:
            super().run()
        finally:
            self._stopped.set()
            housekeeper.join(timeout=self.heartbeat + 5)
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """django-tasks-db's `run_task`, with a failure that the task's policy allows to retry put
        back in the queue instead of recorded as final."""
        try:
            self.running_task = True
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = type(task.get_backend())
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except (KeyboardInterrupt, SystemExit):
            # Stopped by force mid-task (a second Ctrl+C or SIGTERM): not the task's failure.
            DBTaskResult.objects.filter(pk=db_task_result.pk).update(status=READY, run_after=get_date_max())
            raise
        except BaseException as error:
            if not connection.in_atomic_block:
                close_old_connections()  # the error may have been the database connection itself
            attempts = len(db_task_result.worker_ids)
            try:
                policy = retry_policy(db_task_result.task)
            except (ImportError, SuspiciousOperation):
                policy = None
            if policy is not None and policy.should_retry(error, attempts):
                delay = retry_delay(attempts, *self.retry_delays)
                self._requeue(db_task_result, error, delay)
                logger.warning(
                    "Task %s (%s) failed on attempt %d of %d: %s; retrying in %.0f s.",
                    db_task_result.id, db_task_result.task_path, attempts, policy.max_attempts, error, delay,
                )  # fmt: skip
            else:
                db_task_result.set_failed(error)
                logger.error("Task %s (%s) failed: %r", db_task_result.id, db_task_result.task_path, error)
                with suppress(ImportError, SuspiciousOperation):  # a task whose code is gone
                    task_finished.send(
                        sender=type(db_task_result.task.get_backend()), task_result=db_task_result.task_result
                    )
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _requeue(self, db_task_result: DBTaskResult, error: BaseException, delay: float) -> None:
        from traceback import format_exception

        DBTaskResult.objects.filter(pk=db_task_result.pk).update(
            status=READY,
            run_after=timezone.now() + timedelta(seconds=delay),
            finished_at=None,
            exception_class_path=f"{type(error).__module__}.{type(error).__qualname__}",
            traceback="".join(format_exception(error)),
        )

    # Heartbeat, rescue and schedule ----------------------------------------------------------

    def _housekeeping(self) -> None:
        while not self._stopped.wait(self.heartbeat):
            try:
                close_old_connections()
                self._beat()
                requeue_abandoned_tasks(self.backend_name, self.stale_after)
                enqueue_due_periodic_tasks()
            except Exception:
                # A database hiccup must not stop the worker: the next beat tries again.
                logger.exception("Worker housekeeping failed; trying again in %s s.", self.heartbeat)
        connection.close()

    def _beat(self) -> None:
        updated = WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(seen_at=timezone.now())
        if not updated:
            WorkerHeartbeat.objects.create(worker_id=self.worker_id, hostname=socket.gethostname(), pid=os.getpid())


def requeue_abandoned_tasks(backend_name: str, stale_after: float) -> int:
    """Put back in the queue every task still marked running by a worker that has not been seen for
    `stale_after` seconds. A task that has already been cut off as often as its policy allows runs
    (one that kills its worker every time) is marked failed instead. Returns how many were requeued."""
    now = timezone.now()
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=now - timedelta(seconds=stale_after)).values_list(
            "worker_id", flat=True
        )
    )
    requeued = 0
    for result in DBTaskResult.objects.filter(status=RUNNING, backend_name=backend_name):
        if result.worker_ids and result.worker_ids[-1] in alive:
            continue
        # Only if no one has moved it on meanwhile (the same claim: status and start time).
        still_abandoned = DBTaskResult.objects.filter(pk=result.pk, status=RUNNING, started_at=result.started_at)
        try:
            policy = retry_policy(result.task)
        except (ImportError, SuspiciousOperation):
            policy = None
        if policy is None or len(result.worker_ids) >= policy.max_attempts:
            still_abandoned.update(
                status=FAILED,
                finished_at=now,
                exception_class_path="aipg_site.worker.WorkerLost",
                traceback=f"The worker running this task stopped ({len(result.worker_ids)} time(s)); not run again.",
            )
            logger.error("Task %s (%s) was cut off too often; marked failed.", result.id, result.task_path)
            continue
        if still_abandoned.update(status=READY, run_after=get_date_max()):
            requeued += 1
            logger.warning("Task %s (%s) was cut off by a stopped worker; queued again.", result.id, result.task_path)
    # Rows of workers gone for a day are history.
    WorkerHeartbeat.objects.filter(seen_at__lt=now - timedelta(days=1)).delete()
    return requeued


def enqueue_due_periodic_tasks() -> list[str]:
    """Enqueue each periodic task that is due. Moving `next_run_at` on is a conditional update, so of
    several workers doing this at once exactly one enqueues it. Returns the task paths enqueued."""
    enqueued = []
    for task_path, seconds in settings.PERIODIC_TASKS.items():
        now = timezone.now()
        with suppress(IntegrityError):  # another worker made the row a moment ago
            PeriodicTaskSchedule.objects.get_or_create(task_path=task_path, defaults={"next_run_at": now})
        with transaction.atomic():
            claimed = PeriodicTaskSchedule.objects.filter(task_path=task_path, next_run_at__lte=now).update(
                next_run_at=now + timedelta(seconds=seconds), last_enqueued_at=now
            )
            if claimed:
                import_string(task_path).enqueue()
                enqueued.append(task_path)
    return enqueued
