"""Every image gets its alt text by one rule: the placement's own words, else the image's description,
and none only where an editor (or a card, beside its title) says the image is decorative. Publishing
is refused while an image has no words at all; a draft may still be saved."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from aipg_site.models import StandardPage

from ..factories import SiteImageFactory, StandardPageFactory


def render(source, **context):
    return BeautifulSoup(Template("{% load image_tags %}" + source).render(Context(context)), "html.parser")


def get_html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


PICTURE = '{% accessible_picture image "format-{webp,jpeg} width-{400,800}" alt=alt decorative=decorative %}'


@pytest.mark.django_db
class TestTheRule:
    def test_the_placements_own_words_come_first(self):
        image = SiteImageFactory(description="Hills at dawn")
        img = render(PICTURE, image=image, alt="Officials at the memorial gate").img
        assert img["alt"] == "Officials at the memorial gate"
        assert not img.has_attr("data-decorative")

    def test_then_the_images_description(self):
        image = SiteImageFactory(description="Hills at dawn")
        assert render(PICTURE, image=image, alt="  ").img["alt"] == "Hills at dawn"

    def test_decorative_only_when_asked_and_then_marked_so(self):
        image = SiteImageFactory(description="Hills at dawn")
        img = render(PICTURE, image=image, alt="Ignored", decorative=True).img
        assert img["alt"] == ""
        assert img.has_attr("data-decorative")

    def test_the_title_is_the_last_resort_never_an_empty_alt(self):
        image = SiteImageFactory(title="Seminar group, Oświęcim 2019", description="")
        assert render(PICTURE, image=image).img["alt"] == "Seminar group, Oświęcim 2019"

    def test_every_source_of_the_picture_is_kept(self):
        html = render(PICTURE, image=SiteImageFactory(description="Hills"))
        assert [source["type"] for source in html.select("source")] == ["image/webp"]
        assert len(html.img["srcset"].split(",")) == 2

    def test_no_image_renders_nothing(self):
        assert str(render(PICTURE, image=None)) == ""


def test_pages_show_their_heroes_and_body_images_by_the_rule(client, home):
    described = SiteImageFactory(description="Layered hills under a low sun")
    page = StandardPageFactory(
        parent=home,
        hero_image=described,
        body=[
            {"type": "image", "value": {"image": described.pk, "alt_text": "A map of the region"}},
            {"type": "image", "value": {"image": described.pk, "alt_text": ""}},
            {"type": "image", "value": {"image": described.pk, "alt_text": "", "decorative": True}},
        ],
    )
    html = get_html(client, page.url)
    assert html.select_one(".page-header__image img")["alt"] == "Layered hills under a low sun"
    assert [img["alt"] for img in html.select(".stream-body img")] == [
        "A map of the region",
        "Layered hills under a low sun",
        "",
    ]

    page.hero_image_alt = "Officials walking to the memorial"
    page.save_revision().publish()
    hero = get_html(client, page.url).select_one(".page-header__image img")
    assert hero["alt"] == "Officials walking to the memorial"

    page.hero_image_decorative = True
    page.save_revision().publish()
    hero = get_html(client, page.url).select_one(".page-header__image img")
    assert hero["alt"] == ""
    assert hero.has_attr("data-decorative")


def test_the_home_hero_takes_the_images_description(client, home):
    home.hero_image = SiteImageFactory(description="Rows of candles at a vigil")
    home.save_revision().publish()
    assert get_html(client, home.url).select_one(".hero__image img")["alt"] == "Rows of candles at a vigil"


def test_a_cards_image_is_decorative_beside_the_title_it_illustrates(client, home):
    parent = StandardPageFactory(parent=home)
    StandardPageFactory(parent=parent, hero_image=SiteImageFactory(description="Hills"))
    card_image = get_html(client, parent.url).select_one(".card__image img")
    assert card_image["alt"] == ""
    assert card_image.has_attr("data-decorative")


# Publishing ------------------------------------------------------------------------------------


def edit_form(client, page, body=(), **fields):
    """The page's edit form as a browser posts it, with `body` blocks and `fields` changed."""
    edit_url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield(list(body))}))
    data.update(fields)
    return edit_url, data


