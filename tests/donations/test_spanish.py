"""Giving in Spanish: the donate page translated, its form, Stripe Checkout and the emails in the
donor's language, and one campaign counting the gifts made in either."""

import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.utils import translation

from donations.models import Campaign, DonatePage, DonatePreset, Donation

from . import stripe_events as events
from .conftest import form_data, translate
from .stripe_events import deliver

pytestmark = pytest.mark.django_db

MONTHS = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio",
    "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre",
]  # fmt: skip


def checkout_requests(fake):
    return fake.api_requests("/v1/checkout/sessions")


def text_of(response, selector="main"):
    html = BeautifulSoup(response.content, "html.parser")
    return " ".join((html.select_one(selector) or html).get_text(" ").split())


def pay_at_stripe(client, fake, donation):
    """The donor pays on the (fake) Checkout page and Stripe tells the webhook: returns the address
    Stripe sends the donor back to."""
    session = fake.sessions[donation.stripe_checkout_session_id]
    returned = client.get(urlsplit(session["url"]).path + "/complete", follow=False)
    del returned  # the fake hosted page is another server; its redirect is the success_url
    deliver(client, events.event("checkout.session.completed", events.checkout_session(donation)))
    return session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"])


class TestTheTranslatedPage:
    def test_keeps_the_campaign_amounts_and_defaults_of_its_source(self, donate_page, spanish_donate_page):
        assert spanish_donate_page.url == "/es/donar/"
        assert spanish_donate_page.intro == "<p>Ayude a prevenir atrocidades.</p>"
        assert spanish_donate_page.campaign == donate_page.campaign
        assert spanish_donate_page.preset_table() == donate_page.preset_table()
        assert (spanish_donate_page.default_currency, spanish_donate_page.default_frequency) == ("USD", "once")

    def test_follows_its_source_when_the_campaign_or_amounts_change(self, donate_page, spanish_donate_page, spanish):
        drive = Campaign.objects.create(
            name="Latin America network", slug="latam", currency="USD", goal=5_000_00, starts_on="2026-01-01"
        )
        source = DonatePage.objects.get(pk=donate_page.pk)
        source.campaign = drive
        source.default_currency = "EUR"
        source.presets = [
            *(preset for preset in source.presets.all() if (preset.frequency, preset.currency) != ("once", "USD")),
            DonatePreset(frequency="once", currency="USD", amounts="30, 60"),
        ]
        source.save_revision().publish()
        # The admin's "Sync translated pages", keeping the translated words.
        translated = translate(source, spanish, {"Donate": "Donar", "donate": "donar"}).specific
        assert translated.campaign == drive
        assert translated.default_currency == "EUR"
        assert translated.preset_table()["once"]["USD"] == [30_00, 60_00]
        assert translated.title == "Donar"

    def test_a_translator_cannot_override_the_money(self):
        from wagtail_localize.fields import get_translatable_fields

        fields = {field.field_name: field for field in get_translatable_fields(DonatePage)}
        for name in ["campaign", "presets", "default_currency", "default_frequency"]:
            assert fields[name].is_synchronized(DonatePage()), name
            assert not fields[name].is_overridable(DonatePage()), name
        assert fields["intro"].is_translated(DonatePage())


