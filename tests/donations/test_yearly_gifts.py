"""Yearly gifts: offered beside monthly ones, a Stripe subscription billed once a year, and named as
yearly wherever a donor or staff read about them, in English and in Spanish."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail

from donations.models import DonatePreset, Donation, Payment

from . import stripe_events as events
from .conftest import form_data
from .stripe_events import deliver

pytestmark = pytest.mark.django_db


@pytest.fixture
def yearly_presets(donate_page):
    DonatePreset.objects.create(page=donate_page, frequency="yearly", currency="USD", amounts="100, 250")
    return donate_page


def yearly_gift(**fields):
    values = {
        "amount": 25000,
        "currency": "USD",
        "frequency": "yearly",
        "donor_name": "Ada Donor",
        "donor_email": "ada@example.org",
        "stripe_checkout_session_id": events.new_id("cs"),
    }
    values.update(fields)
    return Donation.objects.create(**values)


def paid_yearly_gift(client, **fields):
    donation = yearly_gift(**fields)
    session = events.checkout_session(donation)
    deliver(client, events.event("checkout.session.completed", session))
    invoice = events.invoice(donation, session["subscription"])
    deliver(client, events.event("invoice.paid", invoice))
    return Donation.objects.get(pk=donation.pk), session["subscription"], invoice


class TestTheForm:
    def test_yearly_is_offered_with_its_own_amounts_each_read_as_a_year(self, client, yearly_presets, fake_stripe):
        html = BeautifulSoup(client.get("/donate/?frequency=yearly").content, "html.parser")
        assert html.select_one("input[name=frequency][value=yearly]").has_attr("checked")
        labels = [label.get_text(strip=True) for label in html.select("[data-amount-choices] label")]
        assert labels == ["$100 a year", "$250 a year", "Other amount"]

    def test_the_script_gets_the_yearly_presets_and_words(self, client, yearly_presets, fake_stripe):
        html = BeautifulSoup(client.get("/donate/").content, "html.parser")
        assert '"yearly": {"USD"' in html.select_one("#donate-presets").string
        assert '"yearly": "%(amount)s a year"' in html.select_one("#donate-text").string


class TestCheckout:
    def test_a_yearly_gift_is_a_subscription_with_a_yearly_price(self, client, yearly_presets, fake_stripe):
        response = client.post("/donate/", form_data(frequency="yearly", amount="250"))
        assert response.status_code == 303
        donation = Donation.objects.get()
        assert (donation.frequency, donation.amount) == ("yearly", 25000)
        params = fake_stripe.api_requests("/v1/checkout/sessions")[0].params
        assert params["mode"] == "subscription"
        assert params["line_items"][0]["price_data"]["recurring"] == {"interval": "year"}
        assert params["line_items"][0]["price_data"]["unit_amount"] == "25000"
        assert params["line_items"][0]["price_data"]["product_data"]["name"].startswith("Yearly gift to ")
        assert params["subscription_data"]["metadata"]["donation_id"] == str(donation.uuid)


class TestStripeEvents:
    def test_an_invoice_paid_for_a_yearly_gift_records_a_payment_and_a_yearly_receipt(self, client, webhook_secret):
        donation, _subscription, invoice = paid_yearly_gift(client)
        assert donation.status == "active"
        payment = Payment.objects.get()
        assert (payment.donation, payment.amount, payment.stripe_invoice_id) == (donation, 25000, invoice["id"])
        [receipt] = mail.outbox
        assert "$250.00 (yearly gift)" in receipt.body
        assert "change or stop your yearly gift at any time" in receipt.body

    def test_a_failing_card_and_a_scheduled_end_are_told_as_yearly(self, client, webhook_secret):
        donation, subscription_id, _invoice = paid_yearly_gift(client)
        mail.outbox.clear()
        failed = events.invoice(donation, subscription_id, status="open", amount_paid=0)
        deliver(client, events.event("invoice.payment_failed", failed))
        [notice] = mail.outbox
        assert notice.subject.startswith("Your yearly gift to ")
        assert "This year's $250.00 for your yearly gift could not be taken" in notice.body
        mail.outbox.clear()
        ending = events.subscription(subscription_id, donation, status="active", cancel_at=2_000_000_000)
        deliver(client, events.event("customer.subscription.updated", ending))
        [confirmation] = mail.outbox
        assert "your yearly gift of $250.00 will end on" in confirmation.body

    def test_the_donor_can_ask_for_a_link_to_manage_a_yearly_gift(self, client, webhook_secret, settings):
        paid_yearly_gift(client)
        mail.outbox.clear()
        client.post("/donate/manage/", {"email": "ada@example.org"})
        [links] = mail.outbox
        assert "$250.00 a year, since" in links.body


class TestInSpanish:
    def test_the_receipt_and_the_thank_you_page_say_anual(self, client, spanish_donate_page, webhook_secret):
        donation, _subscription, _invoice = paid_yearly_gift(client, language="es", donor_name="Lucía Donante")
        [receipt] = mail.outbox
        assert "250,00\xa0US$ (donación anual)" in receipt.body
        assert "Puede cambiar o cancelar su donación anual en cualquier momento" in receipt.body
        page = client.get(f"/es/donar/gracias/?session_id={donation.stripe_checkout_session_id}")
        text = " ".join(BeautifulSoup(page.content, "html.parser").get_text(" ").split())
        assert "Su donación anual de 250,00 US$ al año" in text

    def test_the_spanish_form_offers_anual(self, client, spanish_donate_page, fake_stripe):
        html = BeautifulSoup(client.get("/es/donar/").content, "html.parser")
        label = html.select_one("label[for=" + html.select_one("input[value=yearly]")["id"] + "]")
        assert label.get_text(strip=True) == "Anual"
