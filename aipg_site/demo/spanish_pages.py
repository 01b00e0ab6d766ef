"""The Spanish demo pages of the page types the apps' own demo steps leave untranslated: a plain story
and the annual reports (the index and a year's report).

With them the Spanish site has a live page of every page type, which the browser checks visit in
both languages. `load_demo_content` calls this last, once the Spanish home page and the sections'
Spanish index pages exist. Each page is a wagtail-localize translation of its English page, made as
the apps' Spanish pages are (see translations.py), and filed like it; a second run changes nothing.
"""

from wagtail.models import Page

from .translations import file_like_source, translate

# What a page is filed under (the story's topics, regions and programs, a report's topics): the
# Spanish page is filed under their Spanish counterparts, so that Spanish filters find it.
FILED_UNDER = ["topics", "regions", "programs"]


def load(home):
    """Translate the pages below into Spanish, parents before children, and return them."""
    pages = []
    for path, into_spanish in IN_SPANISH.items():
        english = Page.objects.get(url_path=f"{home.url_path}{path}").specific
        spanish = translate(english, into_spanish)
        file_like_source(spanish, english, [name for name in FILED_UNDER if hasattr(english, name)])
        pages.append(spanish)
    return pages


# By the English page's address below the home page: its segments, English to Spanish, written for
# readers in Latin America. The report's document stays in English; its page says so.
IN_SPANISH = {
    "stories/memory-truth-and-justice-in-latin-america/": {
        "Memory, truth and justice: how prevention is taught in Latin America": (
            "Memoria, verdad y justicia: cómo se enseña la prevención en América Latina"
        ),
        "memory-truth-and-justice-in-latin-america": "memoria-verdad-y-justicia-en-america-latina",
        "A regional curriculum built with the officials who use it, and a network of states that keep prevention "
        "on the agenda.": (
            "Un plan de formación regional pensado junto con los funcionarios que lo ponen en práctica, y una red "
            "de Estados que mantiene la prevención en la agenda pública."
        ),
        "There is no single policy that prevents genocide everywhere, so our Latin American curriculum starts "
        "from the region's own history. It covers memory, truth and justice, migration, security forces, and the "
        "rights of indigenous and LGBTI+ communities.": (
            "Ninguna política por sí sola previene el genocidio en todas partes. Por eso nuestra formación en "
            "América Latina parte de la historia de la propia región: trabaja sobre memoria, verdad y justicia; "
            "migraciones; fuerzas de seguridad; y los derechos de los pueblos indígenas y de las personas LGBTI+."
        ),
        "The institute also acts as secretariat to the Latin American Network, through which states in the "
        "region compare approaches and build national prevention mechanisms.": (
            "El instituto ejerce además la Secretaría Técnica de la Red Latinoamericana, un espacio en el que los "
            "Estados de la región comparan experiencias y construyen sus mecanismos nacionales de prevención."
        ),
    },
    "annual-reports/": {
        "Annual reports": "Informes anuales",
        "annual-reports": "informes-anuales",
        "What the institute did each year, for whom and with what support.": (
            "Lo que hizo el instituto cada año, con quiénes lo hizo y gracias a qué apoyos."
        ),
    },
    "annual-reports/2023/": {
        "Annual Report 2023": "Informe anual 2023",
        "2023": "2023",  # its address: the year, in either language
        "Fifteen years of the Raphael Lemkin Seminar, new partners in the Mediterranean basin, and a larger "
        "alumni network.": (
            "Quince años del Seminario Raphael Lemkin, nuevos socios en la cuenca del Mediterráneo y una red de "
            "egresados cada vez más amplia."
        ),
        "The figures on this demo page are illustrative: the real report gives the institute's own count for the "
        "year.": (
            "Las cifras de esta página de demostración son ilustrativas: el informe real presenta los datos del "
            "instituto para ese año."
        ),
    },
}
