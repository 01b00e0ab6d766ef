"""What every page's schema.org data says of the institute: its name, its address on the web and its logo.

Articles name the institute as author and publisher, programs as the organisation that runs them, and
the home page describes it in full; each builds on the same node here, so the name, the address and
the logo agree everywhere. Search engines want a raster logo at least 112 px square (the SVG mark
drawn for the header, rendered once to PNG: static/img/aipg-mark-512.png).
"""

from django.templatetags.static import static
from wagtail.models import Site

LOGO_PATH = "img/aipg-mark-512.png"
LOGO_SIZE = 512


def site_root_url(request):
    """The site's own address with a final slash, as its home page's canonical URL reads."""
    site = Site.find_for_request(request)
    return f"{site.root_url}/" if site else request.build_absolute_uri("/")


def logo(request):
    return {
        "@type": "ImageObject",
        "url": request.build_absolute_uri(static(LOGO_PATH)),
        "width": LOGO_SIZE,
        "height": LOGO_SIZE,
    }


def organisation(request, name):
    """The institute as author, publisher or parent organisation: named, with its address and logo.

    The same `@id` as the home page's full description, so a reader of the data can join them."""
    root = site_root_url(request)
    return {"@type": "NGO", "@id": f"{root}#organisation", "name": name, "url": root, "logo": logo(request)}


def observations(subject, figures, date=None, period=None):
    """Figures the institute reports about itself, as schema.org `Observation`s of `subject` (an @id).

    schema.org gives an organisation or a report no property for such figures (`additionalProperty`
    belongs to products, places and offers); an observation per figure, about the organisation, is
    how the vocabulary publishes a statistic. `figures` are (what is counted, how many) pairs; `date`
    the day the count holds on (ISO 8601), `period` the time it covers (an ISO 8601 duration).
    """
    found = []
    for name, value in figures:
        observation = {"@type": "Observation", "observationAbout": {"@id": subject}, "variableMeasured": name}
        observation["value"] = value
        if date:
            observation["observationDate"] = date
        if period:
            observation["observationPeriod"] = period
        found.append(observation)
    return found
