"""Settings shared by every environment.

Every environment variable the project reads is read in the "Environment" block below and nowhere
else; `dev`, `test` and `production` only change what they must. README.md has the table of them.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


# Environment ----------------------------------------------------------------------------------


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ENV_SECRET_KEY = os.environ.get("SECRET_KEY", "")
ENV_ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS")
ENV_DATABASE_URL = os.environ.get("DATABASE_URL", "")
ENV_REDIS_URL = os.environ.get("REDIS_URL", "")
# Keeps this site's keys apart from another's in a shared Redis.
ENV_CACHE_KEY_PREFIX = os.environ.get("CACHE_KEY_PREFIX", "aipg")
ENV_DEBUG = _env_bool("DEBUG")
ENV_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
ENV_CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
ENV_SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
ENV_MEDIA_ROOT = os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media"))
ENV_STATIC_ROOT = os.environ.get("STATIC_ROOT", str(BASE_DIR / "staticfiles"))
ENV_EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
ENV_EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587") or 587)
ENV_EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
ENV_EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
ENV_EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)
ENV_DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "AIPG <no-reply@auschwitzinstitute.org>")
ENV_SERVER_EMAIL = os.environ.get("SERVER_EMAIL", ENV_DEFAULT_FROM_EMAIL)
ENV_LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
# Who is emailed the details of a server error (500): comma-separated addresses.
ENV_ADMINS = _env_list("ADMINS")
# Online giving (donations/). Without the secret key the donate page says giving is not set up yet.
ENV_STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
ENV_STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
ENV_STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com").rstrip("/")
# How many proxies in front of the app append to X-Forwarded-For; 0 trusts only REMOTE_ADDR.
# Two-step verification for superusers and the people who can see donors (aipg_site/two_factor).
# On unless switched off (TWO_FACTOR_REQUIRED=0); development (`make run`) has it off unless asked.
ENV_TWO_FACTOR_REQUIRED = os.environ.get("TWO_FACTOR_REQUIRED", "").strip().lower()
ENV_TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0") or 0)
# Unset: 600 with Redis, off without (see `PAGE_CACHE_SECONDS` below); 0 turns the page cache off.
ENV_PAGE_CACHE_SECONDS = os.environ.get("PAGE_CACHE_SECONDS", "")
ENV_AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
ENV_AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL", "")
ENV_AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME", "")
ENV_AWS_S3_CUSTOM_DOMAIN = os.environ.get("AWS_S3_CUSTOM_DOMAIN", "")
ENV_AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE", "")
ENV_AWS_ACCESS_KEY_ID = os.environ.get("AWS_ACCESS_KEY_ID", "")
ENV_AWS_SECRET_ACCESS_KEY = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
ENV_FRONTEND_CACHE_BACKEND = os.environ.get("FRONTEND_CACHE_BACKEND", "").strip().lower()
ENV_FRONTEND_CACHE_LOCATION = os.environ.get("FRONTEND_CACHE_LOCATION", "")
ENV_FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN = os.environ.get("FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN", "")
ENV_FRONTEND_CACHE_CLOUDFLARE_ZONE_ID = os.environ.get("FRONTEND_CACHE_CLOUDFLARE_ZONE_ID", "")
ENV_FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID = os.environ.get("FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID", "")
ENV_FRONTEND_CACHE_MAX_AGE = int(os.environ.get("FRONTEND_CACHE_MAX_AGE", "300") or 300)
ENV_FRONTEND_CACHE_STALE_WHILE_REVALIDATE = int(os.environ.get("FRONTEND_CACHE_STALE_WHILE_REVALIDATE", "60") or 0)


# Application ----------------------------------------------------------------------------------

INSTALLED_APPS = [
    "aipg_site",
    "stories",
    "donations",
    "resources",
    # Editors translate pages and snippets here; its locales admin replaces wagtail.locales.
    "wagtail_localize",
    "wagtail_localize.locales",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (whose slash redirect must see /es/ as a language).
    "aipg_site.middleware.PathLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Lets the posts of the pages that check their own origin past the next one (aipg_site/csrf.py).
    "aipg_site.csrf.PagesCheckingTheirOwnPosts",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "aipg_site.two_factor.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "aipg_site.middleware.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]
# A cached page is answered before sessions, CSRF and authentication run: that is what makes a hit
# cheap. It sits after the HTTPS redirect and the static files, and every header the middleware
# below it adds (CSP, X-Frame-Options...) is stored with the page.
MIDDLEWARE.insert(
    MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1,
    "aipg_site.page_cache.middleware.PageCacheMiddleware",
)
# Right after it: only a page the cache did not answer looks up its site, route and locale.
MIDDLEWARE.insert(
    MIDDLEWARE.index("aipg_site.page_cache.middleware.PageCacheMiddleware") + 1,
    "aipg_site.lookups.LookupsMiddleware",
)

ROOT_URLCONF = "aipg_site.urls"
WSGI_APPLICATION = "aipg_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]


# Data -----------------------------------------------------------------------------------------

DATABASES = {
    "default": dj_database_url.parse(
        ENV_DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=60 if ENV_DATABASE_URL.startswith("postgres") else 0,
        conn_health_checks=ENV_DATABASE_URL.startswith("postgres"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default has two writers, the web server and the task worker. WAL lets readers
    # and a writer work at once; IMMEDIATE transactions take the write lock when they begin, so two
    # transactions that read and then write wait for each other instead of one failing at once with
    # "database is locked"; the timeout is how long a writer waits (seconds).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if ENV_REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": ENV_REDIS_URL,
            # Sites sharing one Redis (staging beside production, the benchmark's two) keep apart by prefix.
            "KEY_PREFIX": ENV_CACHE_KEY_PREFIX,
            "OPTIONS": {
                # A Redis that is down or paused costs a request a fraction of a second, then none for
                # a while: the client fails open (aipg_site/cache.py).
                "CLIENT_CLASS": "aipg_site.cache.FailOpenClient",
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }
    # Sessions are kept in the database and read through the cache: any app server can answer any
    # visitor, and a Redis restart or outage logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The anonymous page cache (aipg_site/page_cache/): how long a rendered page may be served from the
# cache. Every edit purges it sooner; the time only bounds how long an unused page takes memory.
# Off when 0. It needs the cache every process shares: in local memory a purge by the web server
# would miss the worker's scheduled publishing and the other app servers, so without Redis it stays
# off whatever PAGE_CACHE_SECONDS says.
PAGE_CACHE_SECONDS = int(ENV_PAGE_CACHE_SECONDS or 600) if ENV_REDIS_URL else 0

# Background work (aipg_site/background.py): Wagtail's own (search index, reference index, image
# focal points) and ours (email, Stripe follow-ups, renditions, document checks) are rows in the
# database, run by `manage.py run_worker`. A task enqueued inside a transaction is committed with it,
# or not at all.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A task that fails with an error its policy retries runs again after this many seconds, doubling
# each time up to the second number.
TASK_RETRY_DELAY = (30.0, 3600.0)
# Each worker's heartbeat interval, and how long a silent worker is given before its running task is
# queued again (so a task is at most this late after its worker is killed).
TASK_WORKER_HEARTBEAT = (5.0, 60.0)
# Tasks the worker enqueues on a schedule: dotted path of the task, every so many seconds.
PERIODIC_TASKS = {
    # Pages scheduled with a go-live or expiry date are published or withdrawn within a minute.
    "aipg_site.tasks.publish_scheduled_pages": 60,
    # The queue's table keeps only recent history.
    "aipg_site.tasks.prune_finished_tasks": 60 * 60 * 24,
    # What Stripe recorded and a lost webhook never told us is applied within the hour.
    "donations.reconcile.reconcile_with_stripe": 60 * 60,
}


# Internationalisation -------------------------------------------------------------------------

# English at the addresses the site always had, Spanish under /es/ (aipg_site/urls.py). Each
# language is named in itself, as a reader choosing it looks for it. Wagtail keeps a locale per
# language (Spanish's made by aipg_site's migration 0013), and a page in each is its own page,
# published on its own.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español")]
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# "Translate this page" makes a draft: the translation goes live when its translator publishes it,
# not at once with the source's words still in it (wagtail-localize's default for a live source).
WAGTAILLOCALIZE_SYNC_LIVE_STATUS_ON_TRANSLATE = False
USE_I18N = True
# The site's own strings in Spanish: locale/es/LC_MESSAGES/django.po, compiled by `make run`,
# `make check` and `make test` (the .mo files are build output).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_TZ = True


# Static files and media -----------------------------------------------------------------------

STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = ENV_STATIC_ROOT
STATIC_URL = "/static/"
MEDIA_ROOT = ENV_MEDIA_ROOT
MEDIA_URL = "/media/"

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def _static_files_kept_by_the_frontend_cache(headers, path, url):
    """Static files are the same for every visitor, and a hashed name never changes content: with a
    frontend cache, it may keep them as long as browsers do (s-maxage, which site.vcl requires)."""
    from django.conf import settings

    cache_control = headers.get("Cache-Control", "")
    max_age = re.search(r"(?:^|[ ,])max-age=(\d+)", cache_control)
    if settings.FRONTEND_CACHE_MAX_AGE and max_age and "s-maxage" not in cache_control:
        headers["Cache-Control"] = f"{cache_control}, s-maxage={max_age.group(1)}"


WHITENOISE_ADD_HEADERS_FUNCTION = _static_files_kept_by_the_frontend_cache

# With a bucket, uploads and image renditions live on S3-compatible storage that every app server
# shares, and nothing another server needs stays on a server's disk. Media is public (no signed
# URLs, so pages with images can be cached); documents are still served through Django
# (WAGTAILDOCS_SERVE_METHOD below), so their privacy settings hold.
MEDIA_ORIGIN = ""
if ENV_AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": ENV_AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": ENV_AWS_S3_ENDPOINT_URL or None,
            "region_name": ENV_AWS_S3_REGION_NAME or None,
            "custom_domain": ENV_AWS_S3_CUSTOM_DOMAIN or None,
            "addressing_style": ENV_AWS_S3_ADDRESSING_STYLE or None,
            "access_key": ENV_AWS_ACCESS_KEY_ID or None,
            "secret_key": ENV_AWS_SECRET_ACCESS_KEY or None,
            "querystring_auth": False,
            # Two images uploaded under one name must not overwrite each other.
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000"},
        },
    }
    if ENV_AWS_S3_CUSTOM_DOMAIN:
        MEDIA_ORIGIN = f"https://{ENV_AWS_S3_CUSTOM_DOMAIN}"
    elif ENV_AWS_S3_ENDPOINT_URL:
        endpoint = urlsplit(ENV_AWS_S3_ENDPOINT_URL)
        MEDIA_ORIGIN = f"{endpoint.scheme}://{endpoint.netloc}"
    else:
        MEDIA_ORIGIN = "https://*.amazonaws.com"

# Uploads are bounded: a request body over this size is refused before it reaches a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The page editor of a long StreamField posts many fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000


# Security -------------------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# The public site runs no inline script and loads nothing from another origin.
# `aipg_site.middleware` relaxes this for the Wagtail admin only, which needs inline styles and
# frames its own previews.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        "frame-src": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        # Browsers post what the policy blocked here (aipg_site.views.csp_report), so a broken
        # page or an injection attempt shows in the logs.
        "report-uri": ["/csp-report/"],
    }
}
# Features no page uses are switched off for the site and anything it might ever frame.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"

# Wrong passwords on any Django login form (the Wagtail admin's, the members' login for private
# pages) are counted per username and client address: after five, that pair is locked out for an
# hour. Counting the pair, not the address alone or the name alone, means an attacker can neither
# lock an editor out from everywhere nor try one password on every account from one address
# without being counted. A successful login clears the count.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "aipg_site.client.lockout_address"
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
AXES_VERBOSE = False
# After the password, a code from an authenticator app (or a backup code) for superusers and for
# whoever holds one of these permissions: they can read every donor's details, or give themselves
# that right. django-otp's throttle doubles the wait after each wrong code (1 s, 2 s, 4 s...).
TWO_FACTOR_REQUIRED = ENV_TWO_FACTOR_REQUIRED not in {"0", "false", "no", "off"}
TWO_FACTOR_PERMISSIONS = [
    "donations.view_donation",
    "donations.export_donation",
    "donations.view_donor",
    "donations.view_offlinegift",
    "donations.view_giftaiddeclaration",
    "auth.change_user",
]
OTP_TOTP_ISSUER = "AIPG"
# A private page's password form: attempts per client address per window (seconds).
PAGE_PASSWORD_RATE_LIMIT = (10, 60 * 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Twelve characters at least: the people who log in can publish to the site and export donors.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]


# Email ----------------------------------------------------------------------------------------

# A server error is emailed to these people (through the queue, so a mail server that is down costs
# the failing request nothing); without them the error page does not claim anyone was told.
ADMINS = [("Site administrator", address) for address in ENV_ADMINS]

DEFAULT_FROM_EMAIL = ENV_DEFAULT_FROM_EMAIL
SERVER_EMAIL = ENV_SERVER_EMAIL
EMAIL_HOST = ENV_EMAIL_HOST
EMAIL_PORT = ENV_EMAIL_PORT
EMAIL_HOST_USER = ENV_EMAIL_HOST_USER
EMAIL_HOST_PASSWORD = ENV_EMAIL_HOST_PASSWORD
EMAIL_USE_TLS = ENV_EMAIL_USE_TLS
# A mail server that accepts the connection and then says nothing must not hold a worker for ever.
EMAIL_TIMEOUT = 20
# Every email leaves through the queue: Django and Wagtail send to QueuedEmailBackend, which enqueues
# it; the worker hands it to EMAIL_DELIVERY_BACKEND, retrying while the mail server is unreachable.
EMAIL_BACKEND = "aipg_site.mail.QueuedEmailBackend"
EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


# Wagtail --------------------------------------------------------------------------------------

# After the members' login (a page's privacy form) with nowhere else to go: the home page.
LOGIN_REDIRECT_URL = "/"
# The members' login and a private page's password form, in the site's own design.
WAGTAIL_FRONTEND_LOGIN_TEMPLATE = "aipg_site/members_login.html"
WAGTAIL_PASSWORD_REQUIRED_TEMPLATE = "aipg_site/password_required.html"  # noqa: S105 (a template's name)

# No Gravatar: the admin's policy loads nothing from other origins, and editors' addresses are not
# sent to a third party to draw their avatars (Wagtail shows its default one, or an uploaded one).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Nor does the dashboard ask wagtail.org for the latest release (the admin's policy blocked it, with
# a console error on every page); upgrades are ours to plan, through the pinned requirements.
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_SITE_NAME = "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"
WAGTAILADMIN_BASE_URL = ENV_BASE_URL
WAGTAILIMAGES_IMAGE_MODEL = "aipg_site.SiteImage"
# The database's own full-text search: SQLite's FTS5 or PostgreSQL's text search, whichever holds the
# site. On PostgreSQL, "aipg_english" is English stemming with accents removed first, so "prevencion"
# finds "prevención" (created by aipg_site's migration 0010, which also makes SQLite's index ignore
# accents), and "aipg_spanish" the same on Spanish stemming (migration 0014). Each page is indexed,
# and each search read, in its own language's (aipg_site/search_backend.py); SEARCH_CONFIG is for
# what has no language. Another language gets a configuration built the same way on its stemmer.
WAGTAILSEARCH_BACKENDS = {
    "default": {
        "BACKEND": "aipg_site.search_backend",
        "SEARCH_CONFIG": "aipg_english",
        "SEARCH_CONFIGS": {"en": "aipg_english", "es": "aipg_spanish"},
    },
}
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# Decoded, an image takes width x height x 4 bytes whatever its file size: a 121-megapixel PNG of a
# few kilobytes took a worker to 1.2 GiB. Fifty megapixels admits any camera's photo (8,256 x 5,504 is
# 45) and bounds the memory a rendition may take to about 200 MiB.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "epub", "odt", "pdf", "pptx", "txt", "xlsx"]
# Documents always pass through Django, from whichever storage holds them: privacy settings are
# checked on every download, and the download carries Content-Disposition and a CSP of its own.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# The library's documents: checked on upload and knowing their page count (resources/documents.py).
WAGTAILDOCS_DOCUMENT_MODEL = "resources.LibraryDocument"
# A PDF's pages (resources/documents.py). On upload only the page count its catalogue declares is read,
# in a child process given this many seconds; a file declaring more pages than the limit, or not read
# in time, is refused. The task worker then walks every page, in a child given the longer time.
LIBRARY_PDF_MAX_PAGES = 5000
LIBRARY_PDF_UPLOAD_CHECK_SECONDS = 5.0
LIBRARY_PDF_WORKER_CHECK_SECONDS = 60.0
# Every document downloads as an attachment, PDFs included: a browser never renders an uploaded
# file under the site's origin.
WAGTAILDOCS_INLINE_CONTENT_TYPES = []
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# A CDN in front of the site is told to forget a page when it is published or unpublished.
# Off unless FRONTEND_CACHE_BACKEND is set.
FRONTEND_CACHE_BACKENDS = {
    # Wagtail's HTTP backend (PURGE with the page's path and Host, for Varnish: aipg_site/varnish/),
    # with a timeout, so a hung cache cannot hold the task worker that sends the purges.
    "http": {"BACKEND": "aipg_site.cdn.HTTPBackend", "LOCATION": ENV_FRONTEND_CACHE_LOCATION, "TIMEOUT": 5},
    "cloudflare": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
        "BEARER_TOKEN": ENV_FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN,
        "ZONEID": ENV_FRONTEND_CACHE_CLOUDFLARE_ZONE_ID,
    },
    "cloudfront": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudfrontBackend",
        "DISTRIBUTION_ID": ENV_FRONTEND_CACHE_CLOUDFRONT_DISTRIBUTION_ID,
    },
}
# Each page is purged at its own address alone: a Spanish page is a page of its own, at /es/...
# Left to its default, Wagtail would also purge every address again under each language's prefix,
# as for a site that serves one page in every language (/about/ stays, /es/about/ becomes /en/about/).
WAGTAILFRONTENDCACHE_LANGUAGES = []
# How long the CDN may keep a cacheable page (Cache-Control s-maxage); only sent with a CDN configured.
FRONTEND_CACHE_MAX_AGE = 0
# How long past that it may still serve the page while it fetches a fresh one (stale-while-revalidate;
# Varnish's grace). A purge removes pages outright: this only smooths their natural expiry.
FRONTEND_CACHE_STALE_WHILE_REVALIDATE = 0
if ENV_FRONTEND_CACHE_BACKEND:
    if ENV_FRONTEND_CACHE_BACKEND not in FRONTEND_CACHE_BACKENDS:
        raise ImproperlyConfigured(
            f"FRONTEND_CACHE_BACKEND must be one of {', '.join(FRONTEND_CACHE_BACKENDS)}, "
            f"not {ENV_FRONTEND_CACHE_BACKEND!r}."
        )
    INSTALLED_APPS.insert(INSTALLED_APPS.index("wagtail.contrib.redirects"), "wagtail.contrib.frontend_cache")
    WAGTAILFRONTENDCACHE = {"default": FRONTEND_CACHE_BACKENDS[ENV_FRONTEND_CACHE_BACKEND]}
    FRONTEND_CACHE_MAX_AGE = ENV_FRONTEND_CACHE_MAX_AGE
    FRONTEND_CACHE_STALE_WHILE_REVALIDATE = ENV_FRONTEND_CACHE_STALE_WHILE_REVALIDATE


# Online giving --------------------------------------------------------------------------------

STRIPE_SECRET_KEY = ENV_STRIPE_SECRET_KEY
STRIPE_WEBHOOK_SECRET = ENV_STRIPE_WEBHOOK_SECRET
STRIPE_API_BASE = ENV_STRIPE_API_BASE
# Calls a donor waits on (starting Checkout, opening the customer portal): connect and read timeouts
# in seconds, no automatic retry, so the page answers within about 10 seconds and the donor's next
# press is the retry (safe: see donations.checkout.idempotency_key).
STRIPE_CHECKOUT_TIMEOUT = (2.0, 8.0)
# Calls on the worker and in the admin: more patient, and one retry on a network error or a 5xx.
STRIPE_TIMEOUT = (3.0, 10.0)
STRIPE_MAX_NETWORK_RETRIES = 1
# Pages that hand over to Stripe (Checkout, the customer portal) may redirect a form post there;
# the Content Security Policy's form-action allows these origins on those pages only.
STRIPE_REDIRECT_ORIGINS = ["https://checkout.stripe.com", "https://billing.stripe.com"]
if ENV_STRIPE_API_BASE != "https://api.stripe.com":
    # A stand-in for Stripe (the tests' fake server) serves its pretend Checkout from its own origin.
    _stand_in = urlsplit(ENV_STRIPE_API_BASE)
    STRIPE_REDIRECT_ORIGINS.append(f"{_stand_in.scheme}://{_stand_in.netloc}")
# Card-testing defence: checkout sessions one client address may start per window (seconds).
DONATIONS_CHECKOUT_RATE_LIMIT = (10, 60 * 60)
# Requests for a "manage my monthly gift" link, per client address per window.
DONATIONS_MANAGE_RATE_LIMIT = (5, 60 * 60)
# How long the emailed "manage my monthly gift" link works, in seconds.
DONATIONS_MANAGE_LINK_MAX_AGE = 60 * 60 * 24
# How far back the hourly reconciliation with Stripe looks (days): longer than any webhook outage
# Stripe's own retries (three days) would not cover.
DONATIONS_RECONCILE_DAYS = 3
TRUSTED_PROXY_COUNT = ENV_TRUSTED_PROXY_COUNT


# Logging --------------------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["console"], "level": ENV_LOG_LEVEL},
    # One line per background task is noise at INFO; failures still show.
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        "django_tasks_db": {"level": "WARNING"},
        # Server errors and refused requests: the console, and the ADMINS by email.
        "django.request": {"handlers": ["console", "mail_admins"], "level": "ERROR", "propagate": False},
    },
}
