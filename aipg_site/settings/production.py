"""Production: everything that matters comes from the environment, and nothing is guessed.

The server refuses to start when a required variable is missing, naming it, rather than running
with a made-up secret key or accepting any host.
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ENV_ALLOWED_HOSTS,
    ENV_CSRF_TRUSTED_ORIGINS,
    ENV_DATABASE_URL,
    ENV_DEBUG,
    ENV_EMAIL_HOST,
    ENV_SECRET_KEY,
    ENV_SECURE_SSL_REDIRECT,
)


def _require(name, value):
    if not value:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required in production and is not set. "
            "See the environment table in README.md."
        )
    return value


SECRET_KEY = _require("SECRET_KEY", ENV_SECRET_KEY)
ALLOWED_HOSTS = _require("ALLOWED_HOSTS", ENV_ALLOWED_HOSTS)
_require("DATABASE_URL", ENV_DATABASE_URL)
# Receipts, password resets and error reports are email: without a mail server they would fail,
# one retry after another, where nobody looks.
_require("EMAIL_HOST", ENV_EMAIL_HOST)

DEBUG = ENV_DEBUG
CSRF_TRUSTED_ORIGINS = ENV_CSRF_TRUSTED_ORIGINS

# HTTPS is terminated by the load balancer in front of gunicorn, which sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = ENV_SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
