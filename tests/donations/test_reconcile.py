"""Reconciliation: with every webhook held back, Stripe's own records rebuild the same ledger."""

import time

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import TestCase

from donations import reconcile
from donations.models import Donation, Payment, StripeEvent

from . import stripe_events as events
from .conftest import form_data
from .stripe_events import deliver

pytestmark = pytest.mark.django_db


def give(client, **fields):
    client.post("/donate/", form_data(**fields))
    return Donation.objects.latest("pk")


def stripe_history(client, fake):
    """Five donors go through the form; Stripe records what happens next, as its list endpoints
    would show it. Returns the webhook events Stripe would have sent for the same history."""
    paid = give(client, amount="50")
    refunded = give(client, currency="EUR", amount="other", custom_amount="12,34", donor_email="e@example.org")
    monthly = give(client, frequency="monthly", amount="20", donor_email="m@example.org")
    expired = give(client, amount="100", donor_email="x@example.org")
    give(client, amount="25", donor_email="still@example.org")  # still on Stripe's page: nothing to do

    sent = []
    for donation in [paid, refunded, monthly]:
        session = events.checkout_session(donation)
        fake.sessions[session["id"]].update(session)
        sent.append(events.event("checkout.session.completed", session))
    fake.sessions[expired.stripe_checkout_session_id].update(status="expired", payment_status="unpaid")
    sent.append(events.event("checkout.session.expired", fake.sessions[expired.stripe_checkout_session_id]))

    subscription = fake.sessions[monthly.stripe_checkout_session_id]["subscription"]
    for reason in ["subscription_create", "subscription_cycle"]:
        invoice = events.invoice(monthly, subscription, billing_reason=reason)
        fake.invoices.append(invoice)
        sent.append(events.event("invoice.paid", invoice))

    payment_intent = fake.sessions[refunded.stripe_checkout_session_id]["payment_intent"]
    charge = events.charge(
        payment_intent, 1234, "eur", amount_refunded=1234, metadata={"donation_id": str(refunded.uuid)}
    )
    fake.refunds.append(
        {"id": events.new_id("re"), "object": "refund", "amount": 1234, "charge": charge, "created": int(time.time())}
    )
    sent.append(events.event("charge.refunded", charge))
    return sent


def ledger():
    donations = Donation.objects.order_by("pk").values_list(
        "uuid", "status", "stripe_customer_id", "stripe_subscription_id", "stripe_payment_intent_id"
    )
    payments = Payment.objects.order_by("donation__pk", "stripe_invoice_id").values_list(
        "donation__uuid", "amount", "amount_refunded", "currency", "stripe_invoice_id", "stripe_payment_intent_id"
    )
    return list(donations), list(payments), sorted(message.subject for message in mail.outbox)


def forget_what_the_webhooks_did():
    Payment.objects.all().delete()
    StripeEvent.objects.all().delete()
    Donation.objects.update(
        status="pending", stripe_customer_id="", stripe_subscription_id="", stripe_payment_intent_id=""
    )
    mail.outbox.clear()


def test_with_every_webhook_lost_reconciling_makes_the_ledger_the_webhooks_would_have_made(
    client, donate_page, fake_stripe, webhook_secret
):
    sent = stripe_history(client, fake_stripe)
    for event in sent:
        deliver(client, event)
    by_webhooks = ledger()
    assert [status for _, status, *_ in by_webhooks[0]] == ["paid", "refunded", "active", "abandoned", "pending"]
    assert len(by_webhooks[1]) == 4  # the paid gift, the refunded one, two monthly instalments

    forget_what_the_webhooks_did()
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = reconcile.reconcile(days=3)
    assert ledger() == by_webhooks  # receipts included
    assert report.looked_at == 5 + 2 + 1  # sessions, paid invoices, refunded charges
    assert len(report.repairs) == 4 + 1 + 4  # payments, the refund, the four gifts that moved on
    assert any("recorded €12.34 refunded of the €12.34 paid" in repair for repair in report.repairs)

    # Run again (the next hour): nothing left to repair, nothing written twice, nobody emailed twice.
    with TestCase.captureOnCommitCallbacks(execute=True):
        again = reconcile.reconcile(days=3)
    assert again.repairs == []
    assert ledger() == by_webhooks


def test_what_the_webhooks_already_applied_is_left_alone(client, donate_page, fake_stripe, webhook_secret):
    sent = stripe_history(client, fake_stripe)
    for event in sent[:2]:  # only the first two gifts' completions arrived
        deliver(client, event)
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = reconcile.reconcile(days=3)
    assert not any(str(Donation.objects.get(donor_email="ada@example.org").uuid) in r for r in report.repairs)
    assert Payment.objects.count() == 4
    assert sorted(Donation.objects.values_list("status", flat=True)) == sorted(
        ["paid", "refunded", "active", "abandoned", "pending"]
    )


def test_the_command_says_what_it_repaired(client, donate_page, fake_stripe, webhook_secret, capsys):
    stripe_history(client, fake_stripe)
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("reconcile_stripe", "--days", "3")
    out = capsys.readouterr().out
    assert "Looked at 8 Stripe objects; repaired 9:" in out
    call_command("reconcile_stripe")
    assert "nothing to repair" in capsys.readouterr().out


def test_the_hourly_task_is_retried_while_stripe_is_down(client, donate_page, fake_stripe, webhook_secret, settings):
    from aipg_site.background import retry_policy
    from donations import stripe_gateway

    assert settings.PERIODIC_TASKS["donations.reconcile.reconcile_with_stripe"] == 3600
    fake_stripe.stop()
    with pytest.raises(stripe_gateway.StripeError) as raised:
        reconcile.reconcile_with_stripe.call()
    assert retry_policy(reconcile.reconcile_with_stripe).should_retry(raised.value, attempts=1)


def test_without_stripe_the_hourly_task_does_nothing(settings, db):
    settings.STRIPE_SECRET_KEY = ""
    assert reconcile.reconcile_with_stripe.call() == "Stripe is not configured"
