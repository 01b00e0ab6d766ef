"""Online giving: the donate page, campaigns, and the local record of every gift and payment.

A `Donation` is what a donor asked for on our form (written before Stripe is called, so nothing is
lost when Stripe is down); a `Payment` is money Stripe confirmed through the webhook: one for a
one-off gift, one per monthly or yearly instalment. Staff totals and campaign progress count payments net
of refunds, never donations. `StripeEvent` remembers every webhook event applied, so a replayed
event changes nothing.
"""

import uuid
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from aipg_site.rich_text import RICH_TEXT_FEATURES

from .currencies import CURRENCIES, CURRENCY_CHOICES, DEFAULT_CURRENCY, format_money
from .fees import CardFeeRate, CardFeeSettings

__all__ = ["CardFeeRate", "CardFeeSettings"]  # the fee table's models live in donations/fees.py


class Frequency(models.TextChoices):
    ONCE = "once", _("Once")
    MONTHLY = "monthly", _("Monthly")
    YEARLY = "yearly", _("Yearly")


# Gifts Stripe collects again and again, by subscription: a monthly or a yearly gift.
RECURRING = frozenset({Frequency.MONTHLY, Frequency.YEARLY})


class Method(models.TextChoices):
    """How the money came: through Stripe from the donate form, or by hand, entered by finance."""

    STRIPE = "stripe", "Card or bank payment through Stripe"
    CHEQUE = "cheque", "Cheque"
    TRANSFER = "transfer", "Bank transfer"
    CASH = "cash", "Cash"


OFFLINE_METHODS = [(value, label) for value, label in Method.choices if value != Method.STRIPE]


# Campaigns ------------------------------------------------------------------------------------


class CampaignForm(WagtailAdminModelForm):
    """Editors type the goal in the currency's main unit (50,000 dollars); it is stored in minor units."""

    goal = forms.DecimalField(
        min_value=1,
        decimal_places=2,
        help_text="The amount to raise, in the campaign's currency, e.g. 50000 for $50,000.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.currency in CURRENCIES:
            self.initial["goal"] = CURRENCIES[self.instance.currency].to_major(self.instance.goal)

    def clean(self):
        cleaned = super().clean()
        currency = CURRENCIES.get(cleaned.get("currency") or "")
        goal = cleaned.get("goal")
        if currency and goal is not None:
            try:
                cleaned["goal"] = currency.to_minor(goal)
            except ValueError as error:
                self.add_error("goal", str(error))
        return cleaned


class Campaign(models.Model):
    """A fundraising drive with a goal and dates. A donate page can name one; its progress bar counts
    the confirmed payments made between its dates in the campaign's currency, net of refunds, and
    lists what was given in other currencies beside it."""

    name = models.CharField(max_length=120, help_text="As donors see it, e.g. 'Lemkin Seminar scholarships 2026'.")
    slug = models.SlugField(unique=True, help_text="A short name for exports and links, e.g. 'lemkin-2026'.")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default=DEFAULT_CURRENCY)
    goal = models.PositiveBigIntegerField(help_text="The amount to raise, in minor units of the currency.")
    starts_on = models.DateField(help_text="The first day gifts count towards the campaign.")
    ends_on = models.DateField(null=True, blank=True, help_text="The last day (optional; open-ended when empty).")

    base_form_class = CampaignForm
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("currency"), FieldPanel("goal")]),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
    ]

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The campaign cannot end before it starts."})

    def counted_payments(self):
        """Confirmed payments to this campaign made between its first and last day (site time),
        offline gifts included, voided ones not."""
        payments = Payment.objects.counted().filter(donation__campaign=self, paid_at__date__gte=self.starts_on)
        if self.ends_on:
            payments = payments.filter(paid_at__date__lte=self.ends_on)
        return payments

    def raised_by_currency(self) -> dict[str, int]:
        """Net of refunds, in minor units, per currency: the campaign's own first, then the others in
        the order the donate form lists them. Currencies are never converted into one another."""
        rows = self.counted_payments().values("currency").annotate(net=Sum(F("amount") - F("amount_refunded")))
        net = {row["currency"]: row["net"] for row in rows if row["net"]}
        order = [self.currency, *(code for code in CURRENCIES if code != self.currency)]
        return {code: net[code] for code in order if code in net}

    def raised(self) -> int:
        """Raised in the campaign's currency, net of refunds, in minor units."""
        return self.raised_by_currency().get(self.currency, 0)

    def progress(self) -> dict:
        """The bar counts the campaign's currency against its goal; gifts in other currencies are
        listed beside it, each in its own currency."""
        by_currency = self.raised_by_currency()
        raised = by_currency.pop(self.currency, 0)
        percent = min(100, round(raised * 100 / self.goal)) if self.goal else 0
        return {
            "raised": raised,
            "goal": self.goal,
            "percent": percent,
            "currency": self.currency,
            "other_currencies": [{"currency": code, "raised": amount} for code, amount in by_currency.items()],
        }

    @property
    def display_goal(self) -> str:
        return CURRENCIES[self.currency].format(self.goal)

    @property
    def display_raised(self) -> str:
        """Every currency raised in, the campaign's first: "$3,000.00 + €90.00"."""
        by_currency = self.raised_by_currency() or {self.currency: 0}
        return " + ".join(CURRENCIES[code].format(amount) for code, amount in by_currency.items())

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.starts_on <= today and (self.ends_on is None or today <= self.ends_on)


