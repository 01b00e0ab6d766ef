"""The currencies donors can give in: one table, with each currency's limits in minor units.

Amounts are integers in the currency's minor unit everywhere (cents, pence, grosze; yen have none),
as Stripe counts them. Only the form (reading what a donor typed) and the display (Babel) deal in
major units.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency


@dataclass(frozen=True)
class Currency:
    code: str
    name: str
    decimals: int
    minimum: int  # minor units
    maximum: int  # minor units

    @property
    def factor(self) -> int:
        return 10**self.decimals

    def to_minor(self, major: str | Decimal | int) -> int:
        """`major` (as a donor typed it, e.g. "25.50") in minor units; ValueError when it cannot be."""
        try:
            value = Decimal(str(major).strip().replace(",", ""))
        except InvalidOperation:
            raise ValueError("Enter an amount as a number, for example 25 or 25.50.") from None
        if not value.is_finite() or value <= 0:
            raise ValueError("Enter an amount greater than zero.")
        minor = value * self.factor
        if minor != minor.to_integral_value():
            places = "no decimal places" if self.decimals == 0 else f"at most {self.decimals} decimal places"
            raise ValueError(f"Amounts in {self.code} have {places}.")
        return int(minor)

    def to_major(self, minor: int) -> Decimal:
        """`minor` in the main unit with the currency's decimal places: 5000 USD is Decimal("50.00")."""
        return (Decimal(minor) / self.factor).quantize(Decimal(1).scaleb(-self.decimals))

    def major_text(self, minor: int) -> str:
        """The amount as a donor would type it: 2500 USD is "25", 2550 is "25.50", 500 JPY is "500"."""
        if minor % self.factor == 0:
            return str(minor // self.factor)
        return f"{self.to_major(minor):.{self.decimals}f}"

    def format(self, minor: int) -> str:
        return format_money(minor, self.code)

    def format_short(self, minor: int) -> str:
        """Like `format`, without zero decimals: "$25" rather than "$25.00", for preset buttons."""
        if minor % self.factor:
            return self.format(minor)
        return format_money(minor, self.code, pattern="¤#,##0")


CURRENCIES: dict[str, Currency] = {
    currency.code: currency
    for currency in [
        Currency("USD", "US dollar", 2, minimum=5_00, maximum=25_000_00),
        Currency("EUR", "Euro", 2, minimum=5_00, maximum=25_000_00),
        Currency("GBP", "Pound sterling", 2, minimum=5_00, maximum=20_000_00),
        Currency("PLN", "Polish złoty", 2, minimum=20_00, maximum=100_000_00),
        # Zero-decimal: Stripe counts yen in whole yen.
        Currency("JPY", "Japanese yen", 0, minimum=500, maximum=3_000_000),
    ]
}
CURRENCY_CHOICES = [(code, f"{code} ({currency.name})") for code, currency in CURRENCIES.items()]
DEFAULT_CURRENCY = "USD"


def format_money(minor: int, code: str, locale: str = "en", pattern: str | None = None) -> str:
    """An amount in minor units written for people: `format_money(2550, "EUR")` is "€25.50"."""
    code = code.upper()
    currency = CURRENCIES.get(code)
    decimals = currency.decimals if currency else 2
    text = format_currency(
        Decimal(minor) / 10**decimals, code, format=pattern, locale=locale, currency_digits=pattern is None
    )
    # CLDR spaces a letter code from the digits ("PLN 20.00"); Babel does not apply that rule.
    if text.startswith(code) and text[len(code) : len(code) + 1].isdigit():
        text = f"{code}\u00a0{text[len(code) :]}"
    return text
