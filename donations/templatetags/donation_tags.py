from babel.dates import format_date
from babel.lists import format_list
from django import template
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from donations.currencies import display_locale, format_money

register = template.Library()


@register.filter
def money(minor, currency):
    """`{{ payment.amount|money:payment.currency }}`: minor units written for people in the active
    language, e.g. "€25.50" in English and "25,50 €" in Spanish."""
    if minor in (None, ""):
        return ""
    return format_money(int(minor), str(currency))


@register.filter
def money_list(amounts):
    """`[{"raised": 12000, "currency": "EUR"}, ...]` as one phrase: "€120.00 and ¥50,000"."""
    return format_list([format_money(a["raised"], a["currency"]) for a in amounts], locale=display_locale())


@register.filter
def long_date(value):
    """A date (or a moment, on the site's clock) as the active language writes it in a sentence:
    "7 December 2026", "7 de diciembre de 2026"."""
    if value in (None, ""):
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    locale = display_locale()
    # English keeps the day first, as the site has always written it.
    return format_date(value, format="d MMMM y" if locale.startswith("en") else "long", locale=locale)


@register.simple_tag
def gift_sentence(donation):
    """The thank-you page's sentence naming the gift, its campaign and tribute, in the active language."""
    tribute = ""
    if donation.tribute_line:
        if donation.tribute_type == donation.Tribute.MEMORY:
            tribute = format_html(_(", given in memory of {name},"), name=donation.tribute_name)
        else:
            tribute = format_html(_(", given in honour of {name},"), name=donation.tribute_name)
    values = {"amount": format_money(donation.amount, donation.currency), "tribute": tribute}
    if donation.campaign:
        values["campaign"] = donation.campaign.name
        if donation.is_monthly:
            sentence = _(
                "Your monthly gift of <strong>{amount} a month</strong> to {campaign}{tribute} "
                "means a great deal to us."
            )
        elif donation.is_yearly:
            sentence = _(
                "Your yearly gift of <strong>{amount} a year</strong> to {campaign}{tribute} means a great deal to us."
            )
        else:
            sentence = _("Your gift of <strong>{amount}</strong> to {campaign}{tribute} means a great deal to us.")
    elif donation.is_monthly:
        sentence = _("Your monthly gift of <strong>{amount} a month</strong>{tribute} means a great deal to us.")
    elif donation.is_yearly:
        sentence = _("Your yearly gift of <strong>{amount} a year</strong>{tribute} means a great deal to us.")
    else:
        sentence = _("Your gift of <strong>{amount}</strong>{tribute} means a great deal to us.")
    return format_html(sentence, **values)


@register.filter
def indented_lines(text, indent=16):
    """A multi-line value (a postal address) in a plain-text email, its later lines under its first."""
    return ("\n" + " " * int(indent)).join(line.strip() for line in str(text).splitlines() if line.strip())
