import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils.html import escape
from wagtail.models import Locale, Page, Revision, Site
from wagtail_localize.models import StringTranslation, Translation, TranslationLog

from aipg_site.models import MenuItem, Office, OrganisationSettings, ProgramPage, Region, SiteImage, Topic
from donations.models import Campaign, DonatePage, DonatePreset
from resources.models import AnnualReportPage, LibraryDocument, ResourceCollection, ResourcePage
from stories.models import CommemorationPage, Observance


def site_snapshot():
    """Everything the demo command builds, in a form two runs can be compared by."""
    return {
        "pages": sorted(
            (page.url_path, page.specific_class.__name__, page.title, page.live) for page in Page.objects.all()
        ),
        "revisions": Revision.objects.count(),
        "images": sorted(SiteImage.objects.values_list("title", "file")),
        "offices": sorted(Office.objects.values_list("city", "country")),
        "menu": [item.text for item in MenuItem.objects.order_by("sort_order").select_related("link_page")],
        "programs": sorted(
            (page.slug, page.start_year, tuple(page.offices.values_list("city", flat=True)))
            for page in ProgramPage.objects.all()
        ),
        "sites": list(Site.objects.values_list("hostname", "port", "root_page__title")),
        "observances": sorted(Observance.objects.values_list("slug", "month", "day", "updated_at")),
        "topics": sorted(Topic.objects.values_list("slug", flat=True)),
        "regions": sorted(Region.objects.values_list("slug", flat=True)),
        "campaigns": sorted(Campaign.objects.values_list("slug", "currency", "goal")),
        "presets": sorted(DonatePreset.objects.values_list("frequency", "currency", "amounts")),
        "collections": list(ResourceCollection.objects.values_list("slug", "sort_order")),
        "documents": sorted(LibraryDocument.objects.values_list("title", "file", "file_size", "page_count")),
        "donate_page": OrganisationSettings.objects.values_list("donate_page__url_path", flat=True).first(),
        "translations": sorted(Translation.objects.values_list("source__object_repr", "target_locale__language_code")),
        "string_translations": sorted(StringTranslation.objects.values_list("data", flat=True)),
        "translation_logs": TranslationLog.objects.count(),
    }


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo site, loaded once for this module's tests (a load takes tens of seconds) in a
    transaction rolled back after the last of them; each test runs in a savepoint inside it, so
    what one test changes the next never sees. Its files go to a folder of their own."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("load_demo_content", verbosity=0)
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_loaded, db, settings):
    """The demo site as `make run` loads it, its files where it wrote them."""
    settings.MEDIA_ROOT = _demo_loaded


def test_builds_the_demo_site_and_is_idempotent(demo):
    first = site_snapshot()
    call_command("load_demo_content", verbosity=0)
    assert site_snapshot() == first

    paths = {path for path, *_ in first["pages"]}
    for path in ["/home/about/", "/home/about/mission/", "/home/about/history/", "/home/about/offices/"]:
        assert path in paths
    assert {"New York", "Oświęcim", "Buenos Aires", "Kampala"} <= {city for city, _ in first["offices"]}
    assert "Welcome to your new Wagtail site!" not in {title for _, _, title, _ in first["pages"]}
    assert first["menu"] == ["About us", "Programs", "Stories", "Commemorations", "Resources", "Donate"]
    assert {(12, 9), (5, 20), (4, 7), (1, 27)} <= {(month, day) for _, month, day, _ in first["observances"]}
    commemorations = CommemorationPage.objects.live().values_list("observance__month", "observance__day", "year")
    assert {(12, 9, 2023), (5, 20, 2023)} <= set(commemorations)
    organisation = OrganisationSettings.objects.get()
    assert organisation.registration_identifier
    assert organisation.donate_page.specific_class is DonatePage
    assert first["donate_page"] == "/home/donate/"


def test_fills_every_library_collection_but_one_with_generated_pdfs(demo):
    resources = ResourcePage.objects.live()
    english = ResourceCollection.objects.filter(locale__language_code="en")
    empty = [collection.name for collection in english if not resources.filter(collection=collection)]
    assert len(empty) == 1
    assert english.count() == 7
    documents = LibraryDocument.objects.all()
    assert documents
    assert all(document.page_count and document.file_size and document.file_hash for document in documents)
    reports = AnnualReportPage.objects.live()
    assert sorted(reports.filter(locale=Locale.get_default()).values_list("year", flat=True)) == [2022, 2023]
    assert list(reports.filter(locale__language_code="es").values_list("year", flat=True)) == [2023]


