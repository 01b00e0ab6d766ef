"""The donate page is one cached copy for every visitor: no token in its form, posts from other sites
refused by the browser's own headers, a double submit recognised by what was chosen, the donor's own
pages never stored, and the campaign bar up to date on the next request after a gift is paid."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from donations.checkout import RESUBMIT_WINDOW
from donations.models import Donation

from . import stripe_events as events
from .conftest import form_data
from .stripe_events import deliver

pytestmark = pytest.mark.django_db

SAME_ORIGIN = {"HTTP_SEC_FETCH_SITE": "same-origin", "HTTP_ORIGIN": "http://testserver"}
FROM_ANOTHER_SITE = {"HTTP_SEC_FETCH_SITE": "cross-site", "HTTP_ORIGIN": "https://attacker.example"}


def checkout_requests(fake):
    return fake.api_requests("/v1/checkout/sessions")


def visit(url, **headers):
    """A first-time anonymous visitor: no cookies."""
    return Client().get(url, **headers)


def cache_status(response):
    return response.get("X-Page-Cache")


def campaign_figures(response):
    html = BeautifulSoup(response.content, "html.parser")
    return " ".join(html.select_one(".campaign-progress__figures").get_text().split())


def never_stored(response):
    cache_control = response.get("Cache-Control", "")
    return "private" in cache_control and "no-store" in cache_control


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()


class TestOneCopyForEveryVisitor:
    @pytest.mark.parametrize("url", ["/donate/", "/es/donar/"])
    def test_two_visitors_get_the_same_bytes_with_no_token_and_no_cookie(self, spanish_donate_page, fake_stripe, url):
        first = visit(url, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
        second = visit(url, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
        assert first.status_code == second.status_code == 200
        assert first.content == second.content
        for response in (first, second):
            assert not response.cookies
            assert "Set-Cookie" not in response.headers
            assert "Accept-Language" not in response.get("Vary", "")
            assert not never_stored(response)
        html = BeautifulSoup(first.content, "html.parser")
        assert html.select_one("form.donate-form")
        assert not html.select("input[type=hidden]")  # no CSRF token, no submission token
        assert b"csrfmiddlewaretoken" not in first.content

    @pytest.mark.parametrize("url", ["/donate/", "/es/donar/"])
    def test_the_second_visitor_is_served_from_the_page_cache(
        self, spanish_donate_page, fake_stripe, page_cache, django_assert_num_queries, url
    ):
        first = visit(url, HTTP_ACCEPT_LANGUAGE="en")
        assert cache_status(first) == "miss"
        with django_assert_num_queries(0):
            second = visit(url, HTTP_ACCEPT_LANGUAGE="pl")
        assert cache_status(second) == "hit"
        assert second.content == first.content

    def test_campaign_links_with_tracking_parameters_share_the_one_copy(self, donate_page, fake_stripe, page_cache):
        visit("/donate/")
        assert cache_status(visit("/donate/?utm_source=newsletter&utm_campaign=december")) == "hit"


class TestTheDonorsOwnPagesAreNeverStored:
    def test_back_from_stripe_with_what_was_typed(self, client, donate_page, fake_stripe, page_cache):
        client.post("/donate/", form_data(donor_name="Grace Giver"))
        cancel_url = checkout_requests(fake_stripe)[0].params["cancel_url"].removeprefix("http://testserver")
        for _ in range(2):
            response = visit(cancel_url)
            assert "Grace Giver" in response.content.decode()
            assert cache_status(response) is None
            assert never_stored(response)
        # And the plain page never shows it.
        assert "Grace Giver" not in visit("/donate/").content.decode()

    def test_a_donate_block_s_choice(self, donate_page, fake_stripe, page_cache):
        for _ in range(2):
            response = visit("/donate/?frequency=monthly&amount=20")
            assert cache_status(response) is None
            assert never_stored(response)

    def test_the_form_shown_again_with_its_errors(self, client, donate_page, fake_stripe):
        response = client.post("/donate/", form_data(donor_email="not-an-email", donor_name="Grace Giver"))
        assert response.status_code == 200
        assert "Grace Giver" in response.content.decode()
        assert never_stored(response)

    def test_the_form_shown_again_when_stripe_is_down(self, client, donate_page, fake_stripe):
        fake_stripe.fail_next(500)
        response = client.post("/donate/", form_data())
        assert response.status_code == 503
        assert never_stored(response)

    def test_the_page_saying_giving_is_not_set_up_is_not_kept(self, donate_page, settings, page_cache):
        # Or a deploy that switches giving on would keep showing it until the copy expired.
        settings.STRIPE_SECRET_KEY = ""
        response = visit("/donate/")
        assert "Online giving is not set up yet" in response.content.decode()
        assert cache_status(response) is None
        assert never_stored(response)


class TestPostsFromOtherSites:
    def test_a_post_from_the_page_itself_starts_checkout(self, client, donate_page, fake_stripe):
        response = client.post("/donate/", form_data(), **SAME_ORIGIN)
        assert response.status_code == 303
        assert response["Location"] == Donation.objects.get().stripe_checkout_url

    def test_over_plain_http_the_origin_alone_decides(self, client, donate_page, fake_stripe):
        # Browsers send Sec-Fetch-Site only to HTTPS (and localhost); Origin always.
        assert client.post("/donate/", form_data(), HTTP_ORIGIN="http://testserver").status_code == 303
        refused = client.post("/donate/", form_data(amount="25"), HTTP_ORIGIN="http://attacker.example")
        assert refused.status_code == 403
        assert Donation.objects.count() == 1

    @pytest.mark.parametrize(
        "headers",
        [
            FROM_ANOTHER_SITE,
            # Another host of the same domain is another origin.
            {"HTTP_SEC_FETCH_SITE": "same-site", "HTTP_ORIGIN": "http://shop.testserver"},
            {"HTTP_SEC_FETCH_SITE": "cross-site"},
            {"HTTP_ORIGIN": "https://attacker.example"},
            # A sandboxed frame, or a redirect through another site.
            {"HTTP_ORIGIN": "null"},
            # The site's own host under another scheme is another origin.
            {"HTTP_ORIGIN": "https://testserver"},
        ],
    )
    def test_a_post_from_another_site_is_refused_and_records_nothing(self, client, donate_page, fake_stripe, headers):
        response = client.post("/donate/", form_data(), **headers)
        assert response.status_code == 403
        assert not Donation.objects.exists()
        assert not checkout_requests(fake_stripe)
        html = BeautifulSoup(response.content, "html.parser")
        notice = " ".join(html.select_one(".notice--error").get_text().split())
        assert notice == (
            "This form was sent to us from another website, so we did not accept it and nothing has been "
            "charged. To give, please fill in the form below on our own site and press the button."
        )
        # The form to give from here, empty: nothing the other site sent is shown back.
        assert html.select_one("form.donate-form")["action"] == "/donate/"
        assert html.select_one("input[name=donor_name]").get("value") is None
        assert never_stored(response)

    def test_the_spanish_page_refuses_in_spanish(self, client, spanish_donate_page, fake_stripe):
        response = client.post("/es/donar/", form_data(), **FROM_ANOTHER_SITE)
        assert response.status_code == 403
        html = BeautifulSoup(response.content, "html.parser")
        notice = " ".join(html.select_one(".notice--error").get_text().split())
        assert notice.startswith("Este formulario nos llegó desde otro sitio web")
        assert not Donation.objects.exists()

    def test_the_spanish_page_takes_its_own_posts(self, client, spanish_donate_page, fake_stripe):
        response = client.post("/es/donar/", form_data(), **SAME_ORIGIN)
        assert response.status_code == 303
        assert Donation.objects.get().language == "es"

    def test_a_client_that_is_no_browser_may_post(self, client, donate_page, fake_stripe):
        # Neither header: a script or a monitoring probe, which has no visitor's cookies to borrow.
        assert client.post("/donate/", form_data()).status_code == 303

    def test_an_origin_the_site_trusts_may_post(self, client, donate_page, fake_stripe, settings):
        settings.CSRF_TRUSTED_ORIGINS = ["https://partner.example"]
        response = client.post(
            "/donate/", form_data(), HTTP_SEC_FETCH_SITE="cross-site", HTTP_ORIGIN="https://partner.example"
        )
        assert response.status_code == 303

    def test_behind_a_tls_proxy_the_sites_public_origin_is_compared(self, client, donate_page, fake_stripe, settings):
        settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        settings.ALLOWED_HOSTS = ["www.example.org"]
        behind_the_proxy = {"HTTP_HOST": "www.example.org", "HTTP_X_FORWARDED_PROTO": "https"}
        refused = client.post("/donate/", form_data(), HTTP_ORIGIN="http://www.example.org", **behind_the_proxy)
        assert refused.status_code == 403
        accepted = client.post("/donate/", form_data(), HTTP_ORIGIN="https://www.example.org", **behind_the_proxy)
        assert accepted.status_code == 303

    def test_the_sites_public_address_is_its_origin_when_the_proxy_does_not_say_https(
        self, client, donate_page, fake_stripe, settings
    ):
        settings.WAGTAILADMIN_BASE_URL = "https://testserver"
        assert client.post("/donate/", form_data(), HTTP_ORIGIN="https://testserver").status_code == 303

    def test_every_other_form_keeps_djangos_csrf_check(self, donate_page, fake_stripe, home):
        browser = Client(enforce_csrf_checks=True)
        assert browser.post("/donate/", form_data(), **SAME_ORIGIN).status_code == 303
        # Without a token: the manage-your-gift form, the home page, a page that does not exist.
        assert browser.post("/donate/manage/", {"email": "ada@example.org"}, **SAME_ORIGIN).status_code == 403
        assert browser.post("/", {}, **SAME_ORIGIN).status_code == 403
        assert browser.post("/no-such-page/", {}, **SAME_ORIGIN).status_code == 403


class TestTheSameFormSentAgain:
    def test_a_reload_of_the_post_reaches_the_same_session(self, client, donate_page, fake_stripe):
        first = client.post("/donate/", form_data(), **SAME_ORIGIN)
        again = client.post("/donate/", form_data(donor_email=" ADA@example.org "), **SAME_ORIGIN)
        assert again["Location"] == first["Location"]
        assert Donation.objects.count() == 1
        assert len(checkout_requests(fake_stripe)) == 1

    def test_two_donors_choosing_the_same_amount_never_share_a_gift(self, client, donate_page, fake_stripe):
        ada = client.post("/donate/", form_data())
        grace = Client().post("/donate/", form_data(donor_name="Grace Giver", donor_email="grace@example.org"))
        # One email for two people: their names tell them apart.
        tomas = Client().post("/donate/", form_data(donor_name="Tomás Donor"))
        assert len({ada["Location"], grace["Location"], tomas["Location"]}) == 3
        assert Donation.objects.count() == 3
        assert len(fake_stripe.sessions) == 3
        keys = {request.header("idempotency-key") for request in checkout_requests(fake_stripe)}
        assert len(keys) == 3

    def test_a_tribute_makes_another_gift(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data())
        client.post("/donate/", form_data(tribute_type="memory", tribute_name="Sheri Rosenberg"))
        assert Donation.objects.count() == 2

    def test_the_same_gift_on_the_spanish_page_is_its_own(self, client, spanish_donate_page, fake_stripe):
        client.post("/donate/", form_data())
        client.post("/es/donar/", form_data())
        assert sorted(Donation.objects.values_list("language", flat=True)) == ["en", "es"]

    def test_the_same_choices_later_on_are_a_new_gift(self, client, donate_page, fake_stripe):
        first = client.post("/donate/", form_data())
        Donation.objects.update(created_at=timezone.now() - RESUBMIT_WINDOW)
        later = client.post("/donate/", form_data())
        assert later["Location"] != first["Location"]
        assert Donation.objects.count() == 2
        # The fingerprint now names the new gift: a double click on it finds it.
        assert client.post("/donate/", form_data())["Location"] == later["Location"]
        assert Donation.objects.count() == 2

    def test_a_gift_whose_checkout_expired_is_not_resumed(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data())
        Donation.objects.update(status="abandoned")
        client.post("/donate/", form_data())
        assert sorted(Donation.objects.values_list("status", flat=True)) == ["abandoned", "pending"]
        assert len(fake_stripe.sessions) == 2


class TestTheCampaignBar:
    def pay(self, client, fake, **choices):
        client.post("/donate/", form_data(**choices))
        donation = Donation.objects.latest("pk")
        deliver(client, events.event("checkout.session.completed", events.checkout_session(donation)))

    def test_a_paid_gift_shows_on_the_next_request_in_both_languages(
        self, client, spanish_donate_page, fake_stripe, webhook_secret, page_cache, home
    ):
        for url in ["/donate/", "/es/donar/", "/"]:
            visit(url)
            assert cache_status(visit(url)) == "hit"

        self.pay(client, fake_stripe, amount="50")

        english, spanish = visit("/donate/"), visit("/es/donar/")
        assert cache_status(english) == cache_status(spanish) == "miss"
        assert campaign_figures(english) == "$50.00 raised of a $10,000.00 goal"
        assert campaign_figures(spanish) == "50,00 US$ recaudados de una meta de 10.000,00 US$"
        # Only the donate pages: the rest of the site stays cached.
        assert cache_status(visit("/")) == "hit"

    def test_every_address_the_page_was_kept_under_is_dropped(
        self, client, donate_page, fake_stripe, webhook_secret, page_cache
    ):
        addresses = [("/donate/", {}), ("/donate/", {"HTTP_HOST": "www.example.org"}), ("/donate/?page=2", {})]
        for url, headers in addresses:
            visit(url, **headers)
        self.pay(client, fake_stripe, amount="100")
        for url, headers in addresses:
            response = visit(url, **headers)
            assert cache_status(response) == "miss"
            assert campaign_figures(response).startswith("$100.00 raised")

    def test_a_refund_and_an_edited_goal_show_too(self, client, donate_page, fake_stripe, webhook_secret, page_cache):
        self.pay(client, fake_stripe, amount="100")
        visit("/donate/")
        payment = Donation.objects.get().payments.get()
        payment.amount_refunded = 10000
        payment.save()
        assert campaign_figures(visit("/donate/")) == "We are raising $10,000.00."
        campaign = donate_page.campaign
        campaign.goal = 20_000_00
        campaign.save()
        assert campaign_figures(visit("/donate/")) == "We are raising $20,000.00."

    def test_a_frontend_cache_is_told_to_forget_both_languages(
        self, client, spanish_donate_page, fake_stripe, webhook_secret, settings
    ):
        purged = []

        class CachingProxy(BaseHTTPRequestHandler):
            def do_PURGE(self):
                purged.append(f"http://{self.headers['Host']}{self.path}")
                self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), CachingProxy)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        settings.WAGTAILFRONTENDCACHE = {
            "default": {
                "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
                "LOCATION": f"http://127.0.0.1:{server.server_port}",
            }
        }
        try:
            self.pay(client, fake_stripe, amount="50")
        finally:
            server.shutdown()
            server.server_close()
        assert sorted(purged) == ["http://testserver/donate/", "http://testserver/es/donar/"]
