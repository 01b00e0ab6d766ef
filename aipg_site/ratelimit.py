"""A fixed-window request limit per client address, kept in the database.

Used against card testing (each checkout session started costs one unit), against guessing who
gives monthly (each manage-link request) and against guessing a private page's password. The
counters are rows, not cache entries: every app server shares them, a Redis restart does not reset
them, and no flood of cached pages can evict them.
"""

from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .client import client_address
from .models import RateLimitCounter


def hit(bucket: str, request, limit: int, window: int) -> bool:
    """Count one request; True while the address stays within `limit` requests per `window` seconds."""
    now = timezone.now()
    window_start = datetime.fromtimestamp(int(now.timestamp()) // window * window, tz=UTC)
    key = {"bucket": bucket, "address": client_address(request)[:64], "window_start": window_start}
    with transaction.atomic():
        counter, created = RateLimitCounter.objects.get_or_create(**key)
        RateLimitCounter.objects.filter(pk=counter.pk).update(count=F("count") + 1)
        count = RateLimitCounter.objects.values_list("count", flat=True).get(pk=counter.pk)
    if created:
        # A new window: forget windows that ended a day or more ago.
        RateLimitCounter.objects.filter(window_start__lt=now - timedelta(seconds=window) - timedelta(days=1)).delete()
    return count <= limit
