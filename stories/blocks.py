"""The story body: the site's `BodyBlock`, with an image block that can hide a graphic image.

Stories of atrocity sometimes need an image that not every reader should meet unwarned. Only story
bodies get the option, so the picker elsewhere stays as it is; everything else is `BodyBlock`'s.
"""

from wagtail import blocks

from aipg_site.blocks import BodyBlock, ImageBlock


class StoryImageBlock(ImageBlock):
    graphic = blocks.BooleanBlock(
        required=False,
        help_text="Tick for a distressing image (violence, human remains, suffering). Readers then see a "
        "warning and choose to show the image; it is never loaded until they do. The story needs a content note.",
    )
    warning = blocks.CharBlock(
        max_length=160,
        required=False,
        help_text="What the hidden image shows, in plain neutral words, e.g. 'Human remains at a memorial "
        "site'. Shown in place of a graphic image (optional).",
    )

    class Meta:
        icon = "image"
        template = "blocks/story_image_block.html"
        description = "An image with alternative text, a caption, a credit, and an option to hide it as graphic."


class StoryBodyBlock(BodyBlock):
    image = StoryImageBlock()


def graphic_images(body):
    """The image blocks of a story body marked graphic, each with its position in the body (from 1)."""
    return [
        (position, block)
        for position, block in enumerate(body or [], start=1)
        if block.block_type == "image" and block.value.get("graphic")
    ]
