"""Gifts entered by finance (cheques, transfers, cash): counted like Stripe gifts, edited and voided
with a record in Wagtail's history, never deleted, and refreshing the campaign's cached bar."""

from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from wagtail.models import ModelLogEntry

from donations.models import Campaign, Donation, Donor, OfflineGift, Payment

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance(client, django_user_model):
    user = django_user_model.objects.create_user("finance", "finance@example.org", "a-long-password")
    group = Group.objects.create(name="Finance")
    group.permissions.add(
        *Permission.objects.filter(
            codename__in=[
                "access_admin",
                "view_donation",
                "view_payment",
                "add_offlinegift",
                "change_offlinegift",
                "view_offlinegift",
            ]
        )
    )
    user.groups.add(group)
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        name="Lemkin Seminar scholarships", slug="lemkin", currency="USD", goal=10_000_00, starts_on="2026-01-01"
    )


def cheque(**overrides):
    data = {
        "donor": "",
        "donor_name": "Rafael Donor",
        "donor_email": "rafael@example.org",
        "amount_text": "1,234.56",
        "currency": "USD",
        "method": "cheque",
        "received_on": "2026-03-02",
        "reference": "Cheque 004512",
        "campaign": "",
        "gift_aid_declaration": "",
        "note": "Posted to the office.",
    }
    data.update(overrides)
    return data


def add(client, **overrides):
    return client.post(reverse("donations_offline:add"), cheque(**overrides))


def test_a_cheque_counts_in_its_campaign(finance, campaign):
    response = add(finance, campaign=campaign.pk)

    assert response.status_code == 302
    gift = OfflineGift.objects.get()
    assert (gift.method, gift.status, gift.amount, gift.currency) == ("cheque", "paid", 123456, "USD")
    payment = gift.payments.get()
    assert (payment.amount, payment.reference, payment.paid_at.date()) == (123456, "Cheque 004512", date(2026, 3, 2))
    assert campaign.raised() == 123456
    assert Payment.objects.counted().count() == 1


def test_a_typed_email_finds_the_donor_on_record(finance):
    known = Donor.objects.for_gift("rafael@example.org", "Rafael Donor")

    add(finance, donor_email="  RAFAEL@Example.org ")

    gift = OfflineGift.objects.get()
    assert gift.donor == known
    assert Donor.objects.count() == 1


def test_a_voided_cheque_leaves_the_donors_totals(finance):
    add(finance, amount_text="100", reference="Cheque 1")
    add(finance, amount_text="40", reference="Cheque 2")
    donor = Donor.objects.get()
    assert [row["net"] for row in donor.totals_by_year()] == [140_00]

    bounced = OfflineGift.objects.get(payments__reference="Cheque 2")
    finance.post(reverse("donations_offline:void", args=[bounced.pk]), {"reason": "Bounced"})

    assert [row["net"] for row in donor.totals_by_year()] == [100_00]
    listing = finance.get(reverse("donations_offline:index")).content.decode()
    assert reverse("donations_donor:inspect", args=[donor.pk]) in listing


def test_a_new_email_makes_a_new_donor(finance):
    add(finance, donor_email="new@example.org", donor_name="New Person")

    assert OfflineGift.objects.get().donor.email == "new@example.org"


def test_an_existing_donor_can_be_picked(finance):
    known = Donor.objects.for_gift("grace@example.org", "Grace Hopper")

    response = add(finance, donor=known.pk, donor_name="", donor_email="")

    assert response.status_code == 302
    gift = OfflineGift.objects.get()
    assert (gift.donor, gift.donor_name, gift.donor_email) == (known, "Grace Hopper", "grace@example.org")


def test_a_donor_is_needed(finance):
    response = add(finance, donor_name="", donor_email="")

    errors = response.context["form"].errors
    assert "pick an existing donor" in errors["donor_email"][0]
    assert not Donation.objects.exists()


def test_an_amount_is_read_the_way_it_is_written(finance):
    add(finance, amount_text="1.234,56", currency="EUR")

    assert OfflineGift.objects.get().amount == 123456


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("twelve", "Enter an amount as a number"),
        ("0", "greater than zero"),
        ("12.345", "could not tell"),
        ("10.5", "no decimal places"),
    ],
)
def test_a_bad_amount_is_a_field_error_and_records_nothing(finance, typed, message):
    currency = "JPY" if typed == "10.5" else "USD"
    response = add(finance, amount_text=typed, currency=currency)

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["amount_text"])
    assert not Donation.objects.exists()


def test_a_date_in_the_future_is_refused(finance):
    response = add(finance, received_on="2999-01-01")

    assert "cannot be in the future" in response.context["form"].errors["received_on"][0]
    assert not Donation.objects.exists()


