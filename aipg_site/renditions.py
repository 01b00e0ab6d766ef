"""Every image rendition the public site shows, made on the task worker before any visitor asks for it.

Wagtail makes a rendition (a resized file and a `SiteRendition` row) the first time a template asks
for it. Made in a visitor's request, that costs the visitor the wait and the web process the memory
of the decoded original, up to three at once: a web worker grew from 165 to 300 MiB doing it, and
kept the memory. So when an image is uploaded, its file replaced or its focal point moved (by an
editor, or by Wagtail's feature detection), `make_renditions` is queued and the worker makes every
rendition listed here; the pages then only read them.

This list must name every spec a public template or public code asks for. One it misses still
works, but is made by the first visitor who needs it, as before. `tests/aipg_site/test_renditions.py`
reads the templates and the code and fails when a spec used there is not listed here, or is listed
here and used nowhere. Images saved before this existed (or restored without their renditions) get
theirs from `manage.py make_renditions`.
"""

from functools import partial

from botocore.exceptions import BotoCoreError, ClientError
from django.db import transaction
from django.db.models.signals import post_init, post_save
from wagtail.images.models import Filter

from .background import background_task
from .models import SiteImage

# The og:image and twitter:image of every page (its hero image, or the organisation's default social
# image; templates/components/meta_tags.html) and the schema.org `image` of a story or a program
# (StoryPage and ProgramPage.get_structured_data). JPEG: not every link-preview crawler reads WebP or AVIF.
SOCIAL_IMAGE_SPEC = "fill-1200x630|format-jpeg"

# Each written as its template tag writes it: Wagtail expands the braces into one rendition per
# combination ("format-{avif,webp} fill-{1x1,2x2}" is four), so a tag and its line here compare by eye.
RENDITION_PATTERNS = (
    # templates/aipg_site/home_page.html: the home page's hero.
    "format-{avif,webp,jpeg} fill-{640x400,1024x640,1600x1000}",
    # templates/components/page_header.html: the hero of standard, program, story and commemoration pages.
    "format-{avif,webp,jpeg} fill-{640x240,1024x384,1600x600}",
    # templates/components/card.html: story and program cards (home, story and program indexes,
    # a standard page's children, related stories on stories and programs).
    "format-{avif,webp,jpeg} fill-{400x225,800x450}",
    # templates/components/resource_card.html: resource and annual report covers in listings (the
    # library, annual reports, a program's resources, "more in this collection").
    "format-{avif,webp,jpeg} fill-{120x160,240x320}",
    # templates/resources/resource_page.html: the cover on a resource or annual report page.
    "format-{avif,webp,jpeg} fill-{240x320,480x640}",
    # templates/blocks/image_block.html: an image block in any body (story bodies through
    # blocks/story_image_block.html, whose "View the image" link opens the 1200 px JPEG).
    "format-{avif,webp,jpeg} width-{480,800,1200}",
    SOCIAL_IMAGE_SPEC,
)

# One spec per rendition, as Wagtail names them ("format-avif|fill-400x225"); the resource card and
# the resource page share one size.
PUBLIC_RENDITION_SPECS = tuple(
    dict.fromkeys(spec for pattern in RENDITION_PATTERNS for spec in Filter.expand_spec(pattern))
)

# Failures that can pass by themselves: storage briefly unreachable or slow (S3 answers 503 "slow
# down"). A file Pillow cannot read is an OSError too, and fails for good after these few tries.
STORAGE_ERRORS = (OSError, BotoCoreError, ClientError)


# Behind mail and payment follow-ups, which someone is waiting for: a rendition not made yet only
# means a visitor's request makes it, as before.
@background_task(retry_on=STORAGE_ERRORS, max_attempts=4, priority=-10)
def make_renditions(image_id: int) -> None:
    """Make every public rendition of the image, for its current file and focal point, that is missing.

    Run twice, the second run finds them all and makes nothing."""
    # Prefetched, the existing renditions are read from the database in one query rather than
    # trusted from the rendition cache, which could remember one that has since been deleted.
    image = SiteImage.objects.prefetch_related("renditions").filter(pk=image_id).first()
    if image is None:
        return  # deleted since it was queued
    image.get_renditions(*PUBLIC_RENDITION_SPECS)


# What the renditions are made from: the file, and the focal point that `fill` crops centre on
# (Wagtail keys a crop's rendition by it, so a moved focal point needs new ones).
RENDITION_INPUTS = ("file", "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
_NOT_LOADED = object()


def _rendition_inputs(image: SiteImage) -> tuple:
    # Read from the instance's own values: touching a field left out by `.only()` would cost a
    # query for every image a listing loads.
    values = []
    for name in RENDITION_INPUTS:
        value = image.__dict__.get(name, _NOT_LOADED)
        values.append(getattr(value, "name", value))  # a file compares by its stored name
    return tuple(values)


def _remember_rendition_inputs(sender, instance: SiteImage, **kwargs) -> None:
    instance._rendition_inputs = _rendition_inputs(instance)


def _queue_renditions_when_changed(sender, instance: SiteImage, created, raw, update_fields, **kwargs) -> None:
    if raw:
        return  # loaded from a fixture: its files may not be there; `make_renditions` does it later
    current = _rendition_inputs(instance)
    if not created:
        if update_fields is not None and not set(update_fields) & set(RENDITION_INPUTS):
            return
        if current == getattr(instance, "_rendition_inputs", None):
            return  # a new title, tags or credit: the renditions stand
    instance._rendition_inputs = current
    # Queued once the saving transaction commits, not within it: the admin deletes a replaced file's
    # renditions after saving the image, in the same transaction, and a backend that runs a task
    # where it is queued (the tests' does) would see them deleted under it. Lost to a crash in
    # between, the task only leaves its renditions to the first visitor, as before.
    transaction.on_commit(partial(make_renditions.enqueue, instance.pk))


def connect_signals() -> None:
    post_init.connect(_remember_rendition_inputs, sender=SiteImage, dispatch_uid="renditions:remember")
    post_save.connect(_queue_renditions_when_changed, sender=SiteImage, dispatch_uid="renditions:queue")
