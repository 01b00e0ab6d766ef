"""The staff side: who sees donations, filters, search, totals net of refunds, and the exports."""

import csv
import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from openpyxl import load_workbook

from donations.models import Campaign, Donation

from ..queries import count_queries

pytestmark = pytest.mark.django_db


def index_url(name):
    return reverse(f"donations_{name}:index")


def gift(name, email, amount, currency="USD", frequency="once", status="paid", campaign=None, paid=(), **fields):
    donation = Donation.objects.create(
        amount=amount,
        currency=currency,
        frequency=frequency,
        status=status,
        donor_name=name,
        donor_email=email,
        campaign=campaign,
        **fields,
    )
    for number, (value, refunded) in enumerate(paid):
        donation.payments.create(
            amount=value,
            amount_refunded=refunded,
            currency=currency,
            paid_at="2026-03-01T12:00Z",
            stripe_invoice_id=f"in_{donation.pk}_{number}",
        )
    return donation


@pytest.fixture
def gifts(db):
    lemkin = Campaign.objects.create(name="Lemkin", slug="lemkin", currency="USD", goal=100_000, starts_on="2026-01-01")
    return {
        "ada": gift("Ada Lovelace", "ada@example.org", 5000, paid=[(5000, 2000)], campaign=lemkin),
        "grace": gift(
            "Grace Hopper", "grace@example.org", 2500, frequency="monthly", status="active", paid=[(2500, 0), (2500, 0)]
        ),
        "marie": gift("Marie Curie", "marie@example.org", 3000, currency="EUR", paid=[(3000, 3000)], status="refunded"),
        "pending": gift("Pat Pending", "pat@example.org", 10000, status="pending"),
        "yen": gift("Yuki", "yuki@example.org", 5000, currency="JPY", paid=[(5000, 0)]),
    }


@pytest.fixture
def finance_client(client, django_user_model):
    user = django_user_model.objects.create_user("finance", "finance@example.org", "a-long-password")
    group = Group.objects.create(name="Finance")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        Permission.objects.get(codename="view_donation"),
        Permission.objects.get(codename="view_payment"),
    )
    user.groups.add(group)
    client.force_login(user)
    return client


def totals(response):
    html = BeautifulSoup(response.content, "html.parser")
    return {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row.select("td")]
        for row in html.select(".donation-totals tbody tr")
    }


class TestWhoSeesDonations:
    def test_an_editor_without_the_permission_cannot(self, client, django_user_model, gifts):
        editor = django_user_model.objects.create_user("editor2", "e@example.org", "a-long-password")
        editor.groups.add(Group.objects.get_or_create(name="Editors")[0])
        editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
        client.force_login(editor)
        assert client.get(index_url("donation")).status_code in {302, 403}
        assert client.get(index_url("payment")).status_code in {302, 403}
        assert "Donations" not in client.get("/admin/").content.decode()

    def test_finance_staff_can_view_but_not_change(self, finance_client, gifts):
        response = finance_client.get(index_url("donation"))
        assert response.status_code == 200
        assert "Ada Lovelace" in response.content.decode()
        ada = gifts["ada"]
        assert finance_client.get(reverse("donations_donation:inspect", args=[ada.pk])).status_code == 200
        assert finance_client.get(reverse("donations_donation:edit", args=[ada.pk])).status_code in {302, 403}
        assert finance_client.get(reverse("donations_donation:add")).status_code in {302, 403}
        assert finance_client.get(reverse("donations_donation:delete", args=[ada.pk])).status_code in {302, 403}

    def test_not_even_a_superuser_edits_a_record_of_money(self, admin_client, gifts):
        assert admin_client.get(reverse("donations_payment:add")).status_code in {302, 403}