class TestTheSpanishForm:
    def test_speaks_spanish_and_writes_amounts_as_spanish_does(self, client, spanish_donate_page, fake_stripe):
        response = client.get("/es/donar/")
        assert response.status_code == 200
        html = BeautifulSoup(response.content, "html.parser")
        assert html.html["lang"] == "es"
        legends = [legend.get_text(strip=True) for legend in html.select("fieldset > legend")]
        assert legends[:5] == [
            "Frecuencia",
            "Monto",
            "Comisión de la tarjeta (opcional)",
            "Sus datos",
            "Donar en homenaje (opcional)",
        ]
        frequencies = [label.get_text() for label in html.select("label[for^=id_frequency]")]
        assert frequencies == ["Una vez", "Mensual", "Anual"]
        assert html.select_one("label[for=amount-1]").get_text() == "25\xa0US$"
        assert html.select_one("label[for=amount-other]").get_text() == "Otro monto"
        assert html.select_one("label[for=id_donor_email]").get_text(strip=True) == "Su correo electrónico:"
        assert "USD (dólar estadounidense)" in [o.get_text() for o in html.select("select[name=currency] option")]
        field = html.select_one("input[name=custom_amount]")
        assert html.select_one(f"#{field['aria-describedby']}").get_text() == "En números, por ejemplo 40 o 40,50."
        assert html.select_one(".donate-form__submit").get_text(strip=True) == "Continuar al pago seguro"
        assert html.select_one(".donate-form")["action"] == "/es/donar/"
        assert html.select_one(".donate-form__small a")["href"] == "/es/donar/gestionar/"
        figures = " ".join(html.select_one(".campaign-progress__figures").get_text().split())
        assert figures == "Nuestra meta es reunir 10.000,00 US$."

    def test_the_page_is_the_same_for_every_spanish_browser(self, client, spanish_donate_page, fake_stripe):
        # A Mexican browser writes 40.50, and the script puts its own mark in the example (see the
        # browser checks); the page itself is Spanish's, for every visitor.
        mexican = client.get("/es/donar/", HTTP_ACCEPT_LANGUAGE="es-MX,en;q=0.5").content
        assert mexican == client.get("/es/donar/", HTTP_ACCEPT_LANGUAGE="es-ES").content
        html = BeautifulSoup(mexican, "html.parser")
        field = html.select_one("input[name=custom_amount]")
        assert html.select_one(f"#{field['aria-describedby']}").get_text() == "En números, por ejemplo 40 o 40,50."
        assert html.select_one(".donate-form")["data-reading-language"] == "es"

    @pytest.mark.parametrize(
        ("overrides", "message"),
        [
            (
                {"amount": "other", "custom_amount": "4,99"},
                "Las donaciones en USD pueden ser de 5,00 US$ a 25.000,00 US$.",
            ),
            ({"amount": "other", "custom_amount": "mucho"}, "Escriba el monto en números, por ejemplo 25 o 25,50."),
            ({"amount": "other", "custom_amount": "10,555"}, "No sabemos con certeza qué monto es «10,555»."),
            ({"amount": "other", "custom_amount": "10,5055"}, "Los montos en USD llevan como máximo 2 decimales."),
            ({"amount": "other", "custom_amount": ""}, "Elija un monto o escriba otro."),
            (
                {"currency": "JPY", "amount": "other", "custom_amount": "500,5"},
                "Los montos en JPY no llevan decimales.",
            ),
            ({"tribute_type": "memory", "tribute_name": ""}, "¿A nombre de quién es el homenaje?"),
            ({"website": "http://spam.example"}, "No se pudo enviar el formulario. Vuelva a intentarlo."),
        ],
    )
    def test_explains_bad_input_in_spanish(self, client, spanish_donate_page, fake_stripe, overrides, message):
        response = client.post("/es/donar/", form_data(**overrides))
        assert response.status_code == 200
        assert message in text_of(response).replace("\xa0", " ")
        assert "Revise los campos señalados abajo." in text_of(response)
        assert not Donation.objects.exists()
        assert not checkout_requests(fake_stripe)

    @pytest.mark.parametrize(("typed", "charged"), [("12,34", 1234), ("1.234,50", 123450), ("5.000", 500000)])
    def test_reads_a_decimal_comma_and_a_thousands_dot(self, client, spanish_donate_page, fake_stripe, typed, charged):
        response = client.post("/es/donar/", form_data(currency="EUR", amount="other", custom_amount=typed))
        assert response.status_code == 303
        assert Donation.objects.get().amount == charged

    def test_says_so_in_spanish_when_stripe_is_down(self, client, spanish_donate_page, fake_stripe):
        fake_stripe.fail_next(500, times=5)
        response = client.post("/es/donar/", form_data())
        assert response.status_code == 503
        assert "no se ha cobrado nada" in text_of(response)


