"""A fixed-window request limit per client address, kept in the database.

Used against card testing (each checkout session started costs one unit) and against guessing who
gives monthly (each manage-link request). The counters are rows, not cache entries: every app server
shares them, a Redis restart does not reset them, and no flood of cached pages can evict them.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import RateLimitCounter


def client_address(request) -> str:
    """The visitor's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the address
    the outermost trusted proxy saw (entries further left in X-Forwarded-For can be forged)."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "unknown")


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
