"""Production settings refuse to start half-configured, and pass Django's deployment checks."""

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
}


def run_manage(*args, **environment):
    env = {key: value for key, value in os.environ.items() if key not in COMPLETE_ENVIRONMENT}
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
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **COMPLETE_ENVIRONMENT)
    assert result.returncode == 0, result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout
