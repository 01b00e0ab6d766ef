"""The donate form and the hand-over to Stripe Checkout, against the fake Stripe server."""

import time
from contextlib import contextmanager
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from donations.models import Donation, Donor

from ..queries import count_queries
from .conftest import form_data

pytestmark = pytest.mark.django_db


def checkout_requests(fake):
    return fake.api_requests("/v1/checkout/sessions")


@contextmanager
def freeze_clock(seconds):
    """The clock `seconds` ahead, for signatures and timestamps made inside the block."""
    ahead = time.time() + seconds
    with mock.patch("time.time", return_value=ahead):
        yield


class TestTheForm:
    def test_offers_presets_as_a_radio_group_and_a_custom_amount(self, client, donate_page, fake_stripe):
        html = BeautifulSoup(client.get("/donate/").content, "html.parser")
        amounts = html.select("fieldset input[name=amount]")
        assert [radio["value"] for radio in amounts] == ["25", "50", "100", "other"]
        assert all(radio["type"] == "radio" for radio in amounts)
        legends = [legend.get_text(strip=True) for legend in html.select("fieldset > legend")]
        assert "Amount" in legends
        assert "How often" in legends
        assert html.select_one("label[for=amount-1]").get_text() == "$25"
        assert html.select_one("input[name=custom_amount]")
        assert html.select_one("input[name=website]").find_parent(class_="donate-form__trap")
        assert {o["value"] for o in html.select("select[name=currency] option")} == {"USD", "EUR", "GBP", "PLN", "JPY"}

    def test_before_the_first_gift_the_campaign_shows_its_goal_without_a_bar(self, client, donate_page, fake_stripe):
        html = BeautifulSoup(client.get("/donate/").content, "html.parser")
        assert html.select_one("progress") is None
        figures = " ".join(html.select_one(".campaign-progress__figures").get_text().split())
        assert figures == "We are raising $10,000.00."
        assert "0%" not in html.select_one(".campaign-progress").get_text()
        assert html.select_one(".campaign-progress__more") is None

    def test_the_bar_appears_with_the_first_gift(self, client, donate_page, fake_stripe, campaign):
        donation = Donation.objects.create(
            amount=2_500, currency="USD", donor_name="D", donor_email="d@example.org", campaign=campaign
        )
        donation.payments.create(amount=2_500, currency="USD", paid_at="2026-06-01T12:00Z")
        html = BeautifulSoup(client.get("/donate/").content, "html.parser")
        bar = html.select_one("progress")
        assert (bar["value"], bar["max"]) == ("2500", "1000000")  # a sliver: 0.25%
        # Too little for a whole percent: the figures say what was given, and no "(0%)".
        figures = " ".join(html.select_one(".campaign-progress__figures").get_text().split())
        assert figures == "$25.00 raised of a $10,000.00 goal"

    def test_gifts_in_other_currencies_are_shown_beside_the_bar(self, client, donate_page, fake_stripe, campaign):
        for currency, amount in [("USD", 250_000), ("EUR", 12_000), ("JPY", 50_000)]:
            donation = Donation.objects.create(
                amount=amount, currency=currency, donor_name="D", donor_email="d@example.org", campaign=campaign
            )
            donation.payments.create(amount=amount, currency=currency, paid_at="2026-06-01T12:00Z")
        html = BeautifulSoup(client.get("/donate/").content, "html.parser")
        assert (html.select_one("progress")["value"], html.select_one("progress")["max"]) == ("250000", "1000000")
        figures = " ".join(html.select_one(".campaign-progress__figures").get_text().split())
        assert figures == "$2,500.00 raised of a $10,000.00 goal (25%)"
        more = " ".join(html.select_one(".campaign-progress__more").get_text().split())
        assert more == "Also given, in other currencies: €120.00 and ¥50,000."

    def test_a_donate_block_link_preselects_its_amount(self, client, donate_page, fake_stripe):
        html = BeautifulSoup(client.get("/donate/?frequency=monthly&amount=20").content, "html.parser")
        assert html.select_one("input[name=frequency][value=monthly]").has_attr("checked")
        assert html.select_one("input[name=amount][value='20']").has_attr("checked")

    def test_the_page_allows_its_form_to_redirect_to_stripe(self, client, donate_page, fake_stripe):
        policy = client.get("/donate/").headers["Content-Security-Policy"]
        form_action = next(part for part in policy.split(";") if "form-action" in part)
        assert "https://checkout.stripe.com" in form_action
        assert "form-action 'self'" in client.get("/").headers["Content-Security-Policy"].replace("  ", " ")

    def test_without_stripe_keys_says_giving_is_not_set_up(self, client, donate_page, settings):
        settings.STRIPE_SECRET_KEY = ""
        response = client.get("/donate/")
        html = BeautifulSoup(response.content, "html.parser")
        assert "Online giving is not set up yet" in html.get_text()
        # No campaign figures for a form that cannot take gifts.
        assert html.select_one(".campaign-progress") is None
        assert html.select_one("form.donate-form") is None
        assert client.post("/donate/", form_data()).status_code == 503
        assert not Donation.objects.exists()


