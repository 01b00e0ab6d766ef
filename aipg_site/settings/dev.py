"""Local development: `make run`. Debug on, emails printed to the console, no HTTPS."""

from .base import *  # noqa: F403
from .base import ENV_ALLOWED_HOSTS, ENV_SECRET_KEY, ENV_TWO_FACTOR_REQUIRED

DEBUG = True
# A development-only key: production refuses to start without SECRET_KEY (see production.py).
SECRET_KEY = ENV_SECRET_KEY or "dev-only-insecure-key-never-used-in-production"
ALLOWED_HOSTS = ENV_ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]", "testserver"]

# Mail goes through the queue as in production; the worker prints it to its console.
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.console.EmailBackend"

# Plain static storage: `make run` serves straight from static/ without a collectstatic step.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}

# WhiteNoise serves static files straight from the source folders: no collectstatic needed here.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# The printed demo login opens the admin with its password alone; TWO_FACTOR_REQUIRED=1 tries the
# production sign-in (a code from an authenticator app) here.
TWO_FACTOR_REQUIRED = ENV_TWO_FACTOR_REQUIRED in {"1", "true", "yes", "on"}
