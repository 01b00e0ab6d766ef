"""The donate block editors can put in any body (it is part of `aipg_site.blocks.BodyBlock`).

It imports nothing from the site core or from donation models at load time, so the shared
`BodyBlock` can include it without an import cycle.
"""

import uuid

from django.utils.translation import gettext as _
from wagtail import blocks
from wagtail.models import Locale

from .currencies import CURRENCIES


class DonateBlock(blocks.StructBlock):
    """A short giving call with the preset amounts of a donate page. Choosing an amount opens that
    page with the amount selected, where the donor adds their details: the hand-over to Stripe
    always happens from the donate page itself."""

    heading = blocks.CharBlock(max_length=120, default="Support this work")
    text = blocks.TextBlock(required=False, help_text="One or two sentences on what a gift does (optional).")
    page = blocks.PageChooserBlock(
        page_type="donations.DonatePage",
        required=False,
        help_text="The donate page whose amounts to offer; the site's donate page when empty.",
    )
    frequency = blocks.ChoiceBlock(
        choices=[("once", "Once"), ("monthly", "Monthly"), ("yearly", "Yearly")],
        default="once",
        help_text="Which amounts to offer.",
    )

    class Meta:
        icon = "pick"
        template = "blocks/donate_block.html"
        description = "A donation call with preset amounts that opens the donate page."
        preview_value = {"heading": "Support this work", "text": "A monthly gift trains officials year round."}

    def get_context(self, value, parent_context=None):
        from .models import DonatePage  # imported late: blocks load before the models

        context = super().get_context(value, parent_context=parent_context)
        page = value.get("page")
        # The chosen page, or the site's, in the reader's language where it has been translated (a
        # translation keeps the chosen page of its source).
        if not page:
            pages = DonatePage.objects.live()
            page = pages.filter(locale=Locale.get_active()).first() or pages.first()
        choices = []
        if page is not None:
            page = page.localized.specific
            currency = CURRENCIES[page.default_currency]
            frequency = value.get("frequency") or "once"
            amounts = page.preset_table().get(frequency, {}).get(currency.code, [])
            label = {"monthly": _("%(amount)s a month"), "yearly": _("%(amount)s a year")}.get(frequency, "%(amount)s")
            choices = [
                {"value": currency.major_text(a), "label": label % {"amount": currency.format_short(a)}}
                for a in amounts
            ]
            context.update({"donate_page": page, "currency": currency.code})
        context["amount_choices"] = choices
        # Two donate blocks on one page need distinct input ids.
        context["form_id"] = uuid.uuid4().hex[:8]
        return context
