"""Alternative text: one rule for every image the site shows.

A placement's own words come first (an image block's alt text, a page's hero alt text); then the
image's description, which Wagtail's upload form asks for and which travels with the image wherever
it is used. An image is decorative (alt="", skipped by screen readers) only where an editor ticked
"decorative" for that placement, or where a template knows the words beside it already say it all
(a card's image next to the card's title).

Publishing is refused while an image has neither its own words nor a description and is not marked
decorative (`ImageBlock.clean`, `aipg_site.forms.HeroImagePageForm`); drafts may be saved without.
"""


def alt_text(image, own_words="", decorative=False):
    """The alt text of `image` in one placement.

    The title is the last resort, for pages published before publishing checked: it is what the
    editor called the image, which is better than no alt at all (an <img> without alt makes screen
    readers read out the file's address).
    """
    if decorative:
        return ""
    return (own_words or "").strip() or (image.description or "").strip() or image.title


def lacks_alt_text(image, own_words="", decorative=False):
    """True when `image` would be shown without alt text the editor wrote or accepted."""
    if not image or decorative:
        return False
    return not (own_words or "").strip() and not (image.description or "").strip()
