"""The emails online giving sends, all through Django's mail (printed to the console in development).

They go only once the webhook has confirmed a payment and its transaction has committed.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from wagtail.models import Site

from aipg_site.models import OrganisationSettings

from .models import Donation, Payment


def _organisation():
    site = Site.objects.filter(is_default_site=True).first()
    return OrganisationSettings.for_site(site) if site else None


def _send(template: str, to: str, context: dict) -> None:
    organisation = _organisation()
    context = {
        "organisation": organisation,
        "organisation_name": (organisation and organisation.name) or settings.WAGTAIL_SITE_NAME,
        "base_url": settings.WAGTAILADMIN_BASE_URL,
        "manage_url": settings.WAGTAILADMIN_BASE_URL + reverse("donations:manage"),
        **context,
    }
    subject, _, body = render_to_string(f"donations/email/{template}.txt", context).strip().partition("\n")
    send_mail(subject.strip(), body.strip() + "\n", None, [to])


def send_receipt(payment_id: int, first: bool) -> None:
    """A thank-you with the receipt for the first payment of a gift; a receipt for each later instalment."""
    payment = Payment.objects.select_related("donation", "donation__campaign").get(pk=payment_id)
    _send("receipt", payment.donation.donor_email, {"payment": payment, "donation": payment.donation, "first": first})


def send_tribute_note(donation_id: int) -> None:
    donation = Donation.objects.get(pk=donation_id)
    if donation.tribute_notify_email and donation.tribute_name:
        _send("tribute_note", donation.tribute_notify_email, {"donation": donation})


def send_manage_links(email: str, links: list[dict]) -> None:
    _send("manage_links", email, {"links": links})
