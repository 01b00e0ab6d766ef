"""Settings → Background tasks: what the worker could not do, and a Retry button, for superusers.

Failed tasks and tasks waiting to be tried again are listed with their last error; the workers'
heartbeats show whether anything is running the queue at all.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from django_tasks_db.models import DBTaskResult, get_date_max
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .models import WorkerHeartbeat

LISTED = 100


def _superuser_only(request):
    if not request.user.is_superuser:
        raise PermissionDenied


class BackgroundTasksView(WagtailAdminTemplateMixin, TemplateView):
    page_title = "Background tasks"
    header_icon = "cogs"
    template_name = "aipg_site/admin/background_tasks.html"

    def dispatch(self, request, *args, **kwargs):
        _superuser_only(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        failed = DBTaskResult.objects.filter(status="FAILED").order_by("-finished_at")[:LISTED]
        retrying = DBTaskResult.objects.filter(status="READY").exclude(exception_class_path="")
        counts = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).order_by())
        workers = live_workers()
        context.update(
            {
                "failed": [_row(result) for result in failed],
                "retrying": [_row(result) for result in retrying.order_by("run_after")[:LISTED]],
                "counts": {"ready": counts.get("READY", 0), "running": counts.get("RUNNING", 0)},
                "failed_count": counts.get("FAILED", 0),
                "workers": list(workers.order_by("started_at")),
            }
        )
        return context


def queue_health() -> dict:
    """For the dashboard: failed tasks, tasks due and waiting, and whether any worker is alive."""
    return {
        "failed": DBTaskResult.objects.filter(status="FAILED").count(),
        "waiting": DBTaskResult.objects.ready().count(),
        "workers_alive": live_workers().exists(),
    }


def live_workers():
    """Workers heard from within the time after which the worker itself counts one as gone."""
    stale_after = settings.TASK_WORKER_HEARTBEAT[1]
    return WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - timedelta(seconds=stale_after))


@require_POST
def retry_task(request, task_id):
    """Queue a failed task once more, to run now. It keeps its attempts and history."""
    _superuser_only(request)
    queued = DBTaskResult.objects.filter(pk=task_id, status="FAILED").update(
        status="READY", run_after=get_date_max(), finished_at=None
    )
    if queued:
        messages.success(request, "The task is queued again; a worker will run it shortly.")
    else:
        messages.warning(request, "That task is no longer failed: a worker has it, or it was retried already.")
    return redirect("aipg_background_tasks")


def _row(result: DBTaskResult) -> dict:
    lines = [line for line in result.traceback.strip().splitlines() if line.strip()]
    return {
        "id": result.id,
        "task": result.task_path,
        "arguments": result.args_kwargs,
        "attempts": len(result.worker_ids),
        "error": lines[-1] if lines else result.exception_class_path,
        "traceback": result.traceback,
        "enqueued_at": result.enqueued_at,
        "finished_at": result.finished_at,
        # The backend's "no time set" is the largest date: such a task runs as soon as a worker is free.
        "run_after": None if result.run_after == get_date_max() else result.run_after,
    }
