"""Renditions are made on the worker when an image is uploaded or changes, never in a visitor's request.

Tests run a task where it is queued (the immediate backend). Renditions are queued when the saving
transaction commits, which a test's own transaction never does: `committed()` runs what a block
queued for its commit, as if it had committed.
"""

import ast
import io
import re
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.template.base import smart_split
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_tasks.signals import task_finished
from PIL import Image as PillowImage
from wagtail.images.models import Filter
from wagtail.images.rect import Rect
from wagtail.images.tasks import set_image_focal_point_task
from wagtail.models import Site

from aipg_site import renditions
from aipg_site.background import retry_policy
from aipg_site.demo.images import demo_image
from aipg_site.models import OrganisationSettings, SiteImage, SiteRendition
from aipg_site.renditions import PUBLIC_RENDITION_SPECS, make_renditions

from ..factories import (
    AnnualReportIndexPageFactory,
    AnnualReportPageFactory,
    CommemorationPageFactory,
    DonatePageFactory,
    ObservanceCalendarPageFactory,
    ProgramIndexPageFactory,
    ProgramPageFactory,
    ResourceCollectionFactory,
    ResourceLibraryPageFactory,
    ResourcePageFactory,
    SiteImageFactory,
    StandardPageFactory,
    StoryIndexPageFactory,
    StoryPageFactory,
    TopicFactory,
)

PROJECT_ROOT = Path(settings.BASE_DIR)
PROJECT_PACKAGES = ["aipg_site", "stories", "resources", "donations"]
RENDITION_TABLE = SiteRendition._meta.db_table


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


def small_image(**fields):
    """An uploaded image, its renditions made. Small, so that making them all is cheap; what is
    tested does not depend on the size."""
    with committed():
        return SiteImageFactory(file__width=320, file__height=200, **fields)


def jpeg_upload(name, size=(400, 250), colour="#a4262c"):
    buffer = io.BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def missing_renditions(image):
    """The public specs with no rendition for the image's current file and focal point."""
    image.refresh_from_db()
    made = {
        (rendition.filter_spec, rendition.focal_point_key): rendition
        for rendition in SiteRendition.objects.filter(image=image)
    }
    missing = []
    for spec in PUBLIC_RENDITION_SPECS:
        rendition = made.get((spec, Filter(spec).get_cache_key(image)))
        if rendition is None or not rendition.file.storage.exists(rendition.file.name):
            missing.append(spec)
    return missing


@pytest.fixture
def rendition_tasks():
    """The image ids and outcomes of every `make_renditions` run, in order."""
    runs = []

    def record(sender, task_result, **kwargs):
        if task_result.task.func is make_renditions.func:
            runs.append((task_result.args[0], task_result.status.value))

    task_finished.connect(record)
    yield runs
    task_finished.disconnect(record)


# Uploads and changes -----------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["wagtailimages:add", "wagtailimages:add_multiple"])
def test_uploading_an_image_in_the_admin_makes_every_public_rendition(admin_client, rendition_tasks, view):
    with committed():
        if view == "wagtailimages:add":
            response = admin_client.post(
                reverse(view), {"title": "Harbour at dusk", "file": jpeg_upload("harbour.jpg"), "credit": ""}
            )
            assert response.status_code == 302
        else:
            response = admin_client.post(reverse(view), {"files[]": jpeg_upload("harbour.jpg")})
            assert response.json()["success"]

    image = SiteImage.objects.get()
    assert missing_renditions(image) == []
    assert rendition_tasks == [(image.pk, "SUCCESSFUL")]


@pytest.mark.django_db
def test_replacing_the_file_makes_the_renditions_again_from_the_new_file(admin_client):
    image = small_image(title="Harbour")
    old_renditions = set(image.renditions.values_list("pk", flat=True))
    assert len(old_renditions) == len(PUBLIC_RENDITION_SPECS)

    with committed():
        response = admin_client.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            {
                "title": "Harbour",
                "collection": image.collection_id,
                "file": jpeg_upload("harbour-new.jpg", size=(480, 300)),
                "credit": "",
            },
        )
    assert response.status_code == 302

    # Wagtail deletes the old file's renditions after saving the image: the new ones were made after that,
    # from the new file (the old one, 320 pixels wide, could not give a rendition 480 wide).
    assert missing_renditions(image) == []
    assert not old_renditions & set(image.renditions.values_list("pk", flat=True))
    assert image.renditions.get(filter_spec="format-jpeg|width-480").width == 480