class TestValidation:
    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            ({"amount": "other", "custom_amount": "4.99"}, "Gifts in USD can be from $5.00 to $25,000.00."),
            ({"amount": "other", "custom_amount": "25000.01"}, "Gifts in USD can be from $5.00 to $25,000.00."),
            ({"amount": "other", "custom_amount": "10.5055"}, "Amounts in USD have at most 2 decimal places."),
            ({"amount": "other", "custom_amount": "lots"}, "Enter an amount as a number"),
            ({"amount": "other", "custom_amount": ""}, "Choose an amount or enter another one."),
            (
                {"currency": "JPY", "amount": "other", "custom_amount": "500.5"},
                "Amounts in JPY have no decimal places.",
            ),
            ({"currency": "JPY", "amount": "50"}, "Gifts in JPY can be from ¥500 to ¥3,000,000."),
            ({"currency": "XYZ"}, "Select a valid choice."),
            ({"tribute_type": "memory", "tribute_name": ""}, "Whose name should the tribute carry?"),
            ({"donor_email": "not-an-email"}, "Enter a valid email address."),
        ],
    )
    def test_bad_input_is_explained_and_nothing_is_recorded(self, client, donate_page, fake_stripe, overrides, message):
        response = client.post("/donate/", form_data(**overrides))
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Donation.objects.exists()
        assert not checkout_requests(fake_stripe)

    def test_the_honeypot_stops_bots(self, client, donate_page, fake_stripe):
        response = client.post("/donate/", form_data(website="http://spam.example"))
        assert "This form could not be sent" in response.content.decode()
        assert not Donation.objects.exists()
        assert not checkout_requests(fake_stripe)

    def test_errors_keep_what_was_typed(self, client, donate_page, fake_stripe):
        response = client.post("/donate/", form_data(donor_email="bad", donor_name="Grace Giver"))
        html = BeautifulSoup(response.content, "html.parser")
        assert html.select_one("input[name=donor_name]")["value"] == "Grace Giver"
        assert html.select_one("input[name=amount][value='50']").has_attr("checked")


