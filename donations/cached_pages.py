"""Keeping cached donate pages honest: a paid gift shows in its campaign's bar on the next request.

The donate page is cached like any other (by the page cache and by a CDN or Varnish in front), but
its bar moves with every payment, which is no edit and purges nothing. So each donate page is tagged
while it renders, and whenever a payment to a campaign is recorded, changed (a refund) or deleted, or
the campaign itself is edited, the donate pages showing that campaign (every language's) are
dropped: from the page cache by their tag, and from the frontend cache, when one is configured,
with Wagtail's PurgeBatch as aipg_site/cdn.py does on a publish. Payments are recorded by the task
worker, which applies Stripe's events, so that is where the purge runs.

Only those pages are dropped. A purge of the page cache's generation would do it too, but it retires
every page of the site: at a gift a minute in a campaign's last days the cache would hardly ever
hold anything.
"""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from wagtail.contrib.frontend_cache.utils import PurgeBatch

from aipg_site import page_cache

from .models import Campaign, CardFeeRate, CardFeeSettings, DonatePage, Payment


def tag(request, page) -> None:
    """Let a change to the page's campaign drop the copy of it this request renders."""
    page_cache.tag(request, _tag_name(page.pk))


def refresh_campaign_pages(campaign_id: int) -> None:
    """Drop the cached copies of the live donate pages showing this campaign, in every language."""
    page_ids = list(DonatePage.objects.filter(campaign_id=campaign_id).values_list("pk", flat=True))
    for page_id in page_ids:
        page_cache.forget(_tag_name(page_id))
    if page_ids and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        # After the commit: a CDN asked again at once must get the new total.
        transaction.on_commit(lambda: _purge_frontend_cache(page_ids))


def refresh_all_donate_pages() -> None:
    """Drop every donate page's cached copies: the card fee table they show has changed."""
    page_ids = list(DonatePage.objects.values_list("pk", flat=True))
    for page_id in page_ids:
        page_cache.forget(_tag_name(page_id))
    if page_ids and getattr(settings, "WAGTAILFRONTENDCACHE", None):
        transaction.on_commit(lambda: _purge_frontend_cache(page_ids))


def register_signal_handlers() -> None:
    post_save.connect(_payment_changed, sender=Payment, dispatch_uid="donations_payment_saved")
    post_delete.connect(_payment_changed, sender=Payment, dispatch_uid="donations_payment_deleted")
    post_save.connect(_campaign_changed, sender=Campaign, dispatch_uid="donations_campaign_saved")
    # Before the pages lose the campaign (SET_NULL), while they can still be found by it.
    pre_delete.connect(_campaign_changed, sender=Campaign, dispatch_uid="donations_campaign_deleted")
    # Finance changed the card fee table: every donate page shows it.
    for sender in (CardFeeSettings, CardFeeRate):
        post_save.connect(_fees_changed, sender=sender, dispatch_uid=f"donations_{sender.__name__}_saved")
        post_delete.connect(_fees_changed, sender=sender, dispatch_uid=f"donations_{sender.__name__}_deleted")


def _fees_changed(**kwargs) -> None:
    refresh_all_donate_pages()


def _payment_changed(instance, **kwargs) -> None:
    campaign_id = instance.donation.campaign_id
    if campaign_id is not None:
        refresh_campaign_pages(campaign_id)


def _campaign_changed(instance, **kwargs) -> None:
    refresh_campaign_pages(instance.pk)


def _purge_frontend_cache(page_ids: list[int]) -> None:
    batch = PurgeBatch()
    batch.add_pages(DonatePage.objects.live().filter(pk__in=page_ids))
    batch.purge()


def _tag_name(page_id: int) -> str:
    return f"donate-page:{page_id}"