# The donate page ------------------------------------------------------------------------------


class DonatePage(Page):
    """The donation form at /donate/: an introduction, the amounts offered, and an optional campaign.

    The form posts back to this page, which records a pending donation and sends the donor to
    Stripe Checkout (see `donations.checkout`). Preset amounts are set per frequency and currency
    below; a currency without presets still takes a custom amount.
    """

    intro = RichTextField(
        features=RICH_TEXT_FEATURES,
        help_text="Why to give and what a gift does, above the form.",
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donate_pages",
        help_text="Gifts made on this page count towards this campaign, with a progress bar (optional).",
    )
    default_currency = models.CharField(
        max_length=3, choices=CURRENCY_CHOICES, default=DEFAULT_CURRENCY, help_text="Selected when the form opens."
    )
    default_frequency = models.CharField(
        max_length=10, choices=Frequency.choices, default=Frequency.ONCE, help_text="Selected when the form opens."
    )

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("campaign"),
        FieldRowPanel([FieldPanel("default_currency"), FieldPanel("default_frequency")]),
        InlinePanel(
            "presets",
            heading="Preset amounts",
            label="Amounts for one frequency and currency",
            help_text="One row per frequency and currency, e.g. 'Monthly, USD: 10, 25, 50' or 'Yearly, USD: 100, 250'.",
        ),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    # A translation of this page is the same appeal in another language: its words are translated,
    # its money is not. The campaign, the amounts and the defaults stay the source's (a translator
    # cannot override them), so a gift on either page counts towards the one campaign, at the same
    # amounts.
    override_translatable_fields = [
        SynchronizedField("campaign", overridable=False),
        SynchronizedField("default_currency", overridable=False),
        SynchronizedField("default_frequency", overridable=False),
        SynchronizedField("presets", overridable=False),
    ]

    parent_page_types = ["aipg_site.HomePage", "aipg_site.StandardPage"]
    subpage_types = []
    # One cached copy for every visitor (the page every campaign email links to): the form carries no
    # per-visitor token, and its posts are refused when another site's page sends them, by the
    # browser's Sec-Fetch-Site and Origin headers instead (aipg_site/csrf.py). A paid gift drops the
    # cached copies that show its campaign's bar (donations/cached_pages.py).
    checks_cross_site_posts = True

    def serve(self, request, *args, **kwargs):
        # The form's handling is a view like the others, in donations/views.py; imported here, on
        # use, because the views import this module.
        from .views import donate_page

        return donate_page(request, self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["campaign_progress"] = self.campaign.progress() if self.campaign else None
        return context

    def preset_table(self) -> dict[str, dict[str, list[int]]]:
        """{frequency: {currency: [amounts in minor units]}} for the form and its script."""
        table: dict[str, dict[str, list[int]]] = {}
        for preset in self.presets.all():
            table.setdefault(preset.frequency, {})[preset.currency] = preset.minor_amounts()
        return table


class DonatePreset(Orderable):
    page = ParentalKey(DonatePage, on_delete=models.CASCADE, related_name="presets")
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.ONCE)
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default=DEFAULT_CURRENCY)
    amounts = models.CharField(
        max_length=200,
        help_text="Up to six amounts in the currency's main unit, separated by commas, e.g. '25, 50, 100, 250'.",
    )

    panels = [FieldRowPanel([FieldPanel("frequency"), FieldPanel("currency")]), FieldPanel("amounts")]
    # The amounts are numbers, the same on the page's translations: wagtail-localize copies them rather
    # than offering them to translators, who could otherwise change what a Spanish donor is asked for.
    override_translatable_fields = [SynchronizedField("amounts", overridable=False)]

    def clean(self):
        try:
            amounts = self.minor_amounts()
        except ValueError as error:
            raise ValidationError({"amounts": str(error)}) from None
        currency = CURRENCIES[self.currency]
        if not 1 <= len(amounts) <= 6:
            raise ValidationError({"amounts": "Give between one and six amounts."})
        outside = [a for a in amounts if not currency.minimum <= a <= currency.maximum]
        if outside:
            raise ValidationError(
                {
                    "amounts": f"Each amount must be between {currency.format(currency.minimum)} "
                    f"and {currency.format(currency.maximum)}."
                }
            )

    def minor_amounts(self) -> list[int]:
        currency = CURRENCIES[self.currency]
        return [currency.to_minor(part) for part in self.amounts.split(",") if part.strip()]


