"""The demo library and annual reports, in the project's own words.

Collection names and the one title the seeds give ("Filling the Silence") are the institute's own;
every summary is written for this project. PDFs are generated (resources/demo_pdf.py), so the page
counts and sizes the pages show are real. One collection is left empty on purpose: it shows
visitors what an empty collection looks like.
"""

from django.core.files.base import ContentFile
from wagtail.models import Locale

from aipg_site.demo.images import demo_image
from aipg_site.demo.pages import paragraph, upsert_page
from aipg_site.demo.translations import file_like_source, translate
from aipg_site.models import ProgramPage, Topic

from .demo_pdf import build_pdf
from .models import (
    AnnualReportIndexPage,
    AnnualReportPage,
    LibraryDocument,
    ResourceCollection,
    ResourceLibraryPage,
    ResourcePage,
)

COLLECTIONS = [
    (
        "policy-papers-and-briefs",
        "Policy Papers and Briefs in Prevention",
        "Short, practical papers for officials who design prevention policy: what a measure involves, what it "
        "costs, and what other states learned putting it in place.",
    ),
    (
        "research-reports-and-white-papers",
        "Research Reports & White Papers",
        "Longer studies by the institute and its partners on how mass atrocities are prevented, and on what "
        "helps societies recover from them.",
    ),
    (
        "sncf-papers",
        "SNCF Papers",
        "Studies that grew out of the institute's work on corporate responsibility and memory, and on how "
        "companies face their past.",
    ),
    (
        "training-resources",
        "Training Resources",
        "Material used in the institute's seminars and courses, shared for trainers and officials who teach "
        "prevention in their own institutions.",
    ),
    (
        "national-mechanisms-booklet",
        "Booklet on National Mechanisms for the Prevention of Genocide and other Atrocity Crimes (2015-2018)",
        "The booklet that follows how states set up national bodies for prevention, edition by edition.",
    ),
    (
        "annual-reports",
        "Auschwitz Institute Annual Reports",
        "Each year's programs, participants and finances, as the institute reports them to its supporters.",
    ),
    (
        "latin-american-network-reports",
        "Annual Reports of the Latin American Network for Genocide and Mass Atrocity Prevention",
        "The yearly reports of the regional network of states the institute supports as its technical secretariat.",
    ),
]

