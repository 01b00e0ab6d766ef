"""The home page, the About section, offices, site settings and the main menu."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Locale, Page

from aipg_site.models import (
    HomePage,
    MenuItem,
    NavigationSettings,
    Office,
    OrganisationSettings,
    SocialAccount,
    StandardPage,
)

from .images import demo_image
from .pages import block, default_site, list_items, paragraph, root_page, upsert_page
from .translations import translate

OFFICES = [
    {
        "city": "New York",
        "country": "United States",
        "address": "2 West 45th Street, Suite 1602\nNew York, NY 10036-4230\nUnited States",
        "phone": "+1 212 575 2605",
        "sort_order": 0,
    },
    {"city": "Oświęcim", "country": "Poland", "address": "Oświęcim\nPoland", "sort_order": 1},
    {"city": "Buenos Aires", "country": "Argentina", "address": "Buenos Aires\nArgentina", "sort_order": 2},
    {"city": "Kampala", "country": "Uganda", "address": "Kampala\nUganda", "sort_order": 3},
]


# Each office in Spanish: the names Spanish readers know the cities and countries by. New York's postal
# address stays as a letter needs it (the organisation's own, which the footer prints once); an address
# is one segment, its line breaks written <br/>.
OFFICES_IN_SPANISH = {
    "New York": "Nueva York",
    "United States": "Estados Unidos",
    "Oświęcim": "Oświęcim",
    "Poland": "Polonia",
    "Oświęcim<br/>Poland": "Oświęcim<br/>Polonia",
    "Buenos Aires": "Buenos Aires",
    "Argentina": "Argentina",
    "Buenos Aires<br/>Argentina": "Buenos Aires<br/>Argentina",
    "Kampala": "Kampala",
    "Uganda": "Uganda",
    "Kampala<br/>Uganda": "Kampala<br/>Uganda",
}


def load():
    """Build the site core. Returns the home page, which the other apps' demo content hangs from,
    and the About section, which the main menu links to."""
    offices = [_office(**office) for office in OFFICES]
    for office in offices:
        translate(office, OFFICES_IN_SPANISH)
    images = {
        "hero": demo_image("Hills at dawn", "landscape", "dawn", seed=8),
        "network": demo_image("A network of points", "network", "network", seed=27),
        "horizon": demo_image("A wide horizon", "landscape", "horizon", seed=45),
    }
    home = _home_page(images)
    about = _about_section(home, offices, images)
    contact = about.get_children().get(slug="contact")
    _organisation_settings(images, donate_target=contact)
    # The Spanish home page first: every other Spanish page hangs from it, and /es/ needs it.
    translate(home, HOME_IN_SPANISH)
    translate(about, ABOUT_IN_SPANISH)
    translate(about.get_children().get(slug="mission").specific, MISSION_IN_SPANISH)
    return home, about


# A shorter label than the linked page's title, in Spanish: other items take their page's Spanish title.
MENU_LABELS_IN_SPANISH = {"Resources": "Recursos"}


def set_main_menu(items):
    """Make the main menu link to `items`, in order: pages, or (page, label) pairs for a shorter label.
    Later demo steps call it with their sections."""
    navigation = NavigationSettings.for_site(default_site())
    pairs = [item if isinstance(item, tuple) else (item, "") for item in items]
    navigation.menu_items = [
        MenuItem(link_page=page, label=label, label_es=MENU_LABELS_IN_SPANISH.get(label, ""), sort_order=index)
        for index, (page, label) in enumerate(pairs)
    ]
    navigation.save()


def _office(city, **fields):
    office, _ = Office.objects.update_or_create(city=city, locale=Locale.get_default(), defaults=fields)
    return office


def _home_page(images):
    fields = {
        "title": "Home",
        "seo_title": "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities",
        "hero_heading": "Preventing genocide before it begins",
        "mission_statement": (
            "We train and accompany government officials so that their states can recognise the early "
            "warning signs of genocide and mass atrocities and act on them in time. We also help states "
            "work together, through regional and international networks, to make prevention an ordinary "
            "part of public policy."
        ),
        "hero_image": images["hero"],
        "officials_trained": 7700,
        "countries_reached": 90,
        "founding_year": 2008,
        "body": [
            block("heading", {"text": "How we work", "level": "h2"}),
            paragraph(
                "Mass atrocities are never sudden. They follow years of exclusion, hateful rhetoric and "
                "weakened institutions, and each stage leaves signs that a prepared official can read.",
                "Our programs bring officials to places where atrocities happened, give them the tools "
                "to analyse risk in their own countries, and stay with them afterwards through an alumni "
                "community and regional networks.",
            ),
        ],
    }
    root = root_page()
    home = root.get_children().type(HomePage).filter(locale=Locale.get_default()).first()
    if home is None:
        # Wagtail's first migration leaves a "Welcome" placeholder at the site root: replace it.
        placeholder = root.get_children().exclude(content_type__model="homepage").first()
        home = upsert_page(root, HomePage, "home-aipg", **fields)
        site = default_site()
        site.root_page = home
        site.save()
        if placeholder is not None:
            placeholder.delete()
        # Now that the placeholder's slug is free, take it; children are added after this.
        home = HomePage.objects.get(pk=home.pk)
        home.slug = "home"
        home.save_revision().publish()
        home = HomePage.objects.get(pk=home.pk)
    else:
        home = upsert_page(root, HomePage, home.slug, **fields)
    _point_site_at_base_url(home)
    return home


def _point_site_at_base_url(home):
    """Make the site's host match WAGTAILADMIN_BASE_URL, so canonical and feed links are right."""
    base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
    site = default_site()
    port = base.port or (443 if base.scheme == "https" else 80)
    wanted = {"hostname": base.hostname, "port": port, "root_page_id": home.pk, "site_name": "AIPG"}
    if any(getattr(site, name) != value for name, value in wanted.items()):
        for name, value in wanted.items():
            setattr(site, name, value)
        site.save()


