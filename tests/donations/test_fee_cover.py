"""Fee cover: a donor may add the card fee, worked out per currency from the table finance keep,
shown before Checkout with or without the page's script; each payment records what Stripe really
kept and paid out, from its balance transaction; the exports carry gross, fee and net."""

import csv
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from donations import reconcile
from donations.fees import DEFAULT_RATES, CardFeeSettings, FeeRate, current_rates
from donations.models import Donation, Payment

from . import stripe_events as events
from .conftest import form_data
from .stripe_events import deliver

pytestmark = pytest.mark.django_db


def checkout_requests(fake):
    return fake.api_requests("/v1/checkout/sessions")


def stripe_fee(gross, rate):
    """What Stripe keeps of `gross`: its percentage, rounded half up to a minor unit, and the fixed part."""
    share = (Decimal(gross) * rate.percent / 100).quantize(Decimal(1), rounding="ROUND_HALF_UP")
    return int(share) + rate.fixed


class TestTheFee:
    @pytest.mark.parametrize(
        ("rate", "amount", "gross"),
        [
            (FeeRate("USD", Decimal("2.9"), 30), 2500, 2606),  # $25.00 -> $26.06
            (FeeRate("USD", Decimal("2.9"), 30), 10000, 10330),
            (FeeRate("EUR", Decimal("1.5"), 25), 5000, 5102),
            (FeeRate("GBP", Decimal("0"), 20), 1000, 1020),  # no percentage: the fixed part exactly
            (FeeRate("JPY", Decimal("3.6"), 0), 5000, 5187),  # whole yen, rounded up
            (FeeRate("JPY", Decimal("5.4"), 50), 3000, 3225),
        ],
    )
    def test_the_gross_leaves_the_chosen_amount_after_stripes_share(self, rate, amount, gross):
        assert rate.gross(amount) == gross
        assert rate.fee_for(amount) == gross - amount
        assert gross - stripe_fee(gross, rate) >= amount

    @pytest.mark.parametrize("rate", list(DEFAULT_RATES.values()), ids=list(DEFAULT_RATES))
    def test_the_gross_is_the_least_that_leaves_the_amount_in_every_currency(self, rate):
        for amount in range(500, 3_000_00, 997):
            gross = rate.gross(amount)
            assert gross - stripe_fee(gross, rate) >= amount
            # One minor unit less would leave less than the donor chose.
            assert (gross - 1) * (10_000 - rate.basis_points) < (amount + rate.fixed) * 10_000

    def test_finance_edit_the_table_in_the_admin_settings(self, admin_client):
        table = CardFeeSettings.load()
        assert {row.currency for row in table.rates.all()} == {"USD", "EUR", "GBP", "PLN", "JPY"}
        url = reverse("wagtailsettings:edit", args=["donations", "cardfeesettings"])
        page = admin_client.get(url, follow=True)
        assert page.status_code == 200
        assert "What Stripe takes from each card payment in the currency" in page.content.decode()
        usd = table.rates.get(currency="USD")
        usd.percent, usd.fixed = Decimal("2.2"), 30
        usd.save()
        assert current_rates()["USD"] == FeeRate("USD", Decimal("2.20"), 30)

    def test_a_currency_without_a_row_takes_the_default(self):
        CardFeeSettings.load().rates.filter(currency="JPY").delete()
        assert current_rates()["JPY"] == DEFAULT_RATES["JPY"]


class TestTheForm:
    def test_the_cached_page_states_the_rule_and_no_visitors_amount(self, client, donate_page, fake_stripe):
        html = BeautifulSoup(client.get("/donate/").content, "html.parser")
        option = html.select_one("input[name=cover_fee]")
        assert option["type"] == "checkbox"
        label = html.select_one(f"label[for={option['id']}]").get_text(strip=True)
        assert label == "Add the card fee so all of my gift goes to the work"
        rule = html.select_one("[data-fee-rule]").get_text(strip=True)
        assert rule == "Stripe, our payment provider, keeps 2.9% + $0.30 of each card payment in USD."
        assert html.select_one("[data-fee-line]").get_text(strip=True) == ""
        assert not html.select("input[name=fee_confirmed]")  # the script adds it
        assert '"JPY": {"basis_points": 540, "fixed": 50, "decimals": 0' in html.select_one("#donate-fees").string

    def test_without_the_script_the_fee_is_shown_and_confirmed_before_checkout(self, client, donate_page, fake_stripe):
        response = client.post("/donate/", form_data(amount="25", cover_fee="on"))
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        assert checkout_requests(fake_stripe) == []
        html = BeautifulSoup(response.content, "html.parser")
        notice = " ".join(html.select_one("[role=status]").get_text(" ").split())
        assert "The card fee on this gift is $1.06: we will charge $26.06" in notice
        assert "Press the button again" in notice
        assert html.select_one("input[name=cover_fee]").has_attr("checked")
        assert html.select_one("input[name=fee_confirmed]")["value"] == "2606"

        response = client.post("/donate/", form_data(amount="25", cover_fee="on", fee_confirmed="2606"))
        assert response.status_code == 303
        donation = Donation.objects.get()
        assert (donation.amount, donation.fee_added, donation.gross_amount) == (2500, 106, 2606)
        [sent] = checkout_requests(fake_stripe)
        assert sent.params["line_items"][0]["price_data"]["unit_amount"] == "2606"
        name = sent.params["line_items"][0]["price_data"]["product_data"]["name"]
        assert "(with $1.06 added for the card fee)" in name

    def test_with_the_script_the_gross_it_showed_goes_straight_to_checkout(self, client, donate_page, fake_stripe):
        data = form_data(currency="JPY", amount="5000", cover_fee="on", fee_confirmed="5339")
        assert client.post("/donate/", data).status_code == 303
        assert checkout_requests(fake_stripe)[0].params["line_items"][0]["price_data"]["unit_amount"] == "5339"
        assert Donation.objects.get().fee_added == 339

    def test_a_stale_gross_is_shown_again_rather_than_charged(self, client, donate_page, fake_stripe):
        response = client.post("/donate/", form_data(amount="25", cover_fee="on", fee_confirmed="2590"))
        assert response.status_code == 200
        assert checkout_requests(fake_stripe) == []
        assert not Donation.objects.exists()

    def test_a_double_click_makes_one_gift_and_covering_the_fee_is_another(self, client, donate_page, fake_stripe):
        covered = form_data(amount="25", cover_fee="on", fee_confirmed="2606")
        first = client.post("/donate/", covered)
        second = client.post("/donate/", covered)
        assert first["Location"] == second["Location"]
        assert Donation.objects.count() == 1
        client.post("/donate/", form_data(amount="25"))
        assert sorted(Donation.objects.values_list("fee_added", flat=True)) == [0, 106]

    def test_a_monthly_gift_covers_the_fee_of_each_instalment(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data(frequency="monthly", amount="20", cover_fee="on", fee_confirmed="2091"))
        price = checkout_requests(fake_stripe)[0].params["line_items"][0]["price_data"]
        assert (price["unit_amount"], price["recurring"]) == ("2091", {"interval": "month"})

    def test_the_option_and_the_fee_in_spanish(self, client, spanish_donate_page, fake_stripe):
        response = client.post("/es/donar/", form_data(amount="25", cover_fee="on"))
        html = BeautifulSoup(response.content, "html.parser")
        option = html.select_one("input[name=cover_fee]")
        label = html.select_one(f"label[for={option['id']}]").get_text(strip=True)
        assert label == "Añadir la comisión de la tarjeta para que toda mi donación llegue al trabajo"
        notice = " ".join(html.select_one("[role=status]").get_text(" ").split()).replace("\xa0", " ")
        assert "La comisión de la tarjeta en esta donación es de 1,06 US$: cobraremos 26,06 US$" in notice


def one_off_paid(client, fake, **fields):
    donation = Donation.objects.create(
        amount=2500,
        fee_added=106,
        currency="USD",
        frequency="once",
        donor_name="Ada Donor",
        donor_email="ada@example.org",
        stripe_checkout_session_id=events.new_id("cs"),
        **fields,
    )
    session = events.checkout_session(donation, amount_total=2606, amount_subtotal=2606)
    fake.pay(session["payment_intent"], 2606, "usd", fee=106)
    return donation, session


