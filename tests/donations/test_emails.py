"""What donors read: plain-text emails with names as typed, and receipts a tax office accepts."""

import pytest
from django.core import mail
from wagtail.models import Site

from aipg_site.models import OrganisationSettings
from donations.models import Donation, Payment

from . import stripe_events as events
from .conftest import form_data
from .stripe_events import deliver
from .test_webhook import make_donation, refresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(home):
    settings = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.name = "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"
    settings.address = "1 Example Street\nSuite 2\nNew York, NY 10000\nUnited States"
    settings.registration_identifier = "EIN 00-0000000"
    settings.save()
    return settings


def paid(client, donation):
    deliver(client, events.event("checkout.session.completed", events.checkout_session(donation)))


def test_names_reach_the_email_as_typed_not_as_html(client, webhook_secret, organisation):
    donation = make_donation(
        donor_name="Siobhán O'Brien & Family",
        tribute_type="honour",
        tribute_name='Ruth "Ruthie" <Klein>',
        tribute_notify_email="kin@example.org",
    )
    paid(client, donation)

    receipt, note = mail.outbox
    assert "Dear Siobhán O'Brien & Family," in receipt.body
    assert "&#x27;" not in receipt.body + note.body
    assert "&amp;" not in receipt.body + note.body
    assert note.subject == 'A gift in honour of Ruth "Ruthie" <Klein>'
    assert "Siobhán O'Brien & Family has made a gift" in note.body


def test_a_line_break_typed_into_a_name_never_reaches_an_email(client, donate_page, fake_stripe, webhook_secret):
    client.post(
        "/donate/",
        form_data(
            donor_name="Ada\r\nBcc: everyone@example.org", tribute_type="memory", tribute_name="Sheri\nRosenberg"
        ),
    )

    donation = Donation.objects.get()
    assert donation.donor_name == "Ada Bcc: everyone@example.org"
    assert donation.tribute_name == "Sheri Rosenberg"
    donation.tribute_notify_email = "kin@example.org"
    donation.save()
    paid(client, donation)
    receipt, note = mail.outbox
    assert receipt.body.splitlines()[0] == "Dear Ada Bcc: everyone@example.org,"
    assert note.subject == "A gift in memory of Sheri Rosenberg"


def test_the_receipt_says_what_a_tax_acknowledgement_needs(client, webhook_secret, organisation):
    paid(client, make_donation())
    [receipt] = mail.outbox
    body = receipt.body
    assert "Received by:  Auschwitz Institute for the Prevention of Genocide and Mass Atrocities" in body
    assert "Registration: EIN 00-0000000" in body
    # The address, each line under the first.
    assert "Address:      1 Example Street\n                Suite 2\n                New York, NY 10000\n" in body
    assert "No goods or services were provided in exchange for this gift." in body


def test_finance_staff_word_the_receipt_statement_in_settings(client, webhook_secret, organisation):
    organisation.receipt_statement = "You received nothing in return for this gift; keep this receipt for your taxes."
    organisation.save()
    paid(client, make_donation())
    assert "You received nothing in return for this gift; keep this receipt for your taxes." in mail.outbox[0].body


def test_a_gift_refunded_in_full_before_its_completion_arrives_is_not_thanked(client, webhook_secret):
    donation = make_donation(tribute_type="memory", tribute_name="Sheri", tribute_notify_email="kin@example.org")
    session = events.checkout_session(donation)
    refund = events.charge(
        session["payment_intent"], 5000, "usd", amount_refunded=5000, metadata={"donation_id": str(donation.uuid)}
    )
    deliver(client, events.event("charge.refunded", refund))
    deliver(client, events.event("checkout.session.completed", session))

    assert refresh(donation).status == "refunded"
    assert Payment.objects.get().amount_refunded == 5000
    assert mail.outbox == []


def test_a_gift_refunded_before_the_worker_sent_its_receipt_is_not_thanked(client, webhook_secret):
    from donations.emails import send_receipt

    donation = make_donation()
    paid(client, donation)
    payment = Payment.objects.get()
    mail.outbox.clear()
    Payment.objects.filter(pk=payment.pk).update(receipt_sent_at=None, amount_refunded=5000)
    assert send_receipt.call(payment.pk) == "refunded"
    assert mail.outbox == []