def test_demo_pages_render(demo, client):
    for path in [
        "/",
        "/about/",
        "/about/mission/",
        "/about/history/",
        "/about/offices/",
        "/about/contact/",
        "/stories/",
        "/stories/2023-international-day-of-commemoration/",
        "/stories/2023-cambodia-national-day-of-remembrance/",
        "/commemorations/",
        "/donate/",
        "/programs/",
        "/programs/global-raphael-lemkin-seminar/",
        "/resources/",
        "/resources/filling-the-silence/",
        "/annual-reports/",
        "/annual-reports/2023/",
    ]:
        response = client.get(path, HTTP_HOST="127.0.0.1:8000")
        assert response.status_code == 200, path
    home = client.get("/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "7,700+" in home
    assert "Oświęcim" in home  # the footer lists every office
    assert 'href="/donate/"' in home  # the donate call leads to the donate page


# Each Spanish demo page, by its address, and the English page it translates.
SPANISH_PAGES = {
    "/es/": "/",
    "/es/quienes-somos/": "/about/",
    "/es/quienes-somos/mision/": "/about/mission/",
    "/es/programas/": "/programs/",
    "/es/programas/programa-para-america-latina/": "/programs/latin-america-program/",
    "/es/historias/": "/stories/",
    "/es/conmemoraciones/": "/commemorations/",
    "/es/donar/": "/donate/",
    "/es/recursos/": "/resources/",
    "/es/recursos/mecanismo-nacional-de-prevencion/": "/resources/national-prevention-mechanisms-brief/",
    "/es/recursos/memoria-y-garantia-de-no-repeticion/": "/resources/memorialization-and-non-recurrence/",
    "/es/historias/2023-dia-internacional-de-conmemoracion/": "/stories/2023-international-day-of-commemoration/",
    "/es/historias/2023-dia-nacional-del-recuerdo-camboya/": "/stories/2023-cambodia-national-day-of-remembrance/",
    # aipg_site/demo/spanish_pages.py: the page types the sections above leave untranslated.
    "/es/historias/memoria-verdad-y-justicia-en-america-latina/": "/stories/memory-truth-and-justice-in-latin-america/",
    "/es/informes-anuales/": "/annual-reports/",
    "/es/informes-anuales/2023/": "/annual-reports/2023/",
}


def test_spanish_demo_pages_are_complete_translations_of_their_english_pages(demo, client):
    spanish = Locale.objects.get(language_code="es")
    for spanish_path, english_path in SPANISH_PAGES.items():
        response = client.get(spanish_path, HTTP_HOST="127.0.0.1:8000")
        assert response.status_code == 200, spanish_path
        html = response.content.decode()
        assert '<html lang="es"' in html, spanish_path
        page = response.context["page"]
        english = client.get(english_path, HTTP_HOST="127.0.0.1:8000").context["page"]
        assert (page.locale, page.translation_key) == (spanish, english.translation_key), spanish_path
        assert page.title != english.title, spanish_path
        assert f"<title>{escape(page.seo_title or page.title)}" in html, spanish_path
        # Tied to its source in wagtail-localize, every segment written in Spanish: an English segment
        # changed without its Spanish shows here as untranslated.
        translation = Translation.objects.get(source__object_id=english.translation_key, target_locale=spanish)
        total, translated = translation.get_progress()
        assert translated == total, f"{spanish_path}: {total - translated} segment(s) still in English"
        assert translation.get_status_display() == "Up to date", spanish_path
    # A Spanish commemoration marks its observance's Spanish translation, itself translated in full.
    for path in [
        "/es/historias/2023-dia-internacional-de-conmemoracion/",
        "/es/historias/2023-dia-nacional-del-recuerdo-camboya/",
    ]:
        observance = client.get(path, HTTP_HOST="127.0.0.1:8000").context["page"].observance
        assert observance.locale == spanish, path
        translation = Translation.objects.get(source__object_id=observance.translation_key, target_locale=spanish)
        total, translated = translation.get_progress()
        assert translated == total, f"{path}: {total - translated} segment(s) of its observance still in English"
    # A Spanish page is filed under the Spanish pages of what its English page is filed under.
    brief = client.get("/es/recursos/mecanismo-nacional-de-prevencion/", HTTP_HOST="127.0.0.1:8000")
    assert 'href="/es/programas/programa-para-america-latina/"' in brief.content.decode()
    # The menu and the donate call in Spanish, leading to Spanish pages.
    inicio = BeautifulSoup(client.get("/es/", HTTP_HOST="127.0.0.1:8000").content, "html.parser")
    menu = [(link.get_text(strip=True), link["href"]) for link in inicio.select(".main-menu__link")]
    assert menu == [
        ("Quiénes somos", "/es/quienes-somos/"),
        ("Programas", "/es/programas/"),
        ("Historias", "/es/historias/"),
        ("Conmemoraciones", "/es/conmemoraciones/"),
        ("Recursos", "/es/recursos/"),
        ("Donar", "/es/donar/"),
    ]
    call = inicio.select_one(".donate-cta")
    assert call.select_one("h2").get_text(strip=True) == "Ayúdenos a construir un mundo que prevenga el genocidio"
    assert (call.select_one("a").get_text(strip=True), call.select_one("a")["href"]) == ("Donar", "/es/donar/")
    offices = inicio.select_one(".site-footer__offices").get_text(" ", strip=True)
    assert "Nueva York" in offices
    assert "Polonia" in offices
    assert "Poland" not in offices
    assert inicio.select_one("footer").get_text().count("10036") == 1  # the head office's address, once


def test_the_spanish_donate_page_offers_the_form(demo, client, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_demo"  # giving set up; the form posts to this site, not to Stripe
    html = client.get("/es/donar/", HTTP_HOST="127.0.0.1:8000").content.decode()
    form = BeautifulSoup(html, "html.parser").select_one("form.donate-form")
    assert (form["method"], form["action"]) == ("post", "/es/donar/")
    assert "Seminario Global Raphael Lemkin" in html
