"""The programs section: what the institute runs, as structured facts."""

from wagtail.models import Locale

from aipg_site.models import Office, ProgramIndexPage, ProgramPage

from .images import demo_image
from .pages import paragraph, upsert_page
from .translations import translate

MINISTRIES = [
    "Ministries of Foreign Affairs",
    "Ministries of Justice",
    "Ministries of Defence",
    "Ministries of the Interior",
    "Ministries of Education",
    "National human rights institutions",
]

PROGRAMS = [
    {
        "slug": "global-raphael-lemkin-seminar",
        "title": "Global Raphael Lemkin Seminar for Genocide Prevention",
        "summary": "A week of study at the Auschwitz-Birkenau memorial for officials who will shape prevention policy.",
        "approach": (
            "Participants learn where the crime happened: the history of the Holocaust frames a close "
            "study of how atrocities build up and of the policies that interrupt them."
        ),
        "audience": MINISTRIES,
        "outputs": [
            ("The seminar itself", "Held in Oświęcim, with sessions led by prevention practitioners."),
            ("A place in the 2Prevent community", "Every graduate joins the alumni network afterwards."),
        ],
        "scope": "Global: officials of UN member states",
        "start_year": 2008,
        "offices": ["New York", "Oświęcim"],
    },
    {
        "slug": "2prevent",
        "title": "2Prevent alumni network",
        "summary": "The community that keeps graduates of our seminars working together after they go home.",
        "approach": "Continued contact, exchange of practice between peers, and further training for members.",
        "audience": ["Graduates of the institute's seminars and courses"],
        "outputs": [("Alumni meetings and courses", "Follow-up training offered to members over the years.")],
        "scope": "Global: more than 300 officials from over 70 countries",
        "start_year": 2008,
        "offices": ["New York"],
    },
    {
        "slug": "latin-america-program",
        "title": "Latin America Program",
        "summary": "Training shaped by the region's own history, and support for a network of states.",
        "approach": (
            "Courses for public officials that cover memory, truth and justice, migration, policing and the "
            "armed forces, and protection of indigenous peoples and LGBTI+ communities, alongside technical "
            "support to the regional network."
        ),
        "audience": ["Public officials of Latin American states", "National human rights institutions"],
        "outputs": [
            (
                "Latin American Network for Genocide and Mass Atrocity Prevention",
                "The institute acts as its technical secretariat.",
            )
        ],
        "scope": "Latin America",
        "start_year": 2012,
        "offices": ["Buenos Aires"],
    },
    {
        "slug": "africa-programs",
        "title": "Africa Programs",
        "summary": "Prevention training in the Great Lakes region and beyond, built with the states taking part.",
        "approach": (
            "Work on electoral violence, early warning systems, gender mainstreaming and the part young "
            "people play in preventing atrocities."
        ),
        "audience": ["Government officials of African states", "Regional organisations"],
        "outputs": [("Regional courses", "Held with partner governments in the region.")],
        "scope": "Africa, with a focus on the Great Lakes region",
        "start_year": 2013,
        "offices": ["Kampala"],
    },
    {
        "slug": "mediterranean-basin-network",
        "title": "Mediterranean Basin Network for Atrocity Crimes Prevention",
        "summary": "States on the shores of the Mediterranean sharing what works in preventing atrocity crimes.",
        "approach": "Meetings and joint work that let member states compare their prevention policies.",
        "audience": ["Officials of Mediterranean states"],
        "outputs": [("Network meetings", "Regular exchanges between the focal points of member states.")],
        "scope": "The Mediterranean basin",
        "start_year": 2018,
        "offices": ["Oświęcim"],
    },
    {
        "slug": "warren-educational-policies-program",
        "title": "Warren Educational Policies Program",
        "summary": "Helping education ministries teach about past atrocities in ways that protect the future.",
        "approach": "Support for curricula and teacher training on genocide and its prevention.",
        "audience": ["Ministries of Education", "Teacher training institutions"],
        "outputs": [("Curriculum support", "Advice to ministries revising what schools teach.")],
        "scope": "Global",
        "start_year": 2015,
        "offices": ["New York"],
    },
    {
        "slug": "us-transitional-justice-programs",
        "title": "U.S. Transitional Justice Programs",
        "summary": "Bringing the lessons of transitional justice to officials and communities in the United States.",
        "approach": "Study of how societies reckon with past abuses, applied to the American experience.",
        "audience": ["Public officials in the United States", "Civil society organisations"],
        "outputs": [("Courses and dialogues", "Sessions on truth-telling, memory and accountability.")],
        "scope": "United States",
        "start_year": 2019,
        "offices": ["New York"],
    },
    {
        "slug": "research-and-online-education",
        "title": "Research and Online Education Programs",
        "summary": "Research on prevention policy, and courses that reach officials wherever they work.",
        "approach": "Applied research that feeds our training, and online courses open to officials worldwide.",
        "audience": ["Public officials", "Researchers and practitioners"],
        "outputs": [("Online courses", "Self-paced and guided courses on atrocity prevention.")],
        "scope": "Global",
        "start_year": 2016,
        "offices": ["New York"],
    },
]


