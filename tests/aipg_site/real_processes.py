"""What the real-process tests share (the two servers, Varnish, the worker and fault tests): starting
gunicorn, a task worker and varnishd on private ports under production settings, and an editor who
signs in over HTTP as production asks.

These tests need PostgreSQL (the `database_url` fixture in conftest.py) and Redis; a missing service
or program fails the test with what to do, never a skip.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult
from wagtail.models import Site

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")
PASSWORD = "a-long-password-for-the-editor"

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
SITE_VCL = PROJECT_ROOT / "aipg_site" / "varnish" / "site.vcl"
# A worker that picks up a queued purge within a fraction of a second.
WORKER_OPTIONS = ["--heartbeat", "0.5", "--stale-after", "3", "--interval", "0.2", "--no-startup-delay"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, process, name, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{name} exited at start:\n{process.stdout.read()}")
        try:
            requests.get(url, timeout=5)
            return
        except (requests.ConnectionError, requests.Timeout):
            # Not listening yet, or listening while its worker still boots on a busy machine.
            time.sleep(0.2)
    pytest.fail(f"{name} did not answer at {url} within {timeout}s")


def start(name, command, ready_url, env=None, cwd=PROJECT_ROOT):
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        wait_for(ready_url, process, name)
    except BaseException:
        process.kill()
        raise
    return process


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def collect_static(environment):
    command = [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"]
    subprocess.run(command, cwd=PROJECT_ROOT, env=environment, check=True)


def start_gunicorn(name, environment, workers=1):
    """An app server on a free port; returns the process and its base URL."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [str(BIN / "gunicorn"), "aipg_site.wsgi:application", f"--bind=127.0.0.1:{port}", f"--workers={workers}"]
    return start(name, command, f"{url}/robots.txt", environment), url


def start_worker(environment, log_path):
    """`manage.py run_worker`, its output in `log_path`: sends the purges the app and the test queue."""
    with open(log_path, "w") as log:
        return subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--no-reload", *WORKER_OPTIONS],
            cwd=PROJECT_ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


# Varnish ------------------------------------------------------------------------------------------


def varnishd_command(workdir, port, wrapper):
    """How the tests (and `make bench`) run Varnish: in the foreground, owned by the caller, with its
    working files in `workdir`, 64 MB of memory storage and no management port. `-j none` keeps it
    as the calling user: run as root, it would otherwise switch to the `varnish` user, which cannot
    read a test's private temporary folder."""
    return [
        VARNISHD,
        "-F",
        "-n",
        str(workdir),
        "-a",
        f"127.0.0.1:{port}",
        "-f",
        str(wrapper),
        "-s",
        "malloc,64m",
        "-T",
        "none",
        "-j",
        "none",
    ]


def write_wrapper(path, backend_urls):
    """The deployment's wrapper around site.vcl (aipg_site/varnish/default.vcl is the production
    example): one backend per app server, taken in turn by a round-robin director when there are
    several, as a load balancer would. Each response names the backend that made it in
    `X-Backend`, so a test can tell which server answered (set before site.vcl's own
    vcl_backend_response, which returns)."""
    backends = [
        f'backend server_{number} {{ .host = "127.0.0.1"; .port = "{url.rsplit(":", 1)[1]}"; }}\n'
        for number, url in enumerate(backend_urls)
    ]
    director = ""
    if len(backend_urls) > 1:
        added = "".join(f"    servers.add_backend(server_{number});\n" for number in range(len(backend_urls)))
        director = (
            "import directors;\n"
            "sub vcl_init {\n    new servers = directors.round_robin();\n" + added + "}\n"
            "sub vcl_recv {\n    set req.backend_hint = servers.backend();\n}\n"
        )
    path.write_text(
        "vcl 4.1;\n"
        + "".join(backends)
        + director
        + 'acl purgers { "127.0.0.1"; "::1"; }\n'
        + "sub vcl_backend_response {\n    set beresp.http.X-Backend = beresp.backend.name;\n}\n"
        + f'include "{SITE_VCL}";\n'
    )


