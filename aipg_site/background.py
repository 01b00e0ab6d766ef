"""Background work: what can fail or take long runs on the task worker, never in a visitor's request.

Tasks are django-tasks tasks (Wagtail 8's own framework), stored as rows of our database by
django-tasks-db and run by `manage.py run_worker` (`aipg_site/worker.py`). Declare one with
`background_task`: django-tasks' `@task` plus a retry policy. When the task raises one of the errors
named in `retry_on` (a mail server or Stripe that is down), the worker runs it again later, after a
delay that doubles each time up to a cap (`TASK_RETRY_DELAY`), until `max_attempts` runs have been
made; then it stays failed, and superusers find it under Settings → Background tasks with a Retry
button. Any other error fails the task at once.

Every task must be safe to run twice: a worker killed in the middle of one leaves it to be run again
by another worker. Record the effect (a `sent_at`, a status) and check it first.
"""

from dataclasses import dataclass

from django_tasks import task
from django_tasks.base import Task


@dataclass(frozen=True)
class RetryPolicy:
    retry_on: tuple[type[BaseException], ...]
    max_attempts: int

    def should_retry(self, error: BaseException, attempts: int) -> bool:
        return isinstance(error, self.retry_on) and attempts < self.max_attempts


# A task without a policy of its own: no retry on error, and run at most this many times when
# the workers running it keep dying (a file that exhausts memory must not take down every worker).
DEFAULT_POLICY = RetryPolicy(retry_on=(), max_attempts=3)


def background_task(*, retry_on: tuple[type[BaseException], ...] = (), max_attempts: int = 12, **task_options):
    """`@task` with a retry policy. Twelve attempts with the default delays (30 s doubling, capped at
    an hour) span about seven hours: long enough to ride out a mail server or Stripe outage."""

    def decorate(func):
        func.retry_policy = RetryPolicy(tuple(retry_on), max_attempts)
        return task(**task_options)(func)

    return decorate


def retry_policy(task: Task) -> RetryPolicy:
    return getattr(task.func, "retry_policy", DEFAULT_POLICY)


def retry_delay(attempts: int, base: float, cap: float) -> float:
    """Seconds to wait before the next run, after `attempts` runs have failed: base, twice that, four times..."""
    return min(cap, base * 2 ** max(0, attempts - 1))
