import os

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from aipg_site.worker import Worker


class Command(db_worker.Command):
    help = (
        "Run a task worker: emails, Stripe follow-ups, image renditions, document checks and the periodic "
        "tasks (publishing scheduled pages). Run one or more beside the web servers; see docs/background-tasks.md."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        heartbeat, stale_after = settings.TASK_WORKER_HEARTBEAT
        parser.add_argument(
            "--heartbeat",
            type=db_worker.valid_interval,
            default=heartbeat,
            help="Seconds between this worker's heartbeats, rescues and schedule checks (default: %(default)s)",
        )
        parser.add_argument(
            "--stale-after",
            type=db_worker.valid_interval,
            default=stale_after,
            help="A worker not heard from for this many seconds is gone: its running task is queued again "
            "(default: %(default)s)",
        )
        parser.add_argument(
            "--retry-delay",
            type=db_worker.valid_interval,
            default=settings.TASK_RETRY_DELAY[0],
            help="Seconds before a failed task's first retry; it doubles with each retry (default: %(default)s)",
        )

    def handle(self, *, verbosity, queue_name, exclude_queues, reload, batch, heartbeat, stale_after, **options):
        self.configure_logging(verbosity)
        worker = Worker(
            queue_names=queue_name.split(","),
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            interval=options["interval"],
            batch=batch,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            heartbeat=heartbeat,
            stale_after=stale_after,
            retry_delays=(options["retry_delay"], settings.TASK_RETRY_DELAY[1]),
        )
        if reload and not batch:
            # Development: restart on code changes, as runserver does; only the child handles signals.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
