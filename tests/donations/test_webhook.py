"""Stripe's webhook: signed events move donations and record payments exactly once, in any order."""

import json
import threading
import time

import pytest
from django.core import mail
from django.db import connection
from django.test import Client

from donations.models import Donation, Payment, StripeEvent
from donations.webhooks import apply_stripe_event

from . import stripe_events as events
from .stripe_events import deliver

pytestmark = pytest.mark.django_db


def make_donation(frequency="once", amount=5000, currency="USD", **fields):
    values = {
        "amount": amount,
        "currency": currency,
        "frequency": frequency,
        "donor_name": "Ada Donor",
        "donor_email": "ada@example.org",
        "stripe_checkout_session_id": events.new_id("cs"),
    }
    values.update(fields)
    return Donation.objects.create(**values)


def refresh(donation):
    donation.refresh_from_db()
    return donation


def state():
    """Everything the webhook can write, to show that a rejected delivery wrote nothing."""
    return (
        list(Donation.objects.values_list("status", "stripe_customer_id", "stripe_subscription_id")),
        list(Payment.objects.values_list("amount", "amount_refunded")),
        StripeEvent.objects.count(),
        len(mail.outbox),
    )


class TestSignatures:
    def test_a_signed_event_is_accepted(self, client, webhook_secret):
        response = deliver(client, events.event("customer.created", {"id": "cus_1", "object": "customer"}))
        assert response.status_code == 200
        assert response.json() == {"received": True, "outcome": "ignored"}

    @pytest.mark.parametrize(
        "kind",
        ["missing", "empty", "wrong secret", "tampered body", "stale", "garbage header"],
    )
    def test_a_bad_signature_gets_400_and_writes_nothing(self, client, webhook_secret, kind):
        donation = make_donation()
        event = events.event("checkout.session.completed", events.checkout_session(donation))
        payload = json.dumps(event)
        before = state()
        if kind == "missing":
            response = deliver(client, payload, header="")
        elif kind == "empty":
            response = client.post(
                "/donate/stripe/webhook/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=""
            )
        elif kind == "wrong secret":
            response = deliver(client, payload, secret="whsec_someone_else")
        elif kind == "tampered body":
            response = deliver(client, payload, header=events.signature(payload.replace("5000", "9")))
        elif kind == "stale":
            response = deliver(client, payload, timestamp=int(time.time()) - 600)
        else:
            response = deliver(client, payload, header="v1=abc,t=notatime")
        assert response.status_code == 400
        assert state() == before
        assert refresh(donation).status == "pending"

    @pytest.mark.parametrize(
        "body",
        [
            "not json at all",
            "[1, 2, 3]",
            '"a string"',
            "{}",
            '{"id": "evt_1", "type": "checkout.session.completed"}',
            '{"id": "evt_1", "type": "checkout.session.completed", "data": {"object": "nope"}}',
            '{"id": "evt_1", "type": "charge.refunded", "data": {"object": {"id": "ch_1"}}}',
            '{"id": "evt_1", "type": "invoice.paid", "data": {"object": {"parent": {"subscription_details": '
            '{"metadata": {"donation_id": "DONATION"}}}}}}',
            "\udcff",
            '{"id": "evt_1", "type": "checkout.session.completed", "data": {"object": {"id": "cs_1", "mode": '
            '"payment", "status": "complete", "payment_status": "paid", "amount_total": "abc", "currency": "usd", '
            '"client_reference_id": "DONATION"}}}',
            '{"id": "evt_1", "type": "charge.refunded", "data": {"object": {"id": "ch_1", "amount": 100, '
            '"amount_refunded": true, "currency": "usd"}}}',
            '{"id": "evt_1", "type": "invoice.paid", "data": {"object": {"id": "in_1", "amount_paid": 1.5, '
            '"currency": "usd"}}}',
        ],
    )
    def test_a_malformed_body_gets_400_and_writes_nothing(self, client, webhook_secret, body):
        donation = make_donation(frequency="monthly")
        body = body.replace("DONATION", str(donation.uuid))
        payload = body.encode("utf-8", "surrogateescape")
        header = events.signature(payload.decode("utf-8", "replace"))
        before = state()
        response = client.post(
            "/donate/stripe/webhook/", payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        )
        assert response.status_code == 400
        assert state() == before

    def test_only_post_is_allowed(self, client, webhook_secret):
        assert client.get("/donate/stripe/webhook/").status_code == 405

    def test_without_a_webhook_secret_nothing_is_accepted(self, client, settings):
        settings.STRIPE_WEBHOOK_SECRET = ""
        event = events.event("checkout.session.completed", events.checkout_session(make_donation()))
        assert deliver(client, event, secret="").status_code == 503
        assert not StripeEvent.objects.exists()

    def test_unknown_events_get_200_and_are_ignored(self, client, webhook_secret):
        response = deliver(client, events.event("payment_intent.created", {"id": "pi_1", "object": "payment_intent"}))
        assert response.status_code == 200
        assert response.json()["outcome"] == "ignored"
        assert not Payment.objects.exists()


