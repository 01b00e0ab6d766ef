"""The test suite: fast hashing, mail kept in memory, plain static storage."""

from .base import *  # noqa: F403
from .base import ENV_ALLOWED_HOSTS

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"  # noqa: S105 (test settings only)
ALLOWED_HOSTS = ENV_ALLOWED_HOSTS or ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Most tests run each task where it is enqueued, as if a worker took it at once; the tests of the
# worker itself (tests/aipg_site/test_worker.py) run the database backend with real worker processes.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WAGTAILADMIN_BASE_URL = "http://testserver"
# Most tests sign in with force_login; tests/aipg_site/test_two_factor.py and the tests that start
# production servers sign in with a code from an authenticator app, as production asks.
TWO_FACTOR_REQUIRED = False
# Tests build pages with factories, which send no publish signals; the page cache tests turn it on.
PAGE_CACHE_SECONDS = 0

# WhiteNoise serves static files straight from the source folders: no collectstatic needed here.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

LOGGING["root"]["level"] = "WARNING"