class TestTypedAmounts:
    """An amount is read as the donor wrote it: a decimal comma is a decimal mark, and "5.000" is a
    thousand only where the donor's language groups thousands with a dot."""

    @pytest.mark.parametrize(
        ("currency", "typed", "accept_language", "charged"),
        [
            ("EUR", "12,34", "en-GB,en;q=0.9", 1234),
            ("USD", "5,00", "en-US", 500),
            ("EUR", "5.000", "de-DE,de;q=0.9", 500000),
            ("EUR", "1.234,50", "es-ES", 123450),
            ("USD", "1,234.50", "en-US", 123450),
            ("PLN", "1 000,50 zł", "pl-PL", 100050),
            ("GBP", "£25", "en-GB", 2500),
            ("JPY", "10,000", "ja", 10000),
        ],
    )
    def test_charged_as_the_donor_meant(
        self, client, donate_page, fake_stripe, currency, typed, accept_language, charged
    ):
        data = form_data(currency=currency, amount="other", custom_amount=typed)
        response = client.post("/donate/", data, HTTP_ACCEPT_LANGUAGE=accept_language)
        assert response.status_code == 303
        assert Donation.objects.get().amount == charged
        [sent] = checkout_requests(fake_stripe)
        assert sent.params["line_items"][0]["price_data"]["unit_amount"] == str(charged)

    @pytest.mark.parametrize(
        ("currency", "typed", "accept_language"),
        [("EUR", "5.000", "en-US"), ("USD", "5,000", "de-DE"), ("USD", "12,34,5", "en"), ("EUR", "1,2.3", "en")],
    )
    def test_what_could_be_read_two_ways_is_asked_again(
        self, client, donate_page, fake_stripe, currency, typed, accept_language
    ):
        data = form_data(currency=currency, amount="other", custom_amount=typed)
        response = client.post("/donate/", data, HTTP_ACCEPT_LANGUAGE=accept_language)
        assert response.status_code == 200
        assert "Type the amount without a thousands separator, for example 5000 or 12" in response.content.decode()
        assert not Donation.objects.exists()
        assert not checkout_requests(fake_stripe)

    def test_the_field_says_how_to_type_an_amount_as_the_page_writes_it(self, client, donate_page, fake_stripe):
        # The page is one copy for every browser: the example follows the page's language, and its
        # decimal mark is marked for the script, which writes the browser's own there.
        for accept_language in ["en", "de"]:
            html = BeautifulSoup(client.get("/donate/", HTTP_ACCEPT_LANGUAGE=accept_language).content, "html.parser")
            help_text = html.select_one(f"#{html.select_one('input[name=custom_amount]')['aria-describedby']}")
            assert help_text.get_text() == "In figures, for example 40 or 40.50."
            assert help_text.select_one("[data-decimal-mark]").get_text() == "."


