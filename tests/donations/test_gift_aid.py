"""Gift Aid: the declaration on the donate form (gifts in pounds only), stored with the gift, and
the claim schedule for HMRC listing exactly the eligible gifts, with the right types."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from openpyxl import load_workbook

from donations.gift_aid import SCHEDULE_COLUMNS, normalise_postcode
from donations.models import Donation, GiftAidDeclaration

from .conftest import form_data

pytestmark = pytest.mark.django_db


def gift_aid_data(**overrides):
    values = {
        "currency": "GBP",
        "amount": "other",
        "custom_amount": "50",
        "gift_aid": "on",
        "gift_aid_title": "Ms",
        "gift_aid_first_name": "Ada",
        "gift_aid_last_name": "King-Lovelace",
        "gift_aid_house": "12",
        "gift_aid_postcode": "sw1a1aa",
    }
    values.update(overrides)
    return form_data(**values)


class TestTheDonateForm:
    def test_offers_gift_aid_with_the_declaration_to_everyone(self, client, donate_page, fake_stripe):
        html = BeautifulSoup(client.get("/donate/").content, "html.parser")

        box = html.select_one("input[name=gift_aid]")
        assert box["type"] == "checkbox"
        label = html.select_one(f"label[for={box['id']}]").get_text()
        assert label == "I am a UK taxpayer and want AIPG to reclaim Gift Aid"
        declaration = html.select_one(f"#{box['aria-describedby']}").get_text()
        assert "UK taxpayer" in declaration
        assert "my responsibility to pay the difference" in declaration
        for name in ("gift_aid_first_name", "gift_aid_last_name", "gift_aid_house", "gift_aid_postcode"):
            field = html.select_one(f"input[name={name}]")
            assert html.select_one(f"label[for={field['id']}]")

    def test_a_gift_in_pounds_stores_the_declaration_with_the_gift(self, client, donate_page, fake_stripe):
        response = client.post("/donate/", gift_aid_data())

        assert response.status_code == 303
        donation = Donation.objects.get()
        declaration = donation.gift_aid_declaration
        assert (declaration.first_name, declaration.last_name, declaration.house, declaration.postcode) == (
            "Ada",
            "King-Lovelace",
            "12",
            "SW1A 1AA",
        )
        assert declaration.title == "Ms"
        assert declaration.language == "en"
        assert declaration.email == "ada@example.org"
        assert declaration.donor == donation.donor
        assert donation.donor.email == "ada@example.org"
        assert declaration.made_on == date.today()
        assert "my responsibility to pay the difference" in declaration.wording
        assert declaration.source == GiftAidDeclaration.Source.DONATE_FORM

    def test_a_double_click_makes_one_gift_and_one_declaration(self, client, donate_page, fake_stripe):
        first = client.post("/donate/", gift_aid_data())
        second = client.post("/donate/", gift_aid_data())

        assert first["Location"] == second["Location"]
        assert Donation.objects.count() == 1
        assert GiftAidDeclaration.objects.count() == 1

    def test_a_different_declaration_is_a_different_submission(self, client, donate_page, fake_stripe):
        client.post("/donate/", gift_aid_data())
        client.post("/donate/", gift_aid_data(gift_aid_house="14"))

        assert Donation.objects.count() == 2

    def test_without_the_box_the_address_is_not_kept(self, client, donate_page, fake_stripe):
        client.post("/donate/", gift_aid_data(gift_aid=""))

        assert Donation.objects.get().gift_aid_declaration is None
        assert not GiftAidDeclaration.objects.exists()

    def test_other_currencies_are_refused_clearly(self, client, donate_page, fake_stripe):
        response = client.post("/donate/", gift_aid_data(currency="USD"))

        assert response.status_code == 200
        errors = response.context["form"].errors["gift_aid"]
        assert "only to gifts in pounds sterling (GBP)" in errors[0]
        assert not Donation.objects.exists()
        assert not GiftAidDeclaration.objects.exists()

    @pytest.mark.parametrize("postcode", ["12345", "SW1A", "SW1 ABC", "SW1A 1AAA"])
    def test_a_bad_postcode_is_a_field_error(self, client, donate_page, fake_stripe, postcode):
        response = client.post("/donate/", gift_aid_data(gift_aid_postcode=postcode))

        assert response.status_code == 200
        assert "is not a UK postcode" in response.context["form"].errors["gift_aid_postcode"][0]
        html = BeautifulSoup(response.content, "html.parser")
        field = html.select_one("input[name=gift_aid_postcode]")
        assert field.get("aria-invalid") == "true"
        assert not Donation.objects.exists()

    def test_the_name_and_address_are_required_with_the_box(self, client, donate_page, fake_stripe):
        response = client.post("/donate/", gift_aid_data(gift_aid_first_name="", gift_aid_house=" "))

        errors = response.context["form"].errors
        assert "first name" in errors["gift_aid_first_name"][0]
        assert "house name or number" in errors["gift_aid_house"][0]
        assert not Donation.objects.exists()

    def test_the_spanish_page_shows_and_stores_the_declaration_in_spanish(
        self, client, spanish_donate_page, fake_stripe
    ):
        html = BeautifulSoup(client.get("/es/donar/").content, "html.parser")
        declaration = html.select_one("#gift-aid-declaration").get_text()
        assert "contribuyente" in declaration

        client.post("/es/donar/", gift_aid_data())

        stored = Donation.objects.get().gift_aid_declaration
        assert stored.language == "es"
        assert stored.wording == " ".join(declaration.split())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("sw1a1aa", "SW1A 1AA"), (" m1 1ae ", "M1 1AE"), ("B33 8TH", "B33 8TH"), ("EC1A1BB", "EC1A 1BB"), ("1AA", "")],
)
def test_postcodes_are_written_as_hmrc_wants_them(typed, expected):
    assert normalise_postcode(typed) == expected


# The claim schedule ----------------------------------------------------------------------------


@pytest.fixture
def finance(client, django_user_model):
    user = django_user_model.objects.create_user("finance", "finance@example.org", "a-long-password")
    group = Group.objects.create(name="Finance")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "access_admin",
                "export_donation",
                "view_giftaiddeclaration",
                "add_giftaiddeclaration",
                "change_giftaiddeclaration",
                "add_offlinegift",
                "change_offlinegift",
            ]
        )
    )
    user.groups.add(group)
    client.force_login(user)
    return client


def declaration(**fields):
    values = {
        "first_name": "Ada",
        "last_name": "King-Lovelace",
        "house": "12",
        "postcode": "SW1A 1AA",
        "title": "Ms",
        "email": "ada@example.org",
    }
    values.update(fields)
    return GiftAidDeclaration.objects.create(wording="I am a UK taxpayer…", **values)


def gift(amount, currency="GBP", paid_on="2026-05-10", refunded=0, declared=True, status="paid", **fields):
    donation = Donation.objects.create(
        amount=amount,
        currency=currency,
        frequency="once",
        status=status,
        donor_name="Ada",
        donor_email="ada@example.org",
        gift_aid_declaration=declaration() if declared else None,
        **fields,
    )
    donation.payments.create(amount=amount, amount_refunded=refunded, currency=currency, paid_at=f"{paid_on}T12:00Z")
    return donation


@pytest.fixture
def gifts(db):
    return {
        "eligible": gift(5000),
        "second": gift(1234, paid_on="2026-06-01"),
        "no_declaration": gift(2000, declared=False),
        "dollars": gift(2000, currency="USD"),
        "refunded": gift(2000, refunded=500),
        "voided": gift(2000, method="cheque", voided_at="2026-05-11T10:00Z", status="voided"),
        "pending": Donation.objects.create(
            amount=3000,
            currency="GBP",
            frequency="once",
            donor_name="P",
            donor_email="p@example.org",
            gift_aid_declaration=declaration(),
        ),
        "before": gift(2000, paid_on="2026-04-05"),
    }


def claim(client, fmt, start="2026-04-06", end="2026-07-01"):
    return client.post(reverse("donations_gift_aid:claim"), {"start": start, "end": end, "format": fmt})


def test_the_xlsx_schedule_lists_exactly_the_eligible_gifts(finance, gifts):
    response = claim(finance, "xlsx")

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == SCHEDULE_COLUMNS
    assert rows[1:] == [
        ("Ms", "Ada", "King Lovelace", "12", "SW1A 1AA", None, None, "10/05/26", 50),
        ("Ms", "Ada", "King Lovelace", "12", "SW1A 1AA", None, None, "01/06/26", 12.34),
    ]
    amount = sheet.cell(row=3, column=9)
    assert amount.data_type == "n"
    assert amount.number_format == "0.00"


def test_the_csv_schedule_has_the_same_rows(finance, gifts):
    response = claim(finance, "csv")

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        SCHEDULE_COLUMNS,
        ["Ms", "Ada", "King Lovelace", "12", "SW1A 1AA", "", "", "10/05/26", "50.00"],
        ["Ms", "Ada", "King Lovelace", "12", "SW1A 1AA", "", "", "01/06/26", "12.34"],
    ]


def test_a_period_ending_before_it_starts_is_refused(finance, gifts):
    response = claim(finance, "csv", start="2026-07-01", end="2026-04-06")

    assert response.status_code == 200
    assert "cannot end before it starts" in response.context["form"].errors["end"][0]


def test_the_schedule_is_for_finance_only(client, django_user_model, gifts):
    user = django_user_model.objects.create_user("editor", "editor@example.org", "a-long-password")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)

    response = claim(client, "csv")

    assert response.status_code in {302, 403}
    assert "King" not in response.content.decode()


def test_finance_records_a_declaration_for_a_cheque(finance):
    response = finance.post(
        reverse("donations_gift_aid:add"),
        {
            "title": "Mr",
            "first_name": "Tom",
            "last_name": "Paine",
            "house": "Rose Cottage",
            "postcode": "m11ae",
            "email": "Tom@Example.org",
            "made_on": "2026-05-01",
            "wording": "I am a UK taxpayer and want AIPG to reclaim Gift Aid on this gift.",
        },
    )
    assert response.status_code == 302
    recorded = GiftAidDeclaration.objects.get()
    assert recorded.donor.email == "tom@example.org"
    assert recorded.postcode == "M1 1AE"
    assert recorded.source == GiftAidDeclaration.Source.FINANCE

    finance.post(
        reverse("donations_offline:add"),
        {
            "donor_name": "Tom Paine",
            "donor_email": "tom@example.org",
            "amount_text": "100",
            "currency": "GBP",
            "method": "cheque",
            "received_on": "2026-05-02",
            "reference": "000123",
            "campaign": "",
            "gift_aid_declaration": recorded.pk,
            "note": "",
        },
    )

    rows = list(csv.reader(io.StringIO(claim(finance, "csv").content.decode())))
    assert rows[1] == ["Mr", "Tom", "Paine", "Rose Cottage", "M1 1AE", "", "", "02/05/26", "100.00"]
    assert Donation.objects.get().donor == recorded.donor


def test_a_declaration_on_an_offline_gift_in_another_currency_is_refused(finance):
    recorded = declaration()

    response = finance.post(
        reverse("donations_offline:add"),
        {
            "donor_name": "Tom Paine",
            "donor_email": "tom@example.org",
            "amount_text": "100",
            "currency": "EUR",
            "method": "transfer",
            "received_on": "2026-05-02",
            "reference": "",
            "campaign": "",
            "gift_aid_declaration": recorded.pk,
            "note": "",
        },
    )

    assert response.status_code == 200
    assert "pounds (GBP)" in response.context["form"].errors["gift_aid_declaration"][0]
    assert not Donation.objects.exists()


def test_a_bad_postcode_from_finance_is_a_field_error(finance):
    response = finance.post(
        reverse("donations_gift_aid:add"),
        {
            "first_name": "Tom",
            "last_name": "Paine",
            "house": "1",
            "postcode": "nowhere",
            "made_on": "2026-05-01",
            "wording": "Declared.",
        },
    )

    assert response.status_code == 200
    assert "UK postcode" in response.context["form"].errors["postcode"][0]


def test_amounts_are_decimal_pounds():
    from donations.gift_aid import claim_rows

    assert claim_rows(date(2026, 1, 1), date(2026, 12, 31)) == []
    assert isinstance(Decimal("1.00"), Decimal)
