"""What each Stripe event does to our records.

The webhook only records: `record_event` stores the verified event under its unique id and, in the
same transaction, enqueues `apply_stripe_event` for the worker, so Stripe gets its 200 at once and a
replayed or concurrently delivered event finds the id taken and changes nothing. The task applies
the event once (its row is locked and marked applied in the transaction of the effect); when the
effect needs Stripe (a refund of a monthly or yearly instalment) and Stripe is down, the task is retried with
backoff until Stripe answers. Effects are written so that order does not matter: a payment is keyed
by its Stripe id and may be recorded by whichever event arrives first (an `invoice.paid` before its
`checkout.session.completed`, a refund before its payment), statuses only move forward, and refunds
follow Stripe's running total. Emails are tasks of their own, enqueued with the effect.
"""

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from aipg_site.background import background_task

from . import balance, emails, stripe_gateway
from .models import Donation, Payment, StripeEvent

logger = logging.getLogger(__name__)
Status = Donation.Status


class MalformedEvent(ValueError):
    """A verified event whose content is not what its type promises."""


class UnsupportedApiVersion(MalformedEvent):
    """An event rendered in an API version whose shapes this code was not written for."""


class RetryLater(Exception):
    """The event cannot be applied yet (Stripe is unreachable for a lookup): nothing was written,
    and the task applying it runs again later."""


def record_event(event: dict[str, Any]) -> str:
    """Store a verified event once and queue its effect. Returns "applied" (when the effect is
    already done: a worker was quicker than this answer), "queued", "duplicate" or "ignored"."""
    try:
        event_id, event_type, obj = event["id"], event["type"], event["data"]["object"]
    except (KeyError, TypeError):
        raise MalformedEvent("The event has no id, type or data.object.") from None
    if not isinstance(event_id, str) or not isinstance(obj, dict):
        raise MalformedEvent("The event's id or data.object has the wrong type.")
    handled = event_type in HANDLERS
    if handled and not stripe_gateway.speaks(event.get("api_version")):
        # Another version's event can look valid and mean something else (before 2025-03-31 an
        # invoice named its subscription elsewhere): refused, so Stripe keeps it and retries once
        # the endpoint's version is put right, and logged as an error so someone does.
        message = (
            f"{event_type} {event_id} is rendered in Stripe API version {event.get('api_version')!r}; this site "
            f"reads {stripe_gateway.API_VERSION}. Set the webhook endpoint's API version to it in Stripe's dashboard."
        )
        logger.error(message)
        raise UnsupportedApiVersion(message)
    missing = [name for name in REQUIRED_FIELDS.get(event_type, ()) if name not in obj]
    if missing:
        raise MalformedEvent(f"{event_type} is missing {', '.join(missing)}.")
    if handled:
        wrong = [name for name, kind in FIELD_TYPES.items() if obj.get(name) is not None and not _is(obj[name], kind)]
        if wrong:
            raise MalformedEvent(f"{event_type} has {', '.join(wrong)} of the wrong type.")
    try:
        with transaction.atomic():
            stored = StripeEvent.objects.create(
                event_id=event_id,
                type=str(event_type),
                payload=event if handled else {},
                status=StripeEvent.Status.RECEIVED if handled else StripeEvent.Status.IGNORED,
            )
            if handled:
                apply_stripe_event.enqueue(stored.pk)
    except IntegrityError:
        if StripeEvent.objects.filter(event_id=event_id).exists():
            return "duplicate"
        raise
    if not handled:
        return "ignored"
    stored.refresh_from_db(fields=["status"])
    return "applied" if stored.status == StripeEvent.Status.APPLIED else "queued"


