"""The story editor's form: the site's hero image check, and graphic images held to a content note."""

from django.utils.translation import gettext

from aipg_site.forms import HeroImagePageForm

from .blocks import graphic_images


class StoryPageForm(HeroImagePageForm):
    """Refuses to publish a story with a graphic image and no content note.

    Readers are warned at the top of the story, before they meet any distressing image; the note is
    that warning. Saving a draft defers the check, as for alt text.
    """

    def clean(self):
        cleaned_data = super().clean()
        if self.is_deferred_validation or (cleaned_data.get("content_note") or "").strip():
            return cleaned_data
        graphic = graphic_images(cleaned_data.get("body"))
        if graphic:
            position, block = graphic[0]
            image = block.value.get("image")
            if image:
                message = gettext(
                    "Block %(position)s of the body, an image (“%(title)s”), is marked graphic: before publishing, "
                    "write a content note telling readers what the story contains, or untick “graphic” on the image."
                ) % {"position": position, "title": image.title}
            else:
                message = gettext(
                    "Block %(position)s of the body, an image, is marked graphic: before publishing, write a "
                    "content note telling readers what the story contains, or untick “graphic” on the image."
                ) % {"position": position}
            self.add_error("content_note", message)
        return cleaned_data