@pytest.mark.django_db
def test_moving_the_focal_point_in_the_admin_makes_the_new_crops(admin_client):
    image = small_image(title="Harbour")
    crop = "format-jpeg|fill-400x225"
    old_crop_key = Filter(crop).get_cache_key(image)

    with committed():
        response = admin_client.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            {
                "title": "Harbour",
                "collection": image.collection_id,
                "credit": "",
                "focal_point_x": "60",
                "focal_point_y": "40",
                "focal_point_width": "50",
                "focal_point_height": "40",
            },
        )
    assert response.status_code == 302

    image.refresh_from_db()
    assert (image.focal_point_x, image.focal_point_y) == (60, 40)
    assert Filter(crop).get_cache_key(image) != old_crop_key  # crops are keyed by their focal point
    assert missing_renditions(image) == []


@pytest.mark.django_db
def test_a_focal_point_found_by_wagtails_feature_detection_gets_its_crops(settings, monkeypatch, rendition_tasks):
    # Wagtail queues set_image_focal_point_task after an upload when feature detection is on; its
    # OpenCV detector is not installed here, so say what it would have found.
    settings.WAGTAILIMAGES_FEATURE_DETECTION_ENABLED = True
    monkeypatch.setattr(SiteImage, "get_suggested_focal_point", lambda image: Rect(200, 40, 280, 120))

    image = small_image(title="Faces")

    image.refresh_from_db()
    assert image.has_focal_point()
    assert missing_renditions(image) == []
    # Once for the upload, once for the focal point it then got.
    assert rendition_tasks == [(image.pk, "SUCCESSFUL"), (image.pk, "SUCCESSFUL")]

    # Detection run again finds the same point: nothing new to make.
    with committed():
        set_image_focal_point_task.enqueue(SiteImage._meta.app_label, SiteImage._meta.model_name, str(image.pk))
    assert len(rendition_tasks) == 2


@pytest.mark.django_db
def test_saving_what_renditions_do_not_depend_on_queues_nothing(rendition_tasks):
    image = small_image(title="Harbour")
    assert len(rendition_tasks) == 1

    with committed():
        image.title = "Harbour at dawn"
        image.credit = "A photographer"
        image.save()
        SiteImage.objects.get(pk=image.pk).save(update_fields=["title"])
        SiteImage.objects.only("title").get(pk=image.pk).save()

    assert len(rendition_tasks) == 1


@pytest.mark.django_db
def test_making_renditions_twice_makes_them_once():
    image = small_image()
    made = dict(image.renditions.values_list("filter_spec", "pk"))

    make_renditions.call(image.pk)
    make_renditions.call(image.pk)

    assert dict(image.renditions.values_list("filter_spec", "pk")) == made
    make_renditions.call(image.pk + 1000)  # an image deleted since it was queued: nothing to do, no error


def test_storage_hiccups_are_retried_a_few_times_and_other_errors_not_at_all():
    policy = retry_policy(make_renditions)
    assert policy.should_retry(OSError("Connection reset by peer"), attempts=1)
    assert policy.should_retry(ClientError({"Error": {"Code": "SlowDown"}}, "PutObject"), attempts=1)
    assert not policy.should_retry(OSError("Connection reset by peer"), attempts=policy.max_attempts)
    assert policy.max_attempts <= 5
    assert not policy.should_retry(ValueError("not an image"), attempts=1)


@pytest.mark.django_db
def test_the_command_makes_renditions_for_images_that_have_none(rendition_tasks):
    images = [small_image(), small_image()]
    SiteRendition.objects.all().delete()

    call_command("make_renditions", "--now", stdout=io.StringIO())
    assert [missing_renditions(image) for image in images] == [[], []]

    SiteRendition.objects.filter(image=images[0]).delete()
    out = io.StringIO()
    call_command("make_renditions", stdout=out)
    assert "Queued the renditions of 2 images" in out.getvalue()
    assert missing_renditions(images[0]) == []


