"""Reconciliation: what Stripe knows and the ledger missed, applied without anyone asking.

Webhooks can be lost: an endpoint switched off for a day, a secret rotated in one place only, a
deploy that answered 500 until Stripe gave up. Every hour the worker (and `manage.py
reconcile_stripe` on demand) lists the recent Checkout Sessions, paid invoices and refunds from
Stripe and feeds each to the same handler its webhook event would have reached. The handlers are
idempotent (payments keyed by Stripe ids, statuses that only move forward, refunds as Stripe's
running total), so what the ledger already has is left as it is and only what it missed is
written, receipts included. What was repaired is reported and logged.
"""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from aipg_site.background import background_task

from . import balance, stripe_gateway, webhooks
from .currencies import format_money
from .models import Donation, Payment

logger = logging.getLogger(__name__)


@dataclass
class Report:
    looked_at: int = 0
    repairs: list[str] = field(default_factory=list)

    def __str__(self):
        if not self.repairs:
            return f"Looked at {self.looked_at} Stripe objects: nothing to repair."
        lines = "\n".join(f"- {repair}" for repair in self.repairs)
        return f"Looked at {self.looked_at} Stripe objects; repaired {len(self.repairs)}:\n{lines}"


def reconcile(days: int) -> Report:
    """Apply what Stripe recorded in the last `days` days and the ledger does not have."""
    since = int((timezone.now() - timedelta(days=days)).timestamp())
    before = _ledger()
    report = Report()
    sources = [
        (stripe_gateway.recent_checkout_sessions(since), _apply_session),
        (stripe_gateway.recent_paid_invoices(since), webhooks.invoice_paid),
        (stripe_gateway.recent_refunded_charges(since), webhooks.charge_refunded),
    ]
    for objects, apply in sources:
        for obj in objects:
            report.looked_at += 1
            with transaction.atomic():
                apply(obj)
    report.repairs = _differences(before, _ledger())
    # Stripe's fee and net of payments whose lookup failed or was never made.
    report.repairs += balance.fill_missing_fees()
    for repair in report.repairs:
        logger.warning("Reconciliation with Stripe repaired: %s", repair)
    return report


@background_task(retry_on=(stripe_gateway.StripeError, webhooks.RetryLater))
def reconcile_with_stripe() -> str:
    """The hourly run (PERIODIC_TASKS); retried with backoff while Stripe cannot be reached."""
    if not stripe_gateway.is_configured():
        return "Stripe is not configured"
    return str(reconcile(settings.DONATIONS_RECONCILE_DAYS))


def _apply_session(session: dict) -> None:
    if session.get("status") == "complete":
        webhooks.checkout_completed(session)
    elif session.get("status") == "expired":
        webhooks.checkout_expired(session)


def _ledger() -> dict:
    """What a repair can change, keyed so that before and after can be compared."""
    return {
        "donations": dict(Donation.objects.exclude(status="pending").values_list("uuid", "status")),
        "payments": {
            pk: (donation_uuid, amount, refunded, currency)
            for pk, donation_uuid, amount, refunded, currency in Payment.objects.values_list(
                "pk", "donation__uuid", "amount", "amount_refunded", "currency"
            )
        },
    }


def _differences(before: dict, after: dict) -> list[str]:
    repairs = []
    for pk, (donation_uuid, amount, refunded, currency) in sorted(after["payments"].items()):
        if pk not in before["payments"]:
            repairs.append(f"recorded a payment of {format_money(amount, currency)} to gift {donation_uuid}")
        if refunded and (pk not in before["payments"] or before["payments"][pk][2] != refunded):
            paid = format_money(amount, currency)
            repairs.append(
                f"recorded {format_money(refunded, currency)} refunded of the {paid} paid to gift {donation_uuid}"
            )
    for uuid, status in after["donations"].items():
        if before["donations"].get(uuid, "pending") != status:
            repairs.append(f"gift {uuid} is now {Donation.Status(status).label.lower()}")
    return repairs
