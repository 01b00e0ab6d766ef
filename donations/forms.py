from babel.numbers import get_decimal_symbol
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .currencies import CURRENCIES, CURRENCY_CHOICES, DEFAULT_CURRENCY, display_locale
from .models import Donation, Frequency

OTHER = "other"


class DonationForm(forms.Form):
    """The donor's choices. `cleaned_data["amount_minor"]` is the gift in minor units.

    The preset amounts are drawn as a radio group by the template (they depend on the frequency and
    currency chosen); the field takes any preset's value or "other" with a custom amount.
    """

    frequency = forms.ChoiceField(choices=Frequency.choices, widget=forms.RadioSelect, initial=Frequency.ONCE)
    currency = forms.ChoiceField(choices=CURRENCY_CHOICES, initial=DEFAULT_CURRENCY)
    amount = forms.CharField(max_length=20, required=False)
    custom_amount = forms.CharField(
        max_length=20,
        required=False,
        label=gettext_lazy("Other amount"),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    donor_name = forms.CharField(
        max_length=120, label=gettext_lazy("Your name"), widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    donor_email = forms.EmailField(
        max_length=254,
        label=gettext_lazy("Your email"),
        help_text=gettext_lazy("For your receipt."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    tribute_type = forms.ChoiceField(
        choices=Donation.Tribute.choices,
        required=False,
        widget=forms.RadioSelect,
        label=gettext_lazy("Give in tribute"),
    )
    tribute_name = forms.CharField(max_length=120, required=False, label=gettext_lazy("Their name"))
    tribute_notify_email = forms.EmailField(
        max_length=254,
        required=False,
        label=gettext_lazy("Email someone about this gift (optional)"),
        help_text=gettext_lazy("We send them a short note that a gift was made; never the amount."),
    )
    cover_fee = forms.BooleanField(
        required=False, label=gettext_lazy("Add the card fee so all of my gift goes to the work")
    )
    # Gift Aid (UK): shown for every currency, so the page stays one cached copy that works without
    # JavaScript; the declaration is refused, with a message, on a gift in another currency.
    gift_aid = forms.BooleanField(
        required=False,
        label=gettext_lazy("I am a UK taxpayer and want AIPG to reclaim Gift Aid"),
        # The declaration they agree to is the paragraph below the box.
        widget=forms.CheckboxInput(attrs={"aria-describedby": "gift-aid-declaration"}),
    )
    gift_aid_title = forms.CharField(
        max_length=4,
        required=False,
        label=gettext_lazy("Title (optional)"),
        help_text=gettext_lazy("For example Mr, Ms, Dr."),
        widget=forms.TextInput(attrs={"autocomplete": "honorific-prefix"}),
    )
    gift_aid_first_name = forms.CharField(
        max_length=35,
        required=False,
        label=gettext_lazy("First name"),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    gift_aid_last_name = forms.CharField(
        max_length=35,
        required=False,
        label=gettext_lazy("Last name"),
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    gift_aid_house = forms.CharField(
        max_length=40,
        required=False,
        label=gettext_lazy("House name or number"),
        help_text=gettext_lazy("Of your home address."),
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
    )
    gift_aid_postcode = forms.CharField(
        max_length=10,
        required=False,
        label=gettext_lazy("Postcode"),
        help_text=gettext_lazy("A UK postcode, for example SW1A 1AA."),
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "autocapitalize": "characters"}),
    )
    # A field people never see: bots fill it in.
    website = forms.CharField(
        required=False,
        label=gettext_lazy("Leave this field empty"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, locale="en", fee_rates=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The card fee per currency (donations.fees), for a donor who covers it.
        self.fee_rates = fee_rates or {}
        # The donor's language (from their browser, or the page's) reads "12,34" and "1.000" as they
        # meant them.
        self.locale = locale
        self.fields["custom_amount"].help_text = amount_example()
        self.is_spam = False

    def clean_website(self):
        if self.cleaned_data.get("website"):
            self.is_spam = True
            raise forms.ValidationError(_("This form could not be sent. Please try again."))
        return ""

    def clean(self):
        cleaned = super().clean()
        currency = CURRENCIES.get(cleaned.get("currency") or "")
        if currency is None:
            return cleaned
        choice = (cleaned.get("amount") or "").strip()
        typed = cleaned.get("custom_amount", "").strip()
        if choice in {"", OTHER}:
            if not typed:
                self.add_error("custom_amount", _("Choose an amount or enter another one."))
                return cleaned
            choice, field = typed, "custom_amount"
        else:
            field = "amount"
        try:
            minor = currency.to_minor(choice, self.locale)
        except ValueError as error:
            self.add_error(field, str(error))
            return cleaned
        if not currency.minimum <= minor <= currency.maximum:
            self.add_error(
                field,
                _("Gifts in %(currency)s can be from %(minimum)s to %(maximum)s.")
                % {
                    "currency": currency.code,
                    "minimum": currency.format(currency.minimum),
                    "maximum": currency.format(currency.maximum),
                },
            )
            return cleaned
        cleaned["amount_minor"] = minor
        cleaned["fee_minor"] = 0
        if cleaned.get("cover_fee") and currency.code in self.fee_rates:
            cleaned["fee_minor"] = self.fee_rates[currency.code].fee_for(minor)

        tribute = cleaned.get("tribute_type")
        if tribute and not cleaned.get("tribute_name"):
            self.add_error("tribute_name", _("Whose name should the tribute carry?"))
        if not tribute:
            cleaned["tribute_name"] = ""
            cleaned["tribute_notify_email"] = ""
        self._clean_gift_aid(cleaned, currency.code)
        return cleaned

    GIFT_AID_FIELDS = (
        "gift_aid_title",
        "gift_aid_first_name",
        "gift_aid_last_name",
        "gift_aid_house",
        "gift_aid_postcode",
    )

    def _clean_gift_aid(self, cleaned, currency_code) -> None:
        from .gift_aid import GIFT_AID_CURRENCY, normalise_postcode

        if not cleaned.get("gift_aid"):
            for name in self.GIFT_AID_FIELDS:
                cleaned[name] = ""
            return
        if currency_code != GIFT_AID_CURRENCY:
            self.add_error(
                "gift_aid",
                _(
                    "Gift Aid applies only to gifts in pounds sterling (GBP) from UK taxpayers. Choose GBP "
                    "as the currency, or untick the Gift Aid box to give in %(currency)s."
                )
                % {"currency": currency_code},
            )
            return
        for name, message in (
            ("gift_aid_first_name", _("For Gift Aid, please give your first name.")),
            ("gift_aid_last_name", _("For Gift Aid, please give your last name.")),
            ("gift_aid_house", _("For Gift Aid, please give the house name or number of your home address.")),
            ("gift_aid_postcode", _("For Gift Aid, please give your home postcode.")),
        ):
            cleaned[name] = " ".join((cleaned.get(name) or "").split())
            if not cleaned[name] and name not in self.errors:
                self.add_error(name, message)
        typed = cleaned.get("gift_aid_postcode")
        if typed:
            postcode = normalise_postcode(typed)
            if postcode:
                cleaned["gift_aid_postcode"] = postcode
            else:
                self.add_error(
                    "gift_aid_postcode",
                    _("“%(typed)s” is not a UK postcode. Type it as on your post, for example SW1A 1AA.")
                    % {"typed": typed},
                )

    @property
    def selected(self) -> dict:
        """The frequency, currency and amount to show as chosen (typed, or the defaults)."""

        def value(name):
            if self.is_bound:
                return self.data.get(self.add_prefix(name), "")
            return self.initial.get(name, self.fields[name].initial) or ""

        return {
            "frequency": value("frequency"),
            "currency": value("currency"),
            "amount": str(value("amount")),
            "cover_fee": bool(value("cover_fee")),
        }


def amount_example():
    """How to type an amount, with the decimal mark of the page's language ("40 or 40.50"; "40 o
    40,50" in Spanish): the page is one copy for every visitor, so it cannot follow the browser's.
    The mark is marked up for the donate script, which writes the browser's own in its place."""
    before, _mark, after = _("In figures, for example 40 or 40%(decimal)s50.").partition("%(decimal)s")
    return format_html("{}<span data-decimal-mark>{}</span>{}", before, get_decimal_symbol(display_locale()), after)


class ManageRequestForm(forms.Form):
    email = forms.EmailField(
        max_length=254,
        label=gettext_lazy("The email you give with"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