# Donors ---------------------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    """An address as a donor is known by: "  Ada@Example.org " and "ada@example.org" are one donor."""
    return (email or "").strip().lower()


class DonorManager(models.Manager["Donor"]):
    def for_gift(self, email: str, name: str) -> "Donor":
        """The donor giving from `email`, made on their first gift. Two first gifts from one address
        at the same moment make one donor: the second insert fails on the unique address and finds
        the first one's record. The name is the one given last."""
        email = normalise_email(email)
        name = " ".join((name or "").split())
        for _attempt in range(3):
            donor = self.filter(email=email).first()
            if donor is not None:
                if name and donor.name != name:
                    self.filter(pk=donor.pk).update(name=name)
                    donor.name = name
                return donor
            try:
                with transaction.atomic():
                    return self.create(email=email, name=name)
            except IntegrityError:
                continue  # the other gift's insert got there first: read it
        return self.get(email=email)


class Donor(models.Model):
    """A person (or organisation) who gives, known by their email address: every donation is theirs.

    Made by the first gift from an address (donations.checkout); later gifts from the same address,
    however it is capitalised, join it. Staff merge two records that are one person
    (donations.viewsets). The Stripe Customer is the one Stripe made for the donor's first completed
    gift, reused by their later gifts so Stripe knows them as one customer too."""

    email = models.EmailField(unique=True, help_text="Stored stripped and lower-cased: one donor per address.")
    name = models.CharField(max_length=120, blank=True, help_text="The name given with the latest gift.")
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    notes = models.TextField(
        blank=True, help_text="What staff should know, and what merges left behind (another Stripe Customer)."
    )

    objects = DonorManager()

    class Meta:
        ordering = ["name", "email"]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email

    def save(self, *args, **kwargs):
        self.email = normalise_email(self.email)
        self.name = " ".join(self.name.split())
        super().save(*args, **kwargs)

    def counted_payments(self):
        """Every payment of every gift of this donor that counts (Payment.objects.counted())."""
        return Payment.objects.counted().filter(donation__donor=self)

    def years_given(self) -> list[int]:
        """The years (site time) this donor has a counted payment in, latest first."""
        years = self.counted_payments().annotate(year=ExtractYear("paid_at")).values_list("year", flat=True)
        return sorted(set(years), reverse=True)

    def totals_by_year(self) -> list[dict]:
        """Received, refunded and net per year and currency, latest year first, in minor units and
        written out. Currencies are never converted into one another."""
        rows = (
            self.counted_payments()
            .annotate(year=ExtractYear("paid_at"))
            .order_by()
            .values("year", "currency")
            .annotate(
                received=Sum("amount"), refunded=Sum("amount_refunded"), net=Sum(F("amount") - F("amount_refunded"))
            )
            .order_by("-year", "currency")
        )
        return [
            {
                **row,
                "received_text": CURRENCIES[row["currency"]].format(row["received"]),
                "refunded_text": CURRENCIES[row["currency"]].format(row["refunded"]),
                "net_text": CURRENCIES[row["currency"]].format(row["net"]),
            }
            for row in rows
        ]

    def remember_customer(self, customer_id: str) -> None:
        """Keep the Stripe Customer a completed gift reports, unless the donor already has one."""
        if self.stripe_customer_id or not customer_id:
            return
        if Donor.objects.filter(pk=self.pk, stripe_customer_id="").update(stripe_customer_id=customer_id):
            self.stripe_customer_id = customer_id


