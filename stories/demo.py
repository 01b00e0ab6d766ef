"""Demo stories, observances and commemorations, written for this project from the seeds' facts.

Quotes are short extracts of what the people named actually said, as the institute's posts
reported it; the rest is the project's own words.
"""

import datetime

from django.db.models import Q
from wagtail.models import Locale

from aipg_site.demo.images import demo_image
from aipg_site.demo.pages import block, paragraph, upsert_page
from aipg_site.demo.translations import in_spanish, translate
from aipg_site.models import ProgramPage, Region, Topic

from .models import (
    CommemorationPage,
    Observance,
    ObservanceCalendarPage,
    StoryIndexPage,
    StoryPage,
    StoryRelatedLink,
)

TOPICS = [
    ("Memorialization", "memorialization", "How remembering past atrocities helps prevent new ones."),
    ("Early warning", "early-warning", "Reading the signs that come before mass violence, and acting on them."),
    ("Accountability", "accountability", "Courts, tribunals and the end of impunity."),
    ("Education and training", "education-and-training", "Learning that changes how officials see risk."),
    ("Regional networks", "regional-networks", "States working together on prevention."),
]

REGIONS = [
    ("Latin America", "latin-america", ""),
    ("Southeast Asia", "southeast-asia", ""),
    ("Great Lakes region of Africa", "great-lakes", ""),
    ("Europe", "europe", ""),
    ("Global", "global", "Work that spans every region."),
]

OBSERVANCES = [
    {
        "slug": "genocide-prevention-day",
        "name": "International Day of Commemoration and Dignity of the Victims of the Crime of Genocide and of "
        "the Prevention of this Crime",
        "short_name": "International Day of Commemoration",
        "month": 12,
        "day": 9,
        "established_by": "the United Nations General Assembly",
        "established_how": "Resolution 69/323",
        "established_year": 2015,
        "description": "It falls on the anniversary of the adoption of the Genocide Convention by the UN General "
        "Assembly in 1948. The day honours the victims of genocide and asks every state to renew its "
        "commitment to preventing the crime.",
    },
    {
        "slug": "cambodia-national-day-of-remembrance",
        "name": "National Day of Remembrance for the Cambodian Genocide",
        "short_name": "Cambodia's National Day of Remembrance",
        "month": 5,
        "day": 20,
        "established_by": "the Government of Cambodia",
        "established_how": "",
        "established_year": 2018,
        "description": "Cambodia remembers the people killed under the Khmer Rouge between 1975 and 1979. Long "
        "held as a day of anger, it was made a national day of remembrance in 2018, and its emphasis moved "
        "towards education and memory.",
    },
    {
        "slug": "rwanda-day-of-reflection",
        "name": "International Day of Reflection on the 1994 Genocide against the Tutsi in Rwanda",
        "short_name": "Day of Reflection on the Genocide against the Tutsi",
        "month": 4,
        "day": 7,
        "established_by": "the United Nations General Assembly",
        "established_how": "Resolution 58/234",
        "established_year": 2003,
        "description": "The genocide against the Tutsi in Rwanda began on 7 April 1994. The day asks the world to "
        "remember those who were killed, and to reflect on why the warnings went unheeded.",
    },
    {
        "slug": "holocaust-remembrance-day",
        "name": "International Day of Commemoration in Memory of the Victims of the Holocaust",
        "short_name": "Holocaust Remembrance Day",
        "month": 1,
        "day": 27,
        "established_by": "the United Nations General Assembly",
        "established_how": "Resolution 60/7",
        "established_year": 2005,
        "description": "Soldiers of the Red Army liberated Auschwitz-Birkenau on 27 January 1945. The day "
        "remembers the six million Jews and the millions of others murdered by the Nazi regime, and the "
        "institute's own work begins from that memory.",
    },
]