RESOURCES = [
    {
        "slug": "national-prevention-mechanisms-brief",
        "title": "Setting up a national mechanism for atrocity prevention",
        "kind": "policy-brief",
        "collection": "policy-papers-and-briefs",
        "year": 2021,
        "authors": "AIPG Policy Team",
        "summary": "What a national prevention mechanism is, which ministries usually sit on one, and the first "
        "decisions a government faces when it creates one.",
        "topics": ["early-warning", "regional-networks"],
        "programs": ["latin-america-program"],
        "pages": 8,
        "cover": ("Brief cover, blue network", "network", "network", 61),
    },
    {
        "slug": "prevention-and-public-budgets",
        "title": "Prevention in the public budget: a paper for finance ministries",
        "kind": "policy-paper",
        "collection": "policy-papers-and-briefs",
        "year": 2023,
        "authors": "AIPG Policy Team",
        "summary": "Why prevention belongs in ordinary budget lines rather than emergency funds, with examples "
        "of how states have costed it.",
        "topics": ["early-warning"],
        "programs": [],
        "pages": 14,
    },
    {
        "slug": "memorialization-and-non-recurrence",
        "title": "Memorialization and the guarantee of non-recurrence",
        "kind": "research-report",
        "collection": "research-reports-and-white-papers",
        "year": 2020,
        "authors": "AIPG Research and Education",
        "summary": "A study of how memorials, museums and days of remembrance can support prevention, and of the "
        "conditions under which they do not.",
        "topics": ["memorialization", "accountability"],
        "programs": ["research-and-online-education"],
        "pages": 36,
        "cover": ("Report cover, hills at dusk", "landscape", "memorial", 23),
    },
    {
        "slug": "prevencion-en-america-latina",
        "title": "La prevención de atrocidades en América Latina: balance regional",
        "kind": "white-paper",
        "collection": "research-reports-and-white-papers",
        "year": 2018,
        "language": "es",
        "authors": "Programa para América Latina",
        "summary": "Un repaso de lo que los Estados de la región han hecho para prevenir atrocidades masivas y de "
        "lo que queda por hacer.",
        "topics": ["regional-networks"],
        "programs": ["latin-america-program"],
        "pages": 22,
    },
    {
        "slug": "filling-the-silence",
        "title": "Filling the Silence: A Study in Corporate Holocaust History and the Nature of Corporate Memory",
        "kind": "working-paper",
        "collection": "sncf-papers",
        "year": 2016,
        "summary": "How a company remembers, or fails to remember, its part in the Holocaust, and what an honest "
        "account of that past asks of it.",
        "topics": ["memorialization", "accountability"],
        "programs": [],
        "pages": 28,
    },
    {
        "slug": "seminar-facilitator-guide",
        "title": "Teaching prevention at a memorial site: a facilitator's guide",
        "kind": "training",
        "collection": "training-resources",
        "year": 2022,
        "authors": "AIPG Education Team",
        "summary": "Session plans, discussion questions and practical advice for trainers who lead officials "
        "through a study visit to a site of past atrocities.",
        "topics": ["education-and-training", "memorialization"],
        "programs": ["global-raphael-lemkin-seminar"],
        "pages": 18,
        "cover": ("Guide cover, dawn", "landscape", "dawn", 77),
    },
    {
        "slug": "un-framework-of-analysis",
        "title": "Framework of Analysis for Atrocity Crimes (United Nations)",
        "kind": "training",
        "collection": "training-resources",
        "year": 2014,
        "authors": "United Nations Office on Genocide Prevention and the Responsibility to Protect",
        "summary": "The UN's tool for assessing the risk of atrocity crimes, used throughout our courses. It is "
        "published by the UN; this entry links to it.",
        "topics": ["early-warning", "education-and-training"],
        "programs": [],
        "external_url": "https://www.un.org/en/genocideprevention/about/framework-of-analysis.shtml",
    },
    {
        "slug": "national-mechanisms-booklet-2018",
        "title": "National Mechanisms for the Prevention of Genocide and other Atrocity Crimes, 2018 edition",
        "kind": "booklet",
        "collection": "national-mechanisms-booklet",
        "year": 2018,
        "summary": "The last edition of the booklet: which states have national mechanisms, how each is set up, "
        "and what they have done so far.",
        "topics": ["regional-networks", "early-warning"],
        "programs": ["latin-america-program", "africa-programs"],
        "pages": 48,
    },
]

ANNUAL_REPORTS = [
    {
        "slug": "2022",
        "title": "Annual Report 2022",
        "year": 2022,
        "summary": "The year seminars returned in person, and the institute's regional work in Africa and Latin "
        "America grew.",
        "figures": (410, 52, 24),
        "pages": 32,
    },
    {
        "slug": "2023",
        "title": "Annual Report 2023",
        "year": 2023,
        "summary": "Fifteen years of the Raphael Lemkin Seminar, new partners in the Mediterranean basin, and "
        "a larger alumni network.",
        "figures": (465, 58, 27),
        "pages": 40,
    },
]

DEMO_FIGURES_NOTE = (
    "The figures on this demo page are illustrative: the real report gives the institute's own count for the year."
)