def _about_section(home, offices, images):
    about = upsert_page(
        home,
        StandardPage,
        "about",
        title="About us",
        summary=(
            "An independent institute that works with governments on one task: preventing genocide and "
            "other mass atrocities."
        ),
        hero_image=images["horizon"],
        body=[
            paragraph(
                "The Auschwitz Institute for the Prevention of Genocide and Mass Atrocities (AIPG) was "
                "founded in 2008. Since then it has trained more than 7,700 public officials, who came to "
                "its programs from over 90 countries.",
                "Its teams in the Americas, Europe and Africa design training with the officials who will "
                "use it, so that each region's history and risks shape what is taught there.",
            ),
            block(
                "figures",
                {
                    "heading": "Since 2008",
                    "figures": list_items(
                        {"value": "7,700+", "label": "officials trained"},
                        {"value": "90+", "label": "countries"},
                        {"value": "4", "label": "regional offices"},
                    ),
                },
            ),
        ],
    )
    upsert_page(
        about,
        StandardPage,
        "mission",
        title="Our mission",
        summary="Why we work with states, and how education turns into policy that protects people.",
        body=[
            paragraph(
                "Our aim is a world in which states prevent genocide and mass atrocities rather than "
                "respond to them after the fact. We pursue it in three ways: education that changes how "
                "officials see risk, training that gives them methods to act on it, and technical "
                "assistance when they build national policies and institutions.",
                "No single policy suits every country, so we support regional answers to regional "
                "problems, and we encourage states to cooperate through networks where they can learn "
                "from one another.",
            ),
            block(
                "quote",
                {
                    "text": "Prevention is not one decision taken in a crisis. It is thousands of ordinary "
                    "decisions, taken early, by people who know what to look for.",
                    "attribution": "AIPG training team",
                    "role": "From the introduction to our seminar curriculum",
                },
            ),
        ],
    )
    upsert_page(
        about,
        StandardPage,
        "history",
        title="Our history",
        summary="From a first seminar at the Auschwitz memorial site in 2008 to programs on four continents.",
        hero_image=images["network"],
        body=[
            block("heading", {"text": "Beginnings", "level": "h2"}),
            paragraph(
                "The institute began its work in 2008 with a conviction drawn from the memory of "
                "Auschwitz: that learning at the sites of past crimes can create a lasting personal "
                "commitment to prevention among the officials who take part."
            ),
            block("heading", {"text": "Growing networks", "level": "h2"}),
            paragraph(
                "Graduates of our first seminars asked to stay in touch, and the 2Prevent alumni "
                "community grew out of that request. The institute later became the technical "
                "secretariat of the Latin American Network for Genocide and Mass Atrocity Prevention and "
                "helped start networks in Africa and around the Mediterranean."
            ),
        ],
    )
    upsert_page(
        about,
        StandardPage,
        "offices",
        title="Our offices",
        summary="Four regional offices keep our programs close to the officials they serve.",
        body=[
            paragraph(
                "Each office runs the programs of its region and is the first point of contact for partners there."
            ),
            block("offices", {"heading": "", "offices": [office.pk for office in offices]}),
        ],
    )
    upsert_page(
        about,
        StandardPage,
        "contact",
        title="Contact us",
        summary="How to reach the institute's headquarters and regional offices.",
        body=[
            paragraph(
                "For questions about our programs, partnerships or publications, write to us or call "
                "our New York headquarters. Journalists are welcome to ask for comment or background."
            ),
            block("offices", {"heading": "Where to find us", "offices": [offices[0].pk]}),
        ],
    )
    return about