class TestOneOffGifts:
    def test_checkout_completed_and_paid_records_the_payment_and_thanks_the_donor(self, client, webhook_secret):
        donation = make_donation(tribute_type="memory", tribute_name="Sheri", tribute_notify_email="kin@example.org")
        session = events.checkout_session(donation)
        response = deliver(client, events.event("checkout.session.completed", session))

        # Tests run each task where it is enqueued; with a worker the answer is "queued".
        assert response.json()["outcome"] == "applied"
        donation = refresh(donation)
        assert donation.status == "paid"
        assert donation.stripe_payment_intent_id == session["payment_intent"]
        assert donation.stripe_customer_id == session["customer"]
        [payment] = donation.payments.all()
        assert (payment.amount, payment.currency, payment.stripe_payment_intent_id) == (
            5000,
            "USD",
            session["payment_intent"],
        )
        receipt, note = mail.outbox
        assert receipt.to == ["ada@example.org"]
        assert receipt.subject.startswith("Thank you for your gift")
        assert "$50.00" in receipt.body
        assert str(donation.uuid) in receipt.body
        assert note.to == ["kin@example.org"]
        assert "in memory of Sheri" in note.body
        assert "$50.00" not in note.body
        # Marked only once the mail server has taken each message.
        assert donation.thanked_at is not None
        assert donation.tribute_notified_at is not None
        assert payment.receipt_sent_at is not None
        assert StripeEvent.objects.get().status == "applied"

    def test_a_replayed_event_changes_nothing(self, client, webhook_secret):
        donation = make_donation()
        event = events.event("checkout.session.completed", events.checkout_session(donation))
        deliver(client, event)
        before = state()
        response = deliver(client, event)
        assert response.status_code == 200
        assert response.json()["outcome"] == "duplicate"
        assert state() == before
        assert Payment.objects.count() == 1
        assert len(mail.outbox) == 1

    def test_the_same_payment_in_a_second_event_is_not_counted_twice(self, client, webhook_secret):
        donation = make_donation()
        session = events.checkout_session(donation)
        deliver(client, events.event("checkout.session.completed", session))
        deliver(client, events.event("checkout.session.async_payment_succeeded", session))
        assert Payment.objects.count() == 1
        assert len(mail.outbox) == 1

    def test_an_asynchronous_payment_awaits_then_succeeds(self, client, webhook_secret):
        donation = make_donation(currency="EUR")
        session = events.checkout_session(donation, payment_status="unpaid")
        deliver(client, events.event("checkout.session.completed", session))
        assert refresh(donation).status == "awaiting_payment"
        assert not Payment.objects.exists()
        assert not mail.outbox

        deliver(client, events.event("checkout.session.async_payment_succeeded", {**session, "payment_status": "paid"}))
        assert refresh(donation).status == "paid"
        assert Payment.objects.get().currency == "EUR"
        assert "€50.00" in mail.outbox[0].body

    def test_an_asynchronous_payment_that_fails(self, client, webhook_secret):
        donation = make_donation()
        session = events.checkout_session(donation, payment_status="unpaid")
        deliver(client, events.event("checkout.session.completed", session))
        deliver(client, events.event("checkout.session.async_payment_failed", session))
        assert refresh(donation).status == "failed"
        assert not Payment.objects.exists()
        assert not mail.outbox

    def test_success_arriving_before_completion_is_not_undone(self, client, webhook_secret):
        donation = make_donation()
        session = events.checkout_session(donation, payment_status="unpaid")
        deliver(client, events.event("checkout.session.async_payment_succeeded", {**session, "payment_status": "paid"}))
        deliver(client, events.event("checkout.session.completed", session))
        assert refresh(donation).status == "paid"
        assert Payment.objects.count() == 1

    def test_an_expired_session_is_abandoned(self, client, webhook_secret):
        donation = make_donation()
        session = events.checkout_session(donation, status="expired", payment_status="unpaid", payment_intent=None)
        deliver(client, events.event("checkout.session.expired", session))
        assert refresh(donation).status == "abandoned"

    def test_events_about_someone_elses_checkout_are_ignored(self, client, webhook_secret):
        donation = make_donation()
        session = events.checkout_session(donation, client_reference_id=None, metadata={"donation_id": "not-a-uuid"})
        assert deliver(client, events.event("checkout.session.completed", session)).status_code == 200
        assert refresh(donation).status == "pending"


