"""The site core's background tasks. Each app keeps its own in its `tasks.py`."""

from django.apps import apps
from django.core.management import call_command
from wagtail import signal_handlers
from wagtail import tasks as wagtail_tasks

from .background import background_task


@background_task()
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and withdraw expired ones (a periodic task)."""
    call_command("publish_scheduled", verbosity=0)


@background_task()
def prune_finished_tasks() -> None:
    """Forget finished tasks: successful ones after a week, failed ones after a month (time enough
    for staff to see and retry them under Settings → Background tasks). A periodic task."""
    call_command("prune_db_task_results", min_age_days=7, failed_min_age_days=30, verbosity=0)


@background_task()
def update_reference_index(app_label: str, model_name: str, pk: str) -> str:
    """Wagtail's reference-index task, for a row that may be gone by the time the worker runs it.

    Wagtail queues its task after every save of a tracked model, a page's child rows included
    (a story's related links). When the page is saved again before the worker gets there (publishing
    a revision or syncing a translation replaces those rows), Wagtail's task fails on the missing row
    and staff see a failed task for nothing: the page's own save queued the indexing of its current
    rows."""
    model = apps.get_model(app_label, model_name)
    if not model._default_manager.filter(pk=pk).exists():
        return "gone"
    wagtail_tasks.update_reference_index_task.call(app_label, model_name, pk)
    return "indexed"


def queue_reference_index_updates_here() -> None:
    """Have Wagtail's save signal queue `update_reference_index` instead of its own task. Wagtail's
    handler looks the task up in its module when a model is saved, so naming ours there is enough."""
    signal_handlers.update_reference_index_task = update_reference_index