class TestStripesFee:
    def test_a_paid_gift_records_stripes_fee_and_net_from_the_balance_transaction(self, client, fake_stripe):
        _donation, session = one_off_paid(client, fake_stripe)
        deliver(client, events.event("checkout.session.completed", session))
        payment = Payment.objects.get()
        assert (payment.amount, payment.stripe_fee, payment.stripe_net, payment.balance_currency) == (
            2606,
            106,
            2500,
            "USD",
        )
        charge, transaction = fake_stripe.charges[session["payment_intent"]]
        assert (payment.stripe_charge_id, payment.stripe_balance_transaction_id) == (charge["id"], transaction["id"])
        [lookup] = fake_stripe.api_requests(f"/v1/payment_intents/{session['payment_intent']}")
        assert lookup.params["expand"] == ["latest_charge.balance_transaction"]

    def test_a_yearly_instalment_finds_its_fee_through_its_invoice(self, client, fake_stripe):
        donation = Donation.objects.create(
            amount=25000,
            currency="EUR",
            frequency="yearly",
            donor_name="Ada Donor",
            donor_email="ada@example.org",
            stripe_checkout_session_id=events.new_id("cs"),
        )
        session = events.checkout_session(donation)
        invoice = events.invoice(donation, session["subscription"])
        fake_stripe.pay(events.new_id("pi"), 25000, "eur", fee=1377, invoice=invoice["id"], balance_currency="usd")
        deliver(client, events.event("checkout.session.completed", session))
        deliver(client, events.event("invoice.paid", invoice))
        payment = Payment.objects.get()
        assert (payment.stripe_fee, payment.stripe_net, payment.balance_currency) == (1377, 23623, "USD")
        assert payment.stripe_payment_intent_id.startswith("pi_")

    def test_a_failed_lookup_keeps_the_payment_and_reconciliation_fills_it_later(self, client, fake_stripe):
        donation, session = one_off_paid(client, fake_stripe)
        fake_stripe.fail_next(500, times=10, path=f"/v1/payment_intents/{session['payment_intent']}")
        deliver(client, events.event("checkout.session.completed", session))
        payment = Payment.objects.get()
        assert (payment.amount, payment.stripe_fee, payment.stripe_net) == (2606, None, None)
        assert Donation.objects.get(pk=donation.pk).status == "paid"

        fake_stripe._failures.clear()
        report = reconcile.reconcile(days=3)
        payment.refresh_from_db()
        assert (payment.stripe_fee, payment.stripe_net) == (106, 2500)
        assert f"recorded Stripe's fee and net of payment {payment.pk}" in report.repairs

    def test_a_refund_leaves_the_net_as_stripe_reported_it(self, client, fake_stripe):
        _donation, session = one_off_paid(client, fake_stripe)
        deliver(client, events.event("checkout.session.completed", session))
        refund = events.charge(session["payment_intent"], 2606, "usd", amount_refunded=1000)
        deliver(client, events.event("charge.refunded", refund))
        payment = Payment.objects.get()
        assert (payment.amount_refunded, payment.stripe_fee, payment.stripe_net) == (1000, 106, 2500)


class TestExports:
    @pytest.fixture
    def paid(self, client, fake_stripe):
        _donation, session = one_off_paid(client, fake_stripe)
        deliver(client, events.event("checkout.session.completed", session))
        return Payment.objects.get()

    def test_the_payments_csv_has_gross_fee_and_net(self, admin_client, paid):
        response = admin_client.get(reverse("donations_payment:index"), {"export": "csv"})
        [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert (row["Gross"], row["Stripe fee"], row["Net from Stripe"], row["Fee and net currency"]) == (
            "26.06",
            "1.06",
            "25.00",
            "USD",
        )

    def test_the_xlsx_exports_hold_numbers(self, admin_client, paid):
        response = admin_client.get(reverse("donations_payment:index"), {"export": "xlsx"})
        rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
        header, row = rows
        assert [row[header.index(name)] for name in ("Gross", "Stripe fee", "Net from Stripe")] == [26.06, 1.06, 25]
        response = admin_client.get(reverse("donations_donation:index"), {"export": "xlsx"})
        header, row = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
        columns = ("Amount", "Card fee added", "Charged (gross)")
        assert [row[header.index(name)] for name in columns] == [25, 1.06, 26.06]

    def test_the_listings_show_the_fee(self, admin_client, paid):
        payments = admin_client.get(reverse("donations_payment:index")).content.decode()
        for shown in ["$26.06", "$1.06", "$25.00"]:
            assert shown in payments
        donations = admin_client.get(reverse("donations_donation:index")).content.decode()
        assert "$25.00 + $1.06 card fee" in donations
