"""The donate page's form: validate, record a pending donation, hand the donor over to Stripe."""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from aipg_site import ratelimit
from aipg_site.models import OrganisationSettings

from . import stripe_gateway
from .currencies import CURRENCIES, reading_locale
from .forms import OTHER, DonationForm
from .models import Donation, Frequency

logger = logging.getLogger(__name__)

RESUME_SALT = "donations.resume"
RESUME_MAX_AGE = 60 * 60 * 24

RATE_LIMITED = (
    "You have started several donations from this connection in a short time, so we have paused new "
    "ones for a while. Please try again later, or contact us if you need help giving."
)
STRIPE_UNAVAILABLE = (
    "We could not reach our payment provider just now, so nothing has been charged. Your details are "
    "still below: please try again in a few minutes."
)


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


@dataclass
class CheckoutOutcome:
    redirect_url: str = ""
    message: str = ""
    status: int = 200


def serve_donate_page(page, request):
    """GET shows the form (filled in again when the donor comes back from Stripe); POST starts Checkout."""
    configured = stripe_gateway.is_configured()
    message, status = "", 200
    if request.method == "POST" and configured:
        form = DonationForm(request.POST, locale=reading_locale(request.headers.get("Accept-Language", "")))
        if form.is_valid():
            outcome = start_checkout(request, page, form.cleaned_data)
            if outcome.redirect_url:
                return HttpResponseSeeOther(outcome.redirect_url)
            message, status = outcome.message, outcome.status
    else:
        form = DonationForm(
            initial=initial_values(request, page), locale=reading_locale(request.headers.get("Accept-Language", ""))
        )
        status = 200 if configured or request.method == "GET" else 503
    context = page.get_context(request)
    presets = page.preset_table()
    context.update(
        {
            "form": form,
            "giving_configured": configured,
            "checkout_message": message,
            "amount_choices": amount_choices(page, presets, form.selected),
            "preset_data": preset_data(presets),
            "other_value": OTHER,
        }
    )
    response = TemplateResponse(request, page.get_template(request), context, status=status)
    # The form's answer is a redirect to Stripe Checkout: allow that origin for form posts here only.
    response._csp_update = {"form-action": list(settings.STRIPE_REDIRECT_ORIGINS)}
    return response


def start_checkout(request, page, data) -> CheckoutOutcome:
    limit, window = settings.DONATIONS_CHECKOUT_RATE_LIMIT
    if not ratelimit.hit("checkout", request, limit, window):
        return CheckoutOutcome(message=RATE_LIMITED, status=429)
    donation = _record_donation(page, data)
    organisation = OrganisationSettings.for_request(request)
    name = organisation.short_name or organisation.name or "AIPG"
    description = f"{'Monthly gift' if donation.is_monthly else 'Gift'} to {name}"
    if donation.campaign:
        description += f": {donation.campaign.name}"
    thank_you = request.build_absolute_uri(reverse("donations:thank_you"))
    resume = signing.dumps(str(donation.uuid), salt=RESUME_SALT)
    checkout = stripe_gateway.CheckoutRequest(
        donation_id=str(donation.uuid),
        amount=donation.amount,
        currency=donation.currency,
        monthly=donation.is_monthly,
        donor_email=donation.donor_email,
        description=description,
        # Stripe fills in {CHECKOUT_SESSION_ID}; it must reach Stripe unencoded.
        success_url=f"{thank_you}?session_id={{CHECKOUT_SESSION_ID}}",
        cancel_url=f"{request.build_absolute_uri(page.get_url(request))}?resume={resume}",
        campaign=donation.campaign.slug if donation.campaign else "",
    )
    try:
        session = stripe_gateway.create_checkout_session(checkout, idempotency_key=f"checkout-{donation.uuid}")
    except stripe_gateway.StripeError as error:
        donation.checkout_error = f"{timezone.now():%Y-%m-%d %H:%M} UTC: {type(error).__name__}: {error}"[:2000]
        donation.save(update_fields=["checkout_error", "updated_at"])
        return CheckoutOutcome(message=STRIPE_UNAVAILABLE, status=503)
    try:
        with transaction.atomic():
            Donation.objects.filter(pk=donation.pk).update(
                stripe_checkout_session_id=session.id, checkout_error="", updated_at=timezone.now()
            )
    except IntegrityError:
        # Stripe never reuses a session id; if it ever seems to, stop rather than mix two gifts up.
        logger.error("Checkout Session %s is already tied to another donation (donation %s).", session.id, donation.pk)
        return CheckoutOutcome(message=STRIPE_UNAVAILABLE, status=503)
    return CheckoutOutcome(redirect_url=session.url)


