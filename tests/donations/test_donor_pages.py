"""The pages a donor sees after Stripe: thank-you, and managing a monthly gift through a signed link."""

import re

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.core.cache import cache

from donations.models import Donation
from donations.views import MANAGE_SALT

from .factories import PaymentFactory

pytestmark = pytest.mark.django_db


def donation(**fields):
    values = {
        "amount": 2500,
        "currency": "GBP",
        "frequency": "monthly",
        "donor_name": "Grace Giver",
        "donor_email": "grace@example.org",
        "stripe_checkout_session_id": "cs_test_thanks",
    }
    values.update(fields)
    return Donation.objects.create(**values)


class TestThankYou:
    def test_thanks_the_donor_by_name_without_marking_anything_paid(self, client, home):
        gift = donation()
        response = client.get("/donate/thank-you/", {"session_id": "cs_test_thanks"})
        text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
        assert "Thank you, Grace Giver" in text
        assert "monthly gift of £25.00 a month" in text
        assert "waiting for Stripe to confirm" in text
        gift.refresh_from_db()
        assert gift.status == "pending"
        assert not gift.payments.exists()
        assert not mail.outbox
        assert "no-cache" in response["Cache-Control"]

    def test_says_confirmed_once_the_webhook_has_confirmed(self, client, home):
        donation(status="active")
        text = client.get("/donate/thank-you/", {"session_id": "cs_test_thanks"}).content.decode()
        assert "Stripe has confirmed your payment" in text

    def test_an_unknown_session_gets_a_plain_thank_you(self, client, home):
        donation()
        response = client.get("/donate/thank-you/", {"session_id": "cs_test_someone_else"})
        assert response.status_code == 200
        assert "Grace" not in response.content.decode()

    @pytest.mark.parametrize("session_id", ["a\x00b", "cs_test'--", "\uff43\uff53_test", "%" * 300])
    def test_a_session_id_that_is_no_stripe_id_gets_a_plain_thank_you(self, client, home, session_id):
        donation()
        response = client.get("/donate/thank-you/", {"session_id": session_id})
        assert response.status_code == 200
        assert "Grace" not in response.content.decode()


