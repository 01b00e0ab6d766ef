"""Gift Aid: the UK taxpayer's declaration on the donate form, and the claim schedule for HMRC.

A gift in pounds from a UK taxpayer who makes the declaration lets the charity reclaim the basic
rate tax on it. The declaration's words are shown on the form and stored, as shown, with the gift
(`GiftAidDeclaration`); the schedule (`claim_rows`) lists the gifts that can be claimed in the
columns of HMRC's Charities Online Gift Aid schedule spreadsheet.
"""

import re
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from .currencies import CURRENCIES
from .models import Donation, GiftAidDeclaration, Payment

GIFT_AID_CURRENCY = "GBP"

# A UK postcode: the outward code (area, district) and the inward code (sector, unit), as Royal
# Mail writes them; GIR 0AA is the one historic exception.
POSTCODE = re.compile(r"^(GIR0AA|[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2})$")

# The columns of HMRC's Gift Aid donation schedule spreadsheet (Charities Online), in its order.
SCHEDULE_COLUMNS = [
    "Title",
    "First name",
    "Last name",
    "House name or number",
    "Postcode",
    "Aggregated donations",
    "Sponsored event",
    "Donation date",
    "Amount",
]


def normalise_postcode(typed: str) -> str:
    """The postcode as HMRC wants it (capitals, one space before the last three characters), or ""
    when `typed` is not a UK postcode."""
    compact = re.sub(r"\s+", "", typed or "").upper()
    if not POSTCODE.fullmatch(compact):
        return ""
    return f"{compact[:-3]} {compact[-3:]}"


def declaration_text(organisation: str) -> str:
    """The declaration, in the active language: what HMRC requires a donor to confirm."""
    return _(
        "I am a UK taxpayer and want %(organisation)s to reclaim Gift Aid on this gift. I understand "
        "that if the Income Tax and/or Capital Gains Tax I pay in the tax year is less than the Gift "
        "Aid claimed on all my donations in that year, it is my responsibility to pay the difference."
    ) % {"organisation": organisation}


def record_declaration(data: dict, *, wording: str, language: str, donor) -> GiftAidDeclaration:
    """The declaration made on the donate form with a gift (cleaned form data), kept with the donor."""
    return GiftAidDeclaration.objects.create(
        donor=donor,
        title=data["gift_aid_title"],
        first_name=data["gift_aid_first_name"],
        last_name=data["gift_aid_last_name"],
        house=data["gift_aid_house"],
        postcode=data["gift_aid_postcode"],
        email=donor.email,
        wording=wording,
        language=language,
        source=GiftAidDeclaration.Source.DONATE_FORM,
    )


def claimable_payments(start: date, end: date):
    """The payments Gift Aid can be claimed on, received between `start` and `end` (site time):
    in pounds, confirmed, not voided, not refunded even in part, on a gift with a declaration."""
    return (
        Payment.objects.counted()
        .filter(
            currency=GIFT_AID_CURRENCY,
            amount_refunded=0,
            paid_at__date__gte=start,
            paid_at__date__lte=end,
            donation__gift_aid_declaration__isnull=False,
        )
        .exclude(donation__status=Donation.Status.REFUNDED)
        .select_related("donation__gift_aid_declaration")
        .order_by("paid_at", "pk")
    )


def claim_rows(start: date, end: date) -> list[list]:
    """One row per claimable payment, in the schedule's columns: the date as DD/MM/YY text and the
    amount in pounds as a Decimal with two places (a number in the spreadsheet)."""
    from django.utils import timezone

    rows = []
    for payment in claimable_payments(start, end):
        declaration = payment.donation.gift_aid_declaration
        rows.append(
            [
                declaration.title,
                declaration.first_name,
                # HMRC: a double-barrelled surname with a space, not a hyphen.
                declaration.last_name.replace("-", " "),
                declaration.house,
                declaration.postcode,
                "",
                "",
                timezone.localdate(payment.paid_at).strftime("%d/%m/%y"),
                Decimal(CURRENCIES[GIFT_AID_CURRENCY].to_major(payment.amount)),
            ]
        )
    return rows
