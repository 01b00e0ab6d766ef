"""Starting Stripe Checkout for a gift: the service the donate page's view calls.

It records the pending donation (the same choices sent again within minutes find the first), builds the
Checkout Session's parameters (the same every time for one donation, as Stripe's idempotency
requires), calls Stripe through the gateway and says what the donor should see next.
"""

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from aipg_site import ratelimit
from aipg_site.models import OrganisationSettings

from . import gift_aid, stripe_gateway
from .currencies import CURRENCIES
from .forms import DonationForm
from .models import Donation, Donor, Frequency

logger = logging.getLogger(__name__)

GIFT_AID_FIELDS = DonationForm.GIFT_AID_FIELDS

RESUME_SALT = "donations.resume"
RESUME_MAX_AGE = timedelta(hours=24)

RATE_LIMITED = gettext_lazy(
    "You have started several donations from this connection in a short time, so we have paused new "
    "ones for a while. Please try again later, or contact us if you need help giving."
)
STRIPE_UNAVAILABLE = gettext_lazy(
    "We could not reach our payment provider just now, so nothing has been charged. Your details are "
    "still below: please try again in a few minutes."
)
STRIPE_SLOW = gettext_lazy(
    "Our payment provider did not answer in time, so nothing has been charged. Your details are still "
    "below: please press the button again."
)
STILL_WAITING = gettext_lazy(
    "Your gift is still being set up with our payment provider, and nothing has been charged. Please wait "
    "a moment, then press the button again: you will go to the same payment page."
)
PRESS_AGAIN = gettext_lazy(
    "We could not start the payment just now, and nothing has been charged. Your details are still below: "
    "please press the button again."
)
# A gift in one of these has been through Checkout: its form is not sent to Stripe again.
GIVEN = {Donation.Status.PAID, Donation.Status.ACTIVE, Donation.Status.AWAITING_PAYMENT}
# How long Stripe keeps a Checkout Session open, by default: after that a resubmit starts a new one.
CHECKOUT_SESSION_LIFETIME = timedelta(hours=23)
# How long the same choices sent again count as the same form sent again rather than a second gift:
# longer than a slow network's retries and a look at Stripe's page before Back, short enough that a
# donor who gives the same again later is not sent to the first gift's thank-you page.
RESUBMIT_WINDOW = timedelta(minutes=15)
# How often Stripe collects a recurring gift: its subscription price's interval.
INTERVALS: dict[str, stripe_gateway.Interval] = {Frequency.MONTHLY: "month", Frequency.YEARLY: "year"}


@dataclass
class CheckoutOutcome:
    redirect_url: str = ""
    message: str = ""
    status: int = 200


def start_checkout(request, page, data) -> CheckoutOutcome:
    limit, window = settings.DONATIONS_CHECKOUT_RATE_LIMIT
    if not ratelimit.hit("checkout", request, limit, window):
        return CheckoutOutcome(message=RATE_LIMITED, status=429)
    donation = _record_donation(page, data)
    if donation.status in GIVEN and donation.stripe_checkout_session_id:
        # The same form sent again after the gift went through (Back, then the button): thanked,
        # never charged twice.
        with translation.override(donation.language):
            thank_you = reverse("donations:thank_you")
        return CheckoutOutcome(redirect_url=f"{thank_you}?session_id={donation.stripe_checkout_session_id}")
    if donation.stripe_checkout_url and timezone.now() - donation.created_at < CHECKOUT_SESSION_LIFETIME:
        # The same form sent again (a double click, a reload): back to the session it already has.
        return CheckoutOutcome(redirect_url=donation.stripe_checkout_url)
    checkout = checkout_request(request, page, donation)
    try:
        session = stripe_gateway.create_checkout_session(checkout, idempotency_key=idempotency_key(donation, checkout))
    except stripe_gateway.StripeError as error:
        if stripe_gateway.in_flight(error):
            # Stripe is still answering an earlier press for this donation (the first of a double
            # click) under the same key: that answer is this donor's session too.
            url = _wait_for_session_url(donation)
            if url:
                return CheckoutOutcome(redirect_url=url)
            return _failed(donation, "an earlier press for this gift was still with Stripe", STILL_WAITING)
        if isinstance(error, stripe_gateway.IdempotencyError):
            # The key was used with other parameters (it cannot be, as the key names them; if it
            # ever is, it is no outage): the next press uses a key of its own.
            logger.error("Stripe refused the idempotency key of donation %s: %s", donation.pk, error)
            return _failed(donation, f"{type(error).__name__}: {error}", PRESS_AGAIN)
        message = STRIPE_SLOW if stripe_gateway.timed_out(error) else STRIPE_UNAVAILABLE
        return _failed(donation, f"{type(error).__name__}: {error}", message)
    try:
        with transaction.atomic():
            Donation.objects.filter(pk=donation.pk).update(
                stripe_checkout_session_id=session.id,
                stripe_checkout_url=session.url,
                checkout_error="",
                updated_at=timezone.now(),
            )
    except IntegrityError:
        # Stripe never reuses a session id; if it ever seems to, stop rather than mix two gifts up.
        logger.error("Checkout Session %s is already tied to another donation (donation %s).", session.id, donation.pk)
        return CheckoutOutcome(message=STRIPE_UNAVAILABLE, status=503)
    return CheckoutOutcome(redirect_url=session.url)


