import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import TestCase
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, Translation, TranslationSource

from donations.models import Campaign, DonatePage, DonatePreset

from .fake_stripe import FakeStripe
from .stripe_events import WEBHOOK_SECRET


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The rate limits live in the cache: each test starts with none used.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _site_language_after_each_test():
    # A request to a Spanish page leaves Spanish active in this thread; a test after it that
    # formats money outside any request must not depend on which test ran last.
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
    }
    data.update(overrides)
    return data


def translate(page, locale, into):
    """`page` translated with wagtail-localize, as an editor does in the admin: every string given
    its Spanish in `into` (those left out keep the source's words), then published."""
    # Made on the first translation, brought up to date with the page after (the admin's "Sync
    # translated pages").
    source, _ = TranslationSource.update_or_create_from_instance(page)
    translation, _ = Translation.objects.get_or_create(source=source, target_locale=locale)
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        if segment.string.data in into:
            StringTranslation.objects.update_or_create(
                translation_of=segment.string,
                locale=locale,
                context=segment.context,
                defaults={"data": into[segment.string.data], "translation_type": "manual"},
            )
    # wagtail-localize publishes once the transaction commits; a test's never does.
    with TestCase.captureOnCommitCallbacks(execute=True):
        translation.save_target(publish=True)
    return page.get_translation(locale)


@pytest.fixture
def spanish(db):
    return Locale.objects.get(language_code="es")


@pytest.fixture
def spanish_donate_page(home, donate_page, spanish):
    """The donate page translated into Spanish, at /es/donar/, its home page translated too."""
    translate(home, spanish, {})
    return translate(
        donate_page,
        spanish,
        {"Donate": "Donar", "donate": "donar", "Help prevent atrocities.": "Ayude a prevenir atrocidades."},
    ).specific