def test_an_edit_is_in_the_history(finance, campaign):
    add(finance)
    gift = OfflineGift.objects.get()

    response = finance.post(reverse("donations_offline:edit", args=[gift.pk]), cheque(amount_text="200"))

    assert response.status_code == 302
    gift.refresh_from_db()
    assert gift.amount == 200_00
    assert gift.payments.get().amount == 200_00
    actions = list(ModelLogEntry.objects.filter(object_id=str(gift.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["wagtail.create", "wagtail.edit"]
    history = finance.get(reverse("donations_offline:history", args=[gift.pk]))
    assert history.status_code == 200
    assert "Edited" in history.content.decode()
    assert "Created" in history.content.decode()


def test_a_voided_cheque_stays_listed_and_stops_counting(finance, campaign):
    add(finance, campaign=campaign.pk)
    gift = OfflineGift.objects.get()

    confirm = finance.get(reverse("donations_offline:void", args=[gift.pk]))
    assert confirm.status_code == 200
    assert "Void this gift" in confirm.content.decode()
    # Nothing happens without a reason.
    refused = finance.post(reverse("donations_offline:void", args=[gift.pk]), {"reason": "  "})
    assert refused.status_code == 200
    assert OfflineGift.objects.get().voided_at is None

    response = finance.post(reverse("donations_offline:void", args=[gift.pk]), {"reason": "Cheque returned unpaid"})

    assert response.status_code == 302
    gift.refresh_from_db()
    assert gift.status == "voided"
    assert gift.void_reason == "Cheque returned unpaid"
    assert campaign.raised() == 0
    assert Payment.objects.count() == 1
    assert Payment.objects.counted().count() == 0
    listing = finance.get(reverse("donations_offline:index"))
    assert "Rafael Donor" in listing.content.decode()
    assert "Voided" in listing.content.decode()
    history = finance.get(reverse("donations_offline:history", args=[gift.pk])).content.decode()
    assert "Voided: Cheque returned unpaid" in history
    # Voided is final: it is no longer edited or voided again.
    edit = finance.get(reverse("donations_offline:edit", args=[gift.pk]))
    assert edit.status_code == 302
    assert edit.url == reverse("donations_offline:inspect", args=[gift.pk])
    assert finance.post(reverse("donations_offline:void", args=[gift.pk]), {"reason": "again"}).status_code in {
        302,
        403,
    }
    gift.refresh_from_db()
    assert gift.void_reason == "Cheque returned unpaid"
    inspect = finance.get(reverse("donations_offline:inspect", args=[gift.pk])).content.decode()
    assert "Cheque returned unpaid" in inspect


def test_voiding_or_adding_drops_the_campaigns_cached_donate_pages(finance, campaign, monkeypatch):
    from donations import cached_pages

    refreshed = []
    monkeypatch.setattr(cached_pages, "refresh_campaign_pages", refreshed.append)
    add(finance, campaign=campaign.pk)
    assert refreshed == [campaign.pk]

    gift = OfflineGift.objects.get()
    finance.post(reverse("donations_offline:void", args=[gift.pk]), {"reason": "Entered twice"})
    assert refreshed == [campaign.pk, campaign.pk]


def test_moving_a_gift_to_another_campaign_refreshes_both(finance, campaign, monkeypatch):
    from donations import cached_pages

    other = Campaign.objects.create(name="Other", slug="other", currency="USD", goal=100, starts_on="2026-01-01")
    add(finance, campaign=campaign.pk)
    gift = OfflineGift.objects.get()
    refreshed = []
    monkeypatch.setattr(cached_pages, "refresh_campaign_pages", refreshed.append)

    finance.post(reverse("donations_offline:edit", args=[gift.pk]), cheque(campaign=other.pk))

    assert set(refreshed) == {campaign.pk, other.pk}
    assert campaign.raised() == 0
    assert other.raised() == 123456


def test_stripe_gifts_stay_read_only(finance):
    stripe_gift = Donation.objects.create(
        amount=5000, currency="USD", frequency="once", status="paid", donor_name="Ada", donor_email="ada@example.org"
    )

    assert finance.get(reverse("donations_offline:edit", args=[stripe_gift.pk])).status_code == 404
    assert finance.post(reverse("donations_offline:void", args=[stripe_gift.pk]), {"reason": "x"}).status_code == 404
    assert finance.get(reverse("donations_donation:edit", args=[stripe_gift.pk])).status_code in {302, 403}
    stripe_gift.refresh_from_db()
    assert stripe_gift.voided_at is None


def test_offline_gifts_cannot_be_deleted(finance):
    add(finance)
    gift = OfflineGift.objects.get()

    response = finance.post(reverse("donations_offline:delete", args=[gift.pk]))

    assert response.status_code in {302, 403}
    assert OfflineGift.objects.filter(pk=gift.pk).exists()


def test_staff_without_the_offline_permissions_cannot_add(client, django_user_model):
    user = django_user_model.objects.create_user("viewer", "viewer@example.org", "a-long-password")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", "view_donation"]))
    client.force_login(user)

    response = client.post(reverse("donations_offline:add"), cheque())

    assert response.status_code in {302, 403}
    assert not Donation.objects.exists()


def test_offline_gifts_show_in_the_payments_export_with_method_and_reference(finance):
    add(finance)

    response = finance.get(reverse("donations_payment:index") + "?export=csv")

    text = b"".join(response.streaming_content).decode() if response.streaming else response.content.decode()
    header, row = text.splitlines()[:2]
    assert "Method" in header
    assert "Reference" in header
    assert "Cheque" in row
    assert "Cheque 004512" in row


def test_the_donations_listing_totals_leave_voided_gifts_out(finance):
    add(finance, amount_text="100")
    add(finance, amount_text="40", reference="Cheque 2")
    voided = OfflineGift.objects.get(payments__reference="Cheque 2")
    finance.post(reverse("donations_offline:void", args=[voided.pk]), {"reason": "Bounced"})

    response = finance.get(reverse("donations_donation:index"))

    html = BeautifulSoup(response.content, "html.parser")
    row = html.select_one(".donation-totals tbody tr")
    assert row.th.get_text(strip=True) == "USD"
    assert "$100.00" in row.get_text()
