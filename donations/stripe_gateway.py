"""Every call the site makes to Stripe, through the official library and nowhere else.

The module is type-checked with mypy against the library's own typed parameters (`make typecheck`),
so a misspelt or invalid Checkout parameter fails the build rather than a donor's payment.
Timeouts and a single retry are set on the client; the API base comes from STRIPE_API_BASE so the
tests (and a local stand-in) can take Stripe's place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal

import requests
import stripe
from django.conf import settings
from stripe.params.billing_portal import SessionCreateParams as PortalSessionCreateParams
from stripe.params.checkout import SessionCreateParams

StripeError = stripe.StripeError
IdempotencyError = stripe.IdempotencyError
SignatureVerificationError = stripe.SignatureVerificationError


# The API version this code reads: the one the pinned library speaks. Stripe renders each webhook
# event in its endpoint's version, so the endpoint must be set to this one (docs/online-giving.md).
API_VERSION: str = stripe.api_version


def speaks(api_version: object) -> bool:
    """Whether an event rendered in `api_version` has the shapes this code reads."""
    return isinstance(api_version, str) and api_version.split(".")[0] == API_VERSION.split(".")[0]


def in_flight(error: Exception) -> bool:
    """Whether Stripe refused a request because another with the same idempotency key is still
    running (409 Conflict; the library raises a plain APIError for it)."""
    return isinstance(error, stripe.StripeError) and error.http_status == 409


def timed_out(error: Exception) -> bool:
    """Whether Stripe was reached but did not answer in time (rather than not reached at all)."""
    return isinstance(error, stripe.APIConnectionError) and isinstance(error.__cause__, requests.ReadTimeout)


class NotConfigured(Exception):
    """Online giving has no Stripe secret key: the donate page says so instead of failing."""


# The languages Checkout is shown in: the site's own (settings.LANGUAGES), as Stripe names them. Any
# other leaves Stripe to follow the donor's browser.
CheckoutLocale = Literal["auto", "en", "es"]
Interval = Literal["month", "year"]
CHECKOUT_LOCALES: dict[str, CheckoutLocale] = {"en": "en", "es": "es"}


def checkout_locale(language: str) -> CheckoutLocale:
    return CHECKOUT_LOCALES.get(language, "auto")


@dataclass(frozen=True)
class CheckoutRequest:
    """What the gateway needs to start Checkout for one donation; amounts in minor units."""

    donation_id: str
    amount: int
    currency: str
    # "month" or "year" for a recurring gift (a subscription); "" for a one-off gift.
    interval: Interval | Literal[""]
    donor_email: str
    description: str
    success_url: str
    cancel_url: str
    campaign: str = ""
    # The donor's Stripe Customer from an earlier gift, so one person stays one Customer.
    customer_id: str = ""
    # The language of the page the donor gave on: Checkout speaks it too.
    locale: CheckoutLocale = "auto"


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def client() -> stripe.StripeClient:
    """For the worker and the admin: patient, and retrying once."""
    if not is_configured():
        raise NotConfigured("STRIPE_SECRET_KEY is not set.")
    connect, read = settings.STRIPE_TIMEOUT
    return _client(
        settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE, float(connect), float(read),
        int(settings.STRIPE_MAX_NETWORK_RETRIES),
    )  # fmt: skip


def donor_client() -> stripe.StripeClient:
    """For a call a donor waits on: a short timeout and no retry of its own, so the page answers
    within seconds; the donor's next press is the retry."""
    if not is_configured():
        raise NotConfigured("STRIPE_SECRET_KEY is not set.")
    connect, read = settings.STRIPE_CHECKOUT_TIMEOUT
    return _client(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE, float(connect), float(read), 0)


@lru_cache(maxsize=4)
def _client(api_key: str, api_base: str, connect: float, read: float, retries: int) -> stripe.StripeClient:
    # One client per configuration, kept for the process: it holds a pooled HTTP session.
    return stripe.StripeClient(
        api_key,
        base_addresses={"api": api_base},
        max_network_retries=retries,
        http_client=stripe.RequestsClient(timeout=(connect, read)),
    )


def checkout_params(request: CheckoutRequest) -> SessionCreateParams:
    """The Checkout Session for one gift: a one-off payment, or a monthly or yearly subscription."""
    metadata = {"donation_id": request.donation_id, "campaign": request.campaign}
    params: SessionCreateParams = {
        "mode": "subscription" if request.interval else "payment",
        "line_items": [
            {
                "quantity": 1,
                "price_data": {
                    "currency": request.currency.lower(),
                    "unit_amount": request.amount,
                    "product_data": {"name": request.description},
                },
            }
        ],
        "client_reference_id": request.donation_id,
        "metadata": metadata,
        "success_url": request.success_url,
        "cancel_url": request.cancel_url,
        "locale": request.locale,
    }
    if request.customer_id:
        params["customer"] = request.customer_id
    else:
        params["customer_email"] = request.donor_email
    if request.interval:
        params["line_items"][0]["price_data"]["recurring"] = {"interval": request.interval}
        params["subscription_data"] = {"metadata": metadata, "description": request.description}
        params["submit_type"] = "donate"
    else:
        params["submit_type"] = "donate"
        if not request.customer_id:
            # A Customer for a first one-off gift too, which later gifts from the same address reuse.
            params["customer_creation"] = "always"
        params["payment_intent_data"] = {"metadata": metadata, "description": request.description}
    return params


