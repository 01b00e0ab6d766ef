"""Every edit that can change what a page shows purges the cache; connected once, from the app's ready()."""

from django.db.models.signals import post_delete, post_save
from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
from wagtail.documents.models import AbstractDocument
from wagtail.images.models import AbstractImage
from wagtail.models import BaseViewRestriction, Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move
from wagtail.snippets.models import get_snippet_models

from .. import cache as cache_backend
from .generation import new_generation, purge

_purging_models = [AbstractImage, AbstractDocument, BaseSiteSetting, BaseGenericSetting, Site, BaseViewRestriction]


def purge_when_changed(model):
    """Purge the cache whenever an instance of `model` (or a subclass) is saved or deleted."""
    _purging_models.append(model)


def register_signal_handlers():
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(_purge_on_signal, dispatch_uid=f"page_cache_{signal}")
    post_save.connect(_purge_on_save, dispatch_uid="page_cache_post_save")
    post_delete.connect(_purge_on_delete, dispatch_uid="page_cache_post_delete")
    # A purge attempted while Redis was away was lost: start afresh when it is back.
    cache_backend.on_recovery(new_generation)


def _purge_on_signal(**kwargs):
    purge()


def _purge_on_save(sender, instance, **kwargs):
    # Saving a page without publishing it (a draft, an autosave) changes nothing visitors see, and
    # image renditions are made while pages render: neither may purge.
    if shown_on_pages(sender, instance):
        purge()


def _purge_on_delete(sender, instance, **kwargs):
    if isinstance(instance, Page) or shown_on_pages(sender, instance):
        purge()


def shown_on_pages(sender, instance):
    return isinstance(instance, tuple(_purging_models)) or sender in get_snippet_models()