class TestMonthlyGifts:
    def complete(self, client, donation):
        session = events.checkout_session(donation)
        deliver(client, events.event("checkout.session.completed", session))
        return session

    def test_every_instalment_is_its_own_payment_the_first_included(self, client, webhook_secret):
        donation = make_donation(frequency="monthly", amount=2000)
        session = self.complete(client, donation)
        assert refresh(donation).status == "active"
        assert not Payment.objects.exists()  # the first instalment comes with its invoice

        first = events.invoice(donation, session["subscription"])
        second = events.invoice(donation, session["subscription"], billing_reason="subscription_cycle")
        deliver(client, events.event("invoice.paid", first))
        deliver(client, events.event("invoice.paid", second))
        deliver(client, events.event("invoice.paid", second))  # a new event id for the same invoice

        payments = Payment.objects.order_by("pk")
        assert [(p.amount, p.stripe_invoice_id) for p in payments] == [(2000, first["id"]), (2000, second["id"])]
        assert [m.subject.split(" ")[0] for m in mail.outbox] == ["Thank", "Receipt"]
        assert "change or stop your monthly gift" in mail.outbox[0].body

    def test_an_event_in_another_api_version_is_refused_loudly_until_the_endpoint_is_put_right(
        self, client, webhook_secret, caplog
    ):
        donation = make_donation(frequency="monthly", amount=2000)
        session = self.complete(client, donation)
        # invoice.paid as API versions before 2025-03-31 shape it: the subscription at the top.
        old_shape = {
            "id": events.new_id("in"),
            "object": "invoice",
            "amount_paid": 2000,
            "currency": "usd",
            "customer": session["customer"],
            "subscription": session["subscription"],
            "subscription_details": {"metadata": {"donation_id": str(donation.uuid)}},
            "status": "paid",
        }
        stale = {**events.event("invoice.paid", old_shape), "api_version": "2025-02-24.acacia"}
        response = deliver(client, stale)

        assert response.status_code == 400
        assert "2025-02-24.acacia" in response.content.decode()
        assert not StripeEvent.objects.filter(event_id=stale["id"]).exists()  # Stripe keeps it and retries
        assert not Payment.objects.exists()
        [logged] = [
            record for record in caplog.records if record.levelname == "ERROR" and "API version" in record.message
        ]
        assert "Set the webhook endpoint's API version to it" in logged.message

        # Once the endpoint's version is right, Stripe's retry of that invoice carries today's shape.
        current = events.event("invoice.paid", events.invoice(donation, session["subscription"]), event_id=stale["id"])
        assert deliver(client, current).status_code == 200
        assert Payment.objects.get().amount == 2000

    def test_an_invoice_paid_before_its_checkout_completed_loses_nothing(self, client, webhook_secret):
        donation = make_donation(frequency="monthly", amount=2000)
        session = events.checkout_session(donation)
        deliver(client, events.event("invoice.paid", events.invoice(donation, session["subscription"])))

        donation = refresh(donation)
        assert donation.status == "active"
        assert donation.stripe_subscription_id == session["subscription"]
        assert Payment.objects.count() == 1

        deliver(client, events.event("checkout.session.completed", session))
        donation = refresh(donation)
        assert donation.status == "active"
        assert donation.stripe_checkout_session_id == session["id"]
        assert Payment.objects.count() == 1
        assert len(mail.outbox) == 1

    def test_the_subscription_ending_ends_the_gift(self, client, webhook_secret):
        donation = make_donation(frequency="monthly")
        session = self.complete(client, donation)
        deliver(client, events.event("customer.subscription.deleted", events.subscription(session["subscription"])))
        donation = refresh(donation)
        assert donation.status == "cancelled"
        assert donation.ended_at is not None

    def test_a_late_instalment_is_recorded_but_does_not_revive_an_ended_gift(self, client, webhook_secret):
        donation = make_donation(frequency="monthly")
        session = self.complete(client, donation)
        deliver(client, events.event("customer.subscription.deleted", events.subscription(session["subscription"])))
        deliver(client, events.event("invoice.paid", events.invoice(donation, session["subscription"])))
        assert refresh(donation).status == "cancelled"
        assert Payment.objects.count() == 1

    def test_invoices_of_subscriptions_that_are_not_gifts_are_ignored(self, client, webhook_secret):
        invoice = events.invoice(make_donation(frequency="monthly"), "sub_other")
        invoice["parent"]["subscription_details"]["metadata"] = {}
        assert deliver(client, events.event("invoice.paid", invoice)).json()["outcome"] == "applied"
        assert StripeEvent.objects.get().status == "applied"
        assert not Payment.objects.exists()