def load(home):
    """Build the library and the annual reports under `home`; return the library and its menu label."""
    collections = {slug: _collection(slug, name, intro, order) for order, (slug, name, intro) in enumerate(COLLECTIONS)}
    # The English ones: a Spanish topic shares its English topic's slug.
    topics = {topic.slug: topic for topic in Topic.objects.filter(locale=Locale.get_default())}
    programs = {program.slug: program for program in ProgramPage.objects.filter(locale=Locale.get_default())}

    library = upsert_page(
        home,
        ResourceLibraryPage,
        "resources",
        title="The Sheri P. Rosenberg Resource Library",
        summary="Policy papers, research, training material and reports from the institute and its partners, "
        "free to read and share.",
        dedication="The library carries the name of Sheri P. Rosenberg, in honour of her work for the prevention "
        "of genocide and her commitment to the institute's mission.",
    )
    for fields in RESOURCES:
        fields = dict(fields)
        resource = upsert_page(
            library,
            ResourcePage,
            fields.pop("slug"),
            title=fields["title"],
            kind=fields["kind"],
            collection=collections[fields["collection"]],
            year=fields["year"],
            language=fields.get("language", "en"),
            authors=fields.get("authors", ""),
            summary=fields["summary"],
            document=_document(fields["title"], fields["summary"], fields["pages"]) if "pages" in fields else None,
            external_url=fields.get("external_url", ""),
            cover_image=demo_image(*fields["cover"][:3], seed=fields["cover"][3]) if "cover" in fields else None,
        )
        _file(resource, [topics[slug] for slug in fields["topics"] if slug in topics], fields["programs"], programs)

    reports_index = upsert_page(
        home,
        AnnualReportIndexPage,
        "annual-reports",
        title="Annual reports",
        summary="What the institute did each year, for whom and with what support.",
        collection=collections["annual-reports"],
    )
    for fields in ANNUAL_REPORTS:
        trained, countries, programs_run = fields["figures"]
        upsert_page(
            reports_index,
            AnnualReportPage,
            fields["slug"],
            title=fields["title"],
            year=fields["year"],
            summary=fields["summary"],
            collection=collections["annual-reports"],
            document=_document(fields["title"], fields["summary"], fields["pages"]),
            officials_trained=trained,
            countries=countries,
            programs_run=programs_run,
            body=[paragraph(DEMO_FIGURES_NOTE)],
            cover_image=demo_image(f"{fields['title']} cover", "landscape", "horizon", seed=fields["year"] % 97),
        )
    for collection in collections.values():
        translate(collection, COLLECTIONS_IN_SPANISH)
    translate(library, LIBRARY_IN_SPANISH)
    for slug, into_spanish in RESOURCES_IN_SPANISH.items():
        resource = library.get_children().get(slug=slug).specific
        file_like_source(translate(resource, into_spanish), resource, ["topics", "programs"])
    return [(library, "Resources")]


def _collection(slug, name, introduction, order):
    english = ResourceCollection.objects.filter(slug=slug, locale=Locale.get_default()).first()
    collection = english or ResourceCollection(slug=slug)
    if (collection.name, collection.introduction, collection.sort_order) != (name, introduction, order):
        collection.name, collection.introduction, collection.sort_order = name, introduction, order
        collection.save()
    return collection


def _document(title, summary, pages):
    """The demo PDF called `title`, generated on the first run and reused afterwards."""
    existing = LibraryDocument.objects.filter(title=title).first()
    if existing:
        return existing
    paragraphs = [
        summary,
        "This document was generated for the demonstration site. It stands in for the publication named on its "
        "title page, so that the library can show a real file's type, size and number of pages.",
    ]
    content = build_pdf(
        title, "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities", paragraphs, pages
    )
    slug = "".join(ch if ch.isalnum() else "-" for ch in title.lower()).strip("-")[:60]
    document = LibraryDocument(title=title)
    document.file.save(f"{slug}.pdf", ContentFile(content), save=False)
    document.save()
    return document


def _file(resource, topics, program_slugs, programs):
    chosen = [programs[slug] for slug in program_slugs if slug in programs]
    if set(resource.topics.all()) != set(topics) or set(resource.programs.all()) != set(chosen):
        resource.topics.set(topics)
        resource.programs.set(chosen)
        resource.save_revision().publish()


# The Spanish pages, segment by segment (see aipg_site/demo/translations.py). A translated resource
# describes the same document, which stays in its own language: the page says so.

LIBRARY_IN_SPANISH = {
    "The Sheri P. Rosenberg Resource Library": "Biblioteca de Recursos Sheri P. Rosenberg",
    "resources": "recursos",
    "Policy papers, research, training material and reports from the institute and its partners, free to read "
    "and share.": (
        "Documentos de políticas públicas, investigaciones, materiales de formación e informes del instituto y "
        "de sus socios, para leer y compartir libremente."
    ),
    "The library carries the name of Sheri P. Rosenberg, in honour of her work for the prevention of genocide and "
    "her commitment to the institute's mission.": (
        "La biblioteca lleva el nombre de Sheri P. Rosenberg, como homenaje a su labor por la prevención del "
        "genocidio y a su compromiso con la misión del instituto."
    ),
}

