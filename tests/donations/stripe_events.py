"""Stripe webhook events as Stripe sends them: objects shaped like its published examples, wrapped in
an event, and signed the way Stripe signs (`t=<time>,v1=<HMAC-SHA256 of "<time>.<body>">`)."""

import hashlib
import hmac
import itertools
import json
import time

from django.test import TestCase
from django.urls import reverse

API_VERSION = "2026-10-28.endive"
WEBHOOK_SECRET = "whsec_test_secret"
_ids = itertools.count(1)


def new_id(prefix):
    return f"{prefix}_test_{next(_ids):06d}"


def event(event_type, obj, event_id=None):
    return {
        "id": event_id or new_id("evt"),
        "object": "event",
        "api_version": API_VERSION,
        "created": int(time.time()),
        "data": {"object": obj},
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": event_type,
    }


def signature(payload: str, secret=WEBHOOK_SECRET, timestamp=None):
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def deliver(client, data, secret=WEBHOOK_SECRET, timestamp=None, header=None):
    """POST an event (a dict, or a raw string body) to the webhook, signed unless `header` is given.

    Emails go when the webhook's transaction commits; inside a test's transaction that moment is
    the end of this call."""
    payload = data if isinstance(data, str) else json.dumps(data)
    extra = {}
    signed = header if header is not None else signature(payload, secret, timestamp)
    if signed:
        extra["HTTP_STRIPE_SIGNATURE"] = signed
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("stripe:webhook"), payload, content_type="application/json", **extra)


# Objects ---------------------------------------------------------------------------------------


def checkout_session(donation, **fields):
    """The checkout.session of `donation` once the donor has been through Checkout."""
    monthly = donation.frequency in {"monthly", "yearly"}
    session = {
        "id": donation.stripe_checkout_session_id or new_id("cs"),
        "object": "checkout.session",
        "amount_subtotal": donation.amount,
        "amount_total": donation.amount,
        "client_reference_id": str(donation.uuid),
        "created": int(time.time()),
        "currency": donation.currency.lower(),
        "customer": new_id("cus"),
        "customer_details": {"email": donation.donor_email, "name": donation.donor_name},
        "customer_email": donation.donor_email,
        "expires_at": int(time.time()) + 86_400,
        "invoice": None,
        "livemode": False,
        "metadata": {"donation_id": str(donation.uuid), "campaign": ""},
        "mode": "subscription" if monthly else "payment",
        "payment_intent": None if monthly else new_id("pi"),
        "payment_status": "paid",
        "status": "complete",
        "submit_type": "donate",
        "subscription": new_id("sub") if monthly else None,
        "url": None,
    }
    session.update(fields)
    return session


def invoice(donation, subscription_id, amount=None, **fields):
    """A paid invoice of a monthly gift, as API version 2026-10-28 shapes it: the subscription and
    its metadata under `parent.subscription_details`, no `charge` or `payment_intent`."""
    amount = donation.amount if amount is None else amount
    paid_at = int(time.time())
    data = {
        "id": new_id("in"),
        "object": "invoice",
        "amount_due": amount,
        "amount_paid": amount,
        "amount_remaining": 0,
        "billing_reason": "subscription_create",
        "collection_method": "charge_automatically",
        "created": paid_at,
        "currency": donation.currency.lower(),
        "customer": new_id("cus"),
        "customer_email": donation.donor_email,
        "livemode": False,
        "metadata": {},
        "parent": {
            "quote_details": None,
            "subscription_details": {
                "metadata": {"donation_id": str(donation.uuid), "campaign": ""},
                "subscription": subscription_id,
            },
            "type": "subscription_details",
        },
        "status": "paid",
        "status_transitions": {
            "finalized_at": paid_at,
            "marked_uncollectible_at": None,
            "paid_at": paid_at,
            "voided_at": None,
        },
        "subtotal": amount,
        "total": amount,
    }
    data.update(fields)
    return data


def subscription(subscription_id, donation=None, **fields):
    data = {
        "id": subscription_id,
        "object": "subscription",
        "cancel_at_period_end": False,
        "canceled_at": int(time.time()),
        "created": int(time.time()) - 86_400 * 60,
        "currency": donation.currency.lower() if donation else "usd",
        "customer": new_id("cus"),
        "ended_at": int(time.time()),
        "livemode": False,
        "metadata": {"donation_id": str(donation.uuid), "campaign": ""} if donation else {},
        "status": "canceled",
    }
    data.update(fields)
    return data


def charge(payment_intent, amount, currency, amount_refunded, **fields):
    data = {
        "id": new_id("ch"),
        "object": "charge",
        "amount": amount,
        "amount_captured": amount,
        "amount_refunded": amount_refunded,
        "captured": True,
        "created": int(time.time()),
        "currency": currency.lower(),
        "customer": None,
        "livemode": False,
        "metadata": {},
        "paid": True,
        "payment_intent": payment_intent,
        "refunded": amount_refunded >= amount,
        "status": "succeeded",
    }
    data.update(fields)
    return data