class TestRefunds:
    def paid_one_off(self, client, amount=5000):
        donation = make_donation(amount=amount)
        session = events.checkout_session(donation)
        deliver(client, events.event("checkout.session.completed", session))
        return donation, session["payment_intent"]

    def test_a_partial_then_full_refund(self, client, webhook_secret):
        donation, payment_intent = self.paid_one_off(client)
        charge = events.charge(payment_intent, 5000, "usd", amount_refunded=2000)
        deliver(client, events.event("charge.refunded", charge))
        payment = Payment.objects.get()
        assert (payment.amount_refunded, payment.net_amount) == (2000, 3000)
        assert refresh(donation).status == "paid"

        deliver(client, events.event("charge.refunded", {**charge, "amount_refunded": 5000, "refunded": True}))
        payment.refresh_from_db()
        assert payment.net_amount == 0
        assert refresh(donation).status == "refunded"

    def test_an_older_refund_event_arriving_late_does_not_lower_the_total(self, client, webhook_secret):
        _, payment_intent = self.paid_one_off(client)
        charge = events.charge(payment_intent, 5000, "usd", amount_refunded=5000)
        deliver(client, events.event("charge.refunded", charge))
        deliver(client, events.event("charge.refunded", {**charge, "amount_refunded": 1000}))
        assert Payment.objects.get().amount_refunded == 5000

    def test_a_refund_before_its_payment_was_reported_records_both(self, client, webhook_secret):
        donation = make_donation()
        session = events.checkout_session(donation)
        charge = events.charge(
            session["payment_intent"], 5000, "usd", amount_refunded=5000, metadata={"donation_id": str(donation.uuid)}
        )
        deliver(client, events.event("charge.refunded", charge))
        deliver(client, events.event("checkout.session.completed", session))

        payment = Payment.objects.get()
        assert (payment.amount, payment.amount_refunded) == (5000, 5000)
        assert refresh(donation).status == "refunded"

    def test_a_refunded_monthly_instalment_is_found_through_stripe(self, client, fake_stripe):
        donation = make_donation(frequency="monthly", amount=2000)
        invoice = events.invoice(donation, events.new_id("sub"))
        deliver(client, events.event("invoice.paid", invoice))
        payment_intent = events.new_id("pi")
        fake_stripe.invoices_by_payment_intent[payment_intent] = invoice

        deliver(
            client, events.event("charge.refunded", events.charge(payment_intent, 2000, "usd", amount_refunded=2000))
        )

        payment = Payment.objects.get()
        assert payment.amount_refunded == 2000
        assert payment.stripe_payment_intent_id == payment_intent
        # (The other lookup, by invoice, is the one for Stripe's fee: donations/balance.py.)
        [lookup] = [r for r in fake_stripe.api_requests("/v1/invoice_payments") if "payment" in r.params]
        assert lookup.params["payment"] == {"type": "payment_intent", "payment_intent": payment_intent}
        assert lookup.params["expand"] == ["data.invoice"]
        assert refresh(donation).status == "active"  # a refunded instalment does not end the gift

    def test_a_refund_stripe_cannot_place_while_it_is_down_is_applied_when_it_is_back(self, client, fake_stripe):
        donation = make_donation(frequency="monthly", amount=2000)
        invoice = events.invoice(donation, events.new_id("sub"))
        deliver(client, events.event("invoice.paid", invoice))
        payment_intent = events.new_id("pi")
        fake_stripe.invoices_by_payment_intent[payment_intent] = invoice
        fake_stripe.fail_next(status=500, times=2)  # the request and the library's one retry
        event = events.event("charge.refunded", events.charge(payment_intent, 2000, "usd", amount_refunded=2000))

        response = deliver(client, event)

        assert response.status_code == 200  # Stripe is answered at once; nothing for it to resend
        stored = StripeEvent.objects.get(event_id=event["id"])
        assert stored.status == "received"  # the look-up failed: nothing applied yet
        assert Payment.objects.get().amount_refunded == 0
        # The worker runs the task again (tests/aipg_site/test_worker.py shows the retry with a real
        # worker); Stripe now answers.
        assert apply_stripe_event.call(stored.pk) == "applied"
        assert Payment.objects.get().amount_refunded == 2000
        assert apply_stripe_event.call(stored.pk) == "applied"  # a second run changes nothing
        assert Payment.objects.get().amount_refunded == 2000

    def test_refunds_of_charges_that_are_not_gifts_are_ignored(self, client, fake_stripe):
        response = deliver(client, events.event("charge.refunded", events.charge("pi_other", 900, "usd", 900)))
        assert response.status_code == 200
        assert not Payment.objects.exists()


