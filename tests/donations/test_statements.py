"""Year-end statements: a donor reads, from their signed link, every gift of a year they gave in,
refunds netted, in their language; in January each donor is emailed theirs once, whatever reruns."""

import smtplib
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.core import mail, signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.models import Site

from aipg_site.background import retry_policy
from aipg_site.mail import DELIVERY_ERRORS
from aipg_site.models import OrganisationSettings
from donations import statements
from donations.models import StatementSent
from donations.views import MANAGE_SALT

from .factories import DonationFactory, DonorFactory, PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(home):
    settings = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.name = "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"
    settings.address = "1 Example Street\nNew York, NY 10000"
    settings.registration_identifier = "EIN 00-0000000"
    settings.save()
    return settings


def paid(donor, amount, when, currency="USD", refunded=0, **fields):
    gift = DonationFactory(donor=donor, amount=amount, currency=currency, **fields)
    return PaymentFactory(donation=gift, paid_at=when, amount_refunded=refunded)


def on(month, day, year=2026):
    return datetime(year, month, day, 15, tzinfo=UTC)


def link(donation, language="en"):
    token = signing.TimestampSigner(salt=MANAGE_SALT).sign(str(donation.uuid))
    with translation.override(language):
        return reverse("donations:statement", args=[token])


def text(response):
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


def rows(response, table):
    page = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in page.select(f"{table} tbody tr")
    ]


@pytest.fixture
def ada(db):
    """Ada gave three times in 2026 (one partly refunded, one in euros) and once in 2025."""
    donor = DonorFactory(name="Ada Lovelace", email="ada@example.org")
    first = paid(donor, 5000, on(2, 1), refunded=2000)
    paid(donor, 2500, on(6, 1), frequency="monthly")
    paid(donor, 3000, on(9, 1), currency="EUR")
    paid(donor, 9000, on(12, 1, year=2025))
    return first.donation


class TestTheStatementPage:
    def test_every_gift_of_the_year_from_every_donation_refunds_netted(self, client, ada, organisation):
        paid(DonorFactory(name="Grace Hopper"), 77700, on(3, 1))  # someone else's gift that year
        response = client.get(link(ada), {"year": "2026"})

        assert response.status_code == 200
        gifts = rows(response, ".statement__gifts")
        assert [row[0] for row in gifts] == ["1 February 2026", "1 June 2026", "1 September 2026"]
        assert [row[1].split()[:2] for row in gifts] == [["One-off", "gift"], ["Monthly", "gift"], ["One-off", "gift"]]
        assert [row[3:] for row in gifts] == [
            ["$50.00", "$20.00", "$30.00"],
            ["$25.00", "", "$25.00"],
            ["€30.00", "", "€30.00"],
        ]
        assert rows(response, ".statement__totals") == [
            ["USD", "$75.00", "$20.00", "$55.00"],
            ["EUR", "€30.00", "€0.00", "€30.00"],
        ]
        page = text(response)
        assert "Grace" not in page
        assert "$777.00" not in page
        assert "$90.00" not in page  # 2025's gift
        assert "EIN 00-0000000" in page
        assert "No goods or services were provided in exchange for this gift." in page

    def test_it_is_private_and_printable_without_a_script(self, client, ada, organisation):
        response = client.get(link(ada), {"year": "2026"})
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]
        page = BeautifulSoup(response.content, "html.parser")
        assert page.select_one("[data-print]").has_attr("hidden")  # shown by the script only
        assert "print menu" in page.select_one(".statement__print").get_text()

    def test_the_donor_picks_among_the_years_they_gave_in(self, client, ada):
        response = client.get(link(ada))
        page = BeautifulSoup(response.content, "html.parser")
        assert [option["value"] for option in page.select("select[name=year] option")] == ["2026", "2025"]
        assert page.select_one("label[for=statement-year]")
        assert not page.select(".statement__gifts")

        other_year = client.get(link(ada), {"year": "2024"})
        assert other_year.status_code == 404
        assert "We have no gifts from you in that year" in text(other_year)

    def test_in_spanish(self, client, ada, organisation, spanish_donate_page):
        url = link(ada, "es")
        assert url.startswith("/es/")
        response = client.get(url, {"year": "2026"})
        page = BeautifulSoup(response.content, "html.parser")
        assert page.html["lang"] == "es"
        assert page.h1.get_text(strip=True) == "Sus donaciones en 2026"
        assert "1 de febrero de 2026" in text(response)
        assert "Donación mensual" in text(response)
        assert "Totales, descontados los reembolsos" in text(response)

    @pytest.mark.parametrize("language", ["en", "es"])
    def test_an_expired_link_says_so(self, client, ada, settings, language, spanish_donate_page):
        settings.DONATIONS_MANAGE_LINK_MAX_AGE = -1
        response = client.get(link(ada, language), {"year": "2026"})
        assert response.status_code == 400
        expected = "This link has expired" if language == "en" else "Este enlace venció"
        assert expected in text(response)
        assert not rows(response, ".statement__gifts")

    def test_a_forged_link_is_refused(self, client, ada):
        response = client.get(f"/donate/manage/{ada.uuid}:forged/statement/", {"year": "2026"})
        assert response.status_code == 400
        assert "This link is not valid" in text(response)

    def test_the_manage_page_links_to_the_statements(self, client, home):
        gift = DonationFactory(frequency="monthly", status="active", stripe_customer_id="cus_ada")
        token = signing.TimestampSigner(salt=MANAGE_SALT).sign(str(gift.uuid))
        page = BeautifulSoup(client.get(f"/donate/manage/{token}/").content, "html.parser")
        assert page.select_one(f'a[href="/donate/manage/{token}/statement/"]')