@background_task(retry_on=(RetryLater,))
def apply_stripe_event(stored_event_id: int) -> str:
    """Apply a recorded event's effect, once: the event's row is locked, and marked applied in the
    same transaction as the effect, so a second run (a retry, a worker killed after the commit)
    finds it done."""
    with transaction.atomic():
        stored = StripeEvent.objects.select_for_update().get(pk=stored_event_id)
        if stored.status != StripeEvent.Status.RECEIVED:
            return str(stored.status)
        try:
            HANDLERS[stored.type](stored.payload["data"]["object"])
        except (KeyError, TypeError) as error:
            # Verified, yet not shaped as its type promises: a failed task staff can see and retry.
            raise MalformedEvent(f"{stored.type} {stored.event_id} is missing {error}.") from None
        stored.status = StripeEvent.Status.APPLIED
        stored.applied_at = timezone.now()
        stored.save(update_fields=["status", "applied_at"])
    return "applied"


# Handlers -------------------------------------------------------------------------------------

# Event type -> the function that applies it, and the fields its object must carry (Stripe always
# sends them; an event without them is refused while Stripe is still on the line). Both are filled
# by `@handles`, so each event is named once, on its handler.
HANDLERS: dict[str, Callable[[dict[str, Any]], None]] = {}
REQUIRED_FIELDS: dict[str, tuple[str, ...]] = {}


