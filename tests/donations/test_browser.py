"""The whole donor path in a real browser, with the fake server standing in for Stripe.

Self-contained: its own Playwright fixture drives the system Chromium (never a downloaded one).
Select it with `pytest -m browser` (`make test-browser`); it also runs in `make test`.
"""

import json
import shutil
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.db import connections
from django.urls import reverse

from donations.currencies import CURRENCIES
from donations.models import Donation, Payment

from . import stripe_events as events
from .fake_stripe import FakeStripe

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="needs the system Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def chromium_browser(monkeypatch):
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API keeps an event loop running in this thread; the test's own database
    # calls are ordinary synchronous ones, so Django's guard against async callers does not apply.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Database calls made while Playwright's loop runs get a connection of their own (Django's
        # connections are local to the async context); close it before the test database is dropped.
        connections.close_all()


def new_page(browser, **context_options):
    context = browser.new_context(viewport={"width": 390, "height": 900}, **context_options)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def browser_page(chromium_browser):
    page = new_page(chromium_browser)
    yield page
    page.context.close()


@pytest.fixture
def live_stripe(settings):
    server = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = events.WEBHOOK_SECRET
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_TIMEOUT = (2.0, 5.0)
    settings.STRIPE_CHECKOUT_TIMEOUT = (2.0, 8.0)
    # The fake hosted Checkout lives at the fake server's origin, as Stripe's lives at checkout.stripe.com.
    settings.STRIPE_REDIRECT_ORIGINS = [server.url]
    yield server
    server.stop()


def test_a_monthly_gift_with_a_tribute_from_the_form_to_the_admin(
    browser_page, live_server, live_stripe, donate_page, django_user_model, client
):
    page = browser_page
    console_errors, failed_requests = [], []
    page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    page.on("response", lambda response: response.status >= 400 and failed_requests.append(response.url))

    page.goto(f"{live_server.url}/donate/")
    page.get_by_label("Monthly", exact=True).check()
    # The script redraws the amounts for a monthly gift in dollars.
    page.get_by_label("$20 a month", exact=True).check()
    page.get_by_label("Your name").fill("Ada Donor")
    page.get_by_label("Your email").fill("ada@example.org")
    page.get_by_label("In memory of", exact=True).check()
    page.get_by_label("Their name").fill("Sheri P. Rosenberg")
    page.get_by_label("Email someone about this gift (optional)").fill("family@example.org")
    # The button names what will be charged before the donor leaves for Stripe.
    page.get_by_role("button", name="Give $20.00 a month").click()

    # Stripe's (fake) hosted Checkout: the site sent a monthly subscription of $20.
    page.wait_for_url(f"{live_stripe.url}/pay/*")
    [sent] = live_stripe.api_requests("/v1/checkout/sessions")
    assert sent.params["mode"] == "subscription"
    assert sent.params["line_items"][0]["price_data"]["unit_amount"] == "2000"
    donation = Donation.objects.get()
    assert (donation.status, donation.tribute_line) == ("pending", "In memory of Sheri P. Rosenberg")

    page.click("#pay")
    page.wait_for_url(f"{live_server.url}/donate/thank-you/*")
    assert parse_qs(urlsplit(page.url).query)["session_id"] == [donation.stripe_checkout_session_id]
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you, Ada Donor"
    assert "waiting for Stripe to confirm" in page.content()
    donation.refresh_from_db()
    assert donation.status == "pending"  # the redirect alone marks nothing paid

    # Stripe then confirms through the webhook: the session, and the first month's invoice.
    session = events.checkout_session(donation)
    client.post(
        "/donate/stripe/webhook/",
        json.dumps(payload := events.event("checkout.session.completed", session)),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=events.signature(json.dumps(payload)),
    )
    invoice = events.event("invoice.paid", events.invoice(donation, session["subscription"]))
    response = client.post(
        "/donate/stripe/webhook/",
        json.dumps(invoice),
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=events.signature(json.dumps(invoice)),
    )
    assert response.status_code == 200
    donation.refresh_from_db()
    assert donation.status == "active"
    assert Payment.objects.get().amount == 2000
    assert sorted(message.to[0] for message in mail.outbox) == ["ada@example.org", "family@example.org"]

    page.reload()
    assert "Stripe has confirmed your payment" in page.content()
    # Nothing on our pages failed to load or broke the Content Security Policy.
    assert not [url for url in failed_requests if url.startswith(live_server.url)]
    assert not [error for error in console_errors if "Failed to load resource" not in error]

    # Staff see it in the admin.
    django_user_model.objects.create_superuser("staff", "staff@example.org", "a-long-password-for-staff")
    page.goto(f"{live_server.url}/admin/login/")
    page.get_by_label("Username").fill("staff")
    page.get_by_label("Password").fill("a-long-password-for-staff")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/admin/")
    page.goto(live_server.url + reverse("donations_donation:index"))
    row = page.locator("tbody tr", has_text="Ada Donor")
    assert "$20.00" in row.inner_text()
    assert "Monthly gift active" in row.inner_text()
    assert "$20.00" in page.locator(".donation-totals").inner_text()