# Serialized: another transactional test may have run first and emptied the tables that migrations fill.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers; PostgreSQL is the test")
def test_two_concurrent_deliveries_of_one_event_are_applied_once(webhook_secret, monkeypatch):
    """The second delivery blocks on the event id's unique index until the first commits, then sees
    the id taken. The first waits, inside its transaction, until the second is really blocked."""
    from donations import webhooks

    donation = make_donation()
    event = events.event("checkout.session.completed", events.checkout_session(donation))
    original = webhooks.HANDLERS["checkout.session.completed"]
    started = threading.Barrier(2, timeout=10)

    def slow_handler(obj):
        original(obj)
        _wait_for_a_blocked_transaction()

    monkeypatch.setitem(webhooks.HANDLERS, "checkout.session.completed", slow_handler)
    original_record = webhooks.record_event

    def record_together(data):
        started.wait()
        return original_record(data)

    monkeypatch.setattr(webhooks, "record_event", record_together)
    answers = []

    def post():
        try:
            answers.append(deliver(Client(), event).json()["outcome"])
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(answers) == ["applied", "duplicate"]
    assert Payment.objects.count() == 1
    assert StripeEvent.objects.filter(event_id=event["id"]).count() == 1
    assert len(mail.outbox) == 1


def _wait_for_a_blocked_transaction():
    """Hold the transaction open until another connection waits on a lock (at most five seconds)."""
    from django.db import connections

    with connections["default"].cursor() as cursor:
        for _ in range(100):
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("The second delivery never waited on the first: no concurrency was tested.")