def image_block(image, **value):
    return ("image", {"image": image.pk, "alt_text": "", "caption": "", "credit": "", **value})


@pytest.fixture
def page(home):
    return StandardPageFactory(parent=home, body=[])


@pytest.fixture
def undescribed(db):
    return SiteImageFactory(title="IMG_2031", description="")


def test_publishing_an_image_block_without_alt_text_is_refused_naming_the_image(admin_client, page, undescribed):
    edit_url, data = edit_form(admin_client, page, [image_block(undescribed)], **{"action-publish": "publish"})
    response = admin_client.post(edit_url, data)
    assert response.status_code == 200
    [body_error] = response.context["form"].errors.as_data()["body"]
    [message] = body_error.block_errors[0].block_errors["alt_text"].messages
    assert "“Decorative”" in message
    assert "The image “IMG_2031” has no description" in message
    assert not StandardPage.objects.get(pk=page.pk).body


def test_a_draft_with_that_image_is_saved(admin_client, page, undescribed):
    edit_url, data = edit_form(admin_client, page, [image_block(undescribed)])
    assert admin_client.post(edit_url, data).status_code == 302
    draft = StandardPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    assert draft.body[0].value["image"] == undescribed
    assert not StandardPage.objects.get(pk=page.pk).body  # the live page is unchanged


@pytest.mark.parametrize(
    "value",
    [{"alt_text": "A seminar in session"}, {"decorative": "on"}],
    ids=["with its own words", "marked decorative"],
)
def test_an_image_block_with_words_or_marked_decorative_is_published(admin_client, page, undescribed, value):
    edit_url, data = edit_form(admin_client, page, [image_block(undescribed, **value)], **{"action-publish": "publish"})
    assert admin_client.post(edit_url, data).status_code == 302
    assert len(StandardPage.objects.get(pk=page.pk).body) == 1


def test_an_image_with_a_description_needs_nothing_more(admin_client, page):
    image = SiteImageFactory(description="Hills at dawn")
    edit_url, data = edit_form(admin_client, page, [image_block(image)], **{"action-publish": "publish"})
    assert admin_client.post(edit_url, data).status_code == 302


def test_publishing_a_hero_image_without_alt_text_is_refused_but_a_draft_is_saved(admin_client, page, undescribed):
    edit_url, data = edit_form(admin_client, page, hero_image=undescribed.pk, **{"action-publish": "publish"})
    response = admin_client.post(edit_url, data)
    assert response.status_code == 200
    [message] = response.context["form"].errors["hero_image_alt"]
    assert message.startswith("Before publishing, say what the image shows")
    assert "“IMG_2031”" in message
    assert StandardPage.objects.get(pk=page.pk).hero_image is None

    del data["action-publish"]
    assert admin_client.post(edit_url, data).status_code == 302
    assert StandardPage.objects.get(pk=page.pk).get_latest_revision_as_object().hero_image == undescribed


def test_a_decorative_hero_image_is_published(admin_client, page, undescribed):
    edit_url, data = edit_form(
        admin_client, page, hero_image=undescribed.pk, hero_image_decorative="on", **{"action-publish": "publish"}
    )
    assert admin_client.post(edit_url, data).status_code == 302
    assert StandardPage.objects.get(pk=page.pk).hero_image == undescribed


def test_the_image_form_says_the_description_is_the_alt_text(admin_client):
    image = SiteImageFactory()
    html = BeautifulSoup(admin_client.get(reverse("wagtailimages:edit", args=[image.pk])).content, "html.parser")
    help_text = html.select_one("#id_description").find_parent(attrs={"data-field-wrapper": True}).text
    assert "Pages use it as the image's alternative text" in help_text


def test_a_preview_shows_the_image_before_its_words_are_written(admin_client, page, undescribed):
    _, data = edit_form(admin_client, page, [image_block(undescribed)], hero_image=undescribed.pk)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[page.pk])
    assert admin_client.post(preview_url, data).json() == {"is_valid": True, "is_available": True}
    html = BeautifulSoup(admin_client.get(preview_url).content, "html.parser")
    assert [img["alt"] for img in html.select(".page-header__image img, .stream-body img")] == ["IMG_2031"] * 2
