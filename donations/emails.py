"""The emails online giving sends. Each is a background task (`aipg_site.background`): the worker sends
it, retrying while the mail server is unreachable, and records it as sent only once the server has
taken it, so a receipt is neither lost nor, when the task runs again, sent twice.

Each is written in the language the donor gave in (`Donation.language`): subject, body, amounts,
dates and links.
"""

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db.models import Q
from django.template.backends.django import DjangoTemplates
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Site

from aipg_site.background import background_task
from aipg_site.mail import DELIVERY_ERRORS, delivery_connection
from aipg_site.models import OrganisationSettings

from .models import RECURRING, Donation, Payment, normalise_email

MANAGE_SALT = "donations.manage"
MANAGEABLE = [Donation.Status.ACTIVE, Donation.Status.AWAITING_PAYMENT]


@background_task(retry_on=DELIVERY_ERRORS)
def send_receipt(payment_id: int) -> str:
    """A thank-you with the receipt for a gift's first payment; a receipt for each later instalment."""
    payment = Payment.objects.select_related("donation", "donation__campaign").get(pk=payment_id)
    if payment.receipt_sent_at:
        return "already sent"
    if payment.amount_refunded >= payment.amount:
        # Refunded in full before the receipt went (a refund's event can even come first): no thanks
        # for a gift that was given back.
        return "refunded"
    donation = payment.donation
    earlier = donation.payments.filter(Q(paid_at__lt=payment.paid_at) | Q(paid_at=payment.paid_at, pk__lt=payment.pk))
    first = not earlier.exists()
    context = {"payment": payment, "donation": donation, "first": first}
    _send("receipt", donation.donor_email, donation.language, context)
    now = timezone.now()
    Payment.objects.filter(pk=payment.pk, receipt_sent_at=None).update(receipt_sent_at=now)
    Donation.objects.filter(pk=donation.pk, thanked_at=None).update(thanked_at=now)
    return "sent"


@background_task(retry_on=DELIVERY_ERRORS)
def send_tribute_note(donation_id: int) -> str:
    """Tell the person a gift was made in honour or memory of (never the amount)."""
    donation = Donation.objects.get(pk=donation_id)
    if donation.tribute_notified_at:
        return "already sent"
    if not (donation.tribute_notify_email and donation.tribute_name):
        return "nobody to notify"
    # In the donor's language: the one thing known of the person they name.
    _send("tribute_note", donation.tribute_notify_email, donation.language, {"donation": donation})
    Donation.objects.filter(pk=donation.pk, tribute_notified_at=None).update(tribute_notified_at=timezone.now())
    return "sent"


@background_task(retry_on=DELIVERY_ERRORS)
def send_manage_links(email: str, language: str = "en") -> str:
    """Signed, expiring links for every donor of this address who has a paid gift: one to manage
    each of their recurring gifts at Stripe, and one to their year-end statements. Nothing when the
    address has given nothing. Looked up here, on the worker, so the request that asked answers
    alike for every address. Written in `language`, the one the donor asked in.

    The statement link is signed, like a manage link, on one of the donor's own donations (the
    latest one paid): the statement is the donor's, whichever of their gifts the token names, and a
    one-off gift's token opens no portal (`views.manage_open`), so no second token scheme is needed."""
    address = normalise_email(email)
    by_address = Q(donor_email__iexact=address) | Q(donor__email=address)
    recurring = (
        Donation.objects.filter(by_address, frequency__in=RECURRING, status__in=MANAGEABLE)
        .exclude(stripe_customer_id="")
        .order_by("created_at")
    )
    latest_paid = (
        Donation.objects.filter(by_address, payments__in=Payment.objects.counted())
        .order_by("-payments__paid_at", "-pk")
        .first()
    )
    if latest_paid is None and not recurring:
        return "no gift"
    with translation.override(language):
        links = [{"donation": donation, "url": manage_link(donation)} for donation in recurring]
        statement_url = statement_link(latest_paid) if latest_paid else ""
    _send("manage_links", email, language, {"links": links, "statement_url": statement_url})
    return "sent"