def test_a_spanish_browser_a_decimal_comma_a_slow_stripe_and_a_double_click_make_one_gift(
    chromium_browser, live_server, live_stripe, donate_page
):
    live_stripe.delay = 3.0

    def fill_in(page, amount):
        page.goto(f"{live_server.url}/donate/")
        page.get_by_label("Currency").select_option("EUR")
        page.get_by_label("Other amount").check()
        field = page.locator("input[name=custom_amount]")
        assert "40,50" in page.locator(f"#{field.get_attribute('aria-describedby')}").inner_text()
        field.fill(amount)
        page.get_by_label("Your name").fill("Lucía Donante")
        page.get_by_label("Your email").fill("lucia@example.org")

    page = new_page(chromium_browser, locale="es-ES")  # Accept-Language: es-ES
    fill_in(page, "12,34")
    # The button reads each amount as the server will, and keeps its plain label where the server
    # would ask again.
    field = page.locator("input[name=custom_amount]")
    for typed in ["1.234,50", "5.000", "5,000", "12,34,5", "12.3456", "doce", "12,34"]:
        field.fill(typed)
        try:
            minor = CURRENCIES["EUR"].to_minor(typed, "es_ES")
        except ValueError:
            expected = "Continue to secure payment"
        else:
            expected = "Give " + page.evaluate(
                "n => new Intl.NumberFormat(navigator.language, {style: 'currency', currency: 'EUR'}).format(n)",
                minor / 100,
            )
        assert page.locator(".donate-form__submit").inner_text() == expected, typed
    assert page.locator(".donate-form__submit").inner_text() == "Give 12,34\xa0€"

    # Chromium sends both presses of a fast double click before the page can stop the second.
    page.locator(".donate-form__submit").dblclick()
    page.wait_for_url(f"{live_stripe.url}/pay/*")
    donation = Donation.objects.get()
    assert (donation.amount, donation.currency) == (1234, "EUR")
    assert len(live_stripe.sessions) == 1
    assert page.url == donation.stripe_checkout_url
    assert {r.params["line_items"][0]["price_data"]["unit_amount"] for r in live_stripe.api_requests()} == {"1234"}

    # Back from Stripe with the browser's Back button: the button is ready again.
    page.go_back()
    page.wait_for_url(f"{live_server.url}/donate/*")
    button = page.locator(".donate-form__submit")
    assert button.is_enabled()
    assert button.inner_text().startswith("Give ")

    page.context.close()

    # A single press, while Stripe takes its time: the button says what is happening and is disabled.
    seen = []
    page = new_page(chromium_browser, locale="es-ES")
    page.expose_function("buttonOnSubmit", lambda disabled, text: seen.append((disabled, text)))
    fill_in(page, "20")
    # Heard from the page as the form is sent (after the site's own script has run), before it unloads.
    page.evaluate("""() => document.querySelector('.donate-form').addEventListener('submit', () => {
        const button = document.querySelector('.donate-form__submit');
        window.buttonOnSubmit(button.disabled, button.textContent);
    })""")
    page.locator(".donate-form__submit").click()
    page.wait_for_url(f"{live_stripe.url}/pay/*")
    assert seen == [(True, "Connecting to Stripe…")]
    page.context.close()