class TestListings:
    def test_totals_per_currency_are_net_of_refunds(self, finance_client, gifts):
        assert totals(finance_client.get(index_url("payment"))) == {
            "EUR": ["€30.00", "€30.00", "€0.00"],
            "JPY": ["¥5,000", "¥0", "¥5,000"],
            "USD": ["$100.00", "$20.00", "$80.00"],
        }

    def test_filters_and_totals_follow_them(self, finance_client, gifts):
        response = finance_client.get(index_url("donation"), {"frequency": "monthly"})
        names = [a.get_text(strip=True) for a in BeautifulSoup(response.content, "html.parser").select("td a")]
        assert "Grace Hopper" in names
        assert "Ada Lovelace" not in names
        assert totals(response) == {"USD": ["$50.00", "$0.00", "$50.00"]}

        by_status = finance_client.get(index_url("donation"), {"status": "pending"}).content.decode()
        assert "Pat Pending" in by_status
        assert "Ada Lovelace" not in by_status
        by_campaign = finance_client.get(index_url("donation"), {"campaign": gifts["ada"].campaign_id})
        assert totals(by_campaign) == {"USD": ["$50.00", "$20.00", "$30.00"]}
        by_currency = finance_client.get(index_url("payment"), {"currency": "JPY"})
        assert list(totals(by_currency)) == ["JPY"]
        refunded = finance_client.get(index_url("payment"), {"refunded": "true"})
        assert set(totals(refunded)) == {"USD", "EUR"}
        dated = finance_client.get(index_url("payment"), {"paid_at_from": "2026-04-01"})
        assert totals(dated) == {}

    def test_a_bad_filter_value_is_not_an_error(self, finance_client, gifts):
        assert finance_client.get(index_url("donation"), {"created_at_from": "not a date"}).status_code == 200
        assert finance_client.get(index_url("donation"), {"campaign": "nope"}).status_code == 200

    def test_search_by_donor_name_or_email(self, finance_client, gifts):
        by_name = finance_client.get(index_url("donation"), {"q": "hopper"}).content.decode()
        assert "Grace Hopper" in by_name
        assert "Ada Lovelace" not in by_name
        by_email = finance_client.get(index_url("payment"), {"q": "marie@"})
        assert list(totals(by_email)) == ["EUR"]

    def test_the_payments_listing_costs_the_same_queries_with_25_payments_as_with_5(self, finance_client, gifts):
        """Each row's donor and campaign, and the totals, come with the listing's own queries."""
        few = count_queries(finance_client, index_url("payment"))
        for number in range(20):
            gift(f"Donor {number}", f"d{number}@example.org", 1000, paid=[(1000, 0)], campaign=gifts["ada"].campaign)
        assert count_queries(finance_client, index_url("payment")) == few
        html = BeautifulSoup(finance_client.get(index_url("payment")).content, "html.parser")
        rows = html.select("table.listing:not(.donation-totals) tbody tr")
        assert len(rows) == 25
        assert sum("Lemkin" in row.get_text() for row in rows) == 21


class TestExport:
    def test_csv(self, finance_client, gifts):
        response = finance_client.get(index_url("payment"), {"export": "csv", "currency": "USD"})
        assert response.status_code == 200
        rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
        assert {row["Donor"] for row in rows} == {"Ada Lovelace", "Grace Hopper"}
        ada = next(row for row in rows if row["Donor"] == "Ada Lovelace")
        assert (ada["Gross"], ada["Refunded"], ada["Gross less refunds"]) == ("50.00", "20.00", "30.00")
        assert ada["Campaign"] == "Lemkin"

    def test_xlsx_opens_as_a_spreadsheet(self, finance_client, gifts):
        response = finance_client.get(index_url("donation"), {"export": "xlsx"})
        assert response["Content-Disposition"].endswith('donations.xlsx"')
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
        rows = list(sheet.values)
        header = rows[0]
        assert header[:4] == ("Reference", "Given at (UTC)", "Donor name", "Donor email")
        assert len(rows) == 1 + len(gifts)
        yen = next(row for row in rows if row[2] == "Yuki")
        assert yen[header.index("Amount")] == 5000
        assert yen[header.index("Currency")] == "JPY"

    def test_a_donor_name_cannot_smuggle_a_formula_into_the_csv(self, finance_client, db):
        gift('=HYPERLINK("http://evil.example")', "x@example.org", 1000)
        response = finance_client.get(index_url("donation"), {"export": "csv"})
        content = b"".join(response.streaming_content).decode()
        assert "'=HYPERLINK" in content


