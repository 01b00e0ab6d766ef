"""Donors, their gifts and the payments Stripe confirmed, for tests that need them recorded."""

import datetime

import factory

from donations.models import Donation, Donor, Payment


class DonorFactory(factory.django.DjangoModelFactory):
    email = factory.Sequence(lambda n: f"donor{n}@example.org")
    name = factory.Sequence(lambda n: f"Donor {n}")

    class Meta:
        model = Donor


class DonationFactory(factory.django.DjangoModelFactory):
    """A one-off gift that Stripe confirmed, from its donor's address and name."""

    donor = factory.SubFactory(DonorFactory)
    donor_name = factory.LazyAttribute(lambda gift: gift.donor.name)
    donor_email = factory.LazyAttribute(lambda gift: gift.donor.email)
    amount = 5000
    currency = "USD"
    frequency = "once"
    status = Donation.Status.PAID

    class Meta:
        model = Donation


class PaymentFactory(factory.django.DjangoModelFactory):
    """A payment of its donation's amount; `paid_at` a date-time in the site's time zone."""

    donation = factory.SubFactory(DonationFactory)
    amount = factory.LazyAttribute(lambda payment: payment.donation.amount)
    currency = factory.LazyAttribute(lambda payment: payment.donation.currency)
    paid_at = factory.LazyFunction(lambda: datetime.datetime(2026, 3, 14, 12, 0, tzinfo=datetime.UTC))
    stripe_payment_intent_id = factory.Sequence(lambda n: f"pi_factory_{n}")

    class Meta:
        model = Payment