@background_task(retry_on=DELIVERY_ERRORS)
def send_payment_failing_notice(donation_id: int) -> str:
    """Stripe could not collect an instalment: a link to put a working card in Stripe's portal."""
    donation = Donation.objects.get(pk=donation_id)
    if not donation.payment_failing_since or donation.status != Donation.Status.ACTIVE:
        return "no longer failing"
    _send_to_donor("payment_failing", donation)
    return "sent"


@background_task(retry_on=DELIVERY_ERRORS)
def send_gift_ending_notice(donation_id: int) -> str:
    """The donor scheduled the end of their monthly or yearly gift: confirm when it ends."""
    donation = Donation.objects.get(pk=donation_id)
    if not donation.cancels_at or donation.status != Donation.Status.ACTIVE:
        return "not ending"
    _send_to_donor("gift_ending", donation)
    return "sent"


def manage_link(donation: Donation) -> str:
    """A signed link, good for DONATIONS_MANAGE_LINK_MAX_AGE, that opens Stripe's portal for this gift,
    from a page in the active language."""
    token = signing.TimestampSigner(salt=MANAGE_SALT).sign(str(donation.uuid))
    return settings.WAGTAILADMIN_BASE_URL + reverse("donations:manage_open", args=[token])


def statement_link(donation: Donation) -> str:
    """A signed link, good as long as a manage link, to the year-end statements of this donation's
    donor, on a page in the active language."""
    token = signing.TimestampSigner(salt=MANAGE_SALT).sign(str(donation.uuid))
    return settings.WAGTAILADMIN_BASE_URL + reverse("donations:statement", args=[token])


def is_manageable(donation: Donation) -> bool:
    """Whether a manage link for this donation may open Stripe's portal: a recurring gift still
    running, with its Stripe Customer. A one-off gift's link only reaches the statements."""
    return donation.frequency in RECURRING and donation.status in MANAGEABLE and bool(donation.stripe_customer_id)


def _organisation():
    """The settings in the email's language (called inside its `translation.override`): a Spanish
    receipt carries the Spanish receipt statement and name."""
    site = Site.objects.filter(is_default_site=True).first()
    return OrganisationSettings.for_site(site).in_active_language() if site else None


# Emails are plain text: rendered by an engine that escapes nothing, so "O'Brien & Family" reaches
# the donor as typed, not as "O&#x27;Brien &amp; Family". Same templates folder, same tag libraries.
TEXT_TEMPLATES = DjangoTemplates(
    {
        "NAME": "plain_text_email",
        "DIRS": settings.TEMPLATES[0]["DIRS"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    }
)


def _send_to_donor(template: str, donation: Donation) -> None:
    with translation.override(donation.language):
        link = manage_link(donation)
    _send(template, donation.donor_email, donation.language, {"donation": donation, "link": link})


def _send(template: str, to: str, language: str, context: dict) -> None:
    with translation.override(language):
        _render_and_send(template, to, context)


def _render_and_send(template: str, to: str, context: dict) -> None:
    organisation = _organisation()
    context = {
        "organisation": organisation,
        "organisation_name": (organisation and organisation.name) or settings.WAGTAIL_SITE_NAME,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "manage_url": settings.WAGTAILADMIN_BASE_URL + reverse("donations:manage"),
        "home_url": settings.WAGTAILADMIN_BASE_URL + reverse("wagtail_serve", args=[""]),
        "link_hours": settings.DONATIONS_MANAGE_LINK_MAX_AGE // 3600,
        **context,
    }
    text = TEXT_TEMPLATES.get_template(f"donations/email/{template}.txt").render(context)
    subject, _, body = text.strip().partition("\n")
    # Straight to the mail server, not through the queue again: this task is the queue.
    send_mail(" ".join(subject.split()), body.strip() + "\n", None, [to], connection=delivery_connection())
