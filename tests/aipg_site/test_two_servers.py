"""Two app servers, one PostgreSQL, one Redis, one S3, Varnish in front of both: what one server is
given, the other serves, and Varnish serves it fresh whichever server answers.

Two gunicorn processes run under production settings with nothing shared but the services, each
with a media folder of its own that must stay empty, behind one varnishd whose round-robin director
takes them in turn (as production's load balancer would), with a task worker sending Wagtail's
purges. An editor logs in, uploads an image and a document and publishes a page through server A;
a visitor of server B, who had the old page from B's cache, gets the new one, with the image from S3
and the document through B; a visitor through Varnish, who had the old page from Varnish, gets the
new one on the next request, from either server.

Run by `make test` (target `test-servers`), which needs PostgreSQL and Redis; moto, installed with
the test tools, plays S3 on loopback. A missing service fails the test with its name, never a skip.
"""

import io
import json
import os
import re

import boto3
import pytest
import redis
import requests
from PIL import Image
from wagtail.documents import get_document_model
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from aipg_site.models import NavigationSettings, SiteImage
from resources.demo_pdf import build_pdf

from ..factories import StandardPageFactory
from .real_processes import (
    BIN,
    REDIS_URL,
    collect_static,
    free_port,
    purged_through,
    purges_sent,
    signed_in_editor,
    start,
    start_gunicorn,
    start_varnish,
    start_worker,
    stop,
    varnish_address,
    visit,
)

# Like every test that starts other processes on the test database (tests/aipg_site/test_worker.py), it
# commits for real; its tables are emptied afterwards and what the migrations wrote (the root page, the
# default locale) put back, so the next such test starts from the same database.
pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

BUCKET = "aipg-media"


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
def site(home):
    """The site at the address visitors use: purges carry the site's host, and Varnish matches it."""
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=80)
    # Made by the first page view otherwise, which would purge the cache under the visitor.
    NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    return home


@pytest.fixture
def servers(tmp_path, database_url, shared_redis, s3, settings, site):
    """Two gunicorn servers under production settings, a task worker, and Varnish in front of both;
    yields the servers' base URLs, their and the worker's media folders, S3's and Varnish's base URLs."""
    varnish_url = varnish_address()
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
        "FRONTEND_CACHE_BACKEND": "http",
        "FRONTEND_CACHE_LOCATION": varnish_url,
        "LOG_LEVEL": "WARNING",
    }
    # What this process publishes retires the servers' page cache and is purged from Varnish.
    purged_through(settings, varnish_url)
    collect_static(environment)
    running, urls, media = [], [], []
    try:
        for name in ("a", "b"):
            media_root = tmp_path / f"media-{name}"
            server, url = start_gunicorn(f"server {name}", {**environment, "MEDIA_ROOT": str(media_root)})
            running.append(server)
            urls.append(url)
            media.append(media_root)
        media.append(tmp_path / "media-worker")
        running.append(start_worker({**environment, "MEDIA_ROOT": str(media[-1])}, tmp_path / "worker.log"))
        running.append(start_varnish(tmp_path / "varnish", varnish_url, urls))
        yield urls, media, s3, varnish_url
    finally:
        for process in reversed(running):
            stop(process)


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (1600, 1000), "#12395b").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_what_one_server_is_given_the_other_serves(servers, site, django_user_model):
    (server_a, server_b), media_roots, s3_endpoint, varnish = servers
    about = StandardPageFactory(parent=site, title="About us", slug="about")
    purges_sent()

    visitor = requests.Session()
    assert visitor.get(f"{server_b}/about/").headers.get("X-Page-Cache") == "miss"
    assert visitor.get(f"{server_b}/about/").headers.get("X-Page-Cache") == "hit"
    # Through Varnish, the old page is kept too; its director takes the two servers in turn.
    assert visit(f"{varnish}/about/").headers["X-Cache"] == "miss"
    kept = visit(f"{varnish}/about/")
    assert kept.headers["X-Cache"] == "hit"
    assert "About us" in kept.text
    backends = {visit(f"{varnish}/robots.txt?{number}").headers["X-Backend"] for number in range(2)}
    assert backends == {"server_0", "server_1"}

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

    # Through Varnish, once the worker has sent server A's purge, the next request is the new page,
    # whichever server answers it: each is asked in turn, each page purged again before the next.
    purges_sent()
    answered = {}
    for _ in range(2):
        fresh = visit(f"{varnish}/about/")
        assert fresh.headers["X-Cache"] == "miss"
        assert "Who we are" in fresh.text
        answered[fresh.headers["X-Backend"]] = fresh
        assert visit(f"{varnish}/about/").headers["X-Cache"] == "hit"
        assert requests.request("PURGE", f"{varnish}/about/", timeout=10).status_code == 200
    assert set(answered) == {"server_0", "server_1"}

    download = visitor.get(f"{server_b}/documents/{document.pk}/report.pdf")
    assert download.status_code == 200
    assert download.content == report_pdf
    # Through Varnish too, never kept: Wagtail checks a document's privacy on every download.
    for _ in range(2):
        through_varnish = visit(f"{varnish}/documents/{document.pk}/report.pdf")
        assert through_varnish.headers["X-Cache"] == "pass"
        assert through_varnish.content == report_pdf
    # Straight from the bucket, the document is refused: only Django, after its privacy check, serves it.
    document.refresh_from_db()
    assert requests.get(f"{s3_endpoint}/{BUCKET}/{document.file.name}", timeout=10).status_code == 403

    # The editor's session, made on A, is good on B too.
    assert editor.get(f"{server_b}/admin/", allow_redirects=False).status_code == 200

    for media_root in media_roots:
        assert not media_root.exists() or not any(media_root.rglob("*")), f"{media_root} holds files"