@pytest.mark.django_db
def test_demo_images_get_their_renditions():
    # The demo saves each image one by one (no bulk_create), so the same signal queues its renditions.
    with committed():
        image = demo_image("Hills at dawn", "landscape", "dawn", seed=8)
    assert missing_renditions(image) == []


# No visitor makes a rendition ----------------------------------------------------------------------


def image_blocks(count, block_fields=None):
    return [
        {
            "type": "image",
            "value": {"image": small_image().pk, "alt_text": f"Picture {n}", "caption": "", "credit": "", **fields},
        }
        for n, fields in enumerate([block_fields or {}] * count)
    ]


@pytest.fixture
def site_full_of_images(home):
    """A page of every public page type, each showing images of its own and cards of the others'.

    Returns (page, how many <picture> elements it must show at least) per page type."""
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.default_social_image = small_image()
    organisation.save()

    home.hero_image = small_image()
    home.body = image_blocks(2)
    home.save_revision().publish()

    standard = StandardPageFactory(parent=home, hero_image=small_image(), body=image_blocks(3))
    for _ in range(2):
        StandardPageFactory(parent=standard, hero_image=small_image())

    programs = ProgramIndexPageFactory(parent=home)
    program = ProgramPageFactory(parent=programs, hero_image=small_image(), body=image_blocks(2))

    topic = TopicFactory()
    stories = StoryIndexPageFactory(parent=home)
    for _ in range(3):
        story = StoryPageFactory(parent=stories, hero_image=small_image())
        story.topics.set([topic])
        story.programs.set([program])
        story.save_revision().publish()
    # A dozen images on one page: hero, eight in the body (some hidden as graphic), three related stories.
    story = StoryPageFactory(
        parent=stories,
        hero_image=small_image(),
        body=image_blocks(5) + image_blocks(3, {"graphic": True, "warning": "Human remains"}),
    )
    story.topics.set([topic])
    story.save_revision().publish()
    commemoration = CommemorationPageFactory(parent=stories, hero_image=small_image(), body=image_blocks(1))
    commemoration.topics.set([topic])
    commemoration.save_revision().publish()
    calendar = ObservanceCalendarPageFactory(parent=home)

    library = ResourceLibraryPageFactory(parent=home)
    collection = ResourceCollectionFactory()
    resources = []
    for _ in range(3):
        resource = ResourcePageFactory(
            parent=library, collection=collection, cover_image=small_image(), body=image_blocks(1)
        )
        resource.programs.set([program])
        resource.save_revision().publish()
        resources.append(resource)
    reports = AnnualReportIndexPageFactory(parent=home, collection=ResourceCollectionFactory())
    report = AnnualReportPageFactory(parent=reports, year=2023, cover_image=small_image(), body=image_blocks(1))
    AnnualReportPageFactory(parent=reports, year=2022, cover_image=small_image())
    donate = DonatePageFactory(parent=home)

    return {
        "home": (home, 1 + 2 + 3),
        "standard": (standard, 1 + 3 + 2),
        "program index": (programs, 1),
        "program": (program, 1 + 2 + 3 + 3),
        "story index": (stories, 5),
        "story": (story, 12),
        "commemoration": (commemoration, 1 + 1 + 3),
        "observance calendar": (calendar, 0),
        "resource library": (library, 3),
        "resource": (resources[0], 1 + 1 + 2),
        "annual report index": (reports, 2),
        "annual report": (report, 1 + 1),
        "donate": (donate, 0),
    }


@pytest.mark.django_db
def test_no_visitor_request_makes_a_rendition(client, site_full_of_images):
    made_in_requests = {}
    for name, (page, pictures) in site_full_of_images.items():
        before = SiteRendition.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url)
        assert response.status_code == 200, name
        html = response.content.decode()
        # Not vacuous: the page shows what it should, and every page carries a social image.
        assert html.count("<picture") >= pictures, name
        assert '<meta property="og:image"' in html, name

        inserts = [
            query["sql"] for query in queries if query["sql"].startswith("INSERT") and RENDITION_TABLE in query["sql"]
        ]
        made = list(SiteRendition.objects.filter(pk__gt=before).values_list("filter_spec", flat=True))
        if inserts or made:
            made_in_requests[name] = made or inserts
    assert made_in_requests == {}, "Renditions made in a visitor's request; add their specs to aipg_site/renditions.py"


