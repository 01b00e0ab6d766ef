"""Stripe's fee and net for each payment, from its balance transaction, filled in on the worker.

A payment is recorded as soon as Stripe confirms it, whether or not its fee can be known yet: the
webhook's handlers record it and queue `fill_stripe_fee`, which asks Stripe for the payment
intent's charge with its balance transaction expanded and writes the fee, the net and their
currency. While Stripe cannot be reached the task is retried with backoff; whatever is still missing
after that (or was recorded by reconciliation) is filled by the hourly reconciliation
(`fill_missing_fees`). A refund changes neither: the charge's balance transaction stays as Stripe
reported it, and the refund is its own balance transaction.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from aipg_site.background import background_task

from . import stripe_gateway
from .models import Payment

logger = logging.getLogger(__name__)


class BalanceNotReady(Exception):
    """Stripe has no balance transaction for the payment yet (a debit on its way): asked again later."""


# How many payments one reconciliation run asks Stripe about, and how old a payment may be before it
# is left to staff (its fee is in Stripe's dashboard).
FILL_LIMIT = 200
FILL_MAX_AGE = timedelta(days=90)


@background_task(retry_on=(stripe_gateway.StripeError, BalanceNotReady))
def fill_stripe_fee(payment_id: int) -> str:
    """Record Stripe's fee and net on one payment; retried while Stripe is down or not ready."""
    if not stripe_gateway.is_configured():
        return "Stripe is not configured"
    return fill(Payment.objects.get(pk=payment_id))


def fill(payment: Payment) -> str:
    if payment.stripe_fee is not None:
        return "already known"
    try:
        payment_intent = payment.stripe_payment_intent_id
        if not payment_intent and payment.stripe_invoice_id:
            payment_intent = stripe_gateway.payment_intent_of_invoice(payment.stripe_invoice_id)
        if not payment_intent:
            raise BalanceNotReady(f"Stripe names no payment intent for payment {payment.pk} yet.")
        balance = stripe_gateway.balance_of_payment_intent(payment_intent)
    except stripe_gateway.StripeError as error:
        if error.http_status == 404:
            # Stripe does not know the id (a test-mode payment seen by a live key, say): nothing to
            # retry; the payment keeps its amount and staff read the fee in Stripe's dashboard.
            logger.warning("Stripe knows no charge for payment %s: %s", payment.pk, error)
            return "not found at Stripe"
        raise
    if balance is None:
        raise BalanceNotReady(f"The charge of payment {payment.pk} has no balance transaction yet.")
    updated = Payment.objects.filter(pk=payment.pk, stripe_fee=None).update(
        stripe_fee=balance.fee,
        stripe_net=balance.net,
        balance_currency=balance.currency,
        stripe_balance_transaction_id=balance.balance_transaction_id,
    )
    # The ids Stripe gave, where the payment did not have them (an instalment names only its invoice).
    Payment.objects.filter(pk=payment.pk, stripe_charge_id="").update(stripe_charge_id=balance.charge_id)
    if not Payment.objects.filter(stripe_payment_intent_id=balance.payment_intent_id).exists():
        Payment.objects.filter(pk=payment.pk, stripe_payment_intent_id="").update(
            stripe_payment_intent_id=balance.payment_intent_id
        )
    return "recorded" if updated else "already known"


def fill_missing_fees() -> list[str]:
    """For the reconciliation: the fee and net of recent payments still without them, one by one,
    each failure logged and left for the next run. Returns what was filled, for its report."""
    filled = []
    missing = Payment.objects.filter(stripe_fee=None, paid_at__gte=timezone.now() - FILL_MAX_AGE).order_by("paid_at")
    for payment in missing[:FILL_LIMIT]:
        try:
            if fill(payment) == "recorded":
                filled.append(f"recorded Stripe's fee and net of payment {payment.pk}")
        except (stripe_gateway.StripeError, BalanceNotReady) as error:
            logger.info("Stripe's fee of payment %s is not known yet: %s", payment.pk, error)
    return filled