def handles(event_type: str, *, requires: tuple[str, ...]):
    def register(handler: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
        HANDLERS[event_type] = handler
        REQUIRED_FIELDS[event_type] = requires
        return handler

    return register


SESSION_FIELDS = ("id", "mode", "status", "payment_status")


# Checkout sessions ----------------------------------------------------------------------------


@handles("checkout.session.completed", requires=SESSION_FIELDS)
def checkout_completed(session: dict[str, Any]) -> None:
    donation = _donation_for(session.get("client_reference_id"), session.get("metadata"))
    if donation is None:
        return
    _copy_ids(donation, session)
    if donation.is_recurring:
        # The first instalment is recorded by its own invoice.paid, whichever arrives first.
        paid = session["payment_status"] in {"paid", "no_payment_required"}
        _advance(donation, Status.ACTIVE if paid else Status.AWAITING_PAYMENT)
    elif session["payment_status"] in {"paid", "no_payment_required"}:
        _record_one_off_payment(donation, session)
    else:
        _advance(donation, Status.AWAITING_PAYMENT)
    donation.save_webhook_changes()


@handles("checkout.session.async_payment_succeeded", requires=SESSION_FIELDS)
def async_payment_succeeded(session: dict[str, Any]) -> None:
    donation = _donation_for(session.get("client_reference_id"), session.get("metadata"))
    if donation is None:
        return
    _copy_ids(donation, session)
    if not donation.is_recurring:
        _record_one_off_payment(donation, session)
    donation.save_webhook_changes()


@handles("checkout.session.async_payment_failed", requires=SESSION_FIELDS)
def async_payment_failed(session: dict[str, Any]) -> None:
    donation = _donation_for(session.get("client_reference_id"), session.get("metadata"))
    if donation is None:
        return
    _copy_ids(donation, session)
    _advance(donation, Status.FAILED)
    donation.save_webhook_changes()


@handles("checkout.session.expired", requires=SESSION_FIELDS)
def checkout_expired(session: dict[str, Any]) -> None:
    donation = _donation_for(session.get("client_reference_id"), session.get("metadata"))
    if donation is None:
        return
    _advance(donation, Status.ABANDONED)
    donation.save_webhook_changes()


# Monthly and yearly gifts ------------------------------------------------------------------------


@handles("invoice.paid", requires=("id", "amount_paid", "currency"))
def invoice_paid(invoice: dict[str, Any]) -> None:
    _record_invoice_payment(invoice)


@handles("invoice.payment_failed", requires=("id",))
def invoice_payment_failed(invoice: dict[str, Any]) -> None:
    """Stripe could not collect an instalment (a declined or expired card). The gift stays active
    while Stripe retries; staff see it failing, and the donor is emailed, once per invoice, a link
    to put a working card in Stripe's portal."""
    donation = _donation_for_invoice(invoice)
    if donation is None or not donation.is_recurring or donation.status in {Status.CANCELLED, Status.REFUNDED}:
        return
    if invoice.get("status") == "paid" or Payment.objects.filter(stripe_invoice_id=invoice["id"]).exists():
        return  # paid meanwhile: this failure is history
    first_notice = donation.failing_invoice_id != invoice["id"]
    donation.payment_failing_since = (
        donation.payment_failing_since or _timestamp(invoice.get("created")) or (timezone.now())
    )
    donation.failing_invoice_id = invoice["id"]
    donation.save_webhook_changes()
    if first_notice:
        emails.send_payment_failing_notice.enqueue(donation.pk)


@handles("customer.subscription.updated", requires=("id",))
def subscription_updated(subscription: dict[str, Any]) -> None:
    """A change made in Stripe (by the donor in the portal, or by staff): a cancellation scheduled
    for the end of the paid period is shown and confirmed to the donor; one taken back is cleared."""
    donation = _donation_for(
        None, subscription.get("metadata"), lock_filter={"stripe_subscription_id": subscription["id"]}
    )
    if donation is None or not donation.is_recurring:
        return
    donation.stripe_subscription_id = donation.stripe_subscription_id or subscription["id"]
    cancels_at = _timestamp(subscription.get("cancel_at"))
    if subscription.get("cancel_at_period_end") and cancels_at is None:
        ends = [item.get("current_period_end") for item in (subscription.get("items") or {}).get("data") or []]
        cancels_at = _timestamp(max((end for end in ends if isinstance(end, int)), default=None))
    if subscription.get("status") == "canceled":
        return  # ended now: customer.subscription.deleted records that
    newly_scheduled = cancels_at is not None and cancels_at != donation.cancels_at
    donation.cancels_at = cancels_at
    donation.save_webhook_changes()
    if newly_scheduled and donation.status == Status.ACTIVE:
        emails.send_gift_ending_notice.enqueue(donation.pk)


@handles("customer.subscription.deleted", requires=("id",))
def subscription_deleted(subscription: dict[str, Any]) -> None:
    donation = _donation_for(
        None, subscription.get("metadata"), lock_filter={"stripe_subscription_id": subscription["id"]}
    )
    if donation is None:
        return
    donation.stripe_subscription_id = donation.stripe_subscription_id or subscription["id"]
    _advance(donation, Status.CANCELLED)
    donation.ended_at = donation.ended_at or _timestamp(subscription.get("ended_at")) or timezone.now()
    donation.save_webhook_changes()


# Refunds --------------------------------------------------------------------------------------


@handles("charge.refunded", requires=("id", "amount", "amount_refunded", "currency"))
def charge_refunded(charge: dict[str, Any]) -> None:
    payment = _payment_for_charge(charge)
    if payment is None:
        logger.info("Ignored a refund of %s: no donation of ours.", charge.get("id"))
        return
    refunded = int(charge["amount_refunded"])
    # Stripe reports the running total; a late, older event never lowers it.
    if refunded > payment.amount_refunded:
        payment.amount_refunded = min(refunded, payment.amount)
        payment.refunded_at = timezone.now()
    payment.stripe_charge_id = payment.stripe_charge_id or charge["id"]
    # Not receipt_sent_at: the receipt task owns it.
    payment.save(update_fields=["amount_refunded", "refunded_at", "stripe_charge_id", "stripe_payment_intent_id"])
    donation = payment.donation
    if not donation.is_recurring and payment.amount_refunded >= payment.amount:
        _advance(donation, Status.REFUNDED)
        donation.save_webhook_changes()


def _payment_for_charge(charge: dict[str, Any]) -> Payment | None:
    payment_intent = charge.get("payment_intent") or ""
    if isinstance(payment_intent, dict):
        payment_intent = payment_intent["id"]
    found = Payment.objects.select_for_update().filter(stripe_charge_id=charge["id"]).first()
    if found is None and payment_intent:
        found = Payment.objects.select_for_update().filter(stripe_payment_intent_id=payment_intent).first()
    if found is not None:
        return found
    if not payment_intent:
        return None
    # A one-off gift whose completion has not reached us yet: the charge carries our metadata.
    metadata = charge.get("metadata") or {}
    if metadata.get("donation_id"):
        donation = _donation_for(metadata["donation_id"], None)
        if donation is not None and not donation.is_recurring:
            payment = _record_one_off_payment(
                donation,
                {"payment_intent": payment_intent, "amount_total": charge["amount"], "currency": charge["currency"]},
                paid_at=_timestamp(charge.get("created")),
                refunded=int(charge["amount_refunded"]),
            )
            donation.save_webhook_changes()
            return payment
    # A monthly or yearly instalment: since API version 2025-03-31 only Stripe knows which invoice it paid.
    try:
        invoice = stripe_gateway.invoice_for_payment_intent(payment_intent)
    except stripe_gateway.NotConfigured:
        return None
    except stripe_gateway.StripeError as error:
        raise RetryLater(f"Could not look up the invoice of {payment_intent}: {error}") from error
    if invoice is None:
        return None
    payment = _record_invoice_payment(invoice)
    if payment is not None and not payment.stripe_payment_intent_id:
        payment.stripe_payment_intent_id = payment_intent
    return payment


# Recording payments ---------------------------------------------------------------------------


def _record_one_off_payment(donation: Donation, session: dict[str, Any], paid_at=None, refunded=0) -> Payment:
    payment_intent = session.get("payment_intent") or ""
    if isinstance(payment_intent, dict):
        payment_intent = payment_intent["id"]
    if payment_intent:
        donation.stripe_payment_intent_id = payment_intent
    payment, created = Payment.objects.get_or_create(
        stripe_payment_intent_id=payment_intent,
        defaults={
            "donation": donation,
            "amount": int(session["amount_total"]),
            "currency": str(session["currency"]).upper(),
            "paid_at": paid_at or timezone.now(),
            # Known already when the refund is the first we hear of the payment.
            "amount_refunded": min(refunded, int(session["amount_total"])),
            "refunded_at": timezone.now() if refunded else None,
        },
    )
    if payment.amount_refunded < payment.amount:
        _advance(donation, Status.PAID)
    if created:
        _after_payment(donation, payment)
    return payment


def _donation_for_invoice(invoice: dict[str, Any]) -> Donation | None:
    subscription_details = (invoice.get("parent") or {}).get("subscription_details") or {}
    subscription_id = subscription_details.get("subscription") or ""
    donation = _donation_for(
        None,
        subscription_details.get("metadata"),
        lock_filter={"stripe_subscription_id": subscription_id} if subscription_id else None,
    )
    if donation is None:
        logger.info("Ignored invoice %s: no donation of ours.", invoice.get("id"))
        return None
    if subscription_id and not donation.stripe_subscription_id:
        donation.stripe_subscription_id = subscription_id
    if invoice.get("customer") and not donation.stripe_customer_id:
        donation.stripe_customer_id = invoice["customer"]
    if donation.stripe_customer_id:
        donation.donor.remember_customer(donation.stripe_customer_id)
    return donation


def _record_invoice_payment(invoice: dict[str, Any]) -> Payment | None:
    donation = _donation_for_invoice(invoice)
    if donation is None:
        return None
    paid_at = _timestamp((invoice.get("status_transitions") or {}).get("paid_at"))
    if donation.payment_failing_since and (
        invoice["id"] == donation.failing_invoice_id or (paid_at and paid_at >= donation.payment_failing_since)
    ):
        # The failing instalment was paid after all, or a later one was: the card works again.
        donation.payment_failing_since, donation.failing_invoice_id = None, ""
    payment, created = Payment.objects.get_or_create(
        stripe_invoice_id=invoice["id"],
        defaults={
            "donation": donation,
            "amount": int(invoice["amount_paid"]),
            "currency": str(invoice["currency"]).upper(),
            "paid_at": paid_at or timezone.now(),
        },
    )
    _advance(donation, Status.ACTIVE)
    if created:
        _after_payment(donation, payment)
    donation.save_webhook_changes()
    return payment


def _after_payment(donation: Donation, payment: Payment) -> None:
    """Queue the lookup of Stripe's fee and net, the donor's receipt (a thank-you for the first
    payment) and, for a gift's first payment, the note to a tribute contact. Enqueued in the
    transaction that records the payment: all are committed together, or none is. A payment refunded
    in full before we heard of it gets no email."""
    balance.fill_stripe_fee.enqueue(payment.pk)
    if payment.amount_refunded >= payment.amount:
        return
    emails.send_receipt.enqueue(payment.pk)
    first_payment = not donation.payments.exclude(pk=payment.pk).exists()
    if first_payment and donation.tribute_notify_email and not donation.tribute_notified_at:
        emails.send_tribute_note.enqueue(donation.pk)


# Helpers --------------------------------------------------------------------------------------


# Where a donation may go from each status. A payment outranks what came before it; an ended or
# refunded gift stays so, whatever arrives late.
_NEXT = {
    Status.PENDING: {
        Status.AWAITING_PAYMENT, Status.PAID, Status.ACTIVE, Status.FAILED, Status.ABANDONED, Status.CANCELLED,
        Status.REFUNDED,
    },
    Status.ABANDONED: {Status.AWAITING_PAYMENT, Status.PAID, Status.ACTIVE, Status.FAILED},
    Status.AWAITING_PAYMENT: {Status.PAID, Status.FAILED, Status.ACTIVE},
    Status.FAILED: {Status.PAID, Status.ACTIVE},
    Status.PAID: {Status.REFUNDED},
    Status.ACTIVE: {Status.CANCELLED},
    Status.CANCELLED: set(),
    Status.REFUNDED: set(),
}  # fmt: skip


def _advance(donation: Donation, status: str) -> None:
    if status in _NEXT[Status(donation.status)]:
        donation.status = status


def _donation_for(reference: str | None, metadata: dict | None, lock_filter: dict | None = None) -> Donation | None:
    """Our donation named by an event (client_reference_id, metadata, or a Stripe id), locked for
    the rest of the transaction so two events about one gift apply one after the other."""
    donation_id = reference or (metadata or {}).get("donation_id")
    donations = Donation.objects.select_for_update()
    if donation_id:
        try:
            return donations.filter(uuid=donation_id).first()
        except (ValidationError, ValueError):  # a malformed id in someone else's metadata
            logger.warning("Ignored an event naming a malformed donation id %r.", donation_id)
            return None
    if lock_filter:
        return donations.filter(**lock_filter).first()
    return None


def _copy_ids(donation: Donation, session: dict[str, Any]) -> None:
    donation.stripe_checkout_session_id = donation.stripe_checkout_session_id or session["id"]
    for field, key in [("stripe_customer_id", "customer"), ("stripe_subscription_id", "subscription")]:
        value = session.get(key)
        if isinstance(value, dict):
            value = value.get("id")
        if value and not getattr(donation, field):
            setattr(donation, field, value)
    # The donor's later gifts reuse the Customer Stripe made for this one (checkout.known_customer).
    if donation.stripe_customer_id:
        donation.donor.remember_customer(donation.stripe_customer_id)


def _timestamp(value) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


# The type of every field the handlers read, wherever it appears: checked when the event is recorded,
# so an event the worker could not apply is refused (400) while Stripe is still on the line.
FIELD_TYPES = {
    "id": str,
    "amount": int,
    "amount_total": int,
    "amount_paid": int,
    "amount_refunded": int,
    "currency": str,
    "payment_status": str,
    "client_reference_id": str,
    "created": int,
    "ended_at": int,
    "cancel_at": int,
    "cancel_at_period_end": bool,
    "status": str,
    "metadata": dict,
}


def _is(value, kind) -> bool:
    # JSON true and false are not amounts, though Python counts bool as int.
    return isinstance(value, kind) and not (kind is int and isinstance(value, bool))


def endpoint_setup() -> dict[str, Any]:
    """What staff set up in Stripe for the webhook, as the admin shows it: read from the handlers
    above, so the list of events given to staff is the list the code handles."""
    return {
        "secret_key_set": stripe_gateway.is_configured(),
        "webhook_secret_set": bool(settings.STRIPE_WEBHOOK_SECRET),
        "webhook_url": settings.WAGTAILADMIN_BASE_URL + reverse("stripe:webhook"),
        "webhook_events": list(HANDLERS),
        "api_version": stripe_gateway.API_VERSION,
    }
