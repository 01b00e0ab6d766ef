"""Card fees: what Stripe keeps of each payment, and the gift a donor grosses up to cover it.

Finance keep the table in the admin (Settings → Card fees): per currency, the percentage Stripe
takes and a fixed part in minor units. A donor who ticks "Add the card fee" is charged the gross
that leaves the organisation the amount they chose once Stripe has taken its share:

    gross = ceil((amount + fixed) / (1 - percent / 100))

in minor units of the currency, so whole yen for yen. What Stripe really kept is recorded on each
payment from its balance transaction (`Payment.stripe_fee`, `Payment.stripe_net`); the table is
only the estimate the donor is shown and charged.
"""

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_percent
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable

from .currencies import CURRENCIES, CURRENCY_CHOICES, display_locale


@dataclass(frozen=True)
class FeeRate:
    """Stripe's price for one payment in a currency: `percent` of the charge plus `fixed` minor units."""

    currency: str
    percent: Decimal
    fixed: int

    @property
    def basis_points(self) -> int:
        """The percentage in hundredths of a percent (2.9% is 290): the table keeps two decimals."""
        return int(self.percent * 100)

    def gross(self, amount: int) -> int:
        """What to charge so that `amount` (minor units) is left after the fee: rounded up to the
        next minor unit, so the organisation never receives less than the donor chose. In whole
        numbers, as the donate script works it out too."""
        return -(-(amount + self.fixed) * 10_000 // (10_000 - self.basis_points))

    def fee_for(self, amount: int) -> int:
        """The fee a donor adds to `amount` to cover Stripe's share of the gross."""
        return self.gross(amount) - amount

    def describe(self) -> str:
        """The rule as people read it: "2.9% + $0.30", "3.6%"."""
        percent = format_percent(self.percent / 100, locale=display_locale(), decimal_quantization=False)
        return f"{percent} + {CURRENCIES[self.currency].format(self.fixed)}" if self.fixed else percent


# Stripe's standard prices for a US account (the organisation's), until finance enter their own: a
# US card in dollars, and for other currencies a card from abroad with its conversion (2.9% + 1.5%
# international + 1% conversion) and a fixed part of about thirty cents in the currency.
DEFAULT_RATES: dict[str, FeeRate] = {
    rate.currency: rate
    for rate in [
        FeeRate("USD", Decimal("2.9"), 30),
        FeeRate("EUR", Decimal("5.4"), 30),
        FeeRate("GBP", Decimal("5.4"), 25),
        FeeRate("PLN", Decimal("5.4"), 120),
        FeeRate("JPY", Decimal("5.4"), 50),
    ]
}


@register_setting(icon="cog")
class CardFeeSettings(ClusterableModel, BaseGenericSetting):
    """The fee table donors' fee cover is worked out from: one row per currency. A currency without a
    row uses Stripe's standard price (DEFAULT_RATES)."""

    panels = [
        InlinePanel(
            "rates",
            heading="Card fee per currency",
            label="Fee in one currency",
            help_text="What Stripe takes from each card payment in the currency, as your Stripe pricing says. "
            "A donor who chooses to cover the fee is charged enough to leave the amount they chose after it. "
            "Currencies without a row use Stripe's standard price for a US account.",
        )
    ]

    class Meta:
        verbose_name = "Card fees"

    def rate(self, currency: str) -> FeeRate:
        """The currency's rate: its first row, or the default."""
        for row in self.rates.all():
            if row.currency == currency:
                return FeeRate(row.currency, row.percent, row.fixed)
        return DEFAULT_RATES[currency]

    def table(self) -> dict[str, FeeRate]:
        """Every currency's rate, the table's rows over the defaults."""
        rates = dict(DEFAULT_RATES)
        for row in reversed(list(self.rates.all())):  # the first row of a currency wins, as in rate()
            rates[row.currency] = FeeRate(row.currency, row.percent, row.fixed)
        return {code: rates[code] for code in CURRENCIES}


class CardFeeRate(Orderable):
    settings = ParentalKey(CardFeeSettings, on_delete=models.CASCADE, related_name="rates")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES)
    percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(20))],
        help_text="The percentage Stripe takes of each payment, e.g. 2.9.",
    )
    fixed = models.PositiveIntegerField(
        default=0,
        validators=[MaxValueValidator(10_000)],
        help_text="The fixed part per payment in minor units of the currency: 30 for 30 cents, 50 for 50 yen.",
    )

    panels = [FieldRowPanel([FieldPanel("currency"), FieldPanel("percent"), FieldPanel("fixed")])]


def current_rates() -> dict[str, FeeRate]:
    """The fee table as finance left it."""
    return CardFeeSettings.load().table()
