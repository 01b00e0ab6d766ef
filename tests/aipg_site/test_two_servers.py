"""Two app servers, one PostgreSQL, one Redis, one S3: what one server is given, the other serves.

Two gunicorn processes run under production settings with nothing shared but the services, each
with a media folder of its own that must stay empty. An editor logs in, uploads an image and a
document and publishes a page through server A; a visitor of server B, who had the old page from
B's cache, gets the new one, with the image from S3 and the document through B.

Run by `make test` (target `test-servers`), which needs PostgreSQL and Redis; moto, installed with
the test tools, plays S3 on loopback. A missing service fails the test with its name, never a skip.
"""

import io
import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from aipg_site.models import NavigationSettings, SiteImage
from resources.demo_pdf import build_pdf

from ..factories import StandardPageFactory

# Like every test that starts other processes on the test database (tests/aipg_site/test_worker.py), it
# commits for real; its tables are emptied afterwards and what the migrations wrote (the root page, the
# default locale) put back, so the next such test starts from the same database.
pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/5")
BUCKET = "aipg-media"
PASSWORD = "a-long-password-for-the-editor"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, process, name, timeout=30):
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


@pytest.fixture
def s3():
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    process = start("moto (S3)", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)], endpoint)
    try:
        client = boto3.client(
            "s3", endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test", region_name="us-east-1"
        )
        client.create_bucket(Bucket=BUCKET)
        public_read = {
            "Version": "2012-10-17",
            "Statement": [
                # Images are public; documents stay private, served through Django (README, deploy step 4).
                {
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": "s3:GetObject",
                    "Resource": [f"arn:aws:s3:::{BUCKET}/images/*", f"arn:aws:s3:::{BUCKET}/original_images/*"],
                }
            ],
        }
        client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
        yield endpoint
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def shared_redis():
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as error:
        pytest.fail(f"Redis is not reachable at {REDIS_URL} ({error}); start it (see README.md).")
    # This database number is the test suite's own: nothing from an earlier run may answer.
    client.flushdb()
    return REDIS_URL


@pytest.fixture
def servers(tmp_path, database_url, shared_redis, s3):
    """Two gunicorn servers under production settings; yields their base URLs and media folders."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aipg_site.settings.production",
        "SECRET_KEY": "two-server-test-key-that-is-long-and-random-enough-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url,
        "REDIS_URL": shared_redis,
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_HOST": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "AWS_STORAGE_BUCKET_NAME": BUCKET,
        "AWS_S3_ENDPOINT_URL": s3,
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=PROJECT_ROOT,
        env=environment,
        check=True,
    )
    running, urls, media = [], [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            media_root = tmp_path / f"media-{name}"
            command = [str(BIN / "gunicorn"), "aipg_site.wsgi:application", f"--bind=127.0.0.1:{port}", "--workers=1"]
            url = f"http://127.0.0.1:{port}"
            environment_here = {**environment, "MEDIA_ROOT": str(media_root)}
            running.append(start(f"server {name}", command, f"{url}/robots.txt", environment_here))
            urls.append(url)
            media.append(media_root)
        yield urls, media, s3
    finally:
        for process in running:
            process.terminate()
            process.wait(10)


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


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1000), "#12395b").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_what_one_server_is_given_the_other_serves(servers, home, django_user_model):
    (server_a, server_b), media_roots, s3_endpoint = servers
    about = StandardPageFactory(parent=home, title="About us", slug="about")
    # Made by the first page view otherwise, which would purge the cache under the visitor.
    NavigationSettings.for_site(Site.objects.get(is_default_site=True))

    visitor = requests.Session()
    assert visitor.get(f"{server_b}/about/").headers.get("X-Page-Cache") == "miss"
    assert visitor.get(f"{server_b}/about/").headers.get("X-Page-Cache") == "hit"

    editor = signed_in_editor(django_user_model, server_a)

    added = editor.post_form(
        f"{server_a}/admin/images/add/",
        # The description is the hero's alt text: publishing refuses an image without one.
        {
            "title": "Hills at dawn",
            "description": "Green hills under a pale morning sky",
            "credit": "A photographer",
            "collection": "1",
        },
        files={"file": ("hills.jpg", jpeg_bytes(), "image/jpeg")},
    )
    assert added.status_code == 302, added.text[:2000]
    image = SiteImage.objects.get(title="Hills at dawn")
    # A real PDF: the library refuses a file that only claims to be one.
    report_pdf = build_pdf("Annual report", "Test", ["What the year brought."], 4)
    added = editor.post_form(
        f"{server_a}/admin/documents/add/",
        {"title": "Annual report", "collection": "1"},
        files={"file": ("report.pdf", report_pdf, "application/pdf")},
    )
    assert added.status_code == 302, added.text[:2000]
    document = get_document_model().objects.get(title="Annual report")

    edit_url = f"{server_a}/admin/pages/{about.pk}/edit/"
    form = querydict_from_html(editor.get(edit_url).text, form_id="page-edit-form")
    form["title"] = "Who we are"
    form["hero_image"] = str(image.pk)
    form["action-publish"] = "action-publish"
    form.setdefault("body-count", "0")
    published = editor.post_form(edit_url, dict(form.lists()))
    assert published.status_code == 302, published.text[:2000]

    # The visitor on server B gets the new page at once, not B's cached copy.
    page = visitor.get(f"{server_b}/about/")
    assert page.headers.get("X-Page-Cache") == "miss"
    assert "Who we are" in page.text
    image_urls = re.findall(r'src="([^"]+)"', page.text)
    media_urls = [url for url in image_urls if url.startswith(f"{s3_endpoint}/{BUCKET}/")]
    assert media_urls, f"no image from S3 on the page: {image_urls}"
    assert s3_endpoint in page.headers["Content-Security-Policy"]
    picture = requests.get(media_urls[0], timeout=10)
    assert picture.status_code == 200
    assert picture.headers["Content-Type"].startswith("image/")

    download = visitor.get(f"{server_b}/documents/{document.pk}/report.pdf")
    assert download.status_code == 200
    assert download.content == report_pdf
    # Straight from the bucket, the document is refused: only Django, after its privacy check, serves it.
    document.refresh_from_db()
    assert requests.get(f"{s3_endpoint}/{BUCKET}/{document.file.name}", timeout=10).status_code == 403

    # The editor's session, made on A, is good on B too.
    assert editor.get(f"{server_b}/admin/", allow_redirects=False).status_code == 200

    for media_root in media_roots:
        assert not media_root.exists() or not any(media_root.rglob("*")), f"{media_root} holds files"