class TestASpanishGift:
    def test_from_the_spanish_page_to_a_spanish_receipt(self, client, spanish_donate_page, fake_stripe, campaign):
        response = client.post("/es/donar/", form_data(amount="50"))

        donation = Donation.objects.get()
        assert (donation.language, donation.page_id, donation.campaign) == ("es", spanish_donate_page.pk, campaign)
        assert response.status_code == 303
        assert response["Location"] == donation.stripe_checkout_url
        # Checkout was asked for in Spanish, and sends the donor back to Spanish pages.
        [sent] = checkout_requests(fake_stripe)
        assert sent.params["locale"] == "es"
        assert sent.params["success_url"] == "http://testserver/es/donar/gracias/?session_id={CHECKOUT_SESSION_ID}"
        assert sent.params["cancel_url"].startswith("http://testserver/es/donar/?resume=")
        item = sent.params["line_items"][0]["price_data"]["product_data"]["name"]
        assert item == "Donación a AIPG: Lemkin Seminar scholarships"

        thank_you = pay_at_stripe(client, fake_stripe, donation)
        page = client.get(thank_you.removeprefix("http://testserver"))
        assert page.status_code == 200
        assert BeautifulSoup(page.content, "html.parser").html["lang"] == "es"
        words = text_of(page)
        assert "Gracias, Ada Donor" in words
        assert "Su donación de 50,00 US$ para Lemkin Seminar scholarships significa mucho para nosotros." in words
        assert "Stripe confirmó su pago. Le enviamos el recibo a ada@example.org." in words

        [receipt] = mail.outbox
        assert receipt.to == ["ada@example.org"]
        assert receipt.subject == (
            "Gracias por su donación a Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"
        )
        assert receipt.body.startswith("Hola, Ada Donor:\n")
        assert "Este es su recibo." in receipt.body
        assert "  Monto:        50,00\xa0US$\n" in receipt.body
        payment = donation.payments.get()
        month = MONTHS[payment.paid_at.month - 1]
        paid_on = f"{payment.paid_at.day} de {month} de {payment.paid_at.year}"
        assert f"  Fecha:        {paid_on}\n" in receipt.body
        assert "  Campaña:      Lemkin Seminar scholarships\n" in receipt.body
        assert "Con gratitud," in receipt.body
        # The organisation's Spanish receipt statement (its settings' Spanish tab), not the English one.
        assert "No se entregaron bienes ni servicios a cambio de esta donación." in receipt.body
        assert "No goods or services" not in receipt.body
        assert "Thank" not in receipt.subject + receipt.body

    def test_a_spanish_gift_counts_towards_the_campaign_on_the_english_page(
        self, client, spanish_donate_page, fake_stripe
    ):
        client.post("/es/donar/", form_data(amount="50"))
        pay_at_stripe(client, fake_stripe, Donation.objects.get())

        english = BeautifulSoup(client.get("/donate/").content, "html.parser")
        figures = " ".join(english.select_one(".campaign-progress__figures").get_text().split())
        assert figures == "$50.00 raised of a $10,000.00 goal"
        spanish = BeautifulSoup(client.get("/es/donar/").content, "html.parser")
        figures = " ".join(spanish.select_one(".campaign-progress__figures").get_text().split())
        assert figures == "50,00 US$ recaudados de una meta de 10.000,00 US$"

    def test_a_double_submit_in_spanish_makes_one_gift_and_one_session(self, client, spanish_donate_page, fake_stripe):
        first = client.post("/es/donar/", form_data())
        second = client.post("/es/donar/", form_data())
        assert Donation.objects.count() == 1
        assert first["Location"] == second["Location"]
        assert len(checkout_requests(fake_stripe)) == 1

        # Sent again once the gift went through: thanked in Spanish, never charged twice.
        Donation.objects.update(status="paid")
        again = client.post("/es/donar/", form_data())
        session_id = Donation.objects.get().stripe_checkout_session_id
        assert again["Location"] == f"/es/donar/gracias/?session_id={session_id}"
        assert len(checkout_requests(fake_stripe)) == 1

    def test_after_a_stripe_error_the_retry_is_still_in_spanish(self, client, spanish_donate_page, fake_stripe):
        fake_stripe.fail_next(500)
        assert client.post("/es/donar/", form_data()).status_code == 503
        assert client.post("/es/donar/", form_data()).status_code == 303
        assert [r.params["locale"] for r in checkout_requests(fake_stripe)] == ["es", "es"]
        assert Donation.objects.get().language == "es"

    def test_cancelling_at_stripe_returns_to_the_spanish_form_as_it_was(self, client, spanish_donate_page, fake_stripe):
        client.post("/es/donar/", form_data(amount="other", custom_amount="42,50"))
        cancel_url = checkout_requests(fake_stripe)[0].params["cancel_url"]
        html = BeautifulSoup(client.get(cancel_url.removeprefix("http://testserver")).content, "html.parser")
        assert html.select_one("input[name=custom_amount]")["value"] == "42.50"
        assert html.select_one("input[name=donor_name]")["value"] == "Ada Donor"
        assert html.html["lang"] == "es"


class TestEnglishIsUnchanged:
    def test_an_english_gift_is_in_english_throughout(self, client, donate_page, spanish_donate_page, fake_stripe):
        client.post("/donate/", form_data(amount="50"))
        donation = Donation.objects.get()
        assert donation.language == "en"
        [sent] = checkout_requests(fake_stripe)
        assert sent.params["locale"] == "en"
        assert sent.params["success_url"] == "http://testserver/donate/thank-you/?session_id={CHECKOUT_SESSION_ID}"

        thank_you = pay_at_stripe(client, fake_stripe, donation)
        assert "Thank you, Ada Donor" in text_of(client.get(thank_you.removeprefix("http://testserver")))
        [receipt] = mail.outbox
        assert receipt.subject.startswith("Thank you for your gift to ")
        assert "  Amount:       $50.00\n" in receipt.body

    def test_gifts_made_before_languages_were_recorded_are_english(self):
        donation = Donation.objects.create(amount=500, currency="USD", donor_name="A", donor_email="a@example.org")
        assert donation.language == "en"


