"""The staff side of online giving in the Wagtail admin: donors, donations, payments and campaigns.

Donations and payments are read-only here (only Stripe's webhook changes them) and visible only
to users whose group has the donations "view" permissions; see docs/online-giving.md.
Listings filter, search by donor, show totals per currency net of refunds for what is filtered,
and export to CSV and XLSX.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Count, F, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import donors, stripe_gateway, webhooks
from .currencies import CURRENCY_CHOICES, format_money
from .models import Campaign, Donation, Donor, Frequency, Payment, normalise_email

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


class DonorPolicy(ModelPermissionPolicy):
    """Staff with "change" correct a donor's name and notes and merge records; donors are made by
    gifts and removed only by a merge, and their address and Stripe Customer are never typed in."""

    REFUSED = {"add", "delete", "copy"}

    def user_has_permission(self, user, action):
        return action not in self.REFUSED and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)


register_permission_policy(Donor, DonorPolicy(Donor))
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


# Donors ---------------------------------------------------------------------------------------


class DonorIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().annotate(gift_count=Count("donations"))


class DonorInspectView(InspectView):
    """The donor's record, each of their gifts, and what they gave per year and currency."""

    template_name = "donations/admin/donor_inspect.html"

    @property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.user_has_permission("change"):
            merge_url = reverse("donations_donor:merge", args=[self.object.pk])
            buttons.append(Button("Merge another record into this one", url=merge_url, icon_name="resubmit"))
        return buttons

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["gifts"] = self.object.donations.select_related("campaign").prefetch_related("payments")
        context["totals_by_year"] = self.object.totals_by_year()
        return context


class DonorMergeForm(forms.Form):
    other = forms.EmailField(
        label="Address of the record to merge into this one",
        help_text="The other record's gifts move to this one, which keeps its address; the other is deleted.",
    )

    def __init__(self, *args, kept: Donor, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = kept

    def clean_other(self) -> Donor:
        email = normalise_email(self.cleaned_data["other"])
        if email == self.kept.email:
            raise forms.ValidationError("That is this record's own address: a record cannot be merged into itself.")
        other = Donor.objects.filter(email=email).annotate(gift_count=Count("donations")).first()
        if other is None:
            raise forms.ValidationError("No donor has that address. Check it on the other record's page.")
        return other


class DonorMergeView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """Merge a record into this one. A GET only shows the form; the first POST names the other
    record and shows both for confirmation; the second POST, confirmed, merges."""

    permission_required = "change"
    template_name = "donations/admin/donor_merge.html"
    header_icon = "user"
    page_title = "Merge donor records"
    model = Donor

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.kept = get_object_or_404(Donor.objects.annotate(gift_count=Count("donations")), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.kept)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("donations_donor:index"), "label": "Donors"},
            {"url": reverse("donations_donor:inspect", args=[self.kept.pk]), "label": str(self.kept)},
            {"url": "", "label": self.page_title},
        ]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=DonorMergeForm(kept=self.kept)))

    def post(self, request, *args, **kwargs):
        form = DonorMergeForm(request.POST, kept=self.kept)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        other = form.cleaned_data["other"]
        if request.POST.get("confirm") != "yes":
            return self.render_to_response(self.get_context_data(form=form, other=other))
        try:
            kept = donors.merge(self.kept, other, user=request.user)
        except donors.MergeRefused as refusal:
            form.add_error("other", str(refusal))
            return self.render_to_response(self.get_context_data(form=form), status=400)
        messages.success(request, f"{other.email} was merged into this record: its gifts are listed below.")
        return redirect("donations_donor:inspect", kept.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kept"] = self.kept
        context["inspect_url"] = reverse("donations_donor:inspect", args=[self.kept.pk])
        return context


class DonorViewSet(ModelViewSet):
    model = Donor
    icon = "user"
    menu_label = "Donors"
    add_to_admin_menu = False
    index_view_class = DonorIndexView
    inspect_view_class = DonorInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_fields = ["name", "email"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        TitleColumn("name", label="Donor", get_url=lambda donor: _inspect_url("donor", donor)),
        "email",
        Column("gift_count", label="Gifts"),
        DateColumn("created_at", label="First gift"),
    ]
    list_export = ["email", "name", "gift_count", "stripe_customer_id", "created_at", "notes"]
    export_headings = {"gift_count": "Gifts", "created_at": "First gift (UTC)"}
    export_filename = "donors"
    inspect_view_fields = ["name", "email", "stripe_customer_id", "created_at", "notes"]
    form_fields = ["name", "notes"]

    def get_urlpatterns(self):
        merge_view = DonorMergeView.as_view()
        return super().get_urlpatterns() + [path("merge/<int:pk>/", merge_view, name="merge")]


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
        Column("display_gift", label="Amount"),
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
        "fee_added_decimal",
        "gross_decimal",
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
        "fee_added_decimal": "Card fee added",
        "gross_decimal": "Charged (gross)",
        "created_at": "Given at (UTC)",
    }
    export_filename = "donations"
    inspect_view_fields = [
        "uuid",
        "created_at",
        "donor_name",
        "donor_email",
        "display_gift",
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
        Column("display_amount", label="Gross"),
        Column("display_stripe_fee", label="Stripe fee"),
        Column("display_stripe_net", label="Net"),
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
        "stripe_fee_decimal",
        "stripe_net_decimal",
        "balance_currency",
        "refunded_decimal",
        "net_decimal",
        "campaign",
        "donation_reference",
        "stripe_payment_intent_id",
        "stripe_invoice_id",
        "stripe_charge_id",
        "stripe_balance_transaction_id",
    ]
    export_headings = {
        "paid_at": "Paid at (UTC)",
        "amount_decimal": "Gross",
        "stripe_fee_decimal": "Stripe fee",
        "stripe_net_decimal": "Net from Stripe",
        "balance_currency": "Fee and net currency",
        "refunded_decimal": "Refunded",
        "net_decimal": "Gross less refunds",
        "donation_reference": "Donation reference",
    }
    export_filename = "payments"
    inspect_view_fields = [
        "donation",
        "paid_at",
        "display_amount",
        "display_stripe_fee",
        "display_stripe_net",
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
        DonorViewSet("donations_donor"),
        DonationViewSet("donations_donation"),
        PaymentViewSet("donations_payment"),
        CampaignViewSet("donations_campaign"),
    ]


def _inspect_url(name, instance):
    return reverse(f"donations_{name}:inspect", args=[instance.pk])
