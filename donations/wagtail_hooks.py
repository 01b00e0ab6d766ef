from django.conf import settings
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter

from . import donors, offline, stripe_gateway, webhooks
from .models import Donation
from .viewsets import DonationsGroup


@hooks.register("register_admin_viewset")
def register_donations():
    return DonationsGroup()


@hooks.register("register_log_actions")
def register_donor_merge(actions):
    actions.register_action(donors.MERGE_ACTION, "Merge donor records", "Merged another donor record into this one")


class StripeSetupPanel(Component):
    """On the dashboard of staff who see donations, while online giving lacks its Stripe keys."""

    name = "stripe_setup"
    order = 90
    template_name = "donations/admin/stripe_setup_panel.html"

    def get_context_data(self, parent_context=None):
        return webhooks.endpoint_setup()


@hooks.register("construct_homepage_panels")
def add_stripe_setup_panel(request, panels):
    can_view = request.user.has_perm(f"{Donation._meta.app_label}.view_donation")
    if can_view and not (stripe_gateway.is_configured() and settings.STRIPE_WEBHOOK_SECRET):
        panels.append(StripeSetupPanel())


@hooks.register("register_log_actions")
def register_offline_gift_actions(actions):
    @actions.register_action(offline.VOID_ACTION)
    class VoidGift(LogFormatter):
        label = "Void offline gift"

        def format_message(self, log_entry):
            return f"Voided: {log_entry.data.get('reason', '')}"