class TestSendingInJanuary:
    def test_each_donor_who_gave_gets_one_email_in_their_language_once(self, ada, organisation):
        spanish = DonorFactory(name="Sofía", email="sofia@example.org")
        paid(spanish, 4000, on(5, 5), language="es")
        DonorFactory(email="lapsed@example.org")  # gave nothing in 2026

        call_command("send_year_end_statements", "--year", "2026", stdout=None)

        assert sorted(message.to[0] for message in mail.outbox) == ["ada@example.org", "sofia@example.org"]
        english = next(message for message in mail.outbox if message.to == ["ada@example.org"])
        assert english.subject.startswith("Your 2026 statement of gifts")
        assert "$55.00" in english.body
        assert "€30.00" in english.body
        html, kind = english.alternatives[0]
        assert kind == "text/html"
        assert "Totals, net of refunds" in html
        spanish_message = next(message for message in mail.outbox if message.to == ["sofia@example.org"])
        assert spanish_message.subject.startswith("Su resumen de donaciones de 2026")

        mail.outbox.clear()
        call_command("send_year_end_statements", "--year", "2026", stdout=None)  # run again in February
        assert statements.send_year_end_statement.call(ada.donor.pk, 2026) == "already sent"  # a retried task
        assert not mail.outbox
        assert StatementSent.objects.filter(year=2026).count() == 2

    def test_a_mail_server_failure_records_nothing_and_is_retried(self, ada, organisation, monkeypatch):
        assert retry_policy(statements.send_year_end_statement).retry_on == DELIVERY_ERRORS

        def down(*args, **kwargs):
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

        monkeypatch.setattr(statements, "send_mail", down)
        with pytest.raises(smtplib.SMTPServerDisconnected):
            statements.send_year_end_statement.call(ada.donor.pk, 2026)
        assert not StatementSent.objects.exists()

        monkeypatch.undo()
        assert statements.send_year_end_statement.call(ada.donor.pk, 2026) == "sent"
        assert len(mail.outbox) == 1

    def test_a_year_without_gifts_sends_nothing(self, ada):
        assert statements.send_year_end_statement.call(ada.donor.pk, 2024) == "no gifts that year"
        assert not mail.outbox