class TestManageMonthlyGift:
    def request_link(self, client, email):
        response = client.post("/donate/manage/", {"email": email})
        assert response.status_code == 200
        assert "If a gift has been made from that address" in response.content.decode()

    def emailed_link(self):
        [message] = mail.outbox
        return re.search(r"http://testserver(/donate/manage/\S+/)", message.body).group(1)

    def test_a_monthly_donor_gets_a_signed_link_that_opens_stripes_portal(self, client, home, fake_stripe):
        donation(status="active", stripe_customer_id="cus_test_grace")
        self.request_link(client, "GRACE@example.org")
        link = self.emailed_link()
        assert "£25.00 a month" in mail.outbox[0].body

        page = client.get(link)
        assert page.status_code == 200
        assert "Open Stripe's page for this gift" in page.content.decode()
        assert not fake_stripe.api_requests()  # opening the link (or a mail scanner doing so) calls nothing

        response = client.post(link)
        assert response.status_code == 303
        [sent] = fake_stripe.api_requests("/v1/billing_portal/sessions")
        assert sent.params == {"customer": "cus_test_grace", "return_url": "http://testserver/donate/manage/"}
        assert response["Location"].startswith(f"{fake_stripe.url}/portal/bps_test_")

    def test_an_unknown_address_gets_the_same_answer_and_no_email(self, client, home):
        donation(status="active", stripe_customer_id="cus_test_grace")
        self.request_link(client, "stranger@example.org")
        assert not mail.outbox

    def test_a_one_off_donor_gets_a_link_to_their_statements_and_no_portal(self, client, home, fake_stripe):
        gift = donation(frequency="once", status="paid", stripe_customer_id="cus_b", stripe_checkout_session_id="cs_b")
        PaymentFactory(donation=gift)
        self.request_link(client, "grace@example.org")
        [message] = mail.outbox
        assert message.subject.startswith("Your year-end statements from ")
        assert "/donate/manage/" in message.body
        assert "a month" not in message.body
        link = re.search(r"http://testserver(/donate/manage/\S+/statement/)", message.body).group(1)
        page = client.get(link)
        assert page.status_code == 200
        assert "2026" in page.content.decode()

        # The same token on the manage page offers no portal for a one-off gift, and posting opens none.
        manage = link.removesuffix("statement/")
        opened = client.get(manage)
        assert opened.status_code == 200
        assert "Open Stripe's page" not in opened.content.decode()
        assert f'href="{link}"' in opened.content.decode()
        refused = client.post(manage)
        assert refused.status_code == 400
        assert "nothing to change at Stripe" in refused.content.decode()
        assert not fake_stripe.api_requests()

    def test_a_monthly_donor_who_has_paid_gets_the_statement_link_too(self, client, home):
        gift = donation(status="active", stripe_customer_id="cus_test_grace")
        PaymentFactory(donation=gift)
        donation(frequency="once", status="paid", stripe_checkout_session_id="cs_b")  # not paid yet: no line
        self.request_link(client, "grace@example.org")
        [message] = mail.outbox
        assert len(re.findall(r"/donate/manage/[^\s/]+/\n", message.body)) == 1
        assert len(re.findall(r"/donate/manage/[^\s/]+/statement/\n", message.body)) == 1

    def test_an_ended_gift_or_an_unpaid_one_sends_nothing(self, client, home):
        donation(status="cancelled", stripe_customer_id="cus_a")
        donation(frequency="once", status="pending", stripe_checkout_session_id="cs_b")
        self.request_link(client, "grace@example.org")
        assert not mail.outbox

    def test_an_expired_link_says_so(self, client, home, settings):
        gift = donation(status="active", stripe_customer_id="cus_test_grace")
        settings.DONATIONS_MANAGE_LINK_MAX_AGE = -1
        token = signing.TimestampSigner(salt=MANAGE_SALT).sign(str(gift.uuid))
        response = client.get(f"/donate/manage/{token}/")
        assert response.status_code == 400
        assert "This link has expired" in response.content.decode()

    def test_a_forged_link_is_refused(self, client, home):
        gift = donation(status="active", stripe_customer_id="cus_test_grace")
        response = client.post(f"/donate/manage/{gift.uuid}:forged/")
        assert response.status_code == 400
        assert "This link is not valid" in response.content.decode()

    def test_stripe_down_when_opening_the_portal(self, client, home, fake_stripe):
        gift = donation(status="active", stripe_customer_id="cus_test_grace")
        token = signing.TimestampSigner(salt=MANAGE_SALT).sign(str(gift.uuid))
        fake_stripe.stop()
        response = client.post(f"/donate/manage/{token}/")
        assert response.status_code == 503
        assert "could not reach our payment provider" in response.content.decode()

    def test_link_requests_are_rate_limited(self, client, home, settings):
        settings.DONATIONS_MANAGE_RATE_LIMIT = (1, 3600)
        client.post("/donate/manage/", {"email": "a@example.org"})
        response = client.post("/donate/manage/", {"email": "b@example.org"})
        assert response.status_code == 429
        assert "Please try again later" in response.content.decode()

    def test_the_limit_outlives_the_cache(self, client, home, settings):
        """Counters are rows: a Redis restart, or pages flooding the cache, cannot reset them."""
        settings.DONATIONS_MANAGE_RATE_LIMIT = (1, 3600)
        client.post("/donate/manage/", {"email": "a@example.org"})
        cache.clear()
        assert client.post("/donate/manage/", {"email": "b@example.org"}).status_code == 429
        other_address = client.post("/donate/manage/", {"email": "b@example.org"}, REMOTE_ADDR="192.0.2.7")
        assert other_address.status_code == 200


def test_the_request_page_says_how_long_the_links_work_as_configured(client, home, settings):
    settings.DONATIONS_MANAGE_LINK_MAX_AGE = 48 * 3600
    response = client.post("/donate/manage/", {"email": "someone@example.org"})
    assert "The links work for 48 hours." in " ".join(response.content.decode().split())
    settings.DONATIONS_MANAGE_LINK_MAX_AGE = 3600
    response = client.post("/donate/manage/", {"email": "someone.else@example.org"})
    assert "The links work for 1 hour." in " ".join(response.content.decode().split())
