import logging
import re
from functools import wraps

from babel.numbers import get_group_symbol
from django.conf import settings
from django.core import signing
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from aipg_site import csrf, page_cache, ratelimit
from aipg_site.models import OrganisationSettings

from . import cached_pages, checkout, emails, fees, gift_aid, statements, stripe_gateway, webhooks
from .currencies import CURRENCIES, DEFAULT_CURRENCY, display_locale, reading_locale
from .forms import OTHER, DonationForm, ManageRequestForm
from .models import Donation, Frequency

logger = logging.getLogger(__name__)

MANAGE_SALT = emails.MANAGE_SALT


def forms_post_to_stripe(view):
    """For a page whose form is answered with a redirect to Stripe (Checkout, the customer portal):
    its Content Security Policy lets form posts go there, on this page only. The origins are read
    per response, as the tests point them at their own stand-in."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        response = view(*args, **kwargs)
        response._csp_update = {"form-action": list(settings.STRIPE_REDIRECT_ORIGINS)}
        return response

    return wrapped


class HttpResponseSeeOther(HttpResponseRedirect):
    status_code = 303


@forms_post_to_stripe
def donate_page(request, page):
    """GET shows the form (filled in again when the donor comes back from Stripe); POST starts Checkout.

    The plain GET is one page for every visitor, kept by the page cache and any CDN: nothing in it
    depends on who asks (no CSRF token, no per-visitor token, nothing read from Accept-Language).
    What is the donor's own (the form back from Stripe with what they typed, a form shown again after
    a post) is never stored by any cache."""
    configured = stripe_gateway.is_configured()
    language = checkout.page_language(page)
    if request.method == "POST":
        # The form carries no CSRF token (the page is cached); the browser says where it was sent from.
        refusal = csrf.cross_site_refusal(request)
        if refusal:
            csrf.log_refusal(request, refusal)
            return sent_from_another_site(request, page)
    if request.method == "POST" or set(request.GET) & DONOR_PARAMETERS or not configured:
        # The donor's own page, or one that must not outlive a deploy that switches giving on.
        page_cache.exclude(request)
    else:
        # A gift paid on this page's campaign drops its cached copies (cached_pages.py).
        cached_pages.tag(request, page)
    message, status = "", 200
    if request.method == "POST" and configured:
        # The donor's language reads the amount they type ("12,34"): on the English page whichever
        # their browser names first (many read it in another language), on a translation that
        # language (in the browser's variant of it, es-MX say, when it names one).
        locale = reading_locale(
            request.headers.get("Accept-Language", ""), "" if language == settings.LANGUAGE_CODE else language
        )
        rates = fees.current_rates()
        form = DonationForm(request.POST, locale=locale, fee_rates=rates)
        if form.is_valid():
            if not fee_confirmed(form):
                # The donor has not yet seen what covering the fee comes to (no script ran, or the
                # fee table changed since the page was cached): shown, and the button pressed again.
                return render_donate_page(request, page, form, configured, fee_rates=rates, confirm_fee=True)
            outcome = checkout.start_checkout(request, page, form.cleaned_data)
            if outcome.redirect_url:
                return HttpResponseSeeOther(outcome.redirect_url)
            message, status = outcome.message, outcome.status
        return render_donate_page(request, page, form, configured, message=message, status=status, fee_rates=rates)
    form = DonationForm(initial=initial_values(request, page), locale=display_locale())
    status = 200 if configured or request.method == "GET" else 503
    return render_donate_page(request, page, form, configured, message=message, status=status)


def fee_confirmed(form) -> bool:
    """Whether the donor covering the fee was shown the gross the form will charge: the page's
    script, or the confirmation step, puts that gross in `fee_confirmed` beside the button."""
    fee = form.cleaned_data["fee_minor"]
    if not fee:
        return True
    return form.data.get("fee_confirmed", "") == str(form.cleaned_data["amount_minor"] + fee)


# What the donate page reads from its query string: the donor's own data (`resume`, back from
# Stripe) or a donate block's choice. Neither is a parameter the page cache keys pages by, so such a
# page is never stored there; it is marked private, so no other cache keeps it either.
DONOR_PARAMETERS = frozenset({"resume", "amount", "frequency", "currency"})


def render_donate_page(request, page, form, configured, *, message="", status=200, fee_rates=None, confirm_fee=False):
    context = page.get_context(request)
    presets = page.preset_table()
    language = checkout.page_language(page)
    rates = fee_rates or fees.current_rates()
    context.update(fee_context(form, rates, confirm_fee))
    context.update(
        {
            "form": form,
            "giving_configured": configured,
            "checkout_message": message,
            "amount_choices": amount_choices(page, presets, form.selected),
            "preset_data": preset_data(presets),
            "other_value": OTHER,
            # The Gift Aid declaration, word for word as it is stored with a gift made on this page.
            "gift_aid_declaration": gift_aid.declaration_text(
                OrganisationSettings.for_request(request).short_display_name
            ),
            # The script that shows "Give €12.34" on the button reads amounts as the form does: by
            # the browser's language on the English page, by the page's on a translation; it finds
            # the browser's thousands mark itself, and falls back on the page language's.
            "group_mark": get_group_symbol(display_locale()),
            "reading_language": "" if language == settings.LANGUAGE_CODE else language,
            # And says it in the page's language.
            "script_text": {
                "give": _("Give %(amount)s"),
                # A recurring gift's amount, by frequency.
                "every": {"monthly": _("%(amount)s a month"), "yearly": _("%(amount)s a year")},
                "busy": _("Connecting to Stripe…"),
                "fee_line": FEE_LINE,
            },
        }
    )
    return TemplateResponse(request, page.get_template(request), context, status=status)


# The line under the fee option once an amount is chosen, from the server and from the script alike.
FEE_LINE = gettext_lazy(
    "The card fee on this gift is %(fee)s: we will charge %(gross)s, so that all of your %(amount)s reaches the work."
)


def fee_context(form, rates: dict, confirm_fee: bool) -> dict:
    """The fee option's words, every one in the page's HTML and the same for every visitor on a
    plain GET (the rule for the currency shown, and the table for the script); once a posted form is
    shown again, the fee of the amount it chose, and, when that is new to the donor, the gross to
    confirm with a second press."""
    selected = form.selected
    currency = CURRENCIES.get(selected["currency"]) or CURRENCIES[DEFAULT_CURRENCY]
    rate = rates[currency.code]
    context = {
        "fee_rule": fee_rule(rate),
        "fee_data": {
            code: {
                "basis_points": r.basis_points,
                "fixed": r.fixed,
                "decimals": CURRENCIES[code].decimals,
                "rule": fee_rule(r),
            }
            for code, r in rates.items()
        },
        "fee_line": "",
        "fee_confirmation": "",
        "fee_to_confirm": False,
    }
    cleaned = getattr(form, "cleaned_data", None) or {}
    if form.is_bound and "amount_minor" in cleaned and cleaned.get("fee_minor"):
        amount, fee = cleaned["amount_minor"], cleaned["fee_minor"]
        context["fee_line"] = FEE_LINE % {
            "fee": currency.format(fee),
            "gross": currency.format(amount + fee),
            "amount": currency.format(amount),
        }
        context["fee_confirmation"] = str(amount + fee)
        context["fee_to_confirm"] = confirm_fee
    return context


def fee_rule(rate) -> str:
    return _("Stripe, our payment provider, keeps %(rule)s of each card payment in %(currency)s.") % {
        "rule": rate.describe(),
        "currency": rate.currency,
    }


def sent_from_another_site(request, page) -> HttpResponse:
    """The answer to a donate form posted from another site's page: refused, in the page's language,
    with the form to give from here instead. Nothing is recorded and nothing is charged."""
    page_cache.exclude(request)
    configured = stripe_gateway.is_configured()
    form = DonationForm(initial={"frequency": page.default_frequency, "currency": page.default_currency})
    message = _(
        "This form was sent to us from another website, so we did not accept it and nothing has been "
        "charged. To give, please fill in the form below on our own site and press the button."
    )
    return render_donate_page(request, page, form, configured, message=message, status=403)


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
    donation = checkout.resumed_donation(request.GET.get("resume", ""))
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
                "cover_fee": bool(donation.fee_added),
            }
        )
    return initial


def amount_choices(page, table: dict, selected: dict) -> list[dict]:
    currency = CURRENCIES.get(selected["currency"]) or CURRENCIES[page.default_currency]
    frequency = selected["frequency"] or page.default_frequency
    presets = table.get(frequency, {}).get(currency.code, [])
    label = frequency_label(frequency)
    return [
        {
            "value": currency.major_text(minor),
            "label": label % {"amount": currency.format_short(minor)},
            "checked": currency.major_text(minor) == selected["amount"],
        }
        for minor in presets
    ]


def frequency_label(frequency: str) -> str:
    """How a preset amount reads for a frequency: "%(amount)s a month", "%(amount)s a year" or just the amount."""
    if frequency == Frequency.MONTHLY:
        return _("%(amount)s a month")
    if frequency == Frequency.YEARLY:
        return _("%(amount)s a year")
    return "%(amount)s"


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


@never_cache
def thank_you(request):
    """What the donor gave, by name. Reaching this page proves nothing: only the webhook marks a
    donation paid, so this page says whether Stripe has confirmed it yet."""
    session_id = request.GET.get("session_id", "")[:255]
    donation = None
    # Stripe's ids are letters, digits and underscores; anything else (a NUL, which PostgreSQL
    # refuses in a query) names no donation.
    if session_id and re.fullmatch(r"\w+", session_id, flags=re.ASCII):
        donation = Donation.objects.filter(stripe_checkout_session_id=session_id).select_related("campaign").first()
    confirmed = donation is not None and donation.status in {Donation.Status.PAID, Donation.Status.ACTIVE}
    return render(request, "donations/thank_you.html", {"donation": donation, "confirmed": confirmed})


@never_cache
@require_http_methods(["GET", "POST"])
def manage_request(request):
    """A donor asks for links to manage their monthly or yearly gift and to reach their year-end statements.
    The answer is the same, and takes the same work, whether or not the address is known: the worker
    looks the address up and sends the links, so neither the page nor its timing tells anybody who
    gives."""
    form = ManageRequestForm(request.POST or None)
    sent, limited = False, False
    if request.method == "POST" and form.is_valid():
        limit, window = settings.DONATIONS_MANAGE_RATE_LIMIT
        if not ratelimit.hit("manage", request, limit, window):
            limited = True
        else:
            # The links, and the email, in the language the donor asked in.
            emails.send_manage_links.enqueue(form.cleaned_data["email"], translation.get_language())
            sent = True
    status = 429 if limited else 200
    context = {
        "form": form,
        "sent": sent,
        "limited": limited,
        "max_age_hours": settings.DONATIONS_MANAGE_LINK_MAX_AGE // 3600,
    }
    return render(request, "donations/manage_request.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
@forms_post_to_stripe
def manage_open(request, token):
    """The emailed link: GET shows the gift (harmless when a mail scanner opens it), POST opens Stripe's
    customer portal for it, when it is a recurring gift still running; any other gift's link shows
    the way to the donor's statements and opens no portal."""
    max_age = settings.DONATIONS_MANAGE_LINK_MAX_AGE
    context = {"max_age_hours": max_age // 3600}
    try:
        donation_id = signing.TimestampSigner(salt=MANAGE_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired:
        return render(request, "donations/manage_open.html", {**context, "problem": "expired"}, status=400)
    except signing.BadSignature:
        return render(request, "donations/manage_open.html", {**context, "problem": "invalid"}, status=400)
    donation = Donation.objects.filter(uuid=donation_id).first()
    if donation is None:
        return render(request, "donations/manage_open.html", {**context, "problem": "invalid"}, status=400)
    # A one-off gift's link (or an ended gift's) reaches the statements only: no portal to open.
    manageable = emails.is_manageable(donation)
    context.update(donation=donation, token=token, manageable=manageable)
    status = 200
    if request.method == "POST" and not manageable:
        context["problem"] = "nothing_to_manage"
        status = 400
    elif request.method == "POST":
        return_url = request.build_absolute_uri(reverse("donations:manage"))
        try:
            return HttpResponseSeeOther(stripe_gateway.create_portal_session(donation.stripe_customer_id, return_url))
        except (stripe_gateway.StripeError, stripe_gateway.NotConfigured) as error:
            logger.warning("Could not open the customer portal for donation %s: %s", donation.pk, error)
            context["problem"] = "unavailable"
            status = 503
    return render(request, "donations/manage_open.html", context, status=status)


@never_cache
@require_http_methods(["GET", "HEAD"])
def statement(request, token):
    """From the emailed manage link: the donor picks a year they gave in and reads, or prints, that
    year's statement of all their gifts. Private to the donor: never stored by any cache."""
    max_age = settings.DONATIONS_MANAGE_LINK_MAX_AGE
    context = {"max_age_hours": max_age // 3600, "token": token}
    status = 200
    try:
        donation_id = signing.TimestampSigner(salt=MANAGE_SALT).unsign(token, max_age=max_age)
        donation = Donation.objects.select_related("donor").filter(uuid=donation_id).first()
    except signing.SignatureExpired:
        context["problem"], donation = "expired", None
    except (signing.BadSignature, ValueError):
        context["problem"], donation = "invalid", None
    if donation is None:
        context.setdefault("problem", "invalid")
        status = 400
    else:
        years = donation.donor.years_given()
        context["years"] = years
        year = request.GET.get("year", "")
        if year.isdigit() and int(year) in years:
            context["statement"] = statements.build(donation.donor, int(year))
        elif year:
            context["problem"] = "no_gifts"
            status = 404
    return render(request, "donations/statement.html", context, status=status)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's events. A missing, wrong or stale signature, or a body that is not a Stripe event,
    gets 400 and writes nothing; unknown events get 200 and are ignored. A good event is recorded and
    answered at once; the worker applies it (`webhooks.apply_stripe_event`)."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        return _plain("Online giving is not configured: STRIPE_WEBHOOK_SECRET is not set.", 503)
    try:
        payload = request.body
    except RequestDataTooBig:
        return _plain("The body is too large to be a Stripe event.", 400)
    try:
        event = stripe_gateway.construct_event(payload, request.headers.get("Stripe-Signature"))
    except stripe_gateway.SignatureVerificationError:
        return _plain("The Stripe-Signature header is missing, wrong or too old.", 400)
    except (ValueError, TypeError, KeyError, AttributeError):
        return _plain("The body is not a Stripe event.", 400)
    try:
        outcome = webhooks.record_event(event)
    except webhooks.MalformedEvent as error:
        return _plain(f"The event could not be read: {error}", 400)
    return JsonResponse({"received": True, "outcome": outcome})


def _plain(message: str, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
