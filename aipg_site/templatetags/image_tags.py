"""Images in templates, with the site's alt text rule (`aipg_site.alt_text`) applied in one place."""

import hashlib

from django import template
from wagtail.images.models import Filter, Picture
from wagtail.images.shortcuts import get_renditions_or_not_found

from aipg_site import fragments
from aipg_site.alt_text import alt_text

register = template.Library()


@register.simple_tag(takes_context=True)
def accessible_picture(context, image, specs, alt="", decorative=False, **attributes):
    """Wagtail's `{% picture %}`, with the alt text chosen by the site's rule.

    `specs` are the filter specs `{% picture %}` takes, in one string; `alt` the placement's own words
    (else the image's description); `decorative` leaves alt empty and marks the <img> with
    `data-decorative`, so a check can tell a chosen empty alt from a forgotten one. Other keyword
    arguments (sizes, loading, fetchpriority) become attributes of the <img>.

    The markup is the same wherever the same image is shown the same way, and finding its renditions
    costs a query and the parsing of every spec, so it is kept per generation (`fragments`): saving
    the image (a new file, a moved focal point, new words) retires it.
    """
    if not image:
        return ""
    arguments = repr((image.pk, specs, str(alt), bool(decorative), sorted(attributes.items())))
    return fragments.shared_html(
        context.get("request"),
        "picture",
        lambda: _picture(image, specs, alt, decorative, attributes),
        hashlib.sha256(arguments.encode()).hexdigest(),
    )


def _picture(image, specs, alt, decorative, attributes):
    renditions = get_renditions_or_not_found(image, [Filter(spec=spec) for spec in Filter.expand_spec(specs)])
    attributes["alt"] = alt_text(image, alt, decorative)
    if decorative:
        attributes["data-decorative"] = True
    return Picture(renditions, attributes).__html__()


@register.simple_tag
def image_alt(image, alt="", decorative=False):
    """The alt text alone, for markup that is not an <img> (e.g. `og:image:alt`)."""
    return alt_text(image, alt, decorative) if image else ""