# Gifts and payments ---------------------------------------------------------------------------


class Donation(models.Model):
    """One gift as the donor asked for it on our form, and where it stands with Stripe.

    Written as `pending` before Stripe Checkout is called; only the webhook moves it on. For a
    monthly or yearly gift each instalment Stripe collects is a `Payment`.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending (not completed at Stripe)"
        AWAITING_PAYMENT = "awaiting_payment", "Awaiting payment (bank transfer or debit)"
        PAID = "paid", "Paid"
        ACTIVE = "active", "Recurring gift active"
        FAILED = "failed", "Payment failed"
        ABANDONED = "abandoned", "Abandoned (checkout expired)"
        CANCELLED = "cancelled", "Recurring gift ended"
        REFUNDED = "refunded", "Refunded"
        VOIDED = "voided", "Voided (entered by mistake; not counted)"

    class Tribute(models.TextChoices):
        NONE = "", _("No tribute")
        MEMORY = "memory", _("In memory of")
        HONOUR = "honour", _("In honour of")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    amount = models.PositiveIntegerField(
        help_text="The gift the donor chose, in minor units of the currency (cents; whole yen)."
    )
    fee_added = models.PositiveIntegerField(
        default=0, help_text="The card fee the donor chose to add to cover Stripe's share, in minor units."
    )
    gross_amount = models.PositiveIntegerField(
        default=0, editable=False, help_text="What Stripe charges (each time, for a recurring gift): amount and fee."
    )
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="donations")
    # As typed on this gift's form (the Donor holds the latest name and the normalised address).
    donor_name = models.CharField(max_length=120)
    donor_email = models.EmailField()
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language of the donate page the gift was made on; the donor's emails are written in it.",
    )
    tribute_type = models.CharField(max_length=10, choices=Tribute.choices, blank=True)
    tribute_name = models.CharField(max_length=120, blank=True)
    tribute_notify_email = models.EmailField(blank=True)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="donations")
    page = models.ForeignKey(
        DonatePage, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    # What the donor chose, hashed (donations.checkout.submission_fingerprint): the same form sent
    # again within minutes finds this donation again. Emptied when an identical gift later starts a
    # donation of its own.
    submission_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    stripe_checkout_session_id = models.CharField(max_length=255, blank=True)
    # Where the donor pays: a second submit of the same form goes straight back there.
    stripe_checkout_url = models.TextField(blank=True, editable=False)
    # Calls to start Checkout that failed. Each failure moves the idempotency key on, because Stripe
    # keeps a failed answer for its key: a retry under the same key would only repeat that failure.
    checkout_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    stripe_customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    stripe_subscription_id = models.CharField(max_length=255, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True)
    checkout_error = models.TextField(
        blank=True, help_text="What went wrong the last time Stripe Checkout could not be started."
    )
    thanked_at = models.DateTimeField(
        null=True, blank=True, help_text="When the mail server took the thank-you email (the first receipt)."
    )
    tribute_notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the mail server took the note to the tribute contact."
    )
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When a monthly or yearly gift was ended.")
    payment_failing_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When Stripe could last not collect an instalment; cleared when one is paid again.",
    )
    failing_invoice_id = models.CharField(max_length=255, blank=True, editable=False)
    cancels_at = models.DateTimeField(
        null=True, blank=True, help_text="When a recurring gift the donor cancelled will end (its last paid period)."
    )
    # Offline gifts (cheques, transfers, cash) are entered by finance in the admin (donations/offline.py);
    # everything else came through Stripe and is changed only by its webhook.
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.STRIPE, db_index=True)
    note = models.TextField(blank=True, help_text="Finance's own note on an offline gift; never shown to the donor.")
    voided_at = models.DateTimeField(null=True, blank=True, editable=False)
    void_reason = models.TextField(blank=True, editable=False)
    gift_aid_declaration = models.ForeignKey(
        "GiftAidDeclaration",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
        help_text="The donor's Gift Aid declaration covering this gift (gifts in pounds only).",
    )

    class Meta:
        ordering = ["-created_at"]
        permissions = [("export_donation", "Can export donations")]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_checkout_session_id"],
                condition=~Q(stripe_checkout_session_id=""),
                name="donation_unique_checkout_session",
            ),
            models.UniqueConstraint(
                fields=["stripe_subscription_id"],
                condition=~Q(stripe_subscription_id=""),
                name="donation_unique_subscription",
            ),
            # Two presses of one form at the same moment make one donation: the second one's insert fails.
            models.UniqueConstraint(
                fields=["submission_fingerprint"],
                condition=~Q(submission_fingerprint=""),
                name="donation_unique_submission_fingerprint",
            ),
        ]

    def __str__(self):
        # One whole sentence per frequency, so each language words it its own way ("Donación única
        # de 50,00 US$ de Ada"), never an English frame around a translated word.
        wording = {
            Frequency.ONCE: _("One-off gift of %(amount)s from %(name)s"),
            Frequency.MONTHLY: _("Monthly gift of %(amount)s from %(name)s"),
            Frequency.YEARLY: _("Yearly gift of %(amount)s from %(name)s"),
        }.get(self.frequency, _("%(frequency)s gift of %(amount)s from %(name)s"))
        return str(wording) % {
            "frequency": self.get_frequency_display(),
            "amount": self.display_amount,
            "name": self.donor_name,
        }

    # Written only by the email tasks (donations/emails.py), which may run on a worker while a
    # webhook event about the same gift is being applied.
    EMAIL_RECORD_FIELDS = frozenset({"thanked_at", "tribute_notified_at"})

    def save(self, *args, **kwargs):
        # Names go into email subjects and greetings: one line, single spaces, whatever was posted.
        self.donor_name = " ".join(self.donor_name.split())
        self.tribute_name = " ".join(self.tribute_name.split())
        self.gross_amount = self.amount + self.fee_added
        if self.donor_id is None:
            # Every gift has its donor: checkout gives it one; any other code that records a gift
            # and names none gets the address's donor here.
            self.donor = Donor.objects.for_gift(self.donor_email, self.donor_name)
        super().save(*args, **kwargs)

    def save_webhook_changes(self) -> None:
        """Save what a webhook event changed, leaving the email records to the email tasks, so a
        receipt recorded meanwhile is never overwritten with this copy's stale value."""
        self.save(
            update_fields=[
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.EMAIL_RECORD_FIELDS
            ]
        )

    @property
    def kind_label(self) -> str:
        """What kind of gift this is, as a statement's Gift column names it: "One-off gift"."""
        return {
            Frequency.ONCE: _("One-off gift"),
            Frequency.MONTHLY: _("Monthly gift"),
            Frequency.YEARLY: _("Yearly gift"),
        }.get(self.frequency, self.get_frequency_display())

    @property
    def display_amount(self) -> str:
        return CURRENCIES[self.currency].format(self.amount)

    @property
    def is_offline(self) -> bool:
        return self.method != Method.STRIPE

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def standing(self) -> str:
        """The status as staff need to read it: a monthly gift whose card fails, or which ends soon,
        is still active at Stripe, and says so."""
        label = self.get_status_display()
        if self.is_recurring and self.status in {self.Status.ACTIVE, self.Status.CANCELLED}:
            # "Monthly gift active", "Yearly gift ended": the status names the kind of gift.
            kind = "Yearly" if self.is_yearly else "Monthly"
            label = f"{kind} gift {'active' if self.status == self.Status.ACTIVE else 'ended'}"
        if self.status == self.Status.ACTIVE:
            if self.payment_failing_since:
                return f"{label}: payment failing since {self.payment_failing_since:%-d %b %Y}"
            if self.cancels_at:
                return f"{label}: ends {self.cancels_at:%-d %b %Y}"
        return label

    @property
    def amount_decimal(self):
        return CURRENCIES[self.currency].to_major(self.amount)

    @property
    def fee_added_decimal(self):
        return CURRENCIES[self.currency].to_major(self.fee_added)

    @property
    def gross_decimal(self):
        return CURRENCIES[self.currency].to_major(self.gross_amount)

    @property
    def display_gift(self) -> str:
        """The gift as staff read it: "$25.00", or "$25.00 + $1.09 card fee" when the donor covered it."""
        if not self.fee_added:
            return self.display_amount
        return f"{self.display_amount} + {CURRENCIES[self.currency].format(self.fee_added)} card fee"

    @property
    def is_monthly(self) -> bool:
        return self.frequency == Frequency.MONTHLY

    @property
    def is_yearly(self) -> bool:
        return self.frequency == Frequency.YEARLY

    @property
    def is_recurring(self) -> bool:
        """A monthly or yearly gift: a Stripe subscription, each instalment a payment."""
        return self.frequency in RECURRING

    @property
    def payment_summary(self) -> str:
        """Payments received so far, net of refunds, for the admin's detail view."""
        payments = list(self.payments.all())
        if not payments:
            return "No payment confirmed by Stripe yet."
        if self.is_voided:
            return f"Voided on {self.voided_at:%-d %b %Y}: {self.void_reason}"
        currency = CURRENCIES[self.currency]
        received = sum(payment.amount for payment in payments)
        refunded = sum(payment.amount_refunded for payment in payments)
        return (
            f"{len(payments)} payment(s): {currency.format(received)} received, "
            f"{currency.format(refunded)} refunded, {currency.format(received - refunded)} net."
        )

    @property
    def tribute_line(self) -> str:
        if not self.tribute_type or not self.tribute_name:
            return ""
        return f"{self.get_tribute_type_display()} {self.tribute_name}"


