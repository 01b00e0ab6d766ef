from django import template

from donations.currencies import format_money

register = template.Library()


@register.filter
def money(minor, currency):
    """`{{ payment.amount|money:payment.currency }}`: minor units written for people, e.g. "€25.50"."""
    if minor in (None, ""):
        return ""
    return format_money(int(minor), str(currency))


@register.filter
def indented_lines(text, indent=16):
    """A multi-line value (a postal address) in a plain-text email, its later lines under its first."""
    return ("\n" + " " * int(indent)).join(line.strip() for line in str(text).splitlines() if line.strip())
