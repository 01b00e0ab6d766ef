"""Images in templates, with the site's alt text rule (`aipg_site.alt_text`) applied in one place."""

from django import template
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from aipg_site.alt_text import alt_text

register = template.Library()


@register.simple_tag
def accessible_picture(image, specs, alt="", decorative=False, **attributes):
    """Wagtail's `{% picture %}`, with the alt text chosen by the site's rule.

    `specs` are the filter specs `{% picture %}` takes, in one string; `alt` the placement's own words
    (else the image's description); `decorative` leaves alt empty and marks the <img> with
    `data-decorative`, so a check can tell a chosen empty alt from a forgotten one. Other keyword
    arguments (sizes, loading, fetchpriority) become attributes of the <img>.
    """
    if not image:
        return ""
    renditions = get_renditions_or_not_found(image, [Filter(spec=spec) for spec in Filter.expand_spec(specs)])
    attributes["alt"] = alt_text(image, alt, decorative)
    if decorative:
        attributes["data-decorative"] = True
    return Picture(renditions, attributes).__html__()


@register.simple_tag
def image_alt(image, alt="", decorative=False):
    """The alt text alone, for markup that is not an <img> (e.g. `og:image:alt`)."""
    return alt_text(image, alt, decorative) if image else ""
