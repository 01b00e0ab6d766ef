"""The site core's background tasks. Each app keeps its own in its `tasks.py`."""

from django.core.management import call_command

from .background import background_task


@background_task()
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live time has come and withdraw expired ones (a periodic task)."""
    call_command("publish_scheduled", verbosity=0)
