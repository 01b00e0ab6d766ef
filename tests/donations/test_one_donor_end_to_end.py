"""Issue 20's whole story against the fake Stripe: one donor gives twice through the form (a one-off
gift covering the card fee, with Gift Aid, then a yearly gift), finance enters a cheque, and the
records, the statement, the campaign, the claim schedule and the exports all agree."""

import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.core import signing
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from donations.emails import MANAGE_SALT
from donations.models import Campaign, DonatePage, DonatePreset, Donation, Donor, Payment

from . import stripe_events as events
from .conftest import form_data
from .stripe_events import deliver

pytestmark = pytest.mark.django_db

GIFT_AID = {
    "gift_aid": "on",
    "gift_aid_title": "Ms",
    "gift_aid_first_name": "Ada",
    "gift_aid_last_name": "Lovelace",
    "gift_aid_house": "12",
    "gift_aid_postcode": "sw1a 1aa",
}


@pytest.fixture
def pounds_page(home):
    campaign = Campaign.objects.create(
        name="Lemkin Seminar scholarships", slug="lemkin", currency="GBP", goal=5_000_00, starts_on="2026-01-01"
    )
    page = DonatePage(title="Donate", slug="donate", intro="<p>Help.</p>", campaign=campaign, default_currency="GBP")
    page.presets = [
        DonatePreset(frequency="once", currency="GBP", amounts="25, 50"),
        DonatePreset(frequency="yearly", currency="GBP", amounts="120, 240"),
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def give(client, **fields):
    """The donor's presses: the form as a browser without the script sends it. With the fee to cover,
    the first press shows the fee and the second confirms it, as the page asks."""
    data = form_data(currency="GBP", donor_name="Ada Lovelace", donor_email="Ada@Example.org", **fields)
    response = client.post("/donate/", data)
    if response.status_code == 200:
        confirmed = BeautifulSoup(response.content, "html.parser").select_one("input[name=fee_confirmed]")
        response = client.post("/donate/", {**data, "fee_confirmed": confirmed["value"]})
    assert response.status_code == 303, response.content.decode()[:2000]
    return Donation.objects.order_by("-pk").first()


def statement(client, donation, year):
    token = signing.TimestampSigner(salt=MANAGE_SALT).sign(str(donation.uuid))
    response = client.get(reverse("donations:statement", args=[token]), {"year": year})
    assert response.status_code == 200
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text(" ").split())


def pounds(minor):
    return f"£{minor // 100:,}.{minor % 100:02d}"


def test_one_donor_two_gifts_a_cheque_the_statement_the_claim_and_the_exports(admin_client, pounds_page, fake_stripe):
    # The donor's browser; admin_client is finance's (the project's admin_client is the `client`).
    client = Client()
    # A one-off £50 with the card fee covered and Gift Aid declared, paid through Checkout.
    once = give(client, amount="50", cover_fee="on", **GIFT_AID)
    assert (once.amount, once.fee_added) == (5000, once.gross_amount - 5000)
    assert once.fee_added > 0
    session = events.checkout_session(once, amount_total=once.gross_amount, amount_subtotal=once.gross_amount)
    fake_stripe.pay(session["payment_intent"], once.gross_amount, "gbp", fee=once.fee_added)
    deliver(client, events.event("checkout.session.completed", session))

    # Then a yearly £120, from the same address typed another way.
    yearly = give(client, frequency="yearly", amount="120")
    checkout = fake_stripe.api_requests("/v1/checkout/sessions")[-1].params
    assert checkout["line_items"][0]["price_data"]["recurring"] == {"interval": "year"}
    assert checkout["customer"] == session["customer"]  # Stripe knows the donor as one customer too
    first_year = events.checkout_session(yearly)
    invoice = events.invoice(yearly, first_year["subscription"])
    fake_stripe.pay(events.new_id("pi"), 12000, "gbp", fee=200, invoice=invoice["id"])
    deliver(client, events.event("checkout.session.completed", first_year))
    deliver(client, events.event("invoice.paid", invoice))

    # One donor, both gifts, each payment with Stripe's fee and net.
    [donor] = Donor.objects.all()
    assert donor.email == "ada@example.org"
    assert set(donor.donations.values_list("pk", flat=True)) == {once.pk, yearly.pk}
    one_off, instalment = Payment.objects.order_by("pk")
    assert (one_off.amount, one_off.stripe_fee, one_off.stripe_net) == (once.gross_amount, once.fee_added, 5000)
    assert (instalment.amount, instalment.stripe_fee, instalment.stripe_net) == (12000, 200, 11800)

    # A cheque finance enters for the campaign counts in it beside the two card gifts.
    response = admin_client.post(
        reverse("donations_offline:add"),
        {
            "donor": "",
            "donor_name": "Grace Hopper",
            "donor_email": "grace@example.org",
            "amount_text": "1.000,00",
            "currency": "GBP",
            "method": "cheque",
            "received_on": date.today().isoformat(),
            "reference": "Cheque 004512",
            "campaign": pounds_page.campaign.pk,
            "gift_aid_declaration": "",
            "note": "",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get(pk=pounds_page.campaign.pk)
    assert campaign.raised_by_currency() == {"GBP": once.gross_amount + 12000 + 100000}

    # The donor's statement for the year lists both gifts and their total; the cheque is Grace's.
    year = one_off.paid_at.year
    text = statement(client, once, year)
    assert pounds(once.gross_amount) in text
    assert pounds(12000) in text
    assert pounds(once.gross_amount + 12000) in text
    assert "Cheque 004512" not in text
    assert pounds(100000) not in text

    # The Gift Aid claim lists the declared gift, and only it, with the amount as a number.
    claim = admin_client.post(
        reverse("donations_gift_aid:claim"),
        {"start": date(year, 1, 1).isoformat(), "end": date(year, 12, 31).isoformat(), "format": "xlsx"},
    )
    rows = list(load_workbook(io.BytesIO(claim.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][:5] == ("Ms", "Ada", "Lovelace", "12", "SW1A 1AA")
    assert rows[1][8] == once.gross_amount / 100

    # The exports open as spreadsheets, money as numbers.
    export = admin_client.get(reverse("donations_payment:index"), {"export": "xlsx"})
    sheet = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    header, body = sheet[0], sheet[1:]
    assert len(body) == 3
    gross = header.index("Gross")
    assert sorted(row[gross] for row in body) == sorted([once.gross_amount / 100, 120, 1000])
    assert all(isinstance(row[gross], int | float) for row in body)
    export = admin_client.get(reverse("donations_donation:index"), {"export": "xlsx"})
    assert len(list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)) == 4