class TestFailingAndEndingGifts:
    def active_gift(self, client):
        donation = make_donation(frequency="monthly", amount=2000)
        session = events.checkout_session(donation)
        deliver(client, events.event("checkout.session.completed", session))
        deliver(client, events.event("invoice.paid", events.invoice(donation, session["subscription"])))
        mail.outbox.clear()
        return refresh(donation), session["subscription"]

    def failed_invoice(self, donation, subscription_id, **fields):
        return events.invoice(
            donation, subscription_id, status="open", amount_paid=0, billing_reason="subscription_cycle", **fields
        )

    def test_a_declined_instalment_shows_as_failing_and_the_donor_gets_one_link_to_fix_the_card(
        self, client, webhook_secret
    ):
        donation, subscription_id = self.active_gift(client)
        invoice = self.failed_invoice(donation, subscription_id)
        deliver(client, events.event("invoice.payment_failed", invoice))
        deliver(client, events.event("invoice.payment_failed", {**invoice, "attempt_count": 2}))  # Stripe's retry

        donation = refresh(donation)
        assert donation.status == "active"
        assert donation.payment_failing_since is not None
        assert donation.standing.startswith("Monthly gift active: payment failing since")
        [notice] = mail.outbox
        assert notice.to == ["ada@example.org"]
        assert notice.subject.endswith("could not be collected")
        link = next(line.strip() for line in notice.body.splitlines() if "/donate/manage/" in line)
        opened = client.get(link.removeprefix("http://testserver"))
        assert opened.status_code == 200  # the gift, and a button on to Stripe's portal
        assert "$20.00" in opened.content.decode()

        # Stripe's next attempt goes through: the gift is no longer failing.
        paid = events.invoice(donation, subscription_id, id=invoice["id"], billing_reason="subscription_cycle")
        deliver(client, events.event("invoice.paid", paid))
        donation = refresh(donation)
        assert donation.payment_failing_since is None
        assert donation.standing == "Monthly gift active"

    def test_a_failure_reported_after_the_invoice_was_paid_changes_nothing(self, client, webhook_secret):
        donation, subscription_id = self.active_gift(client)
        invoice = events.invoice(donation, subscription_id, billing_reason="subscription_cycle")
        deliver(client, events.event("invoice.paid", invoice))
        mail.outbox.clear()
        deliver(client, events.event("invoice.payment_failed", {**invoice, "status": "open"}))
        assert refresh(donation).payment_failing_since is None
        assert mail.outbox == []

    def test_a_cancellation_scheduled_in_the_portal_is_shown_and_confirmed(self, client, webhook_secret):
        donation, subscription_id = self.active_gift(client)
        period_end = int(time.time()) + 20 * 86_400
        scheduled = events.subscription(
            subscription_id, donation, status="active", cancel_at_period_end=True, cancel_at=period_end, ended_at=None
        )
        deliver(client, events.event("customer.subscription.updated", scheduled))
        deliver(client, events.event("customer.subscription.updated", scheduled))  # another change, same end

        donation = refresh(donation)
        assert donation.status == "active"
        assert int(donation.cancels_at.timestamp()) == period_end
        assert donation.standing.startswith("Monthly gift active: ends ")
        [confirmation] = mail.outbox
        assert "will end on" in confirmation.subject
        assert "Nothing more will be taken after that date" in confirmation.body

        # The donor changes their mind in the portal.
        kept = {**scheduled, "cancel_at_period_end": False, "cancel_at": None}
        deliver(client, events.event("customer.subscription.updated", kept))
        assert refresh(donation).cancels_at is None
        assert len(mail.outbox) == 1

    def test_the_cancellation_date_can_come_from_the_subscription_items(self, client, webhook_secret):
        donation, subscription_id = self.active_gift(client)
        period_end = int(time.time()) + 10 * 86_400
        scheduled = events.subscription(
            subscription_id,
            donation,
            status="active",
            cancel_at_period_end=True,
            cancel_at=None,
            ended_at=None,
            items={"object": "list", "data": [{"id": "si_1", "current_period_end": period_end}]},
        )
        deliver(client, events.event("customer.subscription.updated", scheduled))
        assert int(refresh(donation).cancels_at.timestamp()) == period_end


def test_the_giving_manual_and_the_admin_name_every_event_the_webhook_handles(admin_client):
    from pathlib import Path

    from django.conf import settings

    from donations.webhooks import HANDLERS

    manual = (Path(settings.BASE_DIR) / "docs" / "online-giving.md").read_text()
    from django.urls import reverse

    setup = admin_client.get(reverse("donations_donation:index")).content.decode()
    for event_type in HANDLERS:
        assert f"`{event_type}`" in manual, event_type
        assert f"<code>{event_type}</code>" in setup, event_type
