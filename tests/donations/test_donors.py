"""Donors: one record per person behind all their gifts, made race-safely on the first gift, keeping
the Stripe Customer Stripe made for them."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from donations.checkout import checkout_request
from donations.models import Donation, Donor, Payment

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