# The list cannot drift from what is used -----------------------------------------------------------

IMAGE_TAG = re.compile(r"\{%\s*(image|picture|srcset_image|accessible_picture)\s+(.+?)\s*%\}", re.DOTALL)
IMAGE_URL_TAG = re.compile(r"\{%\s*image_url\s+\S+\s+(\S+)")
RENDITION_METHODS = {"get_rendition", "get_renditions", "prefetch_renditions"}


def specs_in_templates():
    """(spec, where) for every rendition a template asks for, expanded as Wagtail's tags expand them."""
    found = []
    for template in sorted(path for path in (PROJECT_ROOT / "templates").rglob("*") if path.is_file()):
        where = str(template.relative_to(PROJECT_ROOT))
        text = template.read_text()
        for tag, arguments in IMAGE_TAG.findall(text):
            bits = list(smart_split(arguments))[1:]  # the first is the image
            if tag == "accessible_picture":  # aipg_site/templatetags/image_tags.py: the specs in one string
                bits = bits[0].strip("\"'").split()
            if "as" in bits:
                bits = bits[: bits.index("as")]
            filter_bits = [bit for bit in bits if "=" not in bit]
            # {% image %} joins its filters into one spec; {% picture %} and {% srcset_image %} expand braces.
            specs = ["|".join(filter_bits)] if tag == "image" else Filter.expand_spec(filter_bits)
            found += [(spec, where) for spec in specs]
        found += [(spec.strip("\"'"), where) for spec in IMAGE_URL_TAG.findall(text)]
    return found


def specs_in_python():
    """(spec, where) for every spec the project's code passes to get_rendition(s) or prefetch_renditions.

    A spec must be a string literal or a name from aipg_site.renditions, so that it can be read here."""
    found = []
    for package in PROJECT_PACKAGES:
        for module in sorted((PROJECT_ROOT / package).rglob("*.py")):
            if "migrations" in module.parts:
                continue
            where = str(module.relative_to(PROJECT_ROOT))
            for node in ast.walk(ast.parse(module.read_text())):
                if not (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in RENDITION_METHODS
                ):
                    continue
                for argument in [*node.args, *(keyword.value for keyword in node.keywords)]:
                    if isinstance(argument, ast.Starred):
                        continue  # aipg_site/renditions.py making the whole list
                    if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                        found.append((argument.value, f"{where}:{node.lineno}"))
                    elif isinstance(argument, ast.Name) and isinstance(getattr(renditions, argument.id, None), str):
                        found.append((getattr(renditions, argument.id), f"{where}:{node.lineno}"))
                    else:
                        found.append((f"<unreadable: {ast.unparse(argument)}>", f"{where}:{node.lineno}"))
    return found


def test_every_rendition_used_is_made_ahead():
    used = specs_in_templates() + specs_in_python()
    assert len({where for _, where in used}) >= 7  # the scan found the image tags and the schema.org image
    not_listed = sorted({f"{spec} ({where})" for spec, where in used if spec not in PUBLIC_RENDITION_SPECS})
    assert not_listed == [], "Add these to RENDITION_PATTERNS in aipg_site/renditions.py"


def test_every_rendition_made_ahead_is_used():
    used = {spec for spec, _ in specs_in_templates() + specs_in_python()}
    unused = [spec for spec in PUBLIC_RENDITION_SPECS if spec not in used]
    assert unused == [], "Nothing shows these any more: remove them from aipg_site/renditions.py"


@pytest.mark.django_db
def test_an_image_of_too_many_pixels_is_refused_with_a_message_whatever_its_file_size(admin_client):
    buffer = io.BytesIO()
    PillowImage.new("1", (11_000, 11_000)).save(buffer, format="PNG")  # 121 megapixels, a few kilobytes
    assert buffer.tell() < 100_000
    upload = SimpleUploadedFile("huge.png", buffer.getvalue(), content_type="image/png")

    response = admin_client.post(reverse("wagtailimages:add"), {"title": "Huge", "file": upload, "credit": ""})

    assert response.status_code == 200
    assert "pixels" in response.content.decode()
    assert not SiteImage.objects.exists()
