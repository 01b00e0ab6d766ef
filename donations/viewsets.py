"""The staff side of online giving in the Wagtail admin: donors, donations, payments and campaigns.

Donations and payments are read-only here (only Stripe's webhook changes them) and visible only
to users whose group has the donations "view" permissions; see docs/online-giving.md.
Listings filter, search by donor, show totals per currency net of refunds for what is filtered,
and export to CSV and XLSX.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Sum
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.admin.widgets.button import Button, HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from . import donors, gift_aid, offline, stripe_gateway, webhooks
from .currencies import CURRENCY_CHOICES, format_money
from .gift_aid_admin import GiftAidClaimView
from .models import (
    OFFLINE_METHODS,
    Campaign,
    Donation,
    Donor,
    Frequency,
    GiftAidDeclaration,
    Method,
    OfflineGift,
    Payment,
    normalise_email,
)

# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class RefusingPolicy(ModelPermissionPolicy):
    """The model's own permissions, except for the actions in `refused`, which nobody may take."""

    refused: frozenset[str] = frozenset()

    def user_has_permission(self, user, action):
        return action not in self.refused and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return any(self.user_has_permission_for_instance(user, action, instance) for action in actions)


class ReadOnlyPolicy(RefusingPolicy):
    """Staff may view and export; nobody adds, edits or deletes a record of money by hand."""

    refused = frozenset({"add", "change", "delete", "copy"})


class DonorPolicy(RefusingPolicy):
    """Staff with "change" correct a donor's name and notes and merge records; donors are made by
    gifts and removed only by a merge, and their address and Stripe Customer are never typed in."""

    refused = frozenset({"add", "delete", "copy"})


class OfflineGiftPolicy(RefusingPolicy):
    """Finance (the offline gift model's add and change permissions) adds and edits offline gifts
    and voids them (a change); nobody deletes one, and a voided gift is no longer edited."""

    refused = frozenset({"delete", "copy"})

    def user_has_permission_for_instance(self, user, action, instance):
        if action in {"change", "void"}:
            return instance.is_offline and not instance.is_voided and self.user_has_permission(user, "change")
        return self.user_has_permission(user, action)


class KeptRecordPolicy(RefusingPolicy):
    """Added and corrected with the model's permissions, never deleted (a Gift Aid declaration must
    be kept for HMRC)."""

    refused = frozenset({"delete", "copy"})


register_permission_policy(Donor, DonorPolicy(Donor))
register_permission_policy(Donation, ReadOnlyPolicy(Donation))
register_permission_policy(Payment, ReadOnlyPolicy(Payment))
register_permission_policy(OfflineGift, OfflineGiftPolicy(OfflineGift))
register_permission_policy(GiftAidDeclaration, KeptRecordPolicy(GiftAidDeclaration))