def _organisation_settings(images, donate_target):
    site = default_site()
    organisation = OrganisationSettings.for_site(site)
    organisation.name = "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"
    organisation.short_name = "AIPG"
    organisation.tagline = "Working with states to prevent genocide and mass atrocities."
    organisation.address = OFFICES[0]["address"]
    organisation.phone = OFFICES[0]["phone"]
    organisation.email = "info@auschwitzinstitute.org"
    organisation.registration_identifier = "204714242"
    organisation.default_social_image = images["hero"]
    organisation.donate_heading = "Help build a world that prevents genocide"
    organisation.donate_text = "A gift, once or every month, trains the officials who can stop atrocities early."
    organisation.donate_button_label = "Donate"
    organisation.name_es = "Instituto Auschwitz para la Prevención del Genocidio y las Atrocidades Masivas"
    organisation.tagline_es = "Trabajamos con los Estados para prevenir el genocidio y las atrocidades masivas."
    organisation.donate_heading_es = "Ayúdenos a construir un mundo que prevenga el genocidio"
    organisation.donate_text_es = (
        "Una donación, única o mensual, forma a los funcionarios que pueden detener las atrocidades a tiempo."
    )
    organisation.donate_button_label_es = "Donar"
    if organisation.donate_page_id is None or not Page.objects.filter(pk=organisation.donate_page_id).exists():
        organisation.donate_page = donate_target
    organisation.social_accounts = [SocialAccount(service="x", url="https://x.com/genprev", handle="@genprev")]
    organisation.save()


# The Spanish pages, segment by segment (see translations.py): written for Spanish readers in Latin
# America, not rendered word for word. Numbers follow Spanish usage (7700, not 7,700).

HOME_IN_SPANISH = {
    "Home": "Inicio",
    "home": "inicio",
    "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities": (
        "Instituto Auschwitz para la Prevención del Genocidio y las Atrocidades Masivas"
    ),
    "Preventing genocide before it begins": "Prevenir el genocidio antes de que empiece",
    "We train and accompany government officials so that their states can recognise the early warning signs of "
    "genocide and mass atrocities and act on them in time. We also help states work together, through regional "
    "and international networks, to make prevention an ordinary part of public policy.": (
        "Formamos y acompañamos a funcionarias y funcionarios públicos para que sus Estados sepan detectar a "
        "tiempo las señales de alerta del genocidio y las atrocidades masivas, y actuar en consecuencia. "
        "Impulsamos además la cooperación entre Estados, a través de redes regionales e internacionales, para "
        "que la prevención sea parte habitual de las políticas públicas."
    ),
    "How we work": "Cómo trabajamos",
    "Mass atrocities are never sudden. They follow years of exclusion, hateful rhetoric and weakened "
    "institutions, and each stage leaves signs that a prepared official can read.": (
        "Las atrocidades masivas nunca estallan de un día para otro. Las preceden años de exclusión, discursos "
        "de odio e instituciones debilitadas, y cada etapa deja huellas que un funcionario preparado sabe leer."
    ),
    "Our programs bring officials to places where atrocities happened, give them the tools to analyse risk in "
    "their own countries, and stay with them afterwards through an alumni community and regional networks.": (
        "Nuestros programas llevan a los participantes a los lugares donde se cometieron atrocidades, les dan "
        "herramientas para analizar el riesgo en sus propios países y los siguen acompañando después, por medio "
        "de una comunidad de egresados y de redes regionales."
    ),
}