def load(home):
    """Build the stories section and the observance calendar under `home`; return both, for the menu."""
    topics = {slug: _term(Topic, name, slug, description) for name, slug, description in TOPICS}
    regions = {slug: _term(Region, name, slug, description) for name, slug, description in REGIONS}
    observances = {fields["slug"]: _observance(**fields) for fields in OBSERVANCES}
    images = {
        "candles": demo_image("Candles for remembrance", "candles", "memorial", seed=3),
        "dusk": demo_image("Hills at dusk", "landscape", "memorial", seed=19),
        "horizon": demo_image("A wide horizon", "landscape", "horizon", seed=45),
        "network": demo_image("A network of points", "network", "network", seed=27),
        "dawn": demo_image("Hills at dawn", "landscape", "dawn", seed=8),
    }

    index = upsert_page(
        home,
        StoryIndexPage,
        "stories",
        title="Stories",
        summary="What our programs change for the officials who take part, and the days we mark every year.",
    )
    calendar_page = upsert_page(
        home,
        ObservanceCalendarPage,
        "commemorations",
        title="Commemorations",
        summary="The days the institute marks every year, the next one first, with what we wrote on each.",
    )

    convention = _commemoration_2023(index, observances["genocide-prevention-day"], images)
    cambodia = _cambodia_2023(index, observances["cambodia-national-day-of-remembrance"], images)
    _file(convention, topics=[topics["memorialization"], topics["regional-networks"]], regions=[regions["global"]])
    _file(
        cambodia,
        topics=[topics["memorialization"], topics["accountability"]],
        regions=[regions["southeast-asia"]],
        related=[convention],
    )
    for story, filing in _stories(index, images):
        _file(
            story,
            topics=[topics[slug] for slug in filing["topics"]],
            regions=[regions[slug] for slug in filing["regions"]],
            programs=_programs(filing.get("program_words", [])),
        )
    translate(index, STORIES_IN_SPANISH)
    translate(calendar_page, COMMEMORATIONS_IN_SPANISH)
    # The snippets first: a Spanish commemoration marks the Spanish observance, filed under Spanish terms.
    for observance in observances.values():
        translate(observance, OBSERVANCES_IN_SPANISH)
    for term in topics.values():
        translate(term, TOPICS_IN_SPANISH)
    for term in regions.values():
        translate(term, REGIONS_IN_SPANISH)
    spanish_convention = translate(convention, CONVENTION_2023_IN_SPANISH)
    spanish_cambodia = translate(cambodia, CAMBODIA_2023_IN_SPANISH)
    for source, target, related in [
        (convention, spanish_convention, []),
        (cambodia, spanish_cambodia, [spanish_convention]),
    ]:
        _file(
            target,
            topics=in_spanish(source.topics.all()),
            regions=in_spanish(source.regions.all()),
            programs=in_spanish(source.programs.all()),
            related=related,
        )
    return index, calendar_page


def _term(model, name, slug, description):
    """A topic or region, found by slug or name: another app's demo may have made it already."""
    # The English term: its Spanish translation shares the slug.
    term = model.objects.filter(Q(slug=slug) | Q(name=name), locale=Locale.get_default()).first()
    return term or model.objects.create(name=name, slug=slug, description=description)


