"""Build one benchmark site in the database DATABASE_URL names: `python -m bench.generate SIZE MANIFEST`.

The demo content first, then every generator in `scenarios.GENERATORS` at SIZE; it writes the paths
to measure (and the static file's hashed path) to MANIFEST as JSON.
"""

import itertools
import json
import os
import sys
import time

import django


def main(size_name, manifest_path):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aipg_site.settings.production")
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.templatetags.static import static

    from aipg_site.demo.images import DRAWINGS, PALETTES, demo_image

    from . import scenarios

    started = time.monotonic()
    call_command("load_demo_content", verbosity=0)
    pictures = [
        demo_image(f"Benchmark picture {number}", drawing, palette, seed=number)
        for number, (drawing, palette) in enumerate(itertools.product(DRAWINGS, PALETTES))
    ]
    home = scenarios.home_page()
    size = scenarios.SIZES[size_name]
    for generate in scenarios.GENERATORS:
        step_started = time.monotonic()
        generate(home, size, itertools.cycle(pictures))
        print(f"    {size_name} site, {generate.__name__}: {time.monotonic() - step_started:.1f}s", flush=True)
    # Fresh statistics, as autovacuum would have them on a live site: without them PostgreSQL plans
    # the search join over 10,000 freshly inserted rows as a nested loop taking half a minute.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    manifest = {
        "size": size_name,
        "counts": size,
        "static": static("css/site.css"),
        "pages": [[name, path(home)] for name, path in scenarios.PAGES],
        "seconds": round(time.monotonic() - started, 1),
    }
    with open(manifest_path, "w") as output:
        json.dump(manifest, output, indent=2)
    print(f"  {size_name} site generated in {manifest['seconds']}s", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:3])