def checkout_request(request, page, donation) -> stripe_gateway.CheckoutRequest:
    """The parameters of this donation's Checkout Session: the same every time they are built for
    it, so that a retry under the same idempotency key is the same request, as Stripe requires.
    Written in the donor's language, and returning them to pages in it."""
    with translation.override(donation.language):
        return _checkout_request(request, page, donation)


def _checkout_request(request, page, donation) -> stripe_gateway.CheckoutRequest:
    organisation = OrganisationSettings.for_request(request)
    if donation.is_monthly:
        description = _("Monthly gift to %(organisation)s") % {"organisation": organisation.short_display_name}
    elif donation.is_yearly:
        description = _("Yearly gift to %(organisation)s") % {"organisation": organisation.short_display_name}
    else:
        description = _("Gift to %(organisation)s") % {"organisation": organisation.short_display_name}
    if donation.campaign:
        description += f": {donation.campaign.name}"
    if donation.fee_added:
        description += " " + _("(with %(fee)s added for the card fee)") % {
            "fee": CURRENCIES[donation.currency].format(donation.fee_added)
        }
    thank_you = request.build_absolute_uri(reverse("donations:thank_you"))
    return stripe_gateway.CheckoutRequest(
        donation_id=str(donation.uuid),
        # The gross: the gift and the card fee the donor added to it (Donation.save adds them up).
        amount=donation.gross_amount,
        currency=donation.currency,
        interval=INTERVALS.get(donation.frequency, ""),
        donor_email=donation.donor_email,
        description=description,
        # Stripe fills in {CHECKOUT_SESSION_ID}; it must reach Stripe unencoded.
        success_url=f"{thank_you}?session_id={{CHECKOUT_SESSION_ID}}",
        cancel_url=f"{request.build_absolute_uri(page.get_url(request))}?resume={resume_token(donation)}",
        campaign=donation.campaign.slug if donation.campaign else "",
        customer_id=known_customer(donation.donor),
        locale=stripe_gateway.checkout_locale(donation.language),
    )


def known_customer(donor: Donor) -> str:
    """The donor's Stripe Customer (kept from their first completed gift), or "" before they have one."""
    return donor.stripe_customer_id


def idempotency_key(donation, checkout) -> str:
    """One key per donation, per parameter set, per failed attempt. Stripe keeps a key's first
    answer, failures included, and refuses the key with other parameters; so a retry after a
    failure, or after the organisation's name changed, gets a key of its own."""
    digest = hashlib.sha256(repr(checkout).encode()).hexdigest()[:12]
    return f"checkout-{donation.uuid}-{donation.checkout_failures}-{digest}"


def resume_token(donation) -> str:
    # Not timestamped: a timestamp would make every submit a different cancel_url, so a different
    # request under the same key. How long it lasts is checked against the donation's age instead.
    return signing.Signer(salt=RESUME_SALT).sign(str(donation.uuid))


def _failed(donation, error, message) -> CheckoutOutcome:
    donation.checkout_error = f"{timezone.now():%Y-%m-%d %H:%M} UTC: {error}"[:2000]
    donation.checkout_failures = F("checkout_failures") + 1
    donation.save(update_fields=["checkout_error", "checkout_failures", "updated_at"])
    return CheckoutOutcome(message=message, status=503)


def _wait_for_session_url(donation) -> str:
    """The Checkout URL another request for this donation is about to store, within Stripe's timeout."""
    deadline = time.monotonic() + sum(settings.STRIPE_CHECKOUT_TIMEOUT)
    while time.monotonic() < deadline:
        time.sleep(0.2)
        url = Donation.objects.filter(pk=donation.pk).values_list("stripe_checkout_url", flat=True).first()
        if url:
            return url
    return ""


def page_language(page) -> str:
    """The language of a donate page, as the site names it (settings.LANGUAGES): the donor's."""
    try:
        return translation.get_supported_language_variant(page.locale.language_code)
    except LookupError:
        return settings.LANGUAGE_CODE


