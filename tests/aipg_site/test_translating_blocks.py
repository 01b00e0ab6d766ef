"""wagtail-localize offers every text of every body block for translation, and nothing that is not
text (heading levels, addresses, choices); the Spanish page it makes renders, in Spanish."""

import uuid

import pytest
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from ..factories import LibraryDocumentFactory, OfficeFactory, SiteImageFactory, StandardPageFactory

TEXTS = [
    "Why prevention works",
    "Prevention starts long before violence.",
    "Every official trained is a chance to stop it early.",
    "A program director",
    "Director of programs",
    "Officials at the memorial gate",
    "Seminar participants at the memorial gate",
    "Photo: the institute",
    "Panel on early warning",
    "Recorded in 2023",
    "Help prevent the next atrocity",
    "Your gift trains officials.",
    "Give today",
    "The annual report",
    "A year of work in numbers.",
    "Our reach",
    "officials trained",
    "Where we work",
    "Support this work",
    "A monthly gift trains officials year round.",
]
NOT_TEXT = ["h2", "https://example.org/video", "https://example.org/give", "monthly", "7,700+"]


@pytest.fixture
def spanish(db):
    return Locale.objects.get(language_code="es")


def item(value):
    """A list block's item as the editor saves it (wagtail-localize reads list items in this form only)."""
    return {"type": "item", "value": value, "id": str(uuid.uuid4())}


@pytest.fixture
def page_with_every_block(home):
    office = OfficeFactory(city="New York", country="United States")
    body = [
        {"type": "heading", "value": {"text": TEXTS[0], "level": "h2"}},
        {"type": "paragraph", "value": f"<p>{TEXTS[1]}</p>"},
        {"type": "quote", "value": {"text": TEXTS[2], "attribution": TEXTS[3], "role": TEXTS[4]}},
        {
            "type": "image",
            "value": {
                "image": SiteImageFactory().pk,
                "alt_text": TEXTS[5],
                "decorative": False,
                "caption": TEXTS[6],
                "credit": TEXTS[7],
            },
        },
        {"type": "embed", "value": {"url": NOT_TEXT[1], "title": TEXTS[8], "caption": TEXTS[9]}},
        {
            "type": "call_to_action",
            "value": {"heading": TEXTS[10], "text": TEXTS[11], "button_label": TEXTS[12], "url": NOT_TEXT[2]},
        },
        {
            "type": "document",
            "value": {"document": LibraryDocumentFactory().pk, "title": TEXTS[13], "description": TEXTS[14]},
        },
        {
            "type": "figures",
            "value": {"heading": TEXTS[15], "figures": [item({"value": "7,700+", "label": TEXTS[16]})]},
        },
        {"type": "offices", "value": {"heading": TEXTS[17], "offices": [item(office.pk)]}},
        {"type": "donate", "value": {"heading": TEXTS[18], "text": TEXTS[19], "frequency": "monthly"}},
    ]
    page = StandardPageFactory(parent=home, title="How we work", slug="how-we-work", body=body)
    page.save_revision().publish()
    return page


def test_every_text_of_every_block_is_offered_for_translation_and_nothing_else(page_with_every_block):
    source, _ = TranslationSource.get_or_create_from_instance(page_with_every_block)
    strings = set(StringSegment.objects.filter(source=source).values_list("string__data", flat=True))
    missing = [text for text in TEXTS if text not in strings]
    assert not missing
    # "7,700+" is text too (a translator writes "7.700+"); the rest are not.
    assert not strings & set(NOT_TEXT[:4])
    # The office is a related object: its translation replaces it on the Spanish page.
    assert source.relatedobjectsegment_set.count() == 1


def test_the_translated_page_renders_in_spanish(client, home, page_with_every_block, spanish):
    source, _ = TranslationSource.get_or_create_from_instance(page_with_every_block)
    for segment in StringSegment.objects.filter(source=source).select_related("string"):
        StringTranslation.objects.create(
            translation_of=segment.string,
            locale=spanish,
            context=segment.context,
            data=f"ES {segment.string.data}",
        )
    office = page_with_every_block.body[8].value["offices"][0]
    nueva_york = office.copy_for_translation(spanish)
    nueva_york.city = "Nueva York"
    nueva_york.save()
    home.copy_for_translation(spanish).save_revision().publish()

    translation, _ = source.create_or_update_translation(spanish, publish=False)
    # wagtail-localize publishes once the transaction commits, which a test never does.
    translation.save_revision().publish()
    translation.refresh_from_db()
    response = client.get(translation.url)
    assert response.status_code == 200
    for text in TEXTS[:4] + TEXTS[10:13] + [TEXTS[17]]:
        assert f"ES {text}" in response.text, text
    assert "Nueva York" in response.text
