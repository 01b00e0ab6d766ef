"""Year-end statements: every gift a donor made in a year, refunds netted, totals per currency, with
the organisation's details and its receipt statement (what the donor received in return: nothing).

A donor reads theirs from the signed, expiring link they already get to manage their gifts
(donations.views.statement); in January finance sends every donor theirs for the year past
(`manage.py send_year_end_statements --year 2026`), one task per donor on the worker, each recorded
by a `StatementSent` so that running the command again, or a task retried, never sends a second.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from aipg_site.background import background_task
from aipg_site.mail import DELIVERY_ERRORS, delivery_connection

from . import emails
from .currencies import CURRENCIES
from .models import Donor, Payment, StatementSent


@dataclass
class Line:
    payment: Payment

    @property
    def net(self) -> int:
        return self.payment.amount - self.payment.amount_refunded


@dataclass
class Total:
    currency: str
    received: int = 0
    refunded: int = 0

    @property
    def net(self) -> int:
        return self.received - self.refunded


@dataclass
class Statement:
    donor: Donor
    year: int
    lines: list[Line] = field(default_factory=list)
    totals: list[Total] = field(default_factory=list)

    @property
    def language(self) -> str:
        return language_of(self.donor)


def build(donor: Donor, year: int) -> Statement:
    """The donor's statement for `year` (site time): each counted payment of each of their gifts,
    oldest first, and per currency what was received, refunded and given net. Currencies are never
    converted into one another."""
    payments = (
        donor.counted_payments()
        .filter(paid_at__year=year)
        .select_related("donation", "donation__campaign")
        .order_by("paid_at", "pk")
    )
    statement = Statement(donor=donor, year=year, lines=[Line(payment) for payment in payments])
    totals: dict[str, Total] = {}
    for line in statement.lines:
        total = totals.setdefault(line.payment.currency, Total(line.payment.currency))
        total.received += line.payment.amount
        total.refunded += line.payment.amount_refunded
    order = list(CURRENCIES)
    statement.totals = sorted(totals.values(), key=lambda total: order.index(total.currency))
    return statement


def language_of(donor: Donor) -> str:
    """The language of the donor's latest gift: the one their emails are written in."""
    language = donor.donations.order_by("-created_at").values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


def donors_to_send(year: int):
    """Donors with a counted payment in `year` who have not been sent that year's statement."""
    gave = Payment.objects.counted().filter(donation__donor=OuterRef("pk"), paid_at__year=year)
    sent = StatementSent.objects.filter(donor=OuterRef("pk"), year=year)
    return Donor.objects.filter(Exists(gave)).exclude(Exists(sent)).order_by("pk")


def enqueue_year(year: int) -> int:
    """One task per donor to be sent `year`'s statement; returns how many were queued."""
    queued = 0
    for donor_id in donors_to_send(year).values_list("pk", flat=True).iterator():
        send_year_end_statement.enqueue(donor_id, year)
        queued += 1
    return queued


@background_task(retry_on=DELIVERY_ERRORS)
def send_year_end_statement(donor_id: int, year: int) -> str:
    """Email the donor their statement for `year`, in their language, once. The donor's row stays
    locked until the mail server has taken it and the sending is recorded: a second task for the
    same donor waits, then finds it sent. A mail server that fails leaves nothing recorded, and the
    task is retried."""
    with transaction.atomic():
        donor = Donor.objects.select_for_update().filter(pk=donor_id).first()
        if donor is None:
            return "no such donor (merged into another since)"
        if StatementSent.objects.filter(donor=donor, year=year).exists():
            return "already sent"
        statement = build(donor, year)
        if not statement.lines:
            return "no gifts that year"
        with translation.override(statement.language):
            _send(statement)
        StatementSent.objects.create(donor=donor, year=year)
    return "sent"


def _send(statement: Statement) -> None:
    organisation = emails._organisation()
    context = {
        "statement": statement,
        "organisation": organisation,
        "organisation_name": (organisation and organisation.name) or settings.WAGTAIL_SITE_NAME,
        "manage_url": settings.WAGTAILADMIN_BASE_URL + reverse("donations:manage"),
    }
    text = emails.TEXT_TEMPLATES.get_template("donations/email/statement.txt").render(context)
    html = render_to_string("donations/email/statement.html", context)
    subject, _, body = text.strip().partition("\n")
    send_mail(
        " ".join(subject.split()),
        body.strip() + "\n",
        None,
        [statement.donor.email],
        html_message=html,
        connection=delivery_connection(),
    )