def create_checkout_session(request: CheckoutRequest, idempotency_key: str) -> CheckoutSession:
    """Start Checkout. The idempotency key makes a repeated call (a double submit, a retry) return the
    session Stripe already made rather than a second one."""
    session = donor_client().v1.checkout.sessions.create(
        checkout_params(request), options={"idempotency_key": idempotency_key}
    )
    if not session.url:
        raise stripe.APIError("Stripe returned a Checkout Session without a URL.")
    return CheckoutSession(id=session.id, url=session.url)


def create_portal_session(customer_id: str, return_url: str) -> str:
    """The address of Stripe's customer portal, where a monthly or yearly donor changes or stops their gift."""
    params: PortalSessionCreateParams = {"customer": customer_id, "return_url": return_url}
    return donor_client().v1.billing_portal.sessions.create(params).url


def invoice_for_payment_intent(payment_intent_id: str) -> dict[str, Any] | None:
    """The invoice (as a plain dict) a payment intent paid, or None: refunds of recurring instalments
    name only the payment intent, and since API version 2025-03-31 only InvoicePayment links the two."""
    payments = client().v1.invoice_payments.list(
        {
            "payment": {"type": "payment_intent", "payment_intent": payment_intent_id},
            "expand": ["data.invoice"],
            "limit": 1,
        }
    )
    for invoice_payment in payments.data:
        invoice = invoice_payment.invoice
        if isinstance(invoice, stripe.Invoice):
            return invoice.to_dict()
    return None


@dataclass(frozen=True)
class Balance:
    """What Stripe kept of a payment and paid out, from its charge's balance transaction; in minor
    units of `currency`, the account's balance currency (the payment's own unless converted)."""

    fee: int
    net: int
    currency: str
    balance_transaction_id: str
    charge_id: str
    payment_intent_id: str


def payment_intent_of_invoice(invoice_id: str) -> str:
    """The payment intent that paid an invoice ("" while none has): since API version 2025-03-31 an
    invoice names it only through its InvoicePayment."""
    payments = client().v1.invoice_payments.list({"invoice": invoice_id, "limit": 10})
    for invoice_payment in payments.data:
        if invoice_payment.status == "paid" and invoice_payment.payment.payment_intent:
            intent = invoice_payment.payment.payment_intent
            return intent if isinstance(intent, str) else intent.id
    return ""


def balance_of_payment_intent(payment_intent_id: str) -> Balance | None:
    """Stripe's fee and net for a payment intent's charge, or None while it has no balance
    transaction yet (a bank debit still on its way)."""
    intent = client().v1.payment_intents.retrieve(payment_intent_id, {"expand": ["latest_charge.balance_transaction"]})
    charge = intent.latest_charge
    if not isinstance(charge, stripe.Charge):
        return None
    transaction = charge.balance_transaction
    if not isinstance(transaction, stripe.BalanceTransaction):
        return None
    return Balance(
        fee=transaction.fee,
        net=transaction.net,
        currency=transaction.currency.upper(),
        balance_transaction_id=transaction.id,
        charge_id=charge.id,
        payment_intent_id=payment_intent_id,
    )


def recent_checkout_sessions(since: int) -> Iterator[dict[str, Any]]:
    """Every Checkout Session created since `since` (a Unix time), as plain dicts, all pages."""
    sessions = client().v1.checkout.sessions.list({"created": {"gte": since}, "limit": 100})
    for session in sessions.auto_paging_iter():
        yield session.to_dict()


def recent_paid_invoices(since: int) -> Iterator[dict[str, Any]]:
    """Every invoice created since `since` and paid, as plain dicts, all pages."""
    invoices = client().v1.invoices.list({"created": {"gte": since}, "status": "paid", "limit": 100})
    for invoice in invoices.auto_paging_iter():
        yield invoice.to_dict()


def recent_refunded_charges(since: int) -> Iterator[dict[str, Any]]:
    """The charge of every refund made since `since`, as plain dicts, each charge once."""
    refunds = client().v1.refunds.list({"created": {"gte": since}, "limit": 100, "expand": ["data.charge"]})
    seen = set()
    for refund in refunds.auto_paging_iter():
        charge = refund.charge
        if isinstance(charge, stripe.Charge) and charge.id not in seen:
            seen.add(charge.id)
            yield charge.to_dict()


def construct_event(payload: bytes, signature: str | None) -> dict[str, Any]:
    """The verified event as a plain dict. Raises SignatureVerificationError for a missing, wrong or
    stale signature and ValueError for a body that is not JSON."""
    event: stripe.Event = stripe.Webhook.construct_event(payload, signature, settings.STRIPE_WEBHOOK_SECRET)
    return event.to_dict()
