"""Demo stories, observances and commemorations, written for this project from the seeds' facts.

Quotes are short extracts of what the people named actually said, as the institute's posts
reported it; the rest is the project's own words.
"""

import datetime

from django.db.models import Q
from wagtail.models import Locale

from aipg_site.demo.images import demo_image
from aipg_site.demo.pages import block, paragraph, upsert_page
from aipg_site.demo.translations import translate_page
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
    translate_page(index, STORIES_IN_SPANISH)
    translate_page(calendar_page, COMMEMORATIONS_IN_SPANISH)
    return index, calendar_page


def _term(model, name, slug, description):
    """A topic or region, found by slug or name: another app's demo may have made it already."""
    term = model.objects.filter(Q(slug=slug) | Q(name=name)).first()
    return term or model.objects.create(name=name, slug=slug, description=description)


def _observance(slug, **fields):
    observance = Observance.objects.filter(slug=slug).first() or Observance(slug=slug)
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