def test_a_spanish_donor_pays_through_the_stand_in_and_gets_a_spanish_receipt(
    chromium_browser, live_server, live_stripe, spanish_donate_page, client
):
    page = new_page(chromium_browser, locale="es-AR")  # Accept-Language: es-AR
    page.goto(f"{live_server.url}/es/donar/")
    page.get_by_label("Mensual", exact=True).check()
    # The script redraws the monthly amounts, in Spanish.
    page.get_by_label("20\xa0US$ al mes", exact=True).check()
    page.get_by_label("Su nombre").fill("Lucía Donante")
    page.get_by_label("Su correo electrónico").fill("lucia@example.org")
    money = page.evaluate(
        "n => new Intl.NumberFormat(navigator.language, {style: 'currency', currency: 'USD'}).format(n)", 20
    )
    button = page.get_by_role("button", name=f"Donar {money} al mes")
    # A double click still makes one gift and one Checkout Session.
    button.dblclick()

    page.wait_for_url(f"{live_stripe.url}/pay/*")
    donation = Donation.objects.get()
    assert (donation.language, donation.amount, donation.frequency) == ("es", 2000, "monthly")
    assert len(live_stripe.sessions) == 1
    assert {r.params["locale"] for r in live_stripe.api_requests("/v1/checkout/sessions")} == {"es"}

    page.click("#pay")
    page.wait_for_url(f"{live_server.url}/es/donar/gracias/*")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Gracias, Lucía Donante"
    assert "Estamos esperando que Stripe confirme su pago" in page.content()

    session = events.checkout_session(donation)
    for event in [
        events.event("checkout.session.completed", session),
        events.event("invoice.paid", events.invoice(donation, session["subscription"])),
    ]:
        response = client.post(
            "/donate/stripe/webhook/",
            json.dumps(event),
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=events.signature(json.dumps(event)),
        )
        assert response.status_code == 200
    page.reload()
    assert "Stripe confirmó su pago" in page.content()

    [receipt] = mail.outbox
    assert receipt.to == ["lucia@example.org"]
    assert receipt.subject.startswith("Gracias por su donación a ")
    assert "Hola, Lucía Donante:" in receipt.body
    assert "  Monto:        20,00\xa0US$ (donación mensual)\n" in receipt.body
    page.context.close()


def test_giving_without_javascript(chromium_browser, live_server, live_stripe, donate_page):
    """The form is plain HTML: with scripts off, the browser's own post (same-origin, no token)
    reaches Stripe, and the example under "Your amount" is the page's."""
    page = new_page(chromium_browser, java_script_enabled=False, locale="de-DE")
    page.goto(f"{live_server.url}/donate/")
    field = page.locator("input[name=custom_amount]")
    assert page.locator(f"#{field.get_attribute('aria-describedby')}").inner_text() == (
        "In figures, for example 40 or 40.50."
    )
    page.get_by_label("Other amount").check()
    field.fill("42,50")
    page.get_by_label("Your name").fill("Ada Donor")
    page.get_by_label("Your email").fill("ada@example.org")
    page.get_by_role("button", name="Continue to secure payment").click()
    page.wait_for_url(f"{live_stripe.url}/pay/*")
    donation = Donation.objects.get()
    assert (donation.amount, donation.donor_name) == (4250, "Ada Donor")
    page.context.close()


def test_the_script_writes_the_browsers_own_decimal_mark(
    chromium_browser, live_server, live_stripe, spanish_donate_page
):
    """One cached page for every browser; the script shows each reader the marks their language uses
    (on the Spanish page, their variant of Spanish), as the server reads them."""
    for url, locale, example in [
        ("/donate/", "de-DE", "In figures, for example 40 or 40,50."),
        ("/donate/", "en-GB", "In figures, for example 40 or 40.50."),
        ("/es/donar/", "es-MX", "En números, por ejemplo 40 o 40.50."),
        ("/es/donar/", "es-ES", "En números, por ejemplo 40 o 40,50."),
    ]:
        page = new_page(chromium_browser, locale=locale)
        page.goto(f"{live_server.url}{url}")
        field = page.locator("input[name=custom_amount]")
        assert page.locator(f"#{field.get_attribute('aria-describedby')}").inner_text() == example, locale
        page.context.close()