RESOURCES_IN_SPANISH = {
    "national-prevention-mechanisms-brief": {
        "Setting up a national mechanism for atrocity prevention": (
            "Cómo crear un mecanismo nacional de prevención de atrocidades"
        ),
        "national-prevention-mechanisms-brief": "mecanismo-nacional-de-prevencion",
        "AIPG Policy Team": "Equipo de Políticas Públicas del AIPG",
        "What a national prevention mechanism is, which ministries usually sit on one, and the first decisions a "
        "government faces when it creates one.": (
            "Qué es un mecanismo nacional de prevención, qué ministerios suelen integrarlo y cuáles son las "
            "primeras decisiones que debe tomar un gobierno al ponerlo en marcha."
        ),
    },
    "memorialization-and-non-recurrence": {
        "Memorialization and the guarantee of non-recurrence": "La memoria y la garantía de no repetición",
        "memorialization-and-non-recurrence": "memoria-y-garantia-de-no-repeticion",
        "AIPG Research and Education": "Área de Investigación y Educación del AIPG",
        "A study of how memorials, museums and days of remembrance can support prevention, and of the conditions "
        "under which they do not.": (
            "Un estudio sobre cómo los memoriales, los museos y las jornadas de conmemoración pueden contribuir a "
            "la prevención, y sobre las condiciones en que no lo consiguen."
        ),
    },
}

COLLECTIONS_IN_SPANISH = {
    "policy-papers-and-briefs": "documentos-y-resumenes-de-politicas",
    "Policy Papers and Briefs in Prevention": "Documentos y resúmenes de políticas de prevención",
    "Short, practical papers for officials who design prevention policy: what a measure involves, what it costs, "
    "and what other states learned putting it in place.": (
        "Textos breves y prácticos para quienes diseñan políticas de prevención: en qué consiste una medida, "
        "cuánto cuesta y qué aprendieron otros Estados al ponerla en práctica."
    ),
    "research-reports-and-white-papers": "informes-de-investigacion",
    "Research Reports & White Papers": "Informes de investigación y documentos técnicos",
    "Longer studies by the institute and its partners on how mass atrocities are prevented, and on what helps "
    "societies recover from them.": (
        "Estudios más extensos del instituto y de sus socios sobre cómo se previenen las atrocidades masivas y "
        "qué ayuda a las sociedades a recuperarse de ellas."
    ),
    "sncf-papers": "documentos-sncf",
    "SNCF Papers": "Documentos SNCF",
    "Studies that grew out of the institute's work on corporate responsibility and memory, and on how companies "
    "face their past.": (
        "Estudios surgidos del trabajo del instituto sobre la responsabilidad y la memoria de las empresas, y "
        "sobre cómo enfrentan su propio pasado."
    ),
    "training-resources": "materiales-de-formacion",
    "Training Resources": "Materiales de formación",
    "Material used in the institute's seminars and courses, shared for trainers and officials who teach "
    "prevention in their own institutions.": (
        "Materiales que se usan en los seminarios y cursos del instituto, compartidos con formadores y "
        "funcionarios que enseñan prevención en sus propias instituciones."
    ),
    "national-mechanisms-booklet": "cuadernillo-mecanismos-nacionales",
    "Booklet on National Mechanisms for the Prevention of Genocide and other Atrocity Crimes (2015-2018)": (
        "Cuadernillo sobre mecanismos nacionales para la prevención del genocidio y otros crímenes atroces (2015-2018)"
    ),
    "The booklet that follows how states set up national bodies for prevention, edition by edition.": (
        "El cuadernillo que sigue, edición tras edición, cómo los Estados crean organismos nacionales dedicados "
        "a la prevención."
    ),
    "annual-reports": "informes-anuales",
    "Auschwitz Institute Annual Reports": "Informes anuales del Instituto Auschwitz",
    "Each year's programs, participants and finances, as the institute reports them to its supporters.": (
        "Los programas, participantes y finanzas de cada año, tal como el instituto los presenta a quienes lo apoyan."
    ),
    "latin-american-network-reports": "informes-red-latinoamericana",
    "Annual Reports of the Latin American Network for Genocide and Mass Atrocity Prevention": (
        "Informes anuales de la Red Latinoamericana para la Prevención del Genocidio y Atrocidades Masivas"
    ),
    "The yearly reports of the regional network of states the institute supports as its technical secretariat.": (
        "Los informes anuales de la red regional de Estados que el instituto acompaña como Secretaría Técnica."
    ),
}