def _record_donation(page, data) -> Donation:
    """The pending donation for this form. The same choices sent again within a few minutes (a
    double click, a reload of the post, a retry on a flaky network, Back from Stripe and the button
    again) find the first one, so it keeps its idempotency key and its Checkout Session."""
    fields = {
        "amount": data["amount_minor"],
        "fee_added": data.get("fee_minor") or 0,
        "currency": data["currency"],
        "frequency": data["frequency"],
        "donor_name": data["donor_name"],
        "donor_email": data["donor_email"],
        "tribute_type": data.get("tribute_type") or "",
        "tribute_name": data.get("tribute_name") or "",
        "tribute_notify_email": data.get("tribute_notify_email") or "",
        "campaign": page.campaign,
        "page": page,
        "language": page_language(page),
    }
    gift_aid = {name: data[name] for name in GIFT_AID_FIELDS} if data.get("gift_aid") else None
    fingerprint = submission_fingerprint(fields, gift_aid)
    existing = Donation.objects.filter(submission_fingerprint=fingerprint).first()
    if existing is not None:
        if _same_gift_sent_again(existing):
            return existing
        # An identical gift made a while ago, or one that went nowhere: this is a new gift, and the
        # fingerprint is its now.
        Donation.objects.filter(pk=existing.pk).update(submission_fingerprint="")
    donor = Donor.objects.for_gift(fields["donor_email"], fields["donor_name"])
    try:
        with transaction.atomic():
            if gift_aid:
                fields["gift_aid_declaration"] = _record_gift_aid(page, data, fields, donor)
            return Donation.objects.create(submission_fingerprint=fingerprint, donor=donor, **fields)
    except IntegrityError:
        # The other press of a double click got there first: its donation is this one.
        return Donation.objects.get(submission_fingerprint=fingerprint)


def _record_gift_aid(page, data, fields, donor):
    """The Gift Aid declaration made with this gift, in the words the donor was shown: the page's
    language, naming the organisation as the page does."""
    organisation = OrganisationSettings.for_site(page.get_site()).short_display_name
    with translation.override(fields["language"]):
        wording = gift_aid.declaration_text(organisation)
    return gift_aid.record_declaration(data, wording=wording, language=fields["language"], donor=donor)


def submission_fingerprint(fields: dict, gift_aid: dict | None = None) -> str:
    """The donor's choices, hashed: who gives (name and email), what (amount, currency, frequency,
    the card fee added), in whose tribute, on which page, and their Gift Aid declaration when they make one. Two donors
    never share one (they differ in name or email); the same donor's form sent again always does.
    Not keyed: the donation's row holds the same choices in the clear, so a key would hide nothing."""
    choices = {
        **{name: fields[name] for name in ("amount", "currency", "frequency", "tribute_type", "language")},
        "donor_name": " ".join(fields["donor_name"].split()),
        "donor_email": fields["donor_email"].strip().lower(),
        "tribute_name": " ".join(fields["tribute_name"].split()),
        "tribute_notify_email": fields["tribute_notify_email"].strip().lower(),
        "page": fields["page"].pk,
    }
    if fields.get("fee_added"):
        # Covering the fee or not is another charge, so another gift. (Left out when no fee is
        # added, so a gift without one keeps the fingerprint it always had.)
        choices["fee_added"] = fields["fee_added"]
    if gift_aid:
        # Only when made, so a gift without it keeps the fingerprint it always had.
        choices["gift_aid"] = {name: " ".join(str(value).split()) for name, value in gift_aid.items()}
    return hashlib.sha256(json.dumps(choices, sort_keys=True).encode()).hexdigest()


def _same_gift_sent_again(donation: Donation) -> bool:
    """Whether a donation with the same choices is this form sent again: made within the last
    RESUBMIT_WINDOW, and still waiting at Stripe or given (then the donor is thanked, not charged
    twice). A gift that failed, expired or was refunded is not resumed: its session is over."""
    recent = timezone.now() - donation.created_at < RESUBMIT_WINDOW
    return recent and (donation.status == Donation.Status.PENDING or donation.status in GIVEN)


def resumed_donation(token: str) -> Donation | None:
    """The pending donation a Stripe cancel link names, while it is recent; None for anything else."""
    if not token:
        return None
    try:
        donation_id = signing.Signer(salt=RESUME_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Donation.objects.filter(
        uuid=donation_id, status=Donation.Status.PENDING, created_at__gte=timezone.now() - RESUME_MAX_AGE
    ).first()