class TestCheckoutSession:
    def test_a_one_off_gift(self, client, donate_page, fake_stripe, campaign):
        response = client.post("/donate/", form_data(amount="50"))

        donation = Donation.objects.get()
        assert (donation.status, donation.amount, donation.currency, donation.frequency) == (
            "pending",
            5000,
            "USD",
            "once",
        )
        assert donation.campaign == campaign
        [sent] = checkout_requests(fake_stripe)
        assert response.status_code == 303
        assert response["Location"] == fake_stripe.sessions[donation.stripe_checkout_session_id]["url"]
        params = sent.params
        assert params["mode"] == "payment"
        assert params["submit_type"] == "donate"
        assert params["line_items"] == [
            {
                "quantity": "1",
                "price_data": {
                    "currency": "usd",
                    "unit_amount": "5000",
                    "product_data": {"name": "Gift to AIPG: Lemkin Seminar scholarships"},
                },
            }
        ]
        assert params["client_reference_id"] == str(donation.uuid)
        assert params["metadata"] == {"donation_id": str(donation.uuid), "campaign": "lemkin"}
        assert params["payment_intent_data"]["metadata"]["donation_id"] == str(donation.uuid)
        assert params["customer_email"] == "ada@example.org"
        assert params["success_url"] == "http://testserver/donate/thank-you/?session_id={CHECKOUT_SESSION_ID}"
        assert params["cancel_url"].startswith("http://testserver/donate/?resume=")
        assert "subscription_data" not in params
        assert sent.header("idempotency-key").startswith(f"checkout-{donation.uuid}-0-")
        assert sent.header("authorization") == "Bearer sk_test_fake"
        assert sent.header("stripe-version") == "2026-10-28.endive"

    def test_a_monthly_gift_is_a_subscription_with_an_inline_monthly_price(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data(frequency="monthly", amount="other", custom_amount="15"))
        donation = Donation.objects.get()
        params = checkout_requests(fake_stripe)[0].params
        assert params["mode"] == "subscription"
        assert params["submit_type"] == "donate"
        assert params["line_items"][0]["price_data"]["unit_amount"] == "1500"
        assert params["line_items"][0]["price_data"]["recurring"] == {"interval": "month"}
        assert params["subscription_data"]["metadata"]["donation_id"] == str(donation.uuid)
        assert "payment_intent_data" not in params
        assert "customer_creation" not in params

    def test_a_zero_decimal_currency_is_sent_in_whole_units(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data(currency="JPY", amount="5000"))
        assert Donation.objects.get().amount == 5000
        assert checkout_requests(fake_stripe)[0].params["line_items"][0]["price_data"]["unit_amount"] == "5000"
        assert checkout_requests(fake_stripe)[0].params["line_items"][0]["price_data"]["currency"] == "jpy"

    def test_a_tribute_is_recorded(self, client, donate_page, fake_stripe):
        client.post(
            "/donate/",
            form_data(tribute_type="memory", tribute_name="Sheri Rosenberg", tribute_notify_email="kin@example.org"),
        )
        donation = Donation.objects.get()
        assert donation.tribute_line == "In memory of Sheri Rosenberg"
        assert donation.tribute_notify_email == "kin@example.org"

    def test_a_double_submit_makes_one_donation_and_one_session(self, client, donate_page, fake_stripe):
        first = client.post("/donate/", form_data())
        second = client.post("/donate/", form_data())

        assert Donation.objects.count() == 1
        assert first["Location"] == second["Location"]
        # The second submit goes back to the session the first made, without asking Stripe again.
        assert len(checkout_requests(fake_stripe)) == 1
        assert len(fake_stripe.sessions) == 1

    def test_the_same_form_sent_again_after_the_gift_went_through_is_thanked_not_charged(
        self, client, donate_page, fake_stripe
    ):
        client.post("/donate/", form_data())
        Donation.objects.update(status="paid")  # Stripe confirmed it meanwhile
        again = client.post("/donate/", form_data())
        donation = Donation.objects.get()
        assert again["Location"] == f"/donate/thank-you/?session_id={donation.stripe_checkout_session_id}"
        assert len(checkout_requests(fake_stripe)) == 1

    def test_the_same_gift_built_twice_is_the_same_request_under_the_same_key(self, rf, donate_page, fake_stripe):
        """Stripe refuses a key sent again with other parameters (idempotency_error): the resume
        link in cancel_url once carried a timestamp, so a retry a second later was refused."""
        from donations.checkout import checkout_request, idempotency_key

        donation = Donation.objects.create(
            amount=5000, currency="USD", donor_name="Ada", donor_email="ada@example.org", page=donate_page
        )
        request = rf.post("/donate/")
        first = checkout_request(request, donate_page, donation)
        with freeze_clock(seconds=90):
            again = checkout_request(request, donate_page, donation)
        assert again == first
        assert idempotency_key(donation, again) == idempotency_key(donation, first)

    def test_pressing_again_a_minute_later_reaches_the_same_session(self, client, donate_page, fake_stripe):
        first = client.post("/donate/", form_data())
        with freeze_clock(seconds=60):
            again = client.post("/donate/", form_data())
        assert again.status_code == 303
        assert again["Location"] == first["Location"]
        assert Donation.objects.count() == 1
        assert len(fake_stripe.sessions) == 1

    def test_a_donor_who_gave_before_stays_one_stripe_customer(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data())
        first = checkout_requests(fake_stripe)[0].params
        assert first["customer_creation"] == "always"
        assert first["customer_email"] == "ada@example.org"
        # Stripe's webhook tells us the Customer it made for that first gift.
        Donor.objects.update(stripe_customer_id="cus_ada")

        for frequency, amount in [("once", "100"), ("monthly", "20")]:
            client.post("/donate/", form_data(donor_email="Ada@Example.org", frequency=frequency, amount=amount))
        assert len(checkout_requests(fake_stripe)) == 3
        for later in checkout_requests(fake_stripe)[1:]:
            assert later.params["customer"] == "cus_ada"
            assert "customer_email" not in later.params
            assert "customer_creation" not in later.params
        # Someone else is never given Ada's Customer.
        client.post("/donate/", form_data(donor_email="grace@example.org"))
        assert "customer" not in checkout_requests(fake_stripe)[-1].params

    def test_the_same_form_changed_before_resubmitting_is_a_new_gift(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data(amount="25"))
        client.post("/donate/", form_data(amount="100"))
        assert sorted(Donation.objects.values_list("amount", flat=True)) == [2500, 10000]
        assert len(fake_stripe.sessions) == 2

    def test_cancelling_at_stripe_brings_back_what_was_typed(self, client, donate_page, fake_stripe):
        client.post(
            "/donate/",
            form_data(
                amount="other", custom_amount="42.50", donor_name="Grace", tribute_type="honour", tribute_name="Raphael"
            ),
        )
        cancel_url = checkout_requests(fake_stripe)[0].params["cancel_url"]
        split = urlsplit(cancel_url)
        response = client.get(split.path, parse_qs(split.query))
        html = BeautifulSoup(response.content, "html.parser")
        assert html.select_one("input[name=custom_amount]")["value"] == "42.50"
        assert html.select_one("input#amount-other").has_attr("checked")
        assert html.select_one("input[name=donor_name]")["value"] == "Grace"
        assert html.select_one("input[name=tribute_type][value=honour]").has_attr("checked")
        assert html.select_one("input[name=tribute_name]")["value"] == "Raphael"

    def test_a_forged_resume_token_prefills_nothing(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data(donor_name="Grace"))
        response = client.get("/donate/", {"resume": "forged:token"})
        assert BeautifulSoup(response.content, "html.parser").select_one("input[name=donor_name]").get("value") is None