def varnish_address():
    """Where Varnish will listen: known before the app servers start, which send their purges there."""
    if not os.path.exists(VARNISHD):
        pytest.fail("varnishd is missing: run `make varnish` (as root it installs Debian's varnish package).")
    return f"http://127.0.0.1:{free_port()}"


def start_varnish(workdir, url, backend_urls):
    """varnishd at `url` (from `varnish_address()`) in front of `backend_urls`."""
    workdir.mkdir(parents=True, exist_ok=True)
    wrapper = workdir / "wrapper.vcl"
    write_wrapper(wrapper, backend_urls)
    port = int(url.rsplit(":", 1)[1])
    return start("varnishd", varnishd_command(workdir / "state", port, wrapper), f"{url}/robots.txt")


def purged_through(settings, varnish_url):
    """What this test process publishes reaches the servers and Varnish as the app's own publishes
    do: the page cache in the servers' Redis (REDIS_URL), Wagtail's purges queued in the database
    for the task worker, which sends them to Varnish."""
    settings.CACHES = {
        "default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "aipg"}
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.WAGTAILFRONTENDCACHE = {
        "default": {"BACKEND": "aipg_site.cdn.HTTPBackend", "LOCATION": varnish_url, "TIMEOUT": 5}
    }
    # Wagtail keeps the sites' root paths in the cache, and the Redis database is shared with the
    # other real-process tests: a copy left there by an earlier test (another site, "testserver")
    # would give this process's purges the wrong host.
    Site.clear_site_root_paths_cache()


def purges_sent():
    """Wait until the worker has sent every purge queued so far (what an editor waits for is the
    worker's poll, a fraction of a second)."""
    deadline = time.monotonic() + 60
    while DBTaskResult.objects.exclude(status__in=["SUCCESSFUL", "FAILED"]).exists():
        if time.monotonic() > deadline:
            pytest.fail("the worker did not send the purges within a minute")
        time.sleep(0.1)
    assert not DBTaskResult.objects.filter(status="FAILED").exists()


def visit(url, **headers):
    return requests.get(url, headers=headers, timeout=30)


def cached(url):
    """Visited twice: the second answer must come from Varnish."""
    visit(url)
    second = visit(url)
    assert second.headers["X-Cache"] == "hit", (
        f"{url}: {second.headers.get('X-Cache')} {second.headers.get('Cache-Control')}"
    )
    return second


# Editors ------------------------------------------------------------------------------------------


class Browser(requests.Session):
    """A browser over plain HTTP. Production cookies are Secure, which requests would only send over
    HTTPS; this one sends them anyway, to whichever server it talks to, as a load balancer would."""

    def request(self, *args, **kwargs):
        kwargs.setdefault("timeout", 30)
        response = super().request(*args, **kwargs)
        for cookie in list(self.cookies):
            if cookie.secure:
                self.cookies.clear(cookie.domain, cookie.path, cookie.name)
                self.cookies.set(cookie.name, cookie.value)
        return response

    def post_form(self, url, data, files=None):
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.get(url).text).group(1)
        return self.post(url, data={**data, "csrfmiddlewaretoken": token}, files=files, allow_redirects=False)


def signed_in_editor(django_user_model, server):
    """A superuser signed in on `server` as production asks: the password, then the code from the app."""
    # Hashed the way production checks it (the test settings' fast hasher is unknown there).
    hasher = PBKDF2PasswordHasher()
    account = django_user_model.objects.create_superuser("editor", "editor@example.org")
    account.password = hasher.encode(PASSWORD, hasher.salt(), iterations=1000)
    account.save()
    app = TOTPDevice.objects.create(user=account, name="Phone", confirmed=True)
    editor = Browser()
    login = editor.post_form(f"{server}/admin/login/", {"username": "editor", "password": PASSWORD})
    assert login.status_code == 302, "the editor's password was refused"
    assert editor.get(f"{server}/admin/", allow_redirects=False).headers["Location"].startswith("/admin/two-step/")
    code = f"{totp(app.bin_key, app.step, app.t0, app.digits):06d}"
    verified = editor.post_form(f"{server}/admin/two-step/", {"code": code, "next": "/admin/"})
    assert verified.status_code == 302, "the editor's code was refused"
    return editor