def test_a_form_on_another_site_cannot_start_a_gift(chromium_browser, live_server, live_stripe, spanish_donate_page):
    """Another site's page that posts to the donate page, as a forged form would: the browser says
    where the post came from, and the donor gets a page in the donate page's language saying what
    to do, with nothing recorded."""
    for url, refused in [
        ("/donate/", "This form was sent to us from another website"),
        ("/es/donar/", "Este formulario nos llegó desde otro sitio web"),
    ]:
        page = new_page(chromium_browser)
        page.route(
            "http://elsewhere.example/**",
            lambda route, request, url=url: route.fulfill(
                content_type="text/html",
                body=f"""<!doctype html><title>Elsewhere</title>
                <form method="post" action="{live_server.url}{url}">
                <input name="frequency" value="once"><input name="currency" value="USD">
                <input name="amount" value="50"><input name="donor_name" value="Someone">
                <input name="donor_email" value="someone@example.org"><button>Send</button></form>""",
            ),
        )
        statuses = []
        page.on("response", lambda response, seen=statuses: seen.append((response.url, response.status)))
        page.goto("http://elsewhere.example/")
        page.get_by_role("button", name="Send").click()
        page.wait_for_url(f"{live_server.url}{url}")
        page.locator(".notice--error").wait_for()
        assert (f"{live_server.url}{url}", 403) in statuses
        assert refused in page.locator(".notice--error").inner_text()
        assert page.locator("input[name=donor_name]").input_value() == ""
        page.context.close()
    assert not Donation.objects.exists()
    assert not live_stripe.api_requests("/v1/checkout/sessions")


def test_covering_the_fee_shows_the_gross_as_the_donor_chooses_and_charges_it(
    browser_page, live_server, live_stripe, donate_page
):
    """The script works the fee out as the server does: the gross it shows is charged at once."""
    page = browser_page
    page.goto(f"{live_server.url}/donate/")
    assert page.locator("[data-fee-rule]").inner_text() == (
        "Stripe, our payment provider, keeps 2.9% + $0.30 of each card payment in USD."
    )
    page.get_by_label("$25", exact=True).check()
    page.get_by_label("Add the card fee so all of my gift goes to the work").check()
    line = page.locator("[data-fee-line]")
    assert line.inner_text() == (
        "The card fee on this gift is $1.06: we will charge $26.06, so that all of your $25.00 reaches the work."
    )
    page.get_by_label("Currency").select_option("JPY")
    page.get_by_label("¥5,000", exact=True).check()
    assert "we will charge ¥5,339" in line.inner_text()
    assert "5.4% + ¥50" in page.locator("[data-fee-rule]").inner_text()
    page.get_by_label("Your name").fill("Ada Donor")
    page.get_by_label("Your email").fill("ada@example.org")
    page.get_by_role("button", name="Give ¥5,339").click()
    page.wait_for_url(f"{live_stripe.url}/pay/*")
    [sent] = live_stripe.api_requests("/v1/checkout/sessions")
    assert sent.params["line_items"][0]["price_data"]["unit_amount"] == "5339"
    assert (Donation.objects.get().amount, Donation.objects.get().fee_added) == (5000, 339)


def test_covering_the_fee_without_javascript_is_confirmed_first(
    chromium_browser, live_server, live_stripe, donate_page
):
    page = new_page(chromium_browser, java_script_enabled=False)
    page.goto(f"{live_server.url}/donate/")
    page.get_by_label("$25", exact=True).check()
    page.get_by_label("Add the card fee so all of my gift goes to the work").check()
    page.get_by_label("Your name").fill("Ada Donor")
    page.get_by_label("Your email").fill("ada@example.org")
    page.get_by_role("button", name="Continue to secure payment").click()
    assert "we will charge $26.06" in page.get_by_role("status").first.inner_text()
    assert live_stripe.api_requests("/v1/checkout/sessions") == []
    page.get_by_role("button", name="Continue to secure payment").click()
    page.wait_for_url(f"{live_stripe.url}/pay/*")
    assert live_stripe.api_requests("/v1/checkout/sessions")[0].params["line_items"][0]["price_data"][
        "unit_amount"
    ] == ("2606")
    page.context.close()


def test_the_tribute_and_gift_aid_fields_show_once_chosen_even_without_a_script(
    chromium_browser, live_server, live_stripe, donate_page
):
    page = new_page(chromium_browser, java_script_enabled=False)
    page.goto(f"{live_server.url}/donate/")
    their_name, first_name = page.get_by_label("Their name"), page.get_by_label("First name")
    assert not their_name.is_visible()
    assert not first_name.is_visible()

    page.get_by_label("In memory of", exact=True).check()
    page.get_by_label("I am a UK taxpayer and want AIPG to reclaim Gift Aid").check()

    assert their_name.is_visible()
    assert first_name.is_visible()
    assert page.get_by_label("Postcode").is_visible()
    page.context.close()
