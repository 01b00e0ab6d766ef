"""Production settings refuse to start half-configured, and pass Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COMPLETE_ENVIRONMENT = {
    "SECRET_KEY": "a-production-secret-key-that-is-long-and-random-enough-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "www.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/aipg",
    "EMAIL_HOST": "smtp.example.org",
}
# Not required, but the deployment checks warn without it (see the test below).
DEPLOYED_BEHIND_ONE_PROXY = {"TRUSTED_PROXY_COUNT": "1"}


def run_manage(*args, **environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in COMPLETE_ENVIRONMENT and key not in DEPLOYED_BEHIND_ONE_PROXY
    }
    env.update(DJANGO_SETTINGS_MODULE="aipg_site.settings.production", **environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize("missing", sorted(COMPLETE_ENVIRONMENT))
def test_production_fails_fast_naming_the_missing_variable(missing):
    environment = {key: value for key, value in COMPLETE_ENVIRONMENT.items() if key != missing}
    result = run_manage("check", **environment)
    assert result.returncode != 0
    assert f"The environment variable {missing} is required in production" in result.stderr


def test_deployment_checks_pass_without_warnings():
    result = run_manage(
        "check", "--deploy", "--fail-level", "WARNING", **COMPLETE_ENVIRONMENT, **DEPLOYED_BEHIND_ONE_PROXY
    )
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout


def test_deployment_checks_warn_when_no_proxy_is_counted():
    result = run_manage("check", "--deploy", **COMPLETE_ENVIRONMENT)
    assert "aipg.W001" in result.stderr + result.stdout


def production_settings(*names, **environment):
    """The values of the settings `names` under production settings and `environment`, as JSON."""
    values = f"[getattr(settings, name, None) for name in {names!r}]"
    code = f"import json; from django.conf import settings; print(json.dumps({values}))"
    result = run_manage("shell", "-c", code, **COMPLETE_ENVIRONMENT, **environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_cdn_purging_is_off_unless_configured():
    installed_apps, frontend_cache = production_settings("INSTALLED_APPS", "WAGTAILFRONTENDCACHE")
    assert "wagtail.contrib.frontend_cache" not in installed_apps
    assert frontend_cache is None


def test_cdn_purging_follows_the_environment():
    installed_apps, frontend_cache, max_age = production_settings(
        "INSTALLED_APPS",
        "WAGTAILFRONTENDCACHE",
        "FRONTEND_CACHE_MAX_AGE",
        FRONTEND_CACHE_BACKEND="cloudflare",
        FRONTEND_CACHE_CLOUDFLARE_BEARER_TOKEN="token",
        FRONTEND_CACHE_CLOUDFLARE_ZONE_ID="zone",
    )
    assert "wagtail.contrib.frontend_cache" in installed_apps
    assert frontend_cache["default"]["BACKEND"].endswith("CloudflareBackend")
    assert frontend_cache["default"]["ZONEID"] == "zone"
    assert max_age == 300


def test_an_unknown_cdn_is_refused_at_start():
    result = run_manage("check", **COMPLETE_ENVIRONMENT, FRONTEND_CACHE_BACKEND="akamia")
    assert result.returncode != 0
    assert "FRONTEND_CACHE_BACKEND must be one of" in result.stderr


def test_media_go_to_s3_when_a_bucket_is_set_and_pages_may_show_them():
    storages, policy = production_settings(
        "STORAGES",
        "CONTENT_SECURITY_POLICY",
        AWS_STORAGE_BUCKET_NAME="aipg-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
    )
    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storages["default"]["OPTIONS"]["bucket_name"] == "aipg-media"
    assert storages["default"]["OPTIONS"]["querystring_auth"] is False
    assert "https://s3.example.net" in policy["DIRECTIVES"]["img-src"]


def test_media_stay_on_disk_without_a_bucket():
    (storages,) = production_settings("STORAGES")
    assert storages["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_the_page_cache_is_on_only_with_redis():
    assert production_settings("PAGE_CACHE_SECONDS") == [0]
    assert production_settings("PAGE_CACHE_SECONDS", PAGE_CACHE_SECONDS="300") == [0]
    assert production_settings("PAGE_CACHE_SECONDS", REDIS_URL="redis://127.0.0.1:6379/5") == [600]