def currency_totals(payments) -> list[dict]:
    """Received, refunded and net per currency, in minor units and written out, for `payments`
    (those counted: a voided offline gift's payment is listed, not totalled)."""
    rows = (
        payments.counted()
        .order_by()
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
    method = django_filters.ChoiceFilter(choices=Method.choices)
    frequency = django_filters.ChoiceFilter(choices=Frequency.choices)
    currency = django_filters.ChoiceFilter(choices=CURRENCY_CHOICES)
    campaign = django_filters.ModelChoiceFilter(queryset=Campaign.objects.all())
    created_at = django_filters.DateFromToRangeFilter(label="Given between", widget=DateRangePickerWidget)

    class Meta:
        model = Donation
        fields = ["status", "method", "frequency", "currency", "campaign", "created_at"]


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
        "method",
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
        "method",
        "status",
        "currency",
        "amount_decimal",
        "amount",
        "fee_added_decimal",
        "gross_decimal",
        "campaign",
        "gift_aid_declaration",
        "voided_at",
        "void_reason",
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
        "method",
        "note",
        "gift_aid_declaration",
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
    method = django_filters.ChoiceFilter(field_name="donation__method", choices=Method.choices)
    campaign = django_filters.ModelChoiceFilter(field_name="donation__campaign", queryset=Campaign.objects.all())
    refunded = django_filters.BooleanFilter(method="filter_refunded", label="Refunded (fully or partly)")
    paid_at = django_filters.DateFromToRangeFilter(label="Paid between", widget=DateRangePickerWidget)

    class Meta:
        model = Payment
        fields = ["currency", "frequency", "method", "campaign", "refunded", "paid_at"]

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
        Column("method", label="Method"),
        Column("campaign", label="Campaign"),
        DateColumn("paid_at", label="Paid"),
        Column("voided_text", label="Voided"),
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
        "method",
        "reference",
        "voided",
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
        "reference",
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


# Offline gifts ---------------------------------------------------------------------------------


class OfflineGiftIndexView(MoneyIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("campaign", "donor").prefetch_related("payments")

    def payments_for(self, queryset):
        return Payment.objects.filter(donation__in=queryset.order_by().values("pk"))

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.permission_policy.user_has_permission_for_instance(self.request.user, "void", instance):
            buttons.append(
                MenuItem("Void", url=reverse("donations_offline:void", args=[instance.pk]), icon_name="cross")
            )
        return buttons


class OfflineGiftEditView(EditView):
    """A Stripe gift or a voided one is not edited: refused here, whatever the URL."""

    def dispatch(self, request, *args, **kwargs):
        gift = self.get_object()
        if gift.is_voided:
            messages.warning(request, "This gift was voided: it is kept as it was and no longer edited.")
            return redirect("donations_offline:inspect", gift.pk)
        if not self.permission_policy.user_has_permission_for_instance(request.user, "change", gift):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        buttons.append(
            Button("Void", url=reverse("donations_offline:void", args=[self.object.pk]), icon_name="cross", priority=30)
        )
        return buttons


class VoidGiftView(PermissionCheckedMixin, BaseObjectMixin, WagtailAdminTemplateMixin, TemplateView):
    """Voiding is a confirmed POST with a reason; the gift is kept and logged as voided."""

    model = OfflineGift
    permission_required = "change"
    template_name = "donations/admin/void_gift.html"
    page_title = "Void offline gift"
    header_icon = "cross"

    def dispatch(self, request, *args, **kwargs):
        if not self.permission_policy.user_has_permission_for_instance(request.user, "void", self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", offline.VoidForm())
        context["object"] = self.object
        context["edit_url"] = reverse("donations_offline:edit", args=[self.object.pk])
        return context

    def post(self, request, *args, **kwargs):
        form = offline.VoidForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        if offline.void_gift(self.object, form.cleaned_data["reason"], request.user):
            messages.success(request, f"Voided: {self.object}. It stays listed and is no longer counted.")
        else:
            messages.error(request, "This gift could not be voided: it is a Stripe gift or already voided.")
        return redirect("donations_offline:index")


class OfflineGiftFilterSet(WagtailFilterSet):
    method = django_filters.ChoiceFilter(choices=OFFLINE_METHODS)
    currency = django_filters.ChoiceFilter(choices=CURRENCY_CHOICES)
    campaign = django_filters.ModelChoiceFilter(queryset=Campaign.objects.all())
    voided = django_filters.BooleanFilter(field_name="voided_at", lookup_expr="isnull", exclude=True, label="Voided")

    class Meta:
        model = OfflineGift
        fields = ["method", "currency", "campaign", "voided"]


class OfflineGiftViewSet(ModelViewSet):
    model = OfflineGift
    icon = "doc-full"
    menu_label = "Offline gifts"
    add_to_admin_menu = False
    url_prefix = "offline-gifts"
    index_view_class = OfflineGiftIndexView
    edit_view_class = OfflineGiftEditView
    inspect_view_enabled = True
    copy_view_enabled = False
    filterset_class = OfflineGiftFilterSet
    search_fields = ["donor_name", "donor_email", "payments__reference"]
    search_backend_name = None
    list_per_page = 50
    list_display = [
        TitleColumn("donor_name", label="Gift from", url_name="donations_offline:edit"),
        TitleColumn("donor", label="Donor record", get_url=lambda gift: _inspect_url("donor", gift.donor)),
        Column("display_amount", label="Amount"),
        "method",
        Column("reference", label="Reference"),
        Column("received_on", label="Received"),
        "campaign",
        Column("standing", label="Status"),
    ]
    list_export = [
        "uuid",
        "received_on",
        "donor_name",
        "donor_email",
        "method",
        "reference",
        "currency",
        "amount_decimal",
        "campaign",
        "gift_aid_declaration",
        "status",
        "voided_at",
        "void_reason",
        "note",
    ]
    export_headings = {"uuid": "Reference in this site", "amount_decimal": "Amount", "received_on": "Received on"}
    export_filename = "offline-gifts"
    inspect_view_fields = [
        "uuid",
        "donor",
        "donor_name",
        "donor_email",
        "display_amount",
        "method",
        "reference",
        "received_on",
        "campaign",
        "gift_aid_declaration",
        "standing",
        "void_reason",
        "note",
        "created_at",
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("donor"),
            FieldRowPanel([FieldPanel("donor_name"), FieldPanel("donor_email")]),
            FieldRowPanel([FieldPanel("amount_text"), FieldPanel("currency")]),
            FieldRowPanel([FieldPanel("method"), FieldPanel("received_on"), FieldPanel("reference")]),
            FieldPanel("campaign"),
            FieldPanel("gift_aid_declaration"),
            FieldPanel("note"),
        ],
        base_form_class=offline.OfflineGiftForm,
    )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("void/<int:pk>/", VoidGiftView.as_view(), name="void")]


# Gift Aid -------------------------------------------------------------------------------------


class GiftAidIndexView(IndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm(GiftAidClaimView.permission):
            buttons.append(
                HeaderButton(
                    "Claim schedule (CSV, XLSX)", url=reverse("donations_gift_aid:claim"), icon_name="download"
                )
            )
        return buttons


class GiftAidDeclarationViewSet(ModelViewSet):
    model = GiftAidDeclaration
    icon = "form"
    menu_label = "Gift Aid declarations"
    add_to_admin_menu = False
    url_prefix = "gift-aid"
    index_view_class = GiftAidIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    search_fields = ["last_name", "first_name", "postcode", "email"]
    search_backend_name = None
    list_display = [
        TitleColumn("full_name", label="Name", url_name="donations_gift_aid:edit"),
        "donor",
        "house",
        "postcode",
        "made_on",
        "source",
    ]
    list_export = [
        "title",
        "first_name",
        "last_name",
        "house",
        "postcode",
        "email",
        "donor",
        "made_on",
        "language",
        "source",
        "wording",
    ]
    export_filename = "gift-aid-declarations"
    form_fields = ["title", "first_name", "last_name", "house", "postcode", "email", "made_on", "wording"]

    def get_form_class(self, for_update=False):
        return GiftAidDeclarationForm

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [path("claim/", GiftAidClaimView.as_view(), name="claim")]


class GiftAidDeclarationForm(WagtailAdminModelForm):
    """Finance records a declaration a donor made on paper or by phone: the postcode checked and
    written as HMRC wants it; the wording defaults to the form's."""

    class Meta:
        model = GiftAidDeclaration
        fields = ["title", "first_name", "last_name", "house", "postcode", "email", "made_on", "wording"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.initial.setdefault("wording", gift_aid.declaration_text("AIPG"))

    def clean_postcode(self):
        postcode = gift_aid.normalise_postcode(self.cleaned_data["postcode"])
        if not postcode:
            raise forms.ValidationError("Enter a UK postcode, for example SW1A 1AA.")
        return postcode


class DonationsGroup(ModelViewSetGroup):
    menu_label = "Donations"
    menu_icon = "pick"
    menu_order = 250
    items = [
        DonorViewSet("donations_donor"),
        DonationViewSet("donations_donation"),
        PaymentViewSet("donations_payment"),
        OfflineGiftViewSet("donations_offline"),
        CampaignViewSet("donations_campaign"),
        GiftAidDeclarationViewSet("donations_gift_aid"),
    ]


def _inspect_url(name, instance):
    return reverse(f"donations_{name}:inspect", args=[instance.pk])
