import pytest
from babel.numbers import get_currency_precision

from donations.currencies import CURRENCIES, format_money


def test_the_table_covers_the_currencies_donors_use():
    assert set(CURRENCIES) == {"USD", "EUR", "GBP", "PLN", "JPY"}


@pytest.mark.parametrize("code", list(CURRENCIES))
def test_each_currency_has_babels_decimals_and_sane_limits(code):
    currency = CURRENCIES[code]
    assert currency.decimals == get_currency_precision(code)
    assert 0 < currency.minimum < currency.maximum


@pytest.mark.parametrize(
    ("code", "typed", "minor"),
    [
        ("USD", "25", 2500),
        ("USD", "25.5", 2550),
        ("EUR", "1,000.10", 100010),
        ("JPY", "5000", 5000),
        ("PLN", " 20 ", 2000),
    ],
)
def test_typed_amounts_become_minor_units(code, typed, minor):
    assert CURRENCIES[code].to_minor(typed) == minor


@pytest.mark.parametrize(
    ("code", "typed"), [("JPY", "10.5"), ("USD", "1.001"), ("USD", "-5"), ("USD", "NaN"), ("USD", "")]
)
def test_impossible_amounts_are_refused(code, typed):
    with pytest.raises(ValueError, match=r"."):
        CURRENCIES[code].to_minor(typed)


def test_amounts_are_written_for_their_currency():
    assert format_money(2550, "EUR") == "€25.50"
    assert format_money(500, "JPY") == "¥500"
    assert format_money(123456, "GBP") == "£1,234.56"
    assert format_money(2000, "PLN") == "PLN\u00a020.00"
    assert CURRENCIES["USD"].major_text(2500) == "25"
    assert CURRENCIES["USD"].major_text(2550) == "25.50"
