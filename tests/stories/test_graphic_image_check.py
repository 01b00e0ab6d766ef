"""A story with a graphic image cannot go live without a content note warning readers first; a draft
can be saved while the note is being written."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, querydict_from_html, streamfield

from stories.models import StoryPage

from ..factories import CommemorationPageFactory, SiteImageFactory, StoryPageFactory


def edit_form(client, story, body, **fields):
    edit_url = reverse("wagtailadmin_pages:edit", args=[story.pk])
    data = querydict_from_html(client.get(edit_url).content.decode(), form_id="page-edit-form")
    data.update(nested_form_data({"body": streamfield(body)}))
    data.update(fields)
    return edit_url, data


@pytest.fixture
def body(db):
    image = SiteImageFactory(title="Memorial site, 1995", description="A memorial site")
    block = {"image": image.pk, "alt_text": "", "caption": "", "credit": "", "warning": "Human remains"}
    return [
        ("heading", {"text": "What happened there", "level": "h2"}),
        ("image", {**block, "graphic": ""}),
        ("image", {**block, "graphic": "on"}),
    ]


@pytest.mark.parametrize("factory", [StoryPageFactory, CommemorationPageFactory], ids=["story", "commemoration"])
def test_publishing_a_graphic_image_without_a_content_note_is_refused_naming_the_block(
    admin_client, index, body, factory
):
    story = factory(parent=index, content_note="", body=[])
    edit_url, data = edit_form(admin_client, story, body, content_note="", **{"action-publish": "publish"})
    response = admin_client.post(edit_url, data)
    assert response.status_code == 200
    [message] = response.context["form"].errors["content_note"]
    assert message.startswith("Block 3 of the body, an image (“Memorial site, 1995”), is marked graphic")
    assert not StoryPage.objects.get(pk=story.pk).body


def test_a_draft_with_the_graphic_image_is_saved_without_a_note(admin_client, index, body):
    story = StoryPageFactory(parent=index, content_note="", body=[])
    edit_url, data = edit_form(admin_client, story, body, content_note="")
    assert admin_client.post(edit_url, data).status_code == 302
    assert len(StoryPage.objects.get(pk=story.pk).get_latest_revision_as_object().body) == 3


def test_with_a_content_note_the_story_is_published(admin_client, index, body):
    story = StoryPageFactory(parent=index, content_note="", body=[])
    edit_url, data = edit_form(
        admin_client, story, body, content_note="This story shows human remains.", **{"action-publish": "publish"}
    )
    assert admin_client.post(edit_url, data).status_code == 302
    assert len(StoryPage.objects.get(pk=story.pk).body) == 3


def test_a_story_without_graphic_images_needs_no_note(admin_client, index, body):
    story = StoryPageFactory(parent=index, content_note="", body=[])
    edit_url, data = edit_form(admin_client, story, body[:2], content_note="", **{"action-publish": "publish"})
    assert admin_client.post(edit_url, data).status_code == 302