class PaymentQuerySet(models.QuerySet["Payment"]):
    def counted(self) -> "PaymentQuerySet":
        """The payments that count as money given, wherever totals are made (campaigns, statements,
        donor totals, the admin's totals, the Gift Aid schedule): the one definition of what counts.
        All but those of voided offline gifts, which are kept and listed; refunds are netted by the
        totals themselves."""
        return self.filter(donation__voided_at__isnull=True)


class Payment(models.Model):
    """Money received: a one-off gift's payment, or one monthly or yearly instalment (an invoice),
    confirmed by Stripe; or an offline gift's cheque, transfer or cash, entered by finance (its
    `reference`).

    Each Stripe one is keyed by its Stripe id (payment intent or invoice), so however often and in
    whatever order Stripe reports it, it is recorded once. `amount_refunded` follows Stripe's
    running total.
    """

    donation = models.ForeignKey(Donation, on_delete=models.PROTECT, related_name="payments")
    amount = models.PositiveIntegerField(help_text="In minor units of the currency.")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    paid_at = models.DateTimeField(db_index=True)
    amount_refunded = models.PositiveIntegerField(default=0, help_text="In minor units, as Stripe reports it.")
    refunded_at = models.DateTimeField(null=True, blank=True)
    stripe_payment_intent_id = models.CharField(max_length=255, blank=True)
    stripe_invoice_id = models.CharField(max_length=255, blank=True)
    stripe_charge_id = models.CharField(max_length=255, blank=True)
    receipt_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the mail server took this payment's receipt."
    )
    # What Stripe kept and paid out, from the payment's balance transaction: filled by the worker
    # after the payment is recorded (donations.balance), empty until Stripe has told us.
    stripe_fee = models.PositiveIntegerField(
        null=True, blank=True, help_text="Stripe's fee, in minor units of the balance currency."
    )
    stripe_net = models.IntegerField(
        null=True, blank=True, help_text="What Stripe paid out after its fee, in minor units of the balance currency."
    )
    balance_currency = models.CharField(
        max_length=3, blank=True, help_text="The currency of Stripe's fee and net (the account's, when converted)."
    )
    stripe_balance_transaction_id = models.CharField(max_length=255, blank=True)
    reference = models.CharField(
        max_length=120, blank=True, help_text="An offline gift's cheque number or bank transfer reference."
    )

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-paid_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["stripe_payment_intent_id"],
                condition=~Q(stripe_payment_intent_id=""),
                name="payment_unique_payment_intent",
            ),
            models.UniqueConstraint(
                fields=["stripe_invoice_id"], condition=~Q(stripe_invoice_id=""), name="payment_unique_invoice"
            ),
            models.CheckConstraint(condition=Q(amount_refunded__lte=F("amount")), name="payment_refund_within_amount"),
        ]

    def __str__(self):
        return f"{self.display_amount} on {self.paid_at:%Y-%m-%d} from {self.donation.donor_name}"

    @property
    def net_amount(self) -> int:
        return self.amount - self.amount_refunded

    @property
    def display_amount(self) -> str:
        return CURRENCIES[self.currency].format(self.amount)

    @property
    def display_refunded(self) -> str:
        return CURRENCIES[self.currency].format(self.amount_refunded) if self.amount_refunded else ""

    # The admin listing and its export read these through the donation.

    @property
    def donor(self) -> str:
        return self.donation.donor_name

    @property
    def donor_email(self) -> str:
        return self.donation.donor_email

    @property
    def frequency(self) -> str:
        return self.donation.get_frequency_display()

    @property
    def method(self) -> str:
        return self.donation.get_method_display()

    @property
    def voided(self) -> bool:
        return self.donation.is_voided

    @property
    def voided_text(self) -> str:
        """For the admin listing: a voided offline gift's payment is listed, not counted."""
        return "Voided, not counted" if self.donation.is_voided else ""

    @property
    def campaign(self):
        return self.donation.campaign

    @property
    def donation_reference(self) -> str:
        return str(self.donation.uuid)

    @property
    def amount_decimal(self):
        return CURRENCIES[self.currency].to_major(self.amount)

    @property
    def refunded_decimal(self):
        return CURRENCIES[self.currency].to_major(self.amount_refunded)

    @property
    def net_decimal(self):
        return CURRENCIES[self.currency].to_major(self.net_amount)

    @property
    def stripe_fee_decimal(self):
        return None if self.stripe_fee is None else self._in_balance_currency(self.stripe_fee)

    @property
    def stripe_net_decimal(self):
        return None if self.stripe_net is None else self._in_balance_currency(self.stripe_net)

    @property
    def display_stripe_fee(self) -> str:
        return "" if self.stripe_fee is None else format_money(self.stripe_fee, self.balance_currency)

    @property
    def display_stripe_net(self) -> str:
        return "" if self.stripe_net is None else format_money(self.stripe_net, self.balance_currency)

    def _in_balance_currency(self, minor: int):
        currency = CURRENCIES.get(self.balance_currency.upper())
        decimals = currency.decimals if currency else 2
        return (Decimal(minor) / 10**decimals).quantize(Decimal(1).scaleb(-decimals))


class OfflineGiftManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().exclude(method=Method.STRIPE)


class OfflineGift(Donation):
    """A gift finance entered by hand (cheque, bank transfer, cash): the same `Donation` and one
    `Payment`, so it counts wherever a Stripe gift does. Its own model name gives it its own admin
    and permissions ("Can add offline gift", "Can change offline gift"), which Stripe gifts lack."""

    objects = OfflineGiftManager()

    class Meta:
        proxy = True
        verbose_name = "offline gift"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_method_display()} of {self.display_amount} from {self.donor_name}"

    @property
    def payment(self) -> "Payment | None":
        return self.payments.first()

    @property
    def received_on(self):
        payment = self.payment
        return timezone.localdate(payment.paid_at) if payment else None

    @property
    def reference(self) -> str:
        payment = self.payment
        return payment.reference if payment else ""


class GiftAidDeclaration(models.Model):
    """A UK taxpayer's Gift Aid declaration, as HMRC requires it kept: who made it (name, home
    house name or number, postcode), the exact words they agreed to, when and in which language.
    Made on the donate form with a gift in pounds, or recorded by finance for an offline gift.
    Never deleted: HMRC can ask for it for years after the claim."""

    class Source(models.TextChoices):
        DONATE_FORM = "form", "On the donate form"
        FINANCE = "finance", "Recorded by finance (paper or phone declaration)"

    donor = models.ForeignKey(
        Donor, on_delete=models.PROTECT, related_name="gift_aid_declarations", null=True, editable=False
    )
    title = models.CharField(max_length=4, blank=True, help_text="Up to 4 letters, e.g. Mr, Ms, Dr, Prof.")
    first_name = models.CharField(max_length=35)
    last_name = models.CharField(max_length=35)
    house = models.CharField("house name or number", max_length=40)
    postcode = models.CharField(max_length=8, help_text="A UK postcode, e.g. SW1A 1AA.")
    email = models.EmailField(help_text="The donor's email: the declaration is kept with the donor of this address.")
    wording = models.TextField(help_text="The declaration exactly as the donor saw and agreed to it.")
    made_on = models.DateField(default=timezone.localdate)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES, default="en")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FINANCE)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    search_fields = [index.SearchField("last_name"), index.SearchField("postcode")]

    class Meta:
        ordering = ["-made_on", "-created_at"]

    def __str__(self):
        return f"{self.full_name}, {self.postcode} ({self.made_on:%-d %b %Y})"

    def save(self, *args, **kwargs):
        from .gift_aid import normalise_postcode

        self.postcode = normalise_postcode(self.postcode) or self.postcode.strip().upper()
        if self.donor_id is None and self.email:
            # The address's donor, made if it has none yet; an existing donor's name is left alone.
            known = Donor.objects.filter(email=normalise_email(self.email)).first()
            self.donor = known or Donor.objects.for_gift(self.email, f"{self.first_name} {self.last_name}")
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)


class StripeEvent(models.Model):
    """A webhook event received. The unique id makes a replayed or concurrently delivered event a
    no-op; the worker applies a received event's effect and marks it applied in one transaction."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received, waiting for the worker"
        APPLIED = "applied", "Applied"
        IGNORED = "ignored", "Ignored (an event the site does not act on)"

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True)
    payload = models.JSONField(default=dict, blank=True, help_text="The event as Stripe sent it.")
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"


class StatementSent(models.Model):
    """A year-end statement emailed to a donor (donations.statements): at most one per donor and
    year, so sending a year's statements again, or a retried task, never sends a second."""

    donor = models.ForeignKey(Donor, on_delete=models.CASCADE, related_name="statements_sent")
    year = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "donor"]
        constraints = [models.UniqueConstraint(fields=["donor", "year"], name="statement_sent_once_per_year")]

    def __str__(self):
        return f"{self.year} statement to {self.donor}"