def _record_donation(page, data) -> Donation:
    """The pending donation for this form. A second submit of the same form (same token, same
    choices) finds the first one again, so it reuses its idempotency key and its Checkout Session."""
    fields = {
        "amount": data["amount_minor"],
        "currency": data["currency"],
        "frequency": data["frequency"],
        "donor_name": data["donor_name"],
        "donor_email": data["donor_email"],
        "tribute_type": data.get("tribute_type") or "",
        "tribute_name": data.get("tribute_name") or "",
        "tribute_notify_email": data.get("tribute_notify_email") or "",
        "campaign": page.campaign,
        "page": page,
    }
    token = data.get("submission_token")
    if token:
        existing = Donation.objects.filter(submission_token=token).first()
        if existing is None:
            try:
                with transaction.atomic():
                    return Donation.objects.create(submission_token=token, **fields)
            except IntegrityError:
                existing = Donation.objects.filter(submission_token=token).first()
        if existing is not None and all(getattr(existing, name) == value for name, value in fields.items()):
            return existing
    return Donation.objects.create(**fields)


def initial_values(request, page) -> dict:
    """The form's starting values: the page's defaults, what a donate block passed in the query
    string, or, back from Stripe's cancel link, everything the donor had typed."""
    initial = {"frequency": page.default_frequency, "currency": page.default_currency}
    if request.GET.get("frequency") in Frequency.values:
        initial["frequency"] = request.GET["frequency"]
    if request.GET.get("currency") in CURRENCIES:
        initial["currency"] = request.GET["currency"]
    if request.GET.get("amount", "")[:20]:
        initial["amount"] = request.GET["amount"][:20]
    donation = _resumed_donation(request.GET.get("resume", ""))
    if donation is not None:
        currency = CURRENCIES[donation.currency]
        typed = currency.major_text(donation.amount)
        presets = page.preset_table().get(donation.frequency, {}).get(donation.currency, [])
        initial.update(
            {
                "frequency": donation.frequency,
                "currency": donation.currency,
                "amount": typed if donation.amount in presets else OTHER,
                "custom_amount": "" if donation.amount in presets else typed,
                "donor_name": donation.donor_name,
                "donor_email": donation.donor_email,
                "tribute_type": donation.tribute_type,
                "tribute_name": donation.tribute_name,
                "tribute_notify_email": donation.tribute_notify_email,
            }
        )
    return initial


def _resumed_donation(token: str) -> Donation | None:
    if not token:
        return None
    try:
        donation_id = signing.loads(token, salt=RESUME_SALT, max_age=RESUME_MAX_AGE)
    except signing.BadSignature:
        return None
    return Donation.objects.filter(uuid=donation_id, status=Donation.Status.PENDING).first()


def amount_choices(page, table: dict, selected: dict) -> list[dict]:
    currency = CURRENCIES.get(selected["currency"]) or CURRENCIES[page.default_currency]
    frequency = selected["frequency"] or page.default_frequency
    presets = table.get(frequency, {}).get(currency.code, [])
    suffix = " a month" if frequency == Frequency.MONTHLY else ""
    return [
        {
            "value": currency.major_text(minor),
            "label": currency.format_short(minor) + suffix,
            "checked": currency.major_text(minor) == selected["amount"],
        }
        for minor in presets
    ]


def preset_data(table: dict) -> dict:
    """Every preset as value and label, for the script that redraws the amounts when the donor
    changes frequency or currency."""
    return {
        frequency: {
            code: [
                {"value": CURRENCIES[code].major_text(m), "label": CURRENCIES[code].format_short(m)} for m in amounts
            ]
            for code, amounts in by_currency.items()
        }
        for frequency, by_currency in table.items()
    }
