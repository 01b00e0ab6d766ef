"""A fixed-window request limit per client address, kept in Django's cache.

With REDIS_URL set the cache is shared, so the limit holds across every app server; `incr` is
atomic there. Used against card testing: each checkout session started costs one unit.
"""

from django.conf import settings
from django.core.cache import cache


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
    key = f"ratelimit:{bucket}:{client_address(request)}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count <= limit