class TestConfigurationNotice:
    def test_staff_see_how_to_configure_stripe(self, finance_client, settings, gifts):
        settings.STRIPE_SECRET_KEY = ""
        settings.STRIPE_WEBHOOK_SECRET = ""
        for url in [index_url("donation"), "/admin/"]:
            page = finance_client.get(url).content.decode()
            for variable in ["STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "STRIPE_API_BASE"]:
                assert variable in page, url
            assert "http://testserver/donate/stripe/webhook/" in page

    def test_no_notice_once_configured(self, finance_client, settings, gifts):
        settings.STRIPE_SECRET_KEY = "sk_test_x"
        settings.STRIPE_WEBHOOK_SECRET = "whsec_x"
        assert "STRIPE_SECRET_KEY" not in finance_client.get(index_url("donation")).content.decode()


class TestCampaigns:
    def test_editors_type_the_goal_in_main_units(self, admin_client):
        response = admin_client.post(
            reverse("donations_campaign:add"),
            {"name": "Seminar", "slug": "seminar", "currency": "EUR", "goal": "12500.50", "starts_on": "2026-05-01"},
        )
        assert response.status_code == 302
        assert Campaign.objects.get().goal == 1_250_050
        edit = admin_client.get(reverse("donations_campaign:edit", args=[Campaign.objects.get().pk]))
        assert 'value="12500.50"' in edit.content.decode()

    def test_a_yen_goal_has_no_decimals(self, admin_client):
        response = admin_client.post(
            reverse("donations_campaign:add"),
            {"name": "Tokyo", "slug": "tokyo", "currency": "JPY", "goal": "100.5", "starts_on": "2026-05-01"},
        )
        assert response.status_code == 200
        assert "Amounts in JPY have no decimal places." in response.content.decode()

    def test_progress_counts_confirmed_payments_net_of_refunds_each_currency_apart(self, gifts):
        campaign = gifts["ada"].campaign
        gift("Euro", "e@example.org", 9000, currency="EUR", paid=[(9000, 0)], campaign=campaign)
        gift("Yen", "y@example.org", 5000, currency="JPY", paid=[(5000, 0)], campaign=campaign)
        gift("Pound", "p@example.org", 2000, currency="GBP", paid=[(2000, 500)], campaign=campaign)
        gift("Not yet", "n@example.org", 9000, status="pending", campaign=campaign)
        assert campaign.progress() == {
            "raised": 3000,
            "goal": 100_000,
            "percent": 3,
            "currency": "USD",
            "other_currencies": [
                {"currency": "EUR", "raised": 9000},
                {"currency": "GBP", "raised": 1500},
                {"currency": "JPY", "raised": 5000},
            ],
        }
        assert campaign.display_raised == "$30.00 + €90.00 + £15.00 + ¥5,000"

    def test_progress_counts_only_what_was_given_between_the_campaigns_dates(self, db):
        campaign = Campaign.objects.create(
            name="Spring", slug="spring", currency="USD", goal=100_000, starts_on="2026-03-01", ends_on="2026-03-31"
        )
        for paid_at in ["2026-02-28T12:00Z", "2026-03-01T12:00Z", "2026-03-31T12:00Z", "2026-04-01T12:00Z"]:
            donation = gift("Donor", "d@example.org", 1000, campaign=campaign)
            donation.payments.create(amount=1000, currency="USD", paid_at=paid_at, stripe_invoice_id=f"in_{paid_at}")
        assert campaign.raised() == 2000
