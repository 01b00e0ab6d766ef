"""What rendering each page type costs, in one process: CPU ms and queries per request, page cache off.

    python -m bench.render_profile build --database postgres://postgres@127.0.0.1:5432/aipg_render \
        --redis redis://127.0.0.1:6379/12
    python -m bench.render_profile measure --database ... --redis ... [--requests 40] [--profile story]
    python -m bench.render_profile compare --database ... --redis ... --against ../other-checkout

`build` makes the bench's small site (`bench.generate small`, then its queued tasks, as `make bench`
does) in the database `--database` names exactly, dropped and rebuilt. `measure` renders every page
of `scenarios.PAGES` `--requests` times through Django's test client, so through the whole middleware
stack, under production settings with the Redis cache and the page cache off, as `make bench`'s cold
mode serves them; it prints, per page, the process CPU time per request (`time.process_time`, much
less disturbed by other load than wall time) and the queries per request. `--profile NAME` runs that
page under cProfile as well and prints where its time goes. `compare` runs `measure` alternately in
this checkout and in `--against` (another checkout, for example a worktree of main), `--rounds`
times each, and prints both side by side with the best round of each: a before and after measured
in the same minutes, so the machine's other load weighs on both alike.

The fragments and remembered values stay in Redis between requests, as they do between a live
site's requests; the first requests of each page (not measured) fill them.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WORK = PROJECT_ROOT / "var" / "render"
WARM_REQUESTS = 3


def environment(options):
    return {
        "DJANGO_SETTINGS_MODULE": "aipg_site.settings.production",
        "SECRET_KEY": "benchmark-only-key-that-is-long-and-random-enough-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": options.database,
        "REDIS_URL": options.redis,
        "SECURE_SSL_REDIRECT": "false",
        "EMAIL_HOST": "127.0.0.1",
        "STATIC_ROOT": str(WORK / "static"),
        "MEDIA_ROOT": str(WORK / "media"),
        "CACHE_KEY_PREFIX": "render-profile",
        "WAGTAILADMIN_BASE_URL": "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "STRIPE_SECRET_KEY": "sk_test_benchmark_only",
        "STRIPE_WEBHOOK_SECRET": "whsec_benchmark_only",
        "STRIPE_API_BASE": "http://127.0.0.1:9",
        "PAGE_CACHE_SECONDS": "0",
    }


def build(options):
    import psycopg

    from bench.run import run_queued_tasks

    env = {**os.environ, **environment(options)}
    WORK.mkdir(parents=True, exist_ok=True)
    name = urlsplit(options.database).path.lstrip("/")
    server = urlunsplit(urlsplit(options.database)._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')

    def manage(*args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=env, check=True)

    manage("collectstatic", "--noinput", "-v0")
    manage("migrate", "--noinput", "-v0")
    subprocess.run(
        [sys.executable, "-m", "bench.generate", "small", str(WORK / "manifest.json")],
        cwd=PROJECT_ROOT,
        env=env,
        check=True,
    )
    run_queued_tasks("small", env, options.database)


def measure(options):
    """Measure in this process (the checkout it runs from is the code measured)."""
    os.environ.update(environment(options))
    sys.path.insert(0, os.getcwd())
    import cProfile
    import pstats

    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    manifest = json.loads((WORK / "manifest.json").read_text())
    pages = [(name, path) for name, path in manifest["pages"] if not options.pages or name in options.pages]
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_ENCODING="gzip")
    results = {}
    for name, path in pages:
        for _ in range(WARM_REQUESTS):
            response = client.get(path)
            if response.status_code != 200:
                sys.exit(f"{name} ({path}) answered {response.status_code}")
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        # Read now: every request empties the connection's log as it starts.
        query_count, query_sql = len(queries), [query["sql"] for query in queries.captured_queries]
        started = time.process_time()
        for _ in range(options.requests):
            b"".join(client.get(path))
        cpu_ms = (time.process_time() - started) * 1000 / options.requests
        results[name] = {"path": path, "cpu_ms": round(cpu_ms, 2), "queries": query_count}
        if options.profile == name:
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(options.requests):
                client.get(path)
            profiler.disable()
            stats = pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative")
            stats.print_stats(60)
            if options.show_queries:
                for sql in query_sql:
                    print(sql[:80], "...", sql[-240:], file=sys.stderr)
    if options.json:
        print(json.dumps(results))
    else:
        print(f"{'page':32} {'CPU ms':>8} {'queries':>8}")
        for name, figures in results.items():
            print(f"{name:32} {figures['cpu_ms']:8.1f} {figures['queries']:8}")
    return results


def compare(options):
    checkouts = {"this": PROJECT_ROOT, "against": options.against.resolve()}
    rounds = {label: [] for label in checkouts}
    for _round in range(options.rounds):
        for label, checkout in checkouts.items():
            command = [
                sys.executable,
                str(Path(__file__).resolve()),
                "measure",
                "--json",
                "--database",
                options.database,
                "--redis",
                options.redis,
                "--requests",
                str(options.requests),
                *[argument for page in options.pages or [] for argument in ("--page", page)],
            ]
            output = subprocess.run(
                command, cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)}, check=True, capture_output=True
            )
            rounds[label].append(json.loads(output.stdout.decode().strip().splitlines()[-1]))
    print(f"CPU ms per request (best of {options.rounds}) and queries per request; 'against' is {options.against}")
    print(f"{'page':32} {'against':>9} {'this':>9} {'ratio':>6} {'queries':>12}")
    for name in rounds["this"][0]:
        best = {label: min(result[name]["cpu_ms"] for result in rounds[label]) for label in checkouts}
        queries = {label: rounds[label][0][name]["queries"] for label in checkouts}
        print(
            f"{name:32} {best['against']:9.1f} {best['this']:9.1f} {best['this'] / best['against']:6.2f}"
            f" {queries['against']:5} -> {queries['this']:<5}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["build", "measure", "compare"])
    parser.add_argument("--database", required=True, help="PostgreSQL URL of the site's own database")
    parser.add_argument("--redis", required=True, help="Redis URL of a database of your own")
    parser.add_argument("--requests", type=int, default=30, help="measured requests per page")
    parser.add_argument("--page", dest="pages", action="append", help="measure only this page (repeatable)")
    parser.add_argument("--profile", help="a page name: run it under cProfile as well")
    parser.add_argument("--show-queries", action="store_true", help="with --profile: print the page's queries")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--against", type=Path, help="compare: the other checkout")
    parser.add_argument("--rounds", type=int, default=3, help="compare: runs in each checkout, alternating")
    options = parser.parse_args()
    {"build": build, "measure": measure, "compare": compare}[options.action](options)


if __name__ == "__main__":
    main()
