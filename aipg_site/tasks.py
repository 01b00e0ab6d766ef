"""The site core's background tasks. Each app keeps its own in its `tasks.py`."""

from django.core.management import call_command

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