def _observance(slug, **fields):
    observance = Observance.objects.filter(slug=slug, locale=Locale.get_default()).first() or Observance(slug=slug)
    if observance.pk is None or any(getattr(observance, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(observance, name, value)
        observance.full_clean()
        observance.save()
    return observance


def _programs(words):
    """Program pages whose titles contain these words, when the programs' demo has built them."""
    if not words:
        return []
    query = Q()
    for word in words:
        query |= Q(title__icontains=word)
    return list(ProgramPage.objects.filter(query, locale=Locale.get_default()))


def _file(page, topics=(), regions=(), programs=(), related=()):
    """Set a story's topics, regions, programs and chosen related stories, publishing only on change."""
    wanted = {
        "topics": sorted(term.pk for term in topics),
        "regions": sorted(term.pk for term in regions),
        "programs": sorted(program.pk for program in programs),
    }
    current = {name: sorted(item.pk for item in getattr(page, name).all()) for name in wanted}
    related_now = [link.story_id for link in page.related_links.all()]
    related_wanted = [story.pk for story in related]
    if current == wanted and related_now == related_wanted:
        return
    page.topics = list(topics)
    page.regions = list(regions)
    page.programs = list(programs)
    page.related_links = [StoryRelatedLink(story=story) for story in related]
    page.save_revision().publish()


def _commemoration_2023(index, observance, images):
    return upsert_page(
        index,
        CommemorationPage,
        "2023-international-day-of-commemoration",
        title="2023 International Day of Commemoration",
        observance=observance,
        year=2023,
        date=datetime.date(2023, 12, 9),
        summary="Seventy-five years after the Genocide Convention was adopted, we mark the day the UN set aside "
        "for the victims of genocide and for its prevention.",
        hero_image=images["candles"],
        hero_image_alt="Rows of small candles glowing against a dark background.",
        body=[
            paragraph(
                "Every 9 December the Auschwitz Institute joins the International Day of Commemoration, which "
                "the UN General Assembly created in 2015 through resolution 69/323. The date recalls 9 December "
                "1948, when the General Assembly adopted the Genocide Convention: the first treaty to name "
                "genocide as a crime under international law and to oblige states to prevent it.",
                "This year the Convention turned seventy-five, and the UN chose to look at what it has achieved "
                "and at what still keeps it from working as it should. By 2023, 153 states had ratified it. "
                "Reaching every state, and applying the treaty in full, remains central to prevention.",
            ),
            block("heading", {"text": "Prevention as shared work", "level": "h2"}),
            paragraph(
                "We work with academics and civil society to give governments, policymakers and police the "
                "concepts and tools to recognise the warning signs of atrocity. Education and memorialization "
                "sit at the centre of that work: remembering the victims is part of preventing new ones.",
                "In Latin America, where the institute runs the secretariat of a regional network of states "
                "working on prevention, the day is a moment to take stock with partners in government.",
            ),
            block(
                "quote",
                {
                    "text": "A reminder of the need … to keep developing concrete actions for prevention.",
                    "attribution": "Eugenia Carbone",
                    "role": "Director, AIPG Latin American Program",
                },
            ),
            paragraph(
                "No single organisation can create the conditions that keep genocide from happening again. It "
                "takes regional, national and local initiatives, and steady protection of the people most at "
                "risk. We renew our commitment to that work today."
            ),
        ],
    )


def _cambodia_2023(index, observance, images):
    return upsert_page(
        index,
        CommemorationPage,
        "2023-cambodia-national-day-of-remembrance",
        title="2023 National Day of Remembrance for the Cambodian Genocide",
        observance=observance,
        year=2023,
        date=datetime.date(2023, 5, 20),
        summary="On 20 May Cambodia remembers the victims of the Khmer Rouge. We join in, and recall why "
        "accountability and memory matter to prevention.",
        hero_image=images["dusk"],
        hero_image_alt="Dark hills under a low sun at dusk.",
        content_note="This post describes mass killings under the Khmer Rouge regime.",
        body=[
            paragraph(
                "From 1975 to 1979 the Khmer Rouge, led by Pol Pot, ruled Cambodia. About 1.7 million people "
                "died, more than a fifth of the country's population, in one of the deadliest atrocities of "
                "the twentieth century. Each year on 20 May, Cambodia pauses to remember them.",
                "The day was once known as a day of hate or anger. Over the years it has changed, and in 2018 "
                "the government designated it the National Day of Remembrance. Re-enactments still take place, "
                "but the emphasis is now on teaching and remembering.",
            ),
            block("heading", {"text": "Justice and memory", "level": "h2"}),
            paragraph(
                "In 2001 Cambodia's National Assembly set up the Extraordinary Chambers in the Courts of "
                "Cambodia, often called the Khmer Rouge Tribunal. The UN backs it through a dedicated "
                "assistance mission (UNAKRT), and the court has held several of the regime's leaders to account.",
                "Visiting the Tuol Sleng Genocide Museum in Phnom Penh in November 2022, the UN "
                "Secretary-General spoke of the museum's work and of the voices of survivors.",
            ),
            block(
                "quote",
                {
                    "text": "Tuol Sleng is an essential reminder. […] This is what happens when hatred runs rampant.",
                    "attribution": "António Guterres",
                    "role": "Secretary-General of the United Nations, at the Tuol Sleng Genocide Museum, 2022",
                },
            ),
            block(
                "image",
                {
                    "image": images["candles"].pk,
                    "alt_text": "Rows of small candles glowing against a dark background.",
                    "caption": "Candles for the victims.",
                    "credit": "",
                    "graphic": True,
                    "warning": "candles at a vigil, hidden here to show how a graphic image is handled",
                },
            ),
            paragraph(
                "On this day the institute honours the immense loss of life in Cambodia. Preventing future "
                "atrocities is a responsibility the international community shares, and legal accountability, "
                "an end to impunity and memorialization are what give the promise of “never again” its force."
            ),
        ],
    )


def _stories(index, images):
    """Stories of impact, each with how it is filed."""
    lemkin = upsert_page(
        index,
        StoryPage,
        "learning-where-it-happened",
        title="Learning where it happened: a week at the Lemkin Seminar",
        date=datetime.date(2024, 7, 15),
        summary="Why the Global Raphael Lemkin Seminar meets at the former Auschwitz-Birkenau camp, and what "
        "officials take home from it.",
        hero_image=images["horizon"],
        hero_image_alt="",
        body=[
            paragraph(
                "Since 2008 the Global Raphael Lemkin Seminar has brought government officials from ministries "
                "of foreign affairs, justice, defence, the interior and education, and from national human rights "
                "institutions, to Oświęcim in Poland.",
                "Meeting at the site of the former Nazi camp changes the conversation. Participants study how "
                "genocide unfolds as a process, and they do it where the consequences of inaction are impossible "
                "to ignore. Many describe leaving with a personal commitment as well as new methods.",
            ),
            block(
                "quote",
                {
                    "text": "We teach the warning signs in the classroom. The place teaches why they matter.",
                    "attribution": "AIPG training team",
                    "role": "Global Raphael Lemkin Seminar",
                },
            ),
        ],
    )
    alumni = upsert_page(
        index,
        StoryPage,
        "alumni-who-stay-in-touch",
        title="Alumni who stay in touch: the 2Prevent community",
        date=datetime.date(2024, 11, 4),
        summary="After the seminar, officials join a network of peers across more than 70 countries who help "
        "each other turn prevention into policy.",
        hero_image=images["network"],
        hero_image_alt="",
        body=[
            paragraph(
                "Every graduate of our foundational programs joins 2Prevent, the institute's alumni community. "
                "It now links more than 300 seminar alumni from over 70 countries.",
                "Members trade practical experience: how a ministry set up an early warning unit, how a "
                "curriculum on past atrocities reached schools. The institute uses the network to offer further "
                "training and support to their institutions.",
            ),
        ],
    )
    latin_america = upsert_page(
        index,
        StoryPage,
        "memory-truth-and-justice-in-latin-america",
        title="Memory, truth and justice: how prevention is taught in Latin America",
        date=datetime.date(2025, 3, 10),
        summary="A regional curriculum built with the officials who use it, and a network of states that keep "
        "prevention on the agenda.",
        hero_image=images["dawn"],
        hero_image_alt="",
        body=[
            paragraph(
                "There is no single policy that prevents genocide everywhere, so our Latin American curriculum "
                "starts from the region's own history. It covers memory, truth and justice, migration, security "
                "forces, and the rights of indigenous and LGBTI+ communities.",
                "The institute also acts as secretariat to the Latin American Network, through which states in "
                "the region compare approaches and build national prevention mechanisms.",
            ),
        ],
    )
    great_lakes = upsert_page(
        index,
        StoryPage,
        "elections-early-warning-and-youth-in-the-great-lakes",
        title="Elections, early warning and youth in the Great Lakes region",
        date=datetime.date(2025, 9, 22),
        summary="In the Great Lakes region our training focuses on what sets off violence there, and on who "
        "can stop it.",
        hero_image=None,
        hero_image_alt="",
        body=[
            paragraph(
                "From our office in Kampala, training for officials in the Great Lakes region of Africa centres "
                "on halting electoral violence, building early warning systems, gender mainstreaming, and the "
                "part young people play in preventing atrocities.",
            ),
        ],
    )
    return [
        (lemkin, {"topics": ["education-and-training", "memorialization"], "regions": ["europe", "global"],
                  "program_words": ["Lemkin"]}),
        (alumni, {"topics": ["education-and-training", "regional-networks"], "regions": ["global"],
                  "program_words": ["alumni", "2Prevent"]}),
        (latin_america, {"topics": ["regional-networks", "memorialization", "accountability"],
                         "regions": ["latin-america"], "program_words": ["Latin America"]}),
        (great_lakes, {"topics": ["early-warning", "education-and-training"], "regions": ["great-lakes"],
                       "program_words": ["Africa"]}),
    ]  # fmt: skip


# The Spanish pages, segment by segment (see aipg_site/demo/translations.py), written for readers in
# Latin America. The days keep the names the UN and Cambodia give them in Spanish.

STORIES_IN_SPANISH = {
    "Stories": "Historias",
    "stories": "historias",
    "What our programs change for the officials who take part, and the days we mark every year.": (
        "Lo que nuestros programas cambian en el trabajo de quienes participan en ellos, y las fechas que "
        "conmemoramos cada año."
    ),
}

COMMEMORATIONS_IN_SPANISH = {
    "Commemorations": "Conmemoraciones",
    "commemorations": "conmemoraciones",
    "The days the institute marks every year, the next one first, with what we wrote on each.": (
        "Las fechas que el instituto conmemora cada año, empezando por la más próxima, con lo que escribimos "
        "en cada ocasión."
    ),
}

CONVENTION_2023_IN_SPANISH = {
    "2023 International Day of Commemoration": "Día Internacional de Conmemoración de las Víctimas del Genocidio, 2023",
    "2023-international-day-of-commemoration": "2023-dia-internacional-de-conmemoracion",
    "Seventy-five years after the Genocide Convention was adopted, we mark the day the UN set aside for the "
    "victims of genocide and for its prevention.": (
        "A 75 años de la aprobación de la Convención contra el Genocidio, nos sumamos a la jornada que las "
        "Naciones Unidas dedican a las víctimas de este crimen y a su prevención."
    ),
    "Rows of small candles glowing against a dark background.": (
        "Hileras de pequeñas velas encendidas sobre un fondo oscuro."
    ),
    "Every 9 December the Auschwitz Institute joins the International Day of Commemoration, which the UN General "
    "Assembly created in 2015 through resolution 69/323. The date recalls 9 December 1948, when the General "
    "Assembly adopted the Genocide Convention: the first treaty to name genocide as a crime under international "
    "law and to oblige states to prevent it.": (
        "Cada 9 de diciembre, el Instituto Auschwitz se suma al Día Internacional de Conmemoración y Dignidad de "
        "las Víctimas del Crimen de Genocidio y para la Prevención de ese Crimen, que la Asamblea General de las "
        "Naciones Unidas estableció en 2015 por su resolución 69/323. La fecha evoca el 9 de diciembre de 1948, "
        "cuando la Asamblea General aprobó la Convención para la Prevención y la Sanción del Delito de "
        "Genocidio, el primer tratado que tipificó el genocidio como delito de derecho internacional y obligó a "
        "los Estados a prevenirlo."
    ),
    "This year the Convention turned seventy-five, and the UN chose to look at what it has achieved and at what "
    "still keeps it from working as it should. By 2023, 153 states had ratified it. Reaching every state, and "
    "applying the treaty in full, remains central to prevention.": (
        "Este año la Convención cumplió 75 años, y las Naciones Unidas propusieron revisar tanto sus logros como "
        "los obstáculos que todavía impiden aplicarla plenamente. En 2023 ya la habían ratificado 153 Estados. "
        "Lograr que la ratifiquen todos y que se cumpla en su totalidad sigue siendo clave para la prevención."
    ),
    "Prevention as shared work": "La prevención, una tarea compartida",
    "We work with academics and civil society to give governments, policymakers and police the concepts and "
    "tools to recognise the warning signs of atrocity. Education and memorialization sit at the centre of that "
    "work: remembering the victims is part of preventing new ones.": (
        "Trabajamos junto con especialistas del ámbito académico y de la sociedad civil para que gobiernos, "
        "responsables de políticas públicas y fuerzas policiales cuenten con los conceptos y las herramientas "
        "que permiten reconocer las señales de alerta. La educación y la memoria están en el centro de esa "
        "tarea: recordar a las víctimas es también una forma de evitar que haya otras."
    ),
    "In Latin America, where the institute runs the secretariat of a regional network of states working on "
    "prevention, the day is a moment to take stock with partners in government.": (
        "En América Latina, donde el instituto ejerce la Secretaría Técnica de una red regional de Estados "
        "comprometidos con la prevención, la fecha es además una oportunidad para hacer un balance junto a "
        "nuestras contrapartes en los gobiernos."
    ),
    "A reminder of the need … to keep developing concrete actions for prevention.": (
        "Un recordatorio de la necesidad […] de seguir desarrollando acciones concretas de prevención."
    ),
    "Eugenia Carbone": "Eugenia Carbone",
    "Director, AIPG Latin American Program": "Directora del Programa para América Latina del AIPG",
    "No single organisation can create the conditions that keep genocide from happening again. It takes regional, "
    "national and local initiatives, and steady protection of the people most at risk. We renew our commitment "
    "to that work today.": (
        "Ninguna organización puede crear por sí sola las condiciones para que el genocidio no se repita. Hacen "
        "falta iniciativas regionales, nacionales y locales, y una protección constante de las personas más "
        "expuestas. Hoy renovamos nuestro compromiso con ese trabajo."
    ),
}

CAMBODIA_2023_IN_SPANISH = {
    "2023 National Day of Remembrance for the Cambodian Genocide": (
        "Día Nacional del Recuerdo del genocidio en Camboya, 2023"
    ),
    "2023-cambodia-national-day-of-remembrance": "2023-dia-nacional-del-recuerdo-camboya",
    "On 20 May Cambodia remembers the victims of the Khmer Rouge. We join in, and recall why accountability and "
    "memory matter to prevention.": (
        "Cada 20 de mayo, Camboya recuerda a las víctimas de los jemeres rojos. Nos sumamos a esa memoria y "
        "explicamos por qué la justicia y el recuerdo son parte de la prevención."
    ),
    "Dark hills under a low sun at dusk.": "Colinas en penumbra con el sol ya bajo, al atardecer.",
    "This post describes mass killings under the Khmer Rouge regime.": (
        "Este artículo describe las matanzas masivas cometidas bajo el régimen de los jemeres rojos."
    ),
    "From 1975 to 1979 the Khmer Rouge, led by Pol Pot, ruled Cambodia. About 1.7 million people died, more than "
    "a fifth of the country's population, in one of the deadliest atrocities of the twentieth century. Each year "
    "on 20 May, Cambodia pauses to remember them.": (
        "Entre 1975 y 1979, los jemeres rojos, encabezados por Pol Pot, gobernaron Camboya. Cerca de 1,7 millones "
        "de personas, más de la quinta parte de la población, perdieron la vida en una de las atrocidades más "
        "letales del siglo XX. Cada 20 de mayo, el país se detiene para recordarlas."
    ),
    "The day was once known as a day of hate or anger. Over the years it has changed, and in 2018 the government "
    "designated it the National Day of Remembrance. Re-enactments still take place, but the emphasis is now on "
    "teaching and remembering.": (
        "Durante años se lo conoció como el “Día del Odio” o el “Día de la Ira”. La conmemoración fue cambiando "
        "con el tiempo y, en 2018, el Gobierno la declaró Día Nacional del Recuerdo. Todavía se hacen "
        "representaciones de lo ocurrido, pero hoy el acento está puesto en la enseñanza y la memoria."
    ),
    "Justice and memory": "Justicia y memoria",
    "In 2001 Cambodia's National Assembly set up the Extraordinary Chambers in the Courts of Cambodia, often "
    "called the Khmer Rouge Tribunal. The UN backs it through a dedicated assistance mission (UNAKRT), and the "
    "court has held several of the regime's leaders to account.": (
        "En 2001, la Asamblea Nacional de Camboya creó las Salas Especiales de los Tribunales de Camboya, "
        "conocidas como el tribunal de los jemeres rojos. Las Naciones Unidas las apoyan mediante una misión de "
        "asistencia propia (UNAKRT), y el tribunal ya juzgó y condenó a varios dirigentes del régimen."
    ),
    "Visiting the Tuol Sleng Genocide Museum in Phnom Penh in November 2022, the UN Secretary-General spoke of the "
    "museum's work and of the voices of survivors.": (
        "En noviembre de 2022, durante su visita al Museo del Genocidio de Tuol Sleng, en Phnom Penh, el "
        "secretario general de las Naciones Unidas destacó la labor del museo y el valor de la voz de los "
        "sobrevivientes."
    ),
    "Tuol Sleng is an essential reminder. […] This is what happens when hatred runs rampant.": (
        "Tuol Sleng es un recordatorio imprescindible. […] Esto es lo que ocurre cuando el odio se desborda."
    ),
    "António Guterres": "António Guterres",
    "Secretary-General of the United Nations, at the Tuol Sleng Genocide Museum, 2022": (
        "Secretario general de las Naciones Unidas, en el Museo del Genocidio de Tuol Sleng, 2022"
    ),
    "Rows of small candles glowing against a dark background.": (
        "Hileras de pequeñas velas encendidas sobre un fondo oscuro."
    ),
    "Candles for the victims.": "Velas en memoria de las víctimas.",
    "candles at a vigil, hidden here to show how a graphic image is handled": (
        "velas en una vigilia, ocultas aquí para mostrar cómo se trata una imagen sensible"
    ),
    "On this day the institute honours the immense loss of life in Cambodia. Preventing future atrocities is a "
    "responsibility the international community shares, and legal accountability, an end to impunity and "
    "memorialization are what give the promise of “never again” its force.": (
        "En esta fecha, el instituto honra la enorme pérdida de vidas que sufrió Camboya. Prevenir nuevas "
        "atrocidades es una responsabilidad compartida por toda la comunidad internacional, y la rendición de "
        "cuentas ante la justicia, el fin de la impunidad y la memoria son lo que da fuerza a la promesa del "
        "“nunca más”."
    ),
}

# The observances, topics and regions in Spanish, one mapping each for all of them. The days' names
# are the ones the UN and Cambodia use in Spanish.

OBSERVANCES_IN_SPANISH = {
    "genocide-prevention-day": "dia-internacional-victimas-del-genocidio",
    "International Day of Commemoration and Dignity of the Victims of the Crime of Genocide and of the Prevention "
    "of this Crime": (
        "Día Internacional de Conmemoración y Dignidad de las Víctimas del Crimen de Genocidio y para la "
        "Prevención de ese Crimen"
    ),
    "International Day of Commemoration": "Día Internacional de Conmemoración de las Víctimas del Genocidio",
    "the United Nations General Assembly": "la Asamblea General de las Naciones Unidas",
    "Resolution 69/323": "Resolución 69/323",
    "It falls on the anniversary of the adoption of the Genocide Convention by the UN General Assembly in 1948. "
    "The day honours the victims of genocide and asks every state to renew its commitment to preventing the "
    "crime.": (
        "Coincide con el aniversario de la aprobación de la Convención para la Prevención y la Sanción del "
        "Delito de Genocidio por la Asamblea General, en 1948. La jornada honra a las víctimas y llama a cada "
        "Estado a renovar su compromiso con la prevención de este crimen."
    ),
    "cambodia-national-day-of-remembrance": "camboya-dia-nacional-del-recuerdo",
    "National Day of Remembrance for the Cambodian Genocide": "Día Nacional del Recuerdo del genocidio en Camboya",
    "Cambodia's National Day of Remembrance": "Día Nacional del Recuerdo (Camboya)",
    "the Government of Cambodia": "el Gobierno de Camboya",
    "Cambodia remembers the people killed under the Khmer Rouge between 1975 and 1979. Long held as a day of "
    "anger, it was made a national day of remembrance in 2018, and its emphasis moved towards education and "
    "memory.": (
        "Camboya recuerda a las personas asesinadas bajo el régimen de los jemeres rojos entre 1975 y 1979. "
        "Durante mucho tiempo fue una jornada de ira; en 2018 se la declaró día nacional del recuerdo, y desde "
        "entonces el acento está en la educación y la memoria."
    ),
    "rwanda-day-of-reflection": "rwanda-dia-de-reflexion",
    "International Day of Reflection on the 1994 Genocide against the Tutsi in Rwanda": (
        "Día Internacional de Reflexión sobre el Genocidio de 1994 contra los Tutsis en Rwanda"
    ),
    "Day of Reflection on the Genocide against the Tutsi": "Día de Reflexión sobre el Genocidio contra los Tutsis",
    "Resolution 58/234": "Resolución 58/234",
    "The genocide against the Tutsi in Rwanda began on 7 April 1994. The day asks the world to remember those who "
    "were killed, and to reflect on why the warnings went unheeded.": (
        "El genocidio contra los tutsis en Rwanda comenzó el 7 de abril de 1994. La jornada invita al mundo a "
        "recordar a quienes fueron asesinados y a preguntarse por qué nadie atendió las advertencias."
    ),
    "holocaust-remembrance-day": "dia-de-conmemoracion-del-holocausto",
    "International Day of Commemoration in Memory of the Victims of the Holocaust": (
        "Día Internacional de Conmemoración en Memoria de las Víctimas del Holocausto"
    ),
    "Holocaust Remembrance Day": "Día de Conmemoración del Holocausto",
    "Resolution 60/7": "Resolución 60/7",
    "Soldiers of the Red Army liberated Auschwitz-Birkenau on 27 January 1945. The day remembers the six million "
    "Jews and the millions of others murdered by the Nazi regime, and the institute's own work begins from that "
    "memory.": (
        "El 27 de enero de 1945, soldados del Ejército Rojo liberaron Auschwitz-Birkenau. La jornada recuerda a "
        "los seis millones de judíos y a los millones de otras personas asesinadas por el régimen nazi; de esa "
        "memoria parte el trabajo del instituto."
    ),
}

TOPICS_IN_SPANISH = {
    "Memorialization": "Memoria",
    "memorialization": "memoria",
    "How remembering past atrocities helps prevent new ones.": (
        "Cómo el recuerdo de las atrocidades del pasado ayuda a prevenir otras nuevas."
    ),
    "Early warning": "Alerta temprana",
    "early-warning": "alerta-temprana",
    "Reading the signs that come before mass violence, and acting on them.": (
        "Leer las señales que anteceden a la violencia masiva y actuar a tiempo."
    ),
    "Accountability": "Rendición de cuentas",
    "accountability": "rendicion-de-cuentas",
    "Courts, tribunals and the end of impunity.": "Juzgados, tribunales y el fin de la impunidad.",
    "Education and training": "Educación y formación",
    "education-and-training": "educacion-y-formacion",
    "Learning that changes how officials see risk.": (
        "Un aprendizaje que cambia la manera en que los funcionarios perciben el riesgo."
    ),
    "Regional networks": "Redes regionales",
    "regional-networks": "redes-regionales",
    "States working together on prevention.": "Estados que trabajan juntos por la prevención.",
}

REGIONS_IN_SPANISH = {
    "Latin America": "América Latina",
    "latin-america": "america-latina",
    "Southeast Asia": "Sudeste Asiático",
    "southeast-asia": "sudeste-asiatico",
    "Great Lakes region of Africa": "Región de los Grandes Lagos de África",
    "great-lakes": "grandes-lagos",
    "Europe": "Europa",
    "europe": "europa",
    "Global": "Alcance mundial",
    "global": "alcance-mundial",
    "Work that spans every region.": "Trabajo que abarca todas las regiones.",
}
