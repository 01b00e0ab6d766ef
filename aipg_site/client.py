"""Who is asking: the client address that rate limits and login lockouts count."""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The visitor's address: REMOTE_ADDR, or with TRUSTED_PROXY_COUNT proxies in front, the address
    the outermost trusted proxy saw (entries further left in X-Forwarded-For can be forged)."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops and _is_address(forwarded[-hops]):
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or "unknown"


def lockout_address(request) -> str | None:
    """The address django-axes records with a login: an IP address, or None when there is none (a
    test's forced login, a misconfigured proxy); PostgreSQL's inet column takes nothing else."""
    address = client_address(request)
    return address if _is_address(address) else None


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True
