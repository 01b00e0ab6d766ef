"""Editor forms shared by the site's page types."""

from django.utils.translation import gettext
from wagtail.admin.forms import WagtailAdminPageForm

from .alt_text import lacks_alt_text


class HeroImagePageForm(WagtailAdminPageForm):
    """Refuses to publish a hero image that has no alt text and is not marked decorative.

    Only publishing (and submitting for moderation) is held to it: saving a draft defers the check
    (Wagtail's deferred validation), so an editor can save work while the image's words are pending.
    """

    def clean(self):
        cleaned_data = super().clean()
        image = cleaned_data.get("hero_image")
        if not self.is_deferred_validation and lacks_alt_text(
            image, cleaned_data.get("hero_image_alt"), cleaned_data.get("hero_image_decorative")
        ):
            self.add_error(
                "hero_image_alt",
                gettext(
                    "Before publishing, say what the image shows, for readers who cannot see it, or tick "
                    "“Decorative image” if it only sets the mood. The image “%(title)s” has no description "
                    "of its own to fall back on."
                )
                % {"title": image.title},
            )
        return cleaned_data