def load(home):
    """Build /programs/ and its programs; returns the index page for the main menu."""
    index = upsert_page(
        home,
        ProgramIndexPage,
        "programs",
        title="Programs",
        summary="How we train officials, accompany them afterwards, and help states prevent atrocities together.",
        body=[
            paragraph(
                "Each program starts from the same conviction: prevention is the everyday work of public "
                "institutions, and the people in them can learn to do it well."
            )
        ],
    )
    image = demo_image("A network of points", "network", "network", seed=27)
    # The English ones: a Spanish office is known by the same city.
    offices = {office.city: office for office in Office.objects.filter(locale=Locale.get_default())}
    for program in PROGRAMS:
        page = upsert_page(
            index,
            ProgramPage,
            program["slug"],
            title=program["title"],
            summary=program["summary"],
            hero_image=image if program["slug"] == "2prevent" else None,
            approach=program["approach"],
            target_audience=[{"type": "audience", "value": audience} for audience in program["audience"]],
            outputs=[
                {"type": "output", "value": {"name": name, "description": description, "page": None}}
                for name, description in program["outputs"]
            ],
            geographical_scope=program["scope"],
            start_year=program["start_year"],
        )
        wanted = {offices[city].pk for city in program["offices"] if city in offices}
        if set(page.offices.values_list("pk", flat=True)) != wanted:
            page.offices.set(wanted)
            page.save_revision().publish()
    translate(index, PROGRAMS_IN_SPANISH)
    translate(index.get_children().get(slug="latin-america-program").specific, LATIN_AMERICA_IN_SPANISH)
    return [index]


# The Spanish pages, segment by segment (see aipg_site/demo/translations.py).

PROGRAMS_IN_SPANISH = {
    "Programs": "Programas",
    "programs": "programas",
    "How we train officials, accompany them afterwards, and help states prevent atrocities together.": (
        "Cómo formamos a funcionarios públicos, cómo los acompañamos después y cómo ayudamos a los Estados a "
        "prevenir atrocidades en conjunto."
    ),
    "Each program starts from the same conviction: prevention is the everyday work of public institutions, and "
    "the people in them can learn to do it well.": (
        "Todos nuestros programas parten de la misma convicción: prevenir es parte del trabajo cotidiano de las "
        "instituciones públicas, y quienes las integran pueden aprender a hacerlo bien."
    ),
}

LATIN_AMERICA_IN_SPANISH = {
    "Latin America Program": "Programa para América Latina",
    "latin-america-program": "programa-para-america-latina",
    "Training shaped by the region's own history, and support for a network of states.": (
        "Una formación pensada desde la historia de la región y el acompañamiento a una red de Estados."
    ),
    "Courses for public officials that cover memory, truth and justice, migration, policing and the armed forces, "
    "and protection of indigenous peoples and LGBTI+ communities, alongside technical support to the regional "
    "network.": (
        "Cursos para funcionarios públicos sobre memoria, verdad y justicia; migraciones; el papel de las "
        "fuerzas de seguridad y de las Fuerzas Armadas; y la protección de los pueblos indígenas y de las "
        "personas LGBTI+. A ello se suma la asistencia técnica a la red regional."
    ),
    "Public officials of Latin American states": "Funcionarios públicos de los Estados latinoamericanos",
    "National human rights institutions": "Instituciones nacionales de derechos humanos",
    "Latin American Network for Genocide and Mass Atrocity Prevention": (
        "Red Latinoamericana para la Prevención del Genocidio y Atrocidades Masivas"
    ),
    "The institute acts as its technical secretariat.": "El instituto ejerce su Secretaría Técnica.",
    "Latin America": "América Latina",
}
