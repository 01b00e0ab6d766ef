"""Illustrations the project draws itself, so the demo needs no download and no licence.

Seeded `random.Random` keeps each drawing the same from run to run; nothing here is secret.
"""

import io
import math
import random

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter

from aipg_site.models import SiteImage

PALETTES = {
    "dawn": [(11, 39, 64), (47, 84, 120), (201, 111, 0), (251, 250, 247)],
    "memorial": [(28, 37, 48), (74, 85, 97), (164, 38, 44), (240, 237, 230)],
    "horizon": [(18, 57, 91), (93, 139, 168), (224, 196, 140), (251, 250, 247)],
    "network": [(240, 237, 230), (18, 57, 91), (164, 38, 44), (201, 111, 0)],
}


def _gradient(size, top, bottom):
    width, height = size
    image = Image.new("RGB", size, top)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / max(height - 1, 1)
        colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line([(0, y), (width, y)], fill=colour)
    return image


def draw_landscape(palette, seed, size=(1600, 1000)):
    """Layered hills under a low sun: a quiet, abstract image for headers."""
    rng = random.Random(seed)  # noqa: S311
    deep, mid, light, _paper = PALETTES[palette]
    image = _gradient(size, deep, mid)
    draw = ImageDraw.Draw(image)
    width, height = size
    sun_x, sun_y, radius = width * rng.uniform(0.55, 0.8), height * 0.45, height * 0.12
    draw.ellipse([sun_x - radius, sun_y - radius, sun_x + radius, sun_y + radius], fill=light)
    for layer in range(4):
        base = height * (0.55 + layer * 0.11)
        shade = tuple(round(c * (0.85 - layer * 0.18)) for c in mid)
        phase, amplitude = rng.uniform(0, math.tau), height * rng.uniform(0.03, 0.07)
        points = [(0, height)]
        for x in range(0, width + 40, 40):
            points.append((x, base + amplitude * math.sin(x / width * math.tau * (1 + layer * 0.5) + phase)))
        points.append((width, height))
        draw.polygon(points, fill=shade)
    return image.filter(ImageFilter.GaussianBlur(1))


def draw_candles(palette, seed, size=(1600, 1000)):
    """Rows of small flames on a dark ground: an image for remembrance posts."""
    rng = random.Random(seed)  # noqa: S311
    deep, mid, _accent, paper = PALETTES[palette]
    image = _gradient(size, deep, mid)
    glow = Image.new("RGB", size, (0, 0, 0))
    draw, glow_draw = ImageDraw.Draw(image), ImageDraw.Draw(glow)
    width, height = size
    for row in range(3):
        y = height * (0.5 + row * 0.15)
        for _ in range(9 + row * 3):
            x = rng.uniform(0.05, 0.95) * width
            scale = 0.6 + row * 0.25
            glow_draw.ellipse([x - 60 * scale, y - 90 * scale, x + 60 * scale, y + 30 * scale], fill=(120, 70, 20))
            draw.rectangle([x - 9 * scale, y, x + 9 * scale, y + 70 * scale], fill=paper)
            draw.ellipse([x - 7 * scale, y - 34 * scale, x + 7 * scale, y - 4 * scale], fill=(255, 196, 90))
    glow = glow.filter(ImageFilter.GaussianBlur(40))
    return Image.blend(image, Image.eval(glow, lambda v: min(255, v * 2)), 0.35)


def draw_network(palette, seed, size=(1600, 1000)):
    """Points joined by lines: an image for networks, programs and alumni."""
    rng = random.Random(seed)  # noqa: S311
    paper, deep, accent, warm = PALETTES[palette]
    image = Image.new("RGB", size, paper)
    draw = ImageDraw.Draw(image)
    width, height = size
    nodes = [(rng.uniform(0.05, 0.95) * width, rng.uniform(0.08, 0.92) * height) for _ in range(34)]
    for i, (x1, y1) in enumerate(nodes):
        for x2, y2 in nodes[i + 1 :]:
            if math.dist((x1, y1), (x2, y2)) < width * 0.2:
                draw.line([(x1, y1), (x2, y2)], fill=deep, width=3)
    for index, (x, y) in enumerate(nodes):
        r = rng.uniform(10, 22)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=accent if index % 5 == 0 else warm if index % 3 == 0 else deep)
    return image


DRAWINGS = {"landscape": draw_landscape, "candles": draw_candles, "network": draw_network}

# What each drawing shows, in the words a screen reader speaks for it (the image's description,
# its alt text wherever a page gives none of its own), and the light each palette paints it in.
DESCRIPTIONS = {
    "landscape": "An illustration of layered hills fading into the distance under a low round sun, {light}.",
    "candles": "An illustration of three rows of small lit candles glowing on a dark ground, {light}.",
    "network": "An illustration of dots scattered across a pale ground and joined by straight lines, {light}.",
}
LIGHTS = {
    "dawn": "in deep blue with an orange sun, as at first light",
    "memorial": "in dark slate grey with touches of red",
    "horizon": "in soft blue with a sand-coloured sun",
    "network": "some of the dots red or amber, most of them navy",
}


def demo_image(title, drawing, palette, seed, credit="AIPG demo illustration"):
    """The SiteImage called `title`, drawn and saved on the first run and reused afterwards.

    Its description says what the drawing shows, so the demo site has real alt text; an image kept
    from an earlier run without one is given it.
    """
    description = DESCRIPTIONS[drawing].format(light=LIGHTS[palette])
    existing = SiteImage.objects.filter(title=title).first()
    if existing:
        if not existing.description:
            existing.description = description
            existing.save(update_fields=["description"])
        return existing
    picture = DRAWINGS[drawing](palette, seed)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", quality=85, optimize=True)
    file_name = title.lower().replace(" ", "-")[:60] + ".jpg"
    image = SiteImage(title=title, credit=credit, description=description)
    image.file = ImageFile(buffer, name=file_name)
    image.save()
    return image
