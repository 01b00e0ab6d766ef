"""Gifts that do not come through Stripe (cheques, bank transfers, cash), entered by finance.

An offline gift is a `Donation` with a `method` other than Stripe and one `Payment` (the date the
money was received, the cheque number or transfer reference), so it counts wherever a Stripe gift
counts: campaign totals and the campaign bar, the admin's totals and exports. It is never deleted:
a gift entered by mistake is voided (with a reason), kept and shown as voided, and no longer
counted (`Payment.objects.counted()`). Every add, edit and void is logged in Wagtail's history.
"""

from datetime import datetime, time

from django import forms
from django.db import transaction
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.log_actions import log

from . import cached_pages
from .currencies import CURRENCIES
from .models import (
    OFFLINE_METHODS,
    Donation,
    Donor,
    Frequency,
    GiftAidDeclaration,
    Method,
    OfflineGift,
    Payment,
    normalise_email,
)

VOID_ACTION = "donations.void_gift"
# Payment.amount's column holds up to 2,147,483,647 minor units.
LARGEST_AMOUNT = 2_000_000_000


class OfflineGiftForm(WagtailAdminModelForm):
    """What finance types from a cheque or a bank statement. The amount is read as people write it
    ("1,234.56" or "1.234,56"); the gift and its one payment are saved together."""

    amount_text = forms.CharField(
        label="Amount",
        max_length=30,
        help_text="In the currency below, as written on the cheque or statement: 250, 1,234.56 or 1.234,56.",
    )
    received_on = forms.DateField(label="Date received", help_text="The day the money reached the bank or office.")
    reference = forms.CharField(
        max_length=120, required=False, help_text="The cheque number or the bank transfer's reference (optional)."
    )
    method = forms.ChoiceField(choices=OFFLINE_METHODS, label="Method")
    donor = forms.ModelChoiceField(
        queryset=Donor.objects.order_by("name", "email"),
        required=False,
        label="Existing donor",
        help_text="Pick a donor on record, or leave empty and type the name and email below: the email "
        "finds the donor with that address (in any capitals) or makes a new one.",
    )

    class Meta:
        model = OfflineGift
        fields = ["donor_name", "donor_email", "currency", "method", "campaign", "gift_aid_declaration", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor_name"].label = "Donor's name"
        self.fields["donor_email"].label = "Donor's email"
        self.fields["donor_name"].required = False
        self.fields["donor_email"].required = False
        if self.instance.pk:
            self.initial["donor"] = self.instance.donor_id
        self.fields["gift_aid_declaration"].queryset = GiftAidDeclaration.objects.order_by("last_name", "first_name")
        self._previous_campaign_id = self.instance.campaign_id
        payment = self.instance.payments.first() if self.instance.pk else None
        if payment is not None:
            self.initial["amount_text"] = CURRENCIES[payment.currency].major_text(payment.amount)
            self.initial["received_on"] = timezone.localdate(payment.paid_at)
            self.initial["reference"] = payment.reference

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError("The date received cannot be in the future.")
        return received_on

    def clean(self):
        cleaned = super().clean()
        donor = cleaned.get("donor")
        if donor is not None:
            # The gift names the donor as the record does, unless finance typed otherwise.
            cleaned["donor_name"] = cleaned.get("donor_name") or donor.name
            cleaned["donor_email"] = cleaned.get("donor_email") or donor.email
            self.instance.donor_name = cleaned["donor_name"]
            self.instance.donor_email = cleaned["donor_email"]
            if normalise_email(cleaned["donor_email"]) != donor.email:
                self.add_error("donor_email", f"The donor picked above gives from {donor.email}.")
        else:
            for name, message in (
                ("donor_name", "Type the donor's name, or pick an existing donor."),
                ("donor_email", "Type the donor's email, or pick an existing donor."),
            ):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        currency = CURRENCIES.get(cleaned.get("currency") or "")
        typed = cleaned.get("amount_text")
        if currency and typed:
            try:
                minor = currency.to_minor(typed, "en")
            except ValueError as error:
                self.add_error("amount_text", str(error))
            else:
                if minor > LARGEST_AMOUNT:
                    self.add_error("amount_text", "That amount is too large to record; check the figure.")
                else:
                    cleaned["amount_minor"] = minor
        declaration = cleaned.get("gift_aid_declaration")
        if declaration and currency and currency.code != "GBP":
            self.add_error("gift_aid_declaration", "Gift Aid can only be claimed on gifts in pounds (GBP).")
        return cleaned

    @transaction.atomic
    def save(self, commit=True):
        gift = super().save(commit=False)
        gift.donor = self.cleaned_data.get("donor") or Donor.objects.for_gift(gift.donor_email, gift.donor_name)
        gift.amount = self.cleaned_data["amount_minor"]
        gift.frequency = Frequency.ONCE
        if not gift.voided_at:
            gift.status = Donation.Status.PAID
        gift.save()
        paid_at = timezone.make_aware(datetime.combine(self.cleaned_data["received_on"], time(12)))
        payment = gift.payments.first() or Payment(donation=gift)
        payment.amount = gift.amount
        payment.currency = gift.currency
        payment.paid_at = paid_at
        payment.reference = self.cleaned_data.get("reference", "")
        # Saving the payment drops the cached donate pages of the gift's campaign (cached_pages.py).
        payment.save()
        if self._previous_campaign_id and self._previous_campaign_id != gift.campaign_id:
            cached_pages.refresh_campaign_pages(self._previous_campaign_id)
        return gift


class VoidForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text="Why this gift should no longer count, e.g. 'Cheque returned unpaid' or 'Entered twice'.",
    )

    def clean_reason(self):
        reason = " ".join(self.cleaned_data["reason"].split())
        if not reason:
            raise forms.ValidationError("Say why the gift is being voided.")
        return reason


def void_gift(gift: Donation, reason: str, user) -> bool:
    """Void an offline gift: kept, shown as voided, no longer counted. False when it cannot be
    (a Stripe gift, or one already voided)."""
    with transaction.atomic():
        gift = Donation.objects.select_for_update().get(pk=gift.pk)
        if gift.method == Method.STRIPE or gift.voided_at:
            return False
        gift.voided_at = timezone.now()
        gift.void_reason = reason
        gift.status = Donation.Status.VOIDED
        gift.save(update_fields=["voided_at", "void_reason", "status", "updated_at"])
        log(instance=OfflineGift.objects.get(pk=gift.pk), action=VOID_ACTION, user=user, data={"reason": reason})
    if gift.campaign_id:
        cached_pages.refresh_campaign_pages(gift.campaign_id)
    return True