ABOUT_IN_SPANISH = {
    "About us": "Quiénes somos",
    "about": "quienes-somos",
    "An independent institute that works with governments on one task: preventing genocide and other mass "
    "atrocities.": (
        "Un instituto independiente que trabaja con los gobiernos en una sola tarea: prevenir el genocidio y "
        "otras atrocidades masivas."
    ),
    "The Auschwitz Institute for the Prevention of Genocide and Mass Atrocities (AIPG) was founded in 2008. Since "
    "then it has trained more than 7,700 public officials, who came to its programs from over 90 countries.": (
        "El Instituto Auschwitz para la Prevención del Genocidio y las Atrocidades Masivas (AIPG) nació en 2008. "
        "Desde entonces ha formado a más de 7700 funcionarios públicos, que llegaron a sus programas desde más "
        "de 90 países."
    ),
    "Its teams in the Americas, Europe and Africa design training with the officials who will use it, so that "
    "each region's history and risks shape what is taught there.": (
        "Sus equipos en las Américas, Europa y África diseñan cada formación junto con quienes van a aplicarla, "
        "para que la historia y los riesgos propios de cada región definan lo que allí se enseña."
    ),
    "Since 2008": "Desde 2008",
    "7,700+": "+7700",
    "officials trained": "funcionarios formados",
    "90+": "+90",
    "countries": "países",
    "4": "4",
    "regional offices": "oficinas regionales",
}

MISSION_IN_SPANISH = {
    "Our mission": "Nuestra misión",
    "mission": "mision",
    "Why we work with states, and how education turns into policy that protects people.": (
        "Por qué trabajamos con los Estados y cómo la educación se convierte en políticas que protegen a las personas."
    ),
    "Our aim is a world in which states prevent genocide and mass atrocities rather than respond to them after "
    "the fact. We pursue it in three ways: education that changes how officials see risk, training that gives "
    "them methods to act on it, and technical assistance when they build national policies and institutions.": (
        "Aspiramos a un mundo en el que los Estados prevengan el genocidio y las atrocidades masivas, en lugar de "
        "reaccionar cuando ya ocurrieron. Para lograrlo trabajamos en tres frentes: una educación que cambia la "
        "manera en que los funcionarios perciben el riesgo, una capacitación que les da métodos para actuar a "
        "tiempo y asistencia técnica cuando su país construye políticas e instituciones nacionales."
    ),
    "No single policy suits every country, so we support regional answers to regional problems, and we "
    "encourage states to cooperate through networks where they can learn from one another.": (
        "Ninguna receta sirve por igual para todos los países. Por eso apoyamos respuestas regionales a "
        "problemas regionales y alentamos a los Estados a cooperar en redes donde puedan aprender unos de otros."
    ),
    "Prevention is not one decision taken in a crisis. It is thousands of ordinary decisions, taken early, by "
    "people who know what to look for.": (
        "La prevención no es una única decisión tomada en plena crisis. Son miles de decisiones cotidianas, "
        "tomadas a tiempo, por personas que saben qué señales buscar."
    ),
    "AIPG training team": "Equipo de formación del AIPG",
    "From the introduction to our seminar curriculum": "De la introducción al programa de nuestro seminario",
}