class TestRateLimit:
    def test_session_creation_is_limited_per_client_address(self, client, donate_page, fake_stripe, settings):
        settings.DONATIONS_CHECKOUT_RATE_LIMIT = (2, 3600)
        for amount in ["25", "50"]:
            assert client.post("/donate/", form_data(amount=amount)).status_code == 303
        limited = client.post("/donate/", form_data(amount="100"))

        assert limited.status_code == 429
        assert "paused new ones for a while" in limited.content.decode()
        assert len(checkout_requests(fake_stripe)) == 2
        assert Donation.objects.count() == 2
        other_address = client.post("/donate/", form_data(amount="100"), REMOTE_ADDR="10.0.0.9")
        assert other_address.status_code == 303

    def test_behind_a_proxy_the_forwarded_address_counts(self, client, donate_page, fake_stripe, settings):
        settings.DONATIONS_CHECKOUT_RATE_LIMIT = (1, 3600)
        settings.TRUSTED_PROXY_COUNT = 1
        first = client.post("/donate/", form_data(), HTTP_X_FORWARDED_FOR="203.0.113.5")
        second = client.post("/donate/", form_data(), HTTP_X_FORWARDED_FOR="203.0.113.6")
        third = client.post("/donate/", form_data(), HTTP_X_FORWARDED_FOR="203.0.113.6")
        assert [first.status_code, second.status_code, third.status_code] == [303, 303, 429]


