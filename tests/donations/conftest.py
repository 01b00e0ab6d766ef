import pytest
from django.core.cache import cache

from donations.models import Campaign, DonatePage, DonatePreset

from .fake_stripe import FakeStripe
from .stripe_events import WEBHOOK_SECRET


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate limits live in the cache: each test starts with none used.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def fake_stripe(settings):
    """A fake Stripe API the site is configured to call, with short timeouts."""
    server = FakeStripe().start()
    settings.STRIPE_SECRET_KEY = "sk_test_fake"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = server.url
    settings.STRIPE_TIMEOUT = (1.0, 1.0)
    settings.STRIPE_CHECKOUT_TIMEOUT = (1.0, 1.0)
    settings.STRIPE_REDIRECT_ORIGINS = ["https://checkout.stripe.com", server.url]
    yield server
    server.stop()


@pytest.fixture
def webhook_secret(settings):
    """Only the webhook configured: for tests that deliver events and call nothing."""
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return WEBHOOK_SECRET


@pytest.fixture
def campaign(db):
    return Campaign.objects.create(
        name="Lemkin Seminar scholarships", slug="lemkin", currency="USD", goal=10_000_00, starts_on="2026-01-01"
    )


@pytest.fixture
def donate_page(home, campaign):
    page = DonatePage(
        title="Donate",
        slug="donate",
        intro="<p>Help prevent atrocities.</p>",
        campaign=campaign,
        default_currency="USD",
        default_frequency="once",
    )
    page.presets = [
        DonatePreset(frequency="once", currency="USD", amounts="25, 50, 100"),
        DonatePreset(frequency="monthly", currency="USD", amounts="10, 20"),
        DonatePreset(frequency="once", currency="JPY", amounts="3000, 5000"),
    ]
    home.add_child(instance=page)
    page.save_revision().publish()
    return DonatePage.objects.get(pk=page.pk)


def form_data(**overrides):
    data = {
        "frequency": "once",
        "currency": "USD",
        "amount": "50",
        "custom_amount": "",
        "donor_name": "Ada Donor",
        "donor_email": "ada@example.org",
        "tribute_type": "",
        "tribute_name": "",
        "tribute_notify_email": "",
        "website": "",
        "submission_token": "6f1c2a52-58b9-4d4b-9f39-1b1b1c1d0001",
    }
    data.update(overrides)
    return data
