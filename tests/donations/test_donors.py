"""Donors: one record per person behind all their gifts, made race-safely on the first gift, keeping
the Stripe Customer Stripe made for them."""

import threading
import time
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from donations import donors
from donations.checkout import checkout_request
from donations.models import Donation, Donor, Payment, StatementSent

from . import stripe_events as events
from .conftest import form_data
from .factories import DonationFactory, DonorFactory, PaymentFactory
from .stripe_events import deliver

pytestmark = pytest.mark.django_db


class TestOneDonorAcrossGifts:
    def test_two_gifts_from_one_address_however_typed_are_one_donor(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data(donor_email="Ada@Example.org", donor_name="Ada  Donor"))
        client.post("/donate/", form_data(donor_email=" ada@example.org ", amount="100", frequency="monthly"))

        donor = Donor.objects.get()
        assert donor.email == "ada@example.org"
        assert donor.name == "Ada Donor"
        assert sorted(donor.donations.values_list("amount", flat=True)) == [5000, 10000]

    def test_the_donor_keeps_the_name_of_the_latest_gift(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data(donor_name="Ada Donor"))
        client.post("/donate/", form_data(donor_name="Ada Lovelace", amount="100"))
        assert Donor.objects.get().name == "Ada Lovelace"

    def test_other_addresses_are_other_donors(self, client, donate_page, fake_stripe):
        client.post("/donate/", form_data())
        client.post("/donate/", form_data(donor_email="grace@example.org", donor_name="Grace Hopper"))
        assert sorted(Donor.objects.values_list("email", flat=True)) == ["ada@example.org", "grace@example.org"]

    def test_a_gift_recorded_without_a_donor_gets_its_addresss_donor(self):
        ada = DonorFactory(email="ada@example.org")
        gift = Donation.objects.create(
            amount=500, currency="USD", frequency="once", donor_name="Ada", donor_email="ADA@example.org"
        )
        assert gift.donor == ada


class TestStripeCustomer:
    def test_a_completed_checkout_gives_the_donor_its_customer_and_later_gifts_reuse_it(
        self, client, rf, donate_page, fake_stripe
    ):
        client.post("/donate/", form_data())
        first = Donation.objects.get()
        deliver(client, events.event("checkout.session.completed", events.checkout_session(first, customer="cus_ada")))
        assert Donor.objects.get().stripe_customer_id == "cus_ada"

        client.post("/donate/", form_data(amount="100"))
        second = Donation.objects.get(amount=10000)
        assert checkout_request(rf.get("/"), donate_page, second).customer_id == "cus_ada"

    def test_a_donor_keeps_the_customer_it_has(self, client, webhook_secret):
        donor = DonorFactory(stripe_customer_id="cus_first")
        gift = DonationFactory(donor=donor, status="pending", stripe_checkout_session_id="cs_later")
        deliver(client, events.event("checkout.session.completed", events.checkout_session(gift, customer="cus_new")))
        donor.refresh_from_db()
        gift.refresh_from_db()
        assert donor.stripe_customer_id == "cus_first"
        assert gift.stripe_customer_id == "cus_new"  # the gift still records what Stripe said


class TestCountedPayments:
    def test_a_campaign_counts_the_payments_that_count(self, campaign):
        PaymentFactory(donation=DonationFactory(campaign=campaign), amount=5000, amount_refunded=1000)
        assert list(campaign.counted_payments()) == list(Payment.objects.counted())
        assert campaign.raised() == 4000


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
class TestTheMigration:
    def test_existing_gifts_become_one_donor_per_address(self):
        executor = MigrationExecutor(connection)
        executor.migrate([("donations", "0006_submission_fingerprint")])
        old = executor.loader.project_state(("donations", "0006_submission_fingerprint")).apps
        OldDonation = old.get_model("donations", "Donation")
        for email, name, customer, when in [
            ("Ada@Example.org", "Ada D.", "", "2025-01-05T10:00Z"),
            ("ada@example.org ", "Ada Donor", "cus_ada", "2025-06-05T10:00Z"),
            ("ada@example.org", "Ada Lovelace", "", "2026-02-05T10:00Z"),
            ("grace@example.org", "Grace", "", "2026-03-05T10:00Z"),
        ]:
            OldDonation.objects.create(
                amount=500,
                currency="USD",
                frequency="once",
                donor_email=email,
                donor_name=name,
                stripe_customer_id=customer,
                created_at=when,
            )

        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(executor.loader.graph.leaf_nodes("donations"))

        ada = Donor.objects.get(email="ada@example.org")
        assert (ada.name, ada.stripe_customer_id, ada.donations.count()) == ("Ada Lovelace", "cus_ada", 3)
        assert Donor.objects.get(email="grace@example.org").donations.count() == 1
        assert not Donation.objects.filter(donor=None).exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises all writers; PostgreSQL is the test")