class TestMonthlyGiftsInSpanish:
    def active_gift(self, client):
        donation = Donation.objects.create(
            amount=2000,
            currency="USD",
            frequency="monthly",
            donor_name="Lucía Donante",
            donor_email="lucia@example.org",
            language="es",
            stripe_checkout_session_id=events.new_id("cs"),
        )
        session = events.checkout_session(donation)
        deliver(client, events.event("checkout.session.completed", session))
        deliver(client, events.event("invoice.paid", events.invoice(donation, session["subscription"])))
        return Donation.objects.get(pk=donation.pk), session["subscription"]

    def test_the_receipt_and_the_failing_card_notice_are_in_spanish(self, client, home, webhook_secret):
        donation, subscription_id = self.active_gift(client)
        [receipt] = mail.outbox
        assert receipt.subject == (
            "Gracias por su donación a Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"
        )
        assert "  Monto:        20,00\xa0US$ (donación mensual)\n" in receipt.body
        assert "Puede cambiar o cancelar su donación mensual en cualquier momento: http://" in receipt.body
        assert "/es/donar/gestionar/\n" in receipt.body
        mail.outbox.clear()

        failed = events.invoice(
            donation, subscription_id, status="open", amount_paid=0, billing_reason="subscription_cycle"
        )
        deliver(client, events.event("invoice.payment_failed", failed))
        [notice] = mail.outbox
        assert notice.subject.startswith("No pudimos cobrar su donación mensual a ")
        assert "No pudimos cobrar a su tarjeta los 20,00\xa0US$ de este mes" in notice.body
        link = next(line.strip() for line in notice.body.splitlines() if "/donar/gestionar/" in line)
        opened = client.get(urlsplit(link).path)
        assert opened.status_code == 200
        words = text_of(opened)
        assert "Gestionar su donación mensual" in words
        started = r"Su donación mensual de 20,00 US\$ ?, iniciada el \d+ de \w+ de \d{4}\."
        assert re.search(started, words.replace("\xa0", " "))
        assert "Abrir la página de Stripe para esta donación" in words

    def test_a_link_asked_for_in_spanish_comes_in_spanish(self, client, home, webhook_secret):
        self.active_gift(client)
        mail.outbox.clear()
        response = client.post("/es/donar/gestionar/", {"email": "lucia@example.org"})
        assert "Si se hizo alguna donación desde esa dirección" in text_of(response)
        [message] = mail.outbox
        assert message.subject.startswith("Gestione su donación mensual o anual a ")
        assert "20,00\xa0US$ al mes, desde el " in message.body
        assert re.search(r"http://testserver/es/donar/gestionar/\S+/", message.body)

    def test_an_ending_gift_is_confirmed_in_spanish(self, client, home, webhook_secret):
        import time

        donation, subscription_id = self.active_gift(client)
        mail.outbox.clear()
        scheduled = events.subscription(
            subscription_id,
            donation,
            status="active",
            cancel_at_period_end=True,
            cancel_at=int(time.time()) + 20 * 86_400,
            ended_at=None,
        )
        deliver(client, events.event("customer.subscription.updated", scheduled))
        [confirmation] = mail.outbox
        assert re.fullmatch(r"Su donación mensual a .+ terminará el \d+ de \w+ de \d{4}", confirmation.subject)
        assert "Después de esa fecha no se le cobrará nada más." in confirmation.body


@pytest.mark.parametrize(
    ("frequency", "english", "spanish"),
    [
        ("once", "One-off gift of $50.00 from Lucía Donante", "Donación única de 50,00\xa0US$ de Lucía Donante"),
        ("monthly", "Monthly gift of $50.00 from Lucía Donante", "Donación mensual de 50,00\xa0US$ de Lucía Donante"),
        ("yearly", "Yearly gift of $50.00 from Lucía Donante", "Donación anual de 50,00\xa0US$ de Lucía Donante"),
    ],
)
def test_a_gift_is_named_wholly_in_the_readers_language(frequency, english, spanish):
    """How staff and donors see a gift named (the admin's titles, lists and breadcrumbs): one sentence
    in each language, never an English frame around a translated word."""
    gift = Donation(amount=5000, currency="USD", frequency=frequency, donor_name="Lucía Donante")
    with translation.override("en"):
        assert str(gift) == english
    with translation.override("es"):
        assert str(gift) == spanish
