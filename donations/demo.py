"""Demo content for online giving: the donate page at /donate/, a campaign, and a staff group."""

import datetime

from django.contrib.auth.models import Group, Permission
from wagtail.models import Page

from aipg_site.demo.pages import default_site, upsert_page
from aipg_site.demo.translations import translate
from aipg_site.models import OrganisationSettings

from .models import Campaign, DonatePage, DonatePreset

PRESETS = [
    ("once", "USD", "25, 50, 100, 250"),
    ("monthly", "USD", "10, 25, 50, 100"),
    ("yearly", "USD", "100, 250, 500, 1000"),
    ("once", "EUR", "25, 50, 100, 250"),
    ("monthly", "EUR", "10, 25, 50"),
    ("yearly", "EUR", "100, 250, 500"),
    ("once", "GBP", "20, 50, 100, 200"),
    ("monthly", "GBP", "10, 20, 40"),
    ("yearly", "GBP", "100, 200, 400"),
    ("once", "PLN", "100, 200, 500"),
    ("monthly", "PLN", "40, 80, 150"),
    ("yearly", "PLN", "400, 800, 1500"),
    ("once", "JPY", "3000, 5000, 10000"),
    ("monthly", "JPY", "1000, 3000, 5000"),
    ("yearly", "JPY", "10000, 30000, 50000"),
]

FINANCE_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("donations", "view_donor"),
    ("donations", "change_donor"),
    ("donations", "view_donation"),
    ("donations", "view_payment"),
    ("donations", "change_cardfeesettings"),
    ("donations", "add_campaign"),
    ("donations", "change_campaign"),
    ("donations", "view_campaign"),
    ("donations", "view_offlinegift"),
    ("donations", "add_offlinegift"),
    ("donations", "change_offlinegift"),
    ("donations", "view_giftaiddeclaration"),
    ("donations", "add_giftaiddeclaration"),
    ("donations", "change_giftaiddeclaration"),
]


def load(home):
    """Build the donate page under `home` and point the site's donate call at it. Returns it for the menu."""
    campaign, _ = Campaign.objects.update_or_create(
        slug="lemkin-seminar-2026",
        defaults={
            "name": "Scholarships for the 2026 Lemkin Seminar",
            "currency": "USD",
            "goal": 50_000_00,
            "starts_on": datetime.date(2026, 1, 1),
            "ends_on": datetime.date(2026, 12, 31),
        },
    )
    page = upsert_page(
        home,
        DonatePage,
        "donate",
        title="Donate",
        seo_title="Support genocide prevention",
        intro=(
            "<p>Every program we run is paid for by people and institutions who believe that atrocities "
            "can be prevented. A gift covers a place at a seminar for a public official, the materials they "
            "take home, and the years of follow-up that turn a week of training into policy.</p>"
            "<p>This year we are raising scholarships so that officials from countries with few resources "
            "can join the Global Raphael Lemkin Seminar. Gifts made here count towards that goal.</p>"
        ),
        campaign=campaign,
        default_currency="USD",
        default_frequency="once",
    )
    _set_presets(page)
    _point_donate_call_at(page)
    translate(DonatePage.objects.get(pk=page.pk), DONATE_IN_SPANISH)
    _finance_group()
    return [page]


def _set_presets(page):
    wanted = [(frequency, currency, amounts) for frequency, currency, amounts in PRESETS]
    current = [(p.frequency, p.currency, p.amounts) for p in page.presets.order_by("sort_order")]
    if current == wanted:
        return
    page = DonatePage.objects.get(pk=page.pk)
    page.presets = [
        DonatePreset(frequency=frequency, currency=currency, amounts=amounts, sort_order=index)
        for index, (frequency, currency, amounts) in enumerate(wanted)
    ]
    page.save_revision().publish()


def _point_donate_call_at(page):
    organisation = OrganisationSettings.for_site(default_site())
    if organisation.donate_page_id != page.pk:
        organisation.donate_page = Page.objects.get(pk=page.pk)
        organisation.save()


def _finance_group():
    group, _ = Group.objects.get_or_create(name="Finance")
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename) for app, codename in FINANCE_PERMISSIONS
    ]
    group.permissions.add(*permissions)


# The Spanish page, segment by segment (see aipg_site/demo/translations.py); it shares the campaign
# and the preset amounts with the English page.
DONATE_IN_SPANISH = {
    "Donate": "Donar",
    "donate": "donar",
    "Support genocide prevention": "Apoyar la prevención del genocidio",
    "Every program we run is paid for by people and institutions who believe that atrocities can be prevented. A "
    "gift covers a place at a seminar for a public official, the materials they take home, and the years of "
    "follow-up that turn a week of training into policy.": (
        "Cada uno de nuestros programas se sostiene gracias a personas e instituciones convencidas de que las "
        "atrocidades se pueden prevenir. Una donación cubre el lugar de un funcionario público en un seminario, "
        "los materiales que se lleva a su país y los años de seguimiento que convierten una semana de formación "
        "en políticas concretas."
    ),
    "This year we are raising scholarships so that officials from countries with few resources can join the "
    "Global Raphael Lemkin Seminar. Gifts made here count towards that goal.": (
        "Este año reunimos fondos para becas, de modo que funcionarios de países con menos recursos puedan "
        "participar en el Seminario Global Raphael Lemkin. Las donaciones hechas en esta página se suman a esa "
        "meta."
    ),
}