class TestStripeOutage:
    def assert_nothing_lost(self, response, fake):
        assert response.status_code == 503
        page = response.content.decode()
        assert "We could not reach our payment provider just now, so nothing has been charged" in page
        html = BeautifulSoup(page, "html.parser")
        assert html.select_one("input[name=donor_name]")["value"] == "Ada Donor"
        assert html.select_one("input[name=amount][value='50']").has_attr("checked")
        donation = Donation.objects.get()
        assert donation.status == "pending"
        assert donation.checkout_error
        assert not donation.stripe_checkout_session_id
        return donation

    def test_stripe_erroring(self, client, donate_page, fake_stripe):
        fake_stripe.fail_next(500)
        donation = self.assert_nothing_lost(client.post("/donate/", form_data()), fake_stripe)
        assert "APIError" in donation.checkout_error
        # No retry while the donor waits: the page answers at once.
        [sent] = checkout_requests(fake_stripe)
        assert sent.header("idempotency-key").startswith(f"checkout-{donation.uuid}-0-")

    def test_pressing_again_after_an_error_succeeds_under_a_new_key(self, client, donate_page, fake_stripe):
        # Stripe keeps a key's failed answer, so the retry must not reuse that key.
        fake_stripe.fail_next(500)
        assert client.post("/donate/", form_data()).status_code == 503
        response = client.post("/donate/", form_data())
        assert response.status_code == 303
        assert Donation.objects.count() == 1
        assert len(fake_stripe.sessions) == 1
        keys = [r.header("idempotency-key") for r in checkout_requests(fake_stripe)]
        assert len(set(keys)) == 2
        assert keys[1].startswith(f"checkout-{Donation.objects.get().uuid}-1-")

    def test_stripe_slower_than_the_timeout(self, client, donate_page, fake_stripe, settings):
        settings.STRIPE_CHECKOUT_TIMEOUT = (0.5, 0.3)
        fake_stripe.delay = 1.0
        response = client.post("/donate/", form_data())
        assert "did not answer in time, so nothing has been charged" in response.content.decode()
        donation = Donation.objects.get()
        assert "APIConnectionError" in donation.checkout_error
        assert len(checkout_requests(fake_stripe)) == 1  # no retry while the donor waits
        # Stripe is quick again: the donor presses again and goes to pay.
        fake_stripe.delay = 0
        assert client.post("/donate/", form_data()).status_code == 303
        assert Donation.objects.count() == 1

    def test_stripe_down(self, client, donate_page, fake_stripe):
        fake_stripe.stop()
        donation = self.assert_nothing_lost(client.post("/donate/", form_data()), fake_stripe)
        assert "APIConnectionError" in donation.checkout_error

    def test_trying_again_once_stripe_is_back_charges_once(self, client, donate_page, fake_stripe):
        fake_stripe.fail_next(500, times=2)
        client.post("/donate/", form_data())
        client.post("/donate/", form_data())
        response = client.post("/donate/", form_data())  # the donor presses the button a third time
        assert response.status_code == 303
        donation = Donation.objects.get()
        assert donation.checkout_error == ""
        assert list(fake_stripe.sessions) == [donation.stripe_checkout_session_id]


def test_the_donate_page_costs_the_same_queries_with_40_gifts_as_with_none(client, donate_page, fake_stripe, campaign):
    """The campaign's progress is summed in the database, not gift by gift."""
    few = count_queries(client, "/donate/")
    for number in range(40):
        donation = Donation.objects.create(
            amount=2500,
            currency="USD",
            frequency="once",
            donor_name="D",
            donor_email="d@example.org",
            campaign=campaign,
        )
        donation.payments.create(
            amount=2500, currency="USD", paid_at="2026-02-01T00:00Z", stripe_invoice_id=f"in_{number}"
        )
    assert count_queries(client, "/donate/") == few
    figures = BeautifulSoup(client.get("/donate/").content, "html.parser").select_one(".campaign-progress__figures")
    assert "$1,000.00 raised" in figures.get_text()


def test_a_session_id_already_tied_to_another_gift_is_refused_not_a_crash(client, donate_page, fake_stripe):
    client.post("/donate/", form_data(amount="25"))
    first = Donation.objects.get()
    fake_stripe.new_id = lambda prefix: first.stripe_checkout_session_id  # a broken stand-in reusing ids
    response = client.post("/donate/", form_data(amount="50"))
    assert response.status_code == 503
    assert Donation.objects.get(amount=5000).stripe_checkout_session_id == ""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    __import__("django.db").db.connection.vendor != "postgresql",
    reason="SQLite serialises all writers; PostgreSQL is the test",
)
def test_two_presses_at_once_reach_one_checkout_session(donate_page, fake_stripe):
    """The second press arrives while Stripe is still answering the first: Stripe refuses the key
    in flight (409), and the second press waits for the first one's session instead of failing."""
    import threading

    from django.db import connection
    from django.test import Client

    fake_stripe.delay = 0.6  # within the test's 1 s read timeout
    answers = {}

    def press(name, pause):
        time.sleep(pause)
        try:
            answers[name] = Client().post("/donate/", form_data())
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=args) for args in [("first", 0), ("second", 0.2)]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert answers["first"].status_code == answers["second"].status_code == 303
    assert answers["first"]["Location"] == answers["second"]["Location"]
    assert Donation.objects.count() == 1
    assert len(fake_stripe.sessions) == 1
    assert len(checkout_requests(fake_stripe)) == 2  # the second was refused as in flight: no session of its own
