"""The staff side of online giving in the Wagtail admin: donations, payments and campaigns.

Donations and payments are read-only here (only Stripe's webhook changes them) and visible only
to users whose group has the donations "view" permissions; see docs/online-giving.md.
Listings filter, search by donor, show totals per currency net of refunds for what is filtered,
and export to CSV and XLSX.
"""

import django_filters
from django.db.models import F, Sum
from django.urls import reverse
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import stripe_gateway, webhooks
from .currencies import CURRENCY_CHOICES, format_money
from .models import Campaign, Donation, Frequency, Payment

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Staff may view and export; nobody adds, edits or deletes a record of money by hand."""

    READ_ONLY = {"add", "change", "delete", "copy"}

    def user_has_permission(self, user, action):
        return action not in self.READ_ONLY and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


register_permission_policy(Donation, ReadOnlyPolicy(Donation))
register_permission_policy(Payment, ReadOnlyPolicy(Payment))


def currency_totals(payments) -> list[dict]:
    """Received, refunded and net per currency, in minor units and written out, for `payments`."""
    rows = (
        payments.order_by()
        .values("currency")
        .annotate(received=Sum("amount"), refunded=Sum("amount_refunded"), net=Sum(F("amount") - F("amount_refunded")))
        .order_by("currency")
    )
    return [
        {
            **row,
            "received_text": format_money(row["received"], row["currency"]),
            "refunded_text": format_money(row["refunded"], row["currency"]),
            "net_text": format_money(row["net"], row["currency"]),
        }
        for row in rows
    ]


class MoneyIndexView(IndexView):
    """An index with totals over everything filtered, a setup notice, and CSV cells made safe."""

    results_template_name = "donations/admin/index_results.html"

    def payments_for(self, queryset):
        raise NotImplementedError

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["currency_totals"] = currency_totals(self.payments_for(self.get_queryset()))
        context["stripe_configured"] = stripe_gateway.is_configured()
        context.update(webhooks.endpoint_setup())
        return context

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        if export_format == self.FORMAT_CSV and isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            return "'" + value
        return value


# Donations ------------------------------------------------------------------------------------


class DonationFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Donation.Status.choices)
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)
    currency = django_filters.ChoiceFilter(choices=CURRENCY_CHOICES)
    campaign = django_filters.ModelChoiceFilter(queryset=Campaign.objects.all())
    created_at = django_filters.DateFromToRangeFilter(label="Given between", widget=DateRangePickerWidget)

    class Meta:
        model = Donation
        fields = ["status", "frequency", "currency", "campaign", "created_at"]


class DonationIndexView(MoneyIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("campaign")

    def payments_for(self, queryset):
        return Payment.objects.filter(donation__in=queryset.order_by().values("pk"))


class DonationViewSet(ModelViewSet):
    model = Donation
    icon = "pick"
    menu_label = "Donations"
    add_to_admin_menu = False
    index_view_class = DonationIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = DonationFilterSet
    search_fields = ["donor_name", "donor_email"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        TitleColumn("donor_name", label="Donor", get_url=lambda donation: _inspect_url("donation", donation)),
        "donor_email",
        Column("display_amount", label="Amount"),
        "frequency",
        Column("standing", label="Status"),
        "campaign",
        DateColumn("created_at", label="Given"),
    ]
    list_export = [
        "uuid",
        "created_at",
        "donor_name",
        "donor_email",
        "frequency",
        "status",
        "currency",
        "amount_decimal",
        "amount",
        "campaign",
        "tribute_type",
        "tribute_name",
        "tribute_notify_email",
        "language",
        "stripe_checkout_session_id",
        "stripe_customer_id",
        "stripe_subscription_id",
        "payment_failing_since",
        "cancels_at",
        "checkout_error",
    ]
    export_headings = {
        "uuid": "Reference",
        "amount_decimal": "Amount",
        "amount": "Amount (minor units)",
        "created_at": "Given at (UTC)",
    }
    export_filename = "donations"
    inspect_view_fields = [
        "uuid",
        "created_at",
        "donor_name",
        "donor_email",
        "display_amount",
        "frequency",
        "standing",
        "campaign",
        "tribute_line",
        "tribute_notify_email",
        "language",
        "payment_summary",
        "stripe_checkout_session_id",
        "stripe_customer_id",
        "stripe_subscription_id",
        "stripe_payment_intent_id",
        "checkout_error",
        "thanked_at",
        "payment_failing_since",
        "cancels_at",
        "ended_at",
    ]
    form_fields = ["donor_name"]  # never shown: the policy refuses add and edit


# Payments -------------------------------------------------------------------------------------


class PaymentFilterSet(WagtailFilterSet):
    currency = django_filters.ChoiceFilter(choices=CURRENCY_CHOICES)
    frequency = django_filters.ChoiceFilter(field_name="donation__frequency", choices=Frequency.choices)
    campaign = django_filters.ModelChoiceFilter(field_name="donation__campaign", queryset=Campaign.objects.all())
    refunded = django_filters.BooleanFilter(method="filter_refunded", label="Refunded (fully or partly)")
    paid_at = django_filters.DateFromToRangeFilter(label="Paid between", widget=DateRangePickerWidget)

    class Meta:
        model = Payment
        fields = ["currency", "frequency", "campaign", "refunded", "paid_at"]

    def filter_refunded(self, queryset, name, value):
        return queryset.filter(amount_refunded__gt=0) if value else queryset.filter(amount_refunded=0)


class PaymentIndexView(MoneyIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("donation", "donation__campaign")

    def payments_for(self, queryset):
        return queryset


class PaymentViewSet(ModelViewSet):
    model = Payment
    icon = "tick-inverse"
    menu_label = "Payments"
    add_to_admin_menu = False
    index_view_class = PaymentIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = PaymentFilterSet
    search_fields = ["donation__donor_name", "donation__donor_email"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        TitleColumn("donor", label="Donor", get_url=lambda payment: _inspect_url("payment", payment)),
        Column("display_amount", label="Amount"),
        Column("display_refunded", label="Refunded"),
        Column("frequency", label="Frequency"),
        Column("campaign", label="Campaign"),
        DateColumn("paid_at", label="Paid"),
    ]
    list_export = [
        "paid_at",
        "donor",
        "donor_email",
        "frequency",
        "currency",
        "amount_decimal",
        "refunded_decimal",
        "net_decimal",
        "campaign",
        "donation_reference",
        "stripe_payment_intent_id",
        "stripe_invoice_id",
        "stripe_charge_id",
    ]
    export_headings = {
        "paid_at": "Paid at (UTC)",
        "amount_decimal": "Amount",
        "refunded_decimal": "Refunded",
        "net_decimal": "Net",
        "donation_reference": "Donation reference",
    }
    export_filename = "payments"
    inspect_view_fields = [
        "donation",
        "paid_at",
        "display_amount",
        "display_refunded",
        "refunded_at",
        "stripe_payment_intent_id",
        "stripe_invoice_id",
        "stripe_charge_id",
    ]
    form_fields = ["paid_at"]  # never shown: the policy refuses add and edit


# Campaigns ------------------------------------------------------------------------------------


class CampaignViewSet(ModelViewSet):
    model = Campaign
    icon = "date"
    menu_label = "Campaigns"
    add_to_admin_menu = False
    copy_view_enabled = False
    search_fields = ["name", "slug"]
    search_backend_name = None
    list_display = [
        TitleColumn("name", label="Campaign", url_name="donations_campaign:edit"),
        "currency",
        Column("display_goal", label="Goal"),
        Column("display_raised", label="Raised (net)"),
        "starts_on",
        "ends_on",
    ]
    list_export = ["name", "slug", "currency", "goal", "raised", "starts_on", "ends_on"]
    export_filename = "campaigns"


class DonationsGroup(ModelViewSetGroup):
    menu_label = "Donations"
    menu_icon = "pick"
    menu_order = 250
    items = [
        DonationViewSet("donations_donation"),
        PaymentViewSet("donations_payment"),
        CampaignViewSet("donations_campaign"),
    ]


def _inspect_url(name, instance):
    return reverse(f"donations_{name}:inspect", args=[instance.pk])
