"""The StreamField blocks every body on the site is built from.

`BodyBlock` is the one picker editors see in every body field, so a quote or a figures row looks and
behaves the same in a story, an About page or an annual report. Each block carries its own icon,
template, description and preview value, so the picker previews what it inserts.
"""

from django.core.exceptions import ValidationError
from django.utils.functional import cached_property
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from donations.blocks import DonateBlock

from .alt_text import lacks_alt_text
from .rich_text import RICH_TEXT_FEATURES
from .snippet_translations import in_active_language


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120, help_text="Keep headings short: they become the page's outline.")
    level = blocks.ChoiceBlock(
        choices=[("h2", "Section heading (h2)"), ("h3", "Subsection heading (h3)")],
        default="h2",
        help_text="Use h2 for a new section and h3 inside one, so screen readers can navigate.",
    )

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"
        description = "A section or subsection heading."
        preview_value = {"text": "Why prevention works", "level": "h2"}


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(help_text="The words quoted, without quotation marks.")
    attribution = blocks.CharBlock(max_length=120, help_text="Who said it, e.g. a program director's name.")
    role = blocks.CharBlock(
        max_length=200, required=False, help_text="Their role or title, shown under the name (optional)."
    )

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        description = "A quotation with the speaker's name and role."
        preview_value = {
            "text": "Remembering the victims is where prevention begins.",
            "attribution": "A program director",
            "role": "Auschwitz Institute",
        }


class ImageBlock(blocks.StructBlock):
    """An image in a body. Its alt text is the editor's words here, else the image's description;
    publishing is refused while it has neither and is not marked decorative (drafts may be saved)."""

    image = ImageChooserBlock()
    alt_text = blocks.CharBlock(
        max_length=250,
        required=False,
        help_text="What the image shows here, for people who cannot see it. "
        "Leave empty to use the description saved with the image.",
    )
    decorative = blocks.BooleanBlock(
        required=False,
        help_text="Tick only when the image adds nothing the text does not already say; screen readers skip it.",
    )
    caption = blocks.CharBlock(max_length=300, required=False, help_text="Shown under the image (optional).")
    credit = blocks.CharBlock(max_length=120, required=False, help_text="Photographer or source (optional).")

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        description = "An image with alternative text, a caption and a credit."

    def clean(self, value):
        value = super().clean(value)
        image = value.get("image")
        if not self.is_deferred_validation and lacks_alt_text(image, value.get("alt_text"), value.get("decorative")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "alt_text": ValidationError(
                        f"Before publishing, say what this image shows, for readers who cannot see it, or tick "
                        f"“Decorative” if it adds nothing to the text. The image “{image.title}” has no "
                        "description of its own to fall back on."
                    )
                }
            )
        return value


class EmbedBlock(blocks.StructBlock):
    """A video or audio piece hosted elsewhere (YouTube, Vimeo, SoundCloud...).

    The site's Content Security Policy allows no third-party frame, so the block shows a titled
    link to the media rather than the provider's player: no tracking until the reader clicks.
    """

    url = blocks.URLBlock(help_text="The address of the video or audio page at its provider.")
    title = blocks.CharBlock(max_length=200, help_text="What the media is, e.g. 'Panel on early warning, 2023'.")
    caption = blocks.CharBlock(max_length=300, required=False, help_text="A line of context (optional).")

    class Meta:
        icon = "media"
        template = "blocks/embed_block.html"
        description = "A link to a video or audio piece hosted by another service."


class LinkValue(blocks.StructValue):
    @cached_property
    def href(self):
        # wagtail-localize keeps a chosen page as it is in a translation; the reader goes to the page's
        # live translation in their language when there is one.
        page = self.get("page")
        return page.localized.url if page else self.get("url")


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120)
    text = blocks.TextBlock(required=False, help_text="One or two sentences saying why to act (optional).")
    button_label = blocks.CharBlock(max_length=40, help_text="A verb first, e.g. 'Support our work'.")
    page = blocks.PageChooserBlock(required=False, help_text="Where the button leads on this site...")
    url = blocks.URLBlock(required=False, help_text="...or an address elsewhere, when no page is chosen.")

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        description = "A highlighted box with a heading and a button."
        value_class = LinkValue
        preview_value = {
            "heading": "Help prevent the next atrocity",
            "text": "Your gift trains the officials who spot the warning signs.",
            "button_label": "Give today",
            "url": "https://example.org/donate/",
        }

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise blocks.StructBlockValidationError(
                block_errors={"page": ValidationError("Choose a page or enter an address for the button.")}
            )
        return value


class DocumentLinkBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(
        max_length=200, required=False, help_text="Link text; the document's own title when empty."
    )
    description = blocks.TextBlock(required=False, help_text="What the reader will find in it (optional).")

    class Meta:
        icon = "doc-full"
        template = "blocks/document_link_block.html"
        description = "A link to a document with its type and size."


class FigureBlock(blocks.StructBlock):
    value = blocks.CharBlock(max_length=20, help_text="The number as it should read, e.g. '7,700+'.")
    label = blocks.CharBlock(max_length=80, help_text="What it counts, e.g. 'officials trained'.")


class FiguresRowBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    figures = blocks.ListBlock(FigureBlock(), min_num=1, max_num=4)

    class Meta:
        icon = "table"
        template = "blocks/figures_row_block.html"
        description = "A row of up to four headline numbers."
        preview_value = {
            "heading": "Our reach",
            "figures": [
                {"value": "7,700+", "label": "officials trained"},
                {"value": "90+", "label": "countries"},
            ],
        }


class OfficesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(max_length=120, required=False)
    offices = blocks.ListBlock(SnippetChooserBlock("aipg_site.Office"), min_num=1)

    class Meta:
        icon = "site"
        template = "blocks/offices_block.html"
        description = "Cards with the address and contacts of chosen offices."

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        # A page translated with wagtail-localize names the offices' translations already; a page not
        # yet translated, or copied otherwise, still shows each office in the reader's language.
        context["offices"] = in_active_language(office for office in value["offices"] if office)
        return context


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES,
        icon="pilcrow",
        template="blocks/paragraph_block.html",
        description="Text with links, lists and emphasis.",
        preview_value="<p>Genocide is preceded by warning signs that trained officials can recognise.</p>",
    )
    quote = QuoteBlock()
    image = ImageBlock()
    embed = EmbedBlock()
    call_to_action = CallToActionBlock()
    document = DocumentLinkBlock()
    figures = FiguresRowBlock()
    offices = OfficesBlock()
    donate = DonateBlock()


class ProgramOutputBlock(blocks.StructBlock):
    """Something a program produces: a seminar, a network, a publication."""

    name = blocks.CharBlock(max_length=160, help_text="e.g. 'Global Raphael Lemkin Seminar'.")
    description = blocks.TextBlock(required=False, help_text="One or two sentences about it (optional).")
    page = blocks.PageChooserBlock(required=False, help_text="A page about it on this site (optional).")

    class Meta:
        icon = "list-ul"
        template = "blocks/program_output_block.html"