class TestFirstGiftsAtOnce:
    def test_two_first_gifts_from_one_address_at_once_make_one_donor(self):
        """The first inserts the donor and holds its transaction open; the second finds no donor,
        blocks on the address's unique index, fails once the first commits, and reads its record."""
        inserted = threading.Event()
        found = {}

        def first():
            try:
                with transaction.atomic():
                    found["first"] = Donor.objects.for_gift("ada@example.org", "Ada")
                    inserted.set()
                    _wait_for_a_blocked_transaction()
            finally:
                connection.close()

        def second():
            try:
                inserted.wait(timeout=10)
                found["second"] = Donor.objects.for_gift("ADA@example.org", "Ada")
            finally:
                connection.close()

        threads = [threading.Thread(target=first), threading.Thread(target=second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert found["first"].pk == found["second"].pk
        assert Donor.objects.count() == 1

    def test_two_different_first_gifts_posted_at_once_share_one_donor(self, donate_page, fake_stripe):
        answers = []

        def give(amount):
            try:
                answers.append(Client().post("/donate/", form_data(amount=amount)).status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=give, args=(amount,)) for amount in ("25", "100")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert answers == [303, 303]
        assert Donation.objects.count() == 2
        assert Donor.objects.count() == 1


def _wait_for_a_blocked_transaction():
    """Hold the transaction open until another connection waits on a lock (at most five seconds)."""
    from django.db import connections

    with connections["default"].cursor() as cursor:
        for _ in range(100):
            # Within a transaction PostgreSQL keeps showing its first look at the activity table.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            if cursor.fetchone()[0]:
                return
            time.sleep(0.05)
    raise AssertionError("The second gift never waited on the first: no concurrency was tested.")


# Staff: a donor's page, and merging two records that are one person ----------------------------


def staff_client(client, django_user_model, *codenames):
    user = django_user_model.objects.create_user("finance", "finance@example.org", "a-long-password")
    user.user_permissions.add(*Permission.objects.filter(codename__in=["access_admin", *codenames]))
    client.force_login(user)
    return client


def paid(donor, amount, when, currency="USD", refunded=0, **fields):
    return PaymentFactory(
        donation=DonationFactory(donor=donor, amount=amount, currency=currency, **fields),
        paid_at=when,
        amount_refunded=refunded,
    )


FIELDS = {"name", "notes", "email", "stripe_customer_id", "created_at"}


class TestStaffSeeADonor:
    def test_the_list_searches_by_name_or_address_and_counts_gifts(self, client, django_user_model):
        ada = DonorFactory(name="Ada Lovelace", email="ada@example.org")
        DonationFactory.create_batch(3, donor=ada)
        DonorFactory(name="Grace Hopper", email="grace@example.org")
        staff = staff_client(client, django_user_model, "view_donor")

        for query in ["lovelace", "ADA@example"]:
            page = BeautifulSoup(staff.get(reverse("donations_donor:index"), {"q": query}).content, "html.parser")
            rows = [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in page.select("tbody tr")]
            assert len(rows) == 1
            assert "ada@example.org" in rows[0]
            assert "3" in rows[0]

    def test_the_donors_page_shows_each_gift_and_totals_per_year_and_currency_net_of_refunds(
        self, client, django_user_model
    ):
        ada = DonorFactory(name="Ada Lovelace")
        paid(ada, 5000, datetime(2025, 6, 1, 12, tzinfo=UTC))
        paid(ada, 2500, datetime(2026, 2, 1, 12, tzinfo=UTC), refunded=1000)
        paid(ada, 2500, datetime(2026, 3, 1, 12, tzinfo=UTC))
        paid(ada, 3000, datetime(2026, 4, 1, 12, tzinfo=UTC), currency="EUR")
        paid(DonorFactory(), 9900, datetime(2026, 4, 1, 12, tzinfo=UTC))  # someone else's
        staff = staff_client(client, django_user_model, "view_donor")

        page = BeautifulSoup(staff.get(reverse("donations_donor:inspect", args=[ada.pk])).content, "html.parser")
        totals = [
            [cell.get_text(strip=True) for cell in row.select("th, td")]
            for row in page.select(".donation-totals tbody tr")
        ]
        assert totals == [
            ["2026", "EUR", "€30.00", "€0.00", "€30.00"],
            ["2026", "USD", "$50.00", "$10.00", "$40.00"],
            ["2025", "USD", "$50.00", "$0.00", "$50.00"],
        ]
        assert len(page.select("h2 ~ table:not(.donation-totals) tbody tr")) == 4
        assert "$99.00" not in page.get_text()

    def test_stripe_data_cannot_be_edited_and_donors_cannot_be_added_or_deleted(self, client, django_user_model):
        ada = DonorFactory(stripe_customer_id="cus_ada")
        staff = staff_client(client, django_user_model, "view_donor", "change_donor", "add_donor", "delete_donor")
        assert staff.get(reverse("donations_donor:add")).status_code in {302, 403}
        assert staff.get(reverse("donations_donor:delete", args=[ada.pk])).status_code in {302, 403}
        form = BeautifulSoup(staff.get(reverse("donations_donor:edit", args=[ada.pk])).content, "html.parser")
        assert [field["name"] for field in form.select("form [name]") if field["name"] in FIELDS] == ["name", "notes"]


class TestMerge:
    def test_the_other_records_gifts_move_and_the_merge_is_in_the_history(self, client, django_user_model):
        kept = DonorFactory(email="ada@example.org")
        other = DonorFactory(email="ada.lovelace@example.org", stripe_customer_id="cus_other")
        DonationFactory(donor=kept)
        DonationFactory.create_batch(2, donor=other)
        staff = staff_client(client, django_user_model, "view_donor", "change_donor")
        url = reverse("donations_donor:merge", args=[kept.pk])

        shown = staff.post(url, {"other": "Ada.Lovelace@example.org"})
        assert shown.status_code == 200
        assert "Yes, merge the records" in shown.content.decode()
        assert Donor.objects.count() == 2  # nothing changes before it is confirmed

        done = staff.post(url, {"other": "ada.lovelace@example.org", "confirm": "yes"})
        assert done.status_code == 302
        kept.refresh_from_db()
        assert kept.donations.count() == 3
        assert kept.stripe_customer_id == "cus_other"  # only the other had one
        assert not Donor.objects.filter(pk=other.pk).exists()
        entry = ModelLogEntry.objects.get(action=donors.MERGE_ACTION)
        assert entry.object_id == str(kept.pk)
        assert entry.data["merged_donor"]["email"] == "ada.lovelace@example.org"
        history = staff.get(reverse("donations_donor:history", args=[kept.pk])).content.decode()
        assert "Merged another donor record into this one" in history

    def test_when_both_have_a_stripe_customer_the_kept_ones_stays_and_the_other_is_noted(self):
        kept = DonorFactory(stripe_customer_id="cus_kept")
        other = DonorFactory(stripe_customer_id="cus_other")
        donors.merge(kept, other)
        kept.refresh_from_db()
        assert kept.stripe_customer_id == "cus_kept"
        assert "cus_other" in kept.notes
        assert ModelLogEntry.objects.get().data["other_stripe_customer_id"] == "cus_other"

    def test_statements_sent_move_without_counting_a_year_twice(self):
        kept, other = DonorFactory(), DonorFactory()
        StatementSent.objects.create(donor=kept, year=2025)
        StatementSent.objects.create(donor=other, year=2025)
        StatementSent.objects.create(donor=other, year=2024)
        donors.merge(kept, other)
        assert sorted(kept.statements_sent.values_list("year", flat=True)) == [2024, 2025]

    def test_a_donor_cannot_be_merged_into_itself(self, client, django_user_model):
        ada = DonorFactory(email="ada@example.org")
        DonationFactory(donor=ada)
        staff = staff_client(client, django_user_model, "view_donor", "change_donor")
        response = staff.post(
            reverse("donations_donor:merge", args=[ada.pk]), {"other": "ADA@example.org", "confirm": "yes"}
        )
        assert response.status_code == 400
        assert "cannot be merged into itself" in response.content.decode()
        assert Donor.objects.get().donations.count() == 1
        with pytest.raises(donors.MergeRefused):
            donors.merge(ada, ada)

    def test_an_unknown_address_is_explained(self, client, django_user_model):
        ada = DonorFactory()
        staff = staff_client(client, django_user_model, "view_donor", "change_donor")
        response = staff.post(reverse("donations_donor:merge", args=[ada.pk]), {"other": "nobody@example.org"})
        assert response.status_code == 400
        assert "No donor has that address" in response.content.decode()

    def test_a_get_never_merges_and_staff_who_may_only_view_cannot(self, client, django_user_model):
        kept, other = DonorFactory(), DonorFactory()
        viewer = staff_client(client, django_user_model, "view_donor")
        url = reverse("donations_donor:merge", args=[kept.pk])
        assert viewer.get(url, {"other": other.email, "confirm": "yes"}).status_code in {302, 403}
        assert viewer.post(url, {"other": other.email, "confirm": "yes"}).status_code in {302, 403}
        assert Donor.objects.count() == 2
