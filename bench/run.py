"""`make bench`: build the small and the large site, serve each with gunicorn and Varnish, measure with wrk.

For each site: a PostgreSQL database of its own (cloned from one migrated template), gunicorn under
production settings with the Redis cache, and for every page in `scenarios.PAGES` a timed wrk run in
three modes: the page cache on ("cached": anonymous visitors after the first), off ("cold": every
request rendered), and through Varnish in front of gunicorn ("varnish": the production topology,
the page warmed first so the run measures hits). Each mode has its ceiling, the static stylesheet
served by the same stack (WhiteNoise in gunicorn; Varnish's copy of it). Every request says it
accepts gzip, as browsers do, and each page's size is read once with and without compression. Prints
a table and the time each phase took, and writes the figures as JSON and a chart.

As in production, the background work is the task worker's: after generating each site the bench
runs its queued tasks (search and reference index, image renditions, document checks) with
`manage.py run_worker --batch`, makes any image rendition still missing (`make_renditions --now`),
and checks that nothing is left queued; during measurement one `run_worker` runs beside each
gunicorn. It reports the resident memory of the web workers against `MEMORY_TARGET_MIB`, and of
the task workers.

The two sites are generated at once (one process each, on a 2-core machine), then measured side by
side, page by page.

`--quick` checks the bench itself in a few minutes: the small site only, `QUICK_PAGES` for 1 s
each, written to var/bench/quick (docs/benchmark keeps the record of the last full run).
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# "cached" and "cold" straight from gunicorn (a site without a proxy), "varnish" through it.
MODES = ("cached", "cold", "varnish")
MODE_TITLES = {
    "cached": "gunicorn, page cache on",
    "cold": "gunicorn, page cache off",
    "varnish": "Varnish in front of gunicorn, pages warmed first",
}
# Seconds of wrk per page and mode: a cached page answers thousands of requests in a second and
# its figures settle at once; a cold one answers about 25, so it gets longer for its p95.
SECONDS = {"cached": 2, "cold": 3, "varnish": 2}
# The sites `scenarios.SIZES` describes (run.py stays free of Django, so it does not import it).
SIZES = ("small", "large")
# What `--quick` measures: pages with images (renditions), listings, search (the search index) and
# the donate page (its own caching rules).
QUICK_PAGES = ("home", "story", "story, in Spanish", "resource library", "donate", "search")
# Resident memory each gunicorn worker should stay under (one making AVIF renditions in a request
# grew from about 165 to 300 MiB, and kept it).
MEMORY_TARGET_MIB = 200
# The targets, printed beside the figures: cached pages through Varnish against Varnish
# serving the static file, and the whole run on a quiet 2-core machine.
VARNISH_TARGET = 0.8
TOTAL_TARGET_SECONDS = 20 * 60
# The site's caching rules for Varnish; the bench, like a deployment, wraps them with the backend.
SITE_VCL = PROJECT_ROOT / "aipg_site" / "varnish" / "site.vcl"
VCL_WRAPPER = """vcl 4.1;
backend default {{ .host = "127.0.0.1"; .port = "{backend_port}"; }}
acl purgers {{ "127.0.0.1"; "::1"; }}
include "{vcl}";
"""
# The full run's tables are written into docs/bench.md between these lines.
DOCS_PAGE = PROJECT_ROOT / "docs" / "bench.md"
DOCS_START = "<!-- make bench writes the tables below; edit around them -->"
DOCS_END = "<!-- end of the tables make bench writes -->"
# The README shows a summary of the same run (and the chart) between these lines.
README = PROJECT_ROOT / "README.md"
README_START = "<!-- make bench writes this summary; edit around it -->"
README_END = "<!-- end of the summary make bench writes -->"
# Sent with every request, as a browser does: a page may be compressed on its way out.
ACCEPT_GZIP = {"Accept-Encoding": "gzip"}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database", required=True, help="PostgreSQL URL; its name is the prefix of the bench databases"
    )
    parser.add_argument("--redis", required=True, help="Redis URL of a database the bench may flush")
    parser.add_argument(
        "--seconds",
        type=int,
        help="length of every wrk run (default: 2 cached and through Varnish, 3 cold; 1 with --quick)",
    )
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--port",
        type=int,
        default=8190,
        help="first of the ports used: gunicorn at PORT and PORT+1, Varnish at PORT+10 and PORT+11",
    )
    parser.add_argument(
        "--vcl", type=Path, default=SITE_VCL, help=f"the caching rules Varnish runs (default: {SITE_VCL})"
    )
    parser.add_argument(
        "--measure-only",
        action="store_true",
        help="measure the sites the last run built (their databases, media and manifests are kept) without"
        " building them again: for work on the measuring itself, or on code that changes no model",
    )
    parser.add_argument("--out", type=Path, help="default: docs/benchmark; var/bench/quick with --quick")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="check the bench itself: build the small site only and measure a few pages (QUICK_PAGES) for 1 s each",
    )
    options = parser.parse_args()

    work = PROJECT_ROOT / "var" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    sizes = SIZES[:1] if options.quick else SIZES
    options.pages = QUICK_PAGES if options.quick else None
    options.durations = {
        mode: options.seconds or (1 if options.quick else seconds) for mode, seconds in SECONDS.items()
    }
    if options.out is None:
        options.out = work / "quick" if options.quick else PROJECT_ROOT / "docs" / "benchmark"
    options.vcl = options.vcl.resolve()
    check_services(options)
    phases = Phases()
    environment = base_environment(options, work)
    if not options.measure_only:
        # At once, one core each: neither needs the other.
        with phases("Collecting static files and migrating a template database"):
            collecting = subprocess.Popen(
                [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=PROJECT_ROOT, env=environment
            )
            recreate_database(options.database, "template")
            manage(environment, "migrate", "--noinput", "-v0")
            if collecting.wait():
                sys.exit(f"collectstatic exited with {collecting.returncode}; see its output above")

    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "varnish": varnish_version()},
        "load": {
            "seconds": options.durations,
            "connections": options.connections,
            "workers": options.workers,
            "accept_encoding": ACCEPT_GZIP["Accept-Encoding"],
        },
        "quick": options.quick,
        "measure_only": options.measure_only,
        "memory_target_mib": MEMORY_TARGET_MIB,
        "varnish_target": VARNISH_TARGET,
        "sites": {},
    }
    # Both sites are built first and then measured side by side, page by page: a machine that gets
    # busier or quieter during the run moves both sites' figures, not the ratio between them. They
    # are built at once, each in its own processes: on 2 cores the small one costs no extra time.
    if options.measure_only:
        built = [reuse_site(options, environment, work, sizes, number) for number in range(len(sizes))]
    else:
        for size in sizes:
            recreate_database(options.database, size, template="template")
        title = (
            f"Generating the {' and '.join(sizes)} site{'s at once' if len(sizes) > 1 else ''},"
            " then running the queued tasks"
        )
        with phases(title), ThreadPoolExecutor(len(sizes)) as pool:
            built = list(
                pool.map(lambda number: build_site(options, environment, work, sizes, number), range(len(sizes)))
            )
        drop_database(options.database, "template")
    sites = {site.size: site for site in built}
    results["sites"] = measure_sites(options, sites, phases)

    if len(sites) > 1:
        results["growth"] = growth(results["sites"])
    with phases("Writing the figures and the chart"):
        options.out.mkdir(parents=True, exist_ok=True)
        draw_chart(results, options.out / "chart.png")
    results["phases"] = phases.seconds
    results["total_seconds"] = round(phases.total())
    (options.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    if options.out.resolve() == (DOCS_PAGE.parent / "benchmark").resolve():
        update_docs(results, DOCS_PAGE)
        update_between(README, README_START, README_END, readme_summary(results))
    print_table(results)
    print(f"\nFigures: {options.out / 'results.json'}; chart: {options.out / 'chart.png'}")


class Phases:
    """The wall-clock time of each step, printed as it ends and kept in results.json: the bench must
    fit in 20 minutes, and this says where its time goes."""

    def __init__(self):
        self.started = time.monotonic()
        self.seconds = {}

    @contextmanager
    def __call__(self, name):
        print(f"== {name}", flush=True)
        started = time.monotonic()
        yield
        self.seconds[name] = round(time.monotonic() - started, 1)
        print(f"   {name}: {self.seconds[name]:.0f}s (run so far: {self.total():.0f}s)", flush=True)

    def total(self):
        return time.monotonic() - self.started


# Services --------------------------------------------------------------------------------------


def varnishd():
    """Debian puts varnishd in /usr/sbin, which a user's PATH may leave out."""
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin:/usr/local/sbin")


def varnish_version():
    """The version as "Varnish 7.1.1", read from `varnishd -V` ("varnishd (varnish-7.1.1 revision ...)")."""
    output = subprocess.run([varnishd(), "-V"], capture_output=True, text=True).stderr
    match = re.search(r"varnish-([0-9.]+)", output)
    return f"Varnish {match[1]}" if match else "Varnish"


def check_services(options):
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk is not installed (make bench installs Debian's package)")
    if not varnishd():
        missing.append("varnishd is not installed (make bench installs Debian's varnish package)")
    if not options.vcl.is_file():
        missing.append(f"Varnish's rules are missing: {options.vcl} (pass --vcl to use others)")
    try:
        psycopg.connect(server_url(options.database), connect_timeout=5).close()
    except psycopg.OperationalError as error:
        missing.append(f"PostgreSQL is not reachable at {options.database}: {error}")
    try:
        redis.Redis.from_url(options.redis).ping()
    except redis.ConnectionError as error:
        missing.append(f"Redis is not reachable at {options.redis}: {error}")
    if missing:
        sys.exit(
            "make bench cannot run:\n  "
            + "\n  ".join(missing)
            + "\nSee README.md, 'Running against PostgreSQL and Redis'."
        )


def base_environment(options, work):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "aipg_site.settings.production",
        "SECRET_KEY": "benchmark-only-key-that-is-long-and-random-enough-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(options.database, "template"),
        "REDIS_URL": options.redis,
        "SECURE_SSL_REDIRECT": "false",
        # Required in production; nothing here is mailed (a message would wait in the queue).
        "EMAIL_HOST": "127.0.0.1",
        "STATIC_ROOT": str(work / "static"),
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{options.port}",
        "LOG_LEVEL": "WARNING",
        # Giving switched on, so the donate page is its form (without a key it is the "not set up"
        # notice, which no cache keeps). Showing the form calls nothing; the address is a closed
        # port, so nothing could reach Stripe even if a request tried.
        "STRIPE_SECRET_KEY": "sk_test_benchmark_only",
        "STRIPE_WEBHOOK_SECRET": "whsec_benchmark_only",
        "STRIPE_API_BASE": "http://127.0.0.1:9",
    }


def manage(environment, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT_ROOT, env=environment, check=True)


def server_url(url):
    return urlunsplit(urlsplit(url)._replace(path="/postgres"))


def database_url(url, suffix):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_bench_{suffix}"))


def database_name(url, suffix):
    return urlsplit(database_url(url, suffix)).path.lstrip("/")


def drop_database(url, suffix):
    with psycopg.connect(server_url(url), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{database_name(url, suffix)}" WITH (FORCE)')


def recreate_database(url, suffix, template=None):
    drop_database(url, suffix)
    clause = f' TEMPLATE "{database_name(url, template)}"' if template else ""
    with psycopg.connect(server_url(url), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{database_name(url, suffix)}"{clause}')


# Building a site -------------------------------------------------------------------------------


@dataclass
class Site:
    size: str
    port: int
    varnish_port: int
    environment: dict
    manifest: dict
    tasks: dict = field(default_factory=dict)

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def varnish_base(self):
        return f"http://127.0.0.1:{self.varnish_port}"


def environment_for(options, environment, work, size, port):
    return {
        **environment,
        "DATABASE_URL": database_url(options.database, size),
        "MEDIA_ROOT": str(work / f"media-{size}"),
        "CACHE_KEY_PREFIX": f"bench-{size}",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
    }


def reuse_site(options, environment, work, sizes, number):
    """The site the last run built, as it was left (`--measure-only`)."""
    size, port = sizes[number], options.port + number
    manifest_path = work / f"manifest-{size}.json"
    if not manifest_path.exists():
        sys.exit(f"--measure-only: no {size} site was built here ({manifest_path} is missing)")
    tasks = {"seconds": 0, "worker_peak_rss_mib": None, "run": 0, "failed": 0, "reused": True}
    return Site(
        size,
        port,
        options.port + 10 + number,
        environment_for(options, environment, work, size, port),
        json.loads(manifest_path.read_text()),
        tasks,
    )


def build_site(options, environment, work, sizes, number):
    """Generate one site in its database (cloned from the template), then run its queued tasks."""
    size = sizes[number]
    port = options.port + number
    site_environment = environment_for(options, environment, work, size, port)
    shutil.rmtree(work / f"media-{size}", ignore_errors=True)
    manifest_path = work / f"manifest-{size}.json"
    subprocess.run(
        [sys.executable, "-m", "bench.generate", size, str(manifest_path)],
        cwd=PROJECT_ROOT,
        env=site_environment,
        check=True,
    )
    print(f"  {size} site: running its queued tasks (run_worker --batch), then any missing renditions", flush=True)
    tasks = run_queued_tasks(size, site_environment, database_url(options.database, size))
    return Site(size, port, options.port + 10 + number, site_environment, json.loads(manifest_path.read_text()), tasks)


# Tasks -----------------------------------------------------------------------------------------


def run_queued_tasks(size, environment, url):
    """What a deploy's worker does before visitors come: run every queued task (search and reference
    index, renditions of the uploaded images, document checks), then make any rendition no task was
    queued for. A second batch picks up what came in as the first stopped (its own periodic tasks)."""
    started = time.monotonic()
    peak = run_worker_batch(environment)
    manage(environment, "make_renditions", "--now")
    for _attempt in range(2):
        if task_counts(url)["queued"] == 0:
            break
        peak = max(peak, run_worker_batch(environment))
    counts = task_counts(url)
    seconds = round(time.monotonic() - started, 1)
    print(
        f"  {size} site: {counts['done']} tasks run, {counts['failed']} failed, in {seconds}s;"
        f" the worker peaked at {peak} MiB",
        flush=True,
    )
    return {"seconds": seconds, "worker_peak_rss_mib": peak, "run": counts["done"], "failed": counts["failed"]}


def without_giving(environment):
    """The task worker's environment: no Stripe key. Only the web servers need giving switched on (to
    show the donate form); a worker with the key would run the hourly reconciliation against the
    closed port and retry it with backoff, busy with nothing the bench measures."""
    return {name: value for name, value in environment.items() if not name.startswith("STRIPE_")}


def run_worker_batch(environment):
    """`run_worker --batch`: every ready task, then exit. Returns the worker's peak resident memory, MiB."""
    worker = subprocess.Popen(
        # -v0: not a line per task (failures are still logged, and counted below).
        [sys.executable, "manage.py", "run_worker", "--batch", "--no-reload", "-v0"],
        cwd=PROJECT_ROOT,
        env=without_giving(environment),
    )
    _pid, status, usage = os.wait4(worker.pid, 0)
    worker.returncode = os.waitstatus_to_exitcode(status)
    if worker.returncode:
        sys.exit(f"run_worker --batch exited with {worker.returncode}; see its output above")
    return round(usage.ru_maxrss / 1024, 1)  # KiB on Linux


# The queue (django-tasks-db's table) and the renditions are read with SQL: run.py stays free of Django.
TASK_TABLE_NAME = "django_tasks_database_dbtaskresult"


def task_counts(url):
    with psycopg.connect(url) as connection:
        rows = dict(
            connection.execute(
                "SELECT status, count(*) FROM django_tasks_database_dbtaskresult GROUP BY status"
            ).fetchall()
        )
    return {
        "queued": rows.get("READY", 0),
        "running": rows.get("RUNNING", 0),
        "done": rows.get("SUCCESSFUL", 0),
        "failed": rows.get("FAILED", 0),
    }


def rendition_count(url):
    with psycopg.connect(url) as connection:
        return connection.execute("SELECT count(*) FROM aipg_site_siterendition").fetchone()[0]


def start_task_worker(environment):
    """One `run_worker` beside gunicorn, as in production. Returns once it has started (its heartbeat
    row is written), so its start does not take CPU from the first page measured."""
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_worker", "--no-reload", "-v0"],
        cwd=PROJECT_ROOT,
        env=without_giving(environment),
    )
    deadline = time.monotonic() + 60
    with psycopg.connect(environment["DATABASE_URL"], autocommit=True) as connection:
        while time.monotonic() < deadline:
            if worker.poll() is not None:
                sys.exit("run_worker exited at start; see its output above")
            if connection.execute("SELECT 1 FROM aipg_site_workerheartbeat WHERE pid = %s", [worker.pid]).fetchone():
                return worker
            time.sleep(0.2)
    worker.terminate()
    sys.exit("run_worker did not start within 60s")


# Measuring -------------------------------------------------------------------------------------


def measure_sites(options, sites, phases):
    """Each mode with both sites' servers up, every page measured on one site and then the other."""
    figures = {
        size: {
            "counts": site.manifest["counts"],
            "generated_in_seconds": site.manifest["seconds"],
            "pages": {},
            "worker_rss_mib": {},
            "task_worker_rss_mib": {},
            "tasks": site.tasks,
        }
        for size, site in sites.items()
    }
    print("== Before measuring")
    for size, site in sites.items():
        url = site.environment["DATABASE_URL"]
        counts = task_counts(url)
        figures[size]["tasks"].update(queued_before_measuring=counts["queued"], failed=counts["failed"])
        figures[size]["renditions"] = {"before_measuring": rendition_count(url)}
        print(
            f"  {size} site: {counts['queued']} tasks queued (should be 0), {counts['failed']} failed;"
            f" {figures[size]['renditions']['before_measuring']:,} renditions made"
        )
        if counts["queued"] or counts["failed"]:
            print(f"  warning: the {size} site's task queue is not clean; its rows are in {TASK_TABLE_NAME} of {url}")
    for mode in MODES:
        with phases(f"Measuring {mode}: {MODE_TITLES[mode]}, {options.durations[mode]}s per page"):
            measure_mode(options, sites, mode, figures)
    for size, site in sites.items():
        renditions = figures[size]["renditions"]
        renditions["made_during_measurement"] = (
            rendition_count(site.environment["DATABASE_URL"]) - renditions["before_measuring"]
        )
        if renditions["made_during_measurement"]:
            print(
                f"  warning: {renditions['made_during_measurement']} renditions were made in visitors' requests on the"
                f" {size} site: a spec missing from aipg_site/renditions.py"
            )
    for site in figures.values():
        for page in site["pages"].values():
            for mode in MODES:
                ceiling = site["static_varnish" if mode == "varnish" else "static"]["rps"]
                page[mode]["of_static"] = round(page[mode]["rps"] / ceiling, 3)
    return figures


def measure_mode(options, sites, mode, figures):
    redis.Redis.from_url(options.redis).flushdb()
    servers, task_workers, proxies = {}, {}, {}
    try:
        for size, site in sites.items():
            environment = {**site.environment, "PAGE_CACHE_SECONDS": "0" if mode == "cold" else "600"}
            if mode == "varnish":
                # As deployed behind Varnish: pages say how long it may keep them (s-maxage), and a
                # publish purges them there through Wagtail's frontend cache.
                environment |= {"FRONTEND_CACHE_BACKEND": "http", "FRONTEND_CACHE_LOCATION": site.varnish_base}
            started = time.monotonic()
            task_workers[size] = start_task_worker(environment)
            servers[size] = start_gunicorn(options, environment, site)
            if mode == "varnish":
                proxies[size] = start_varnish(options, site)
            print(f"  {size} site: servers up in {time.monotonic() - started:.1f}s", flush=True)
        # The static file through the same stack before and after the pages, averaged: a machine
        # that gets busier (or quieter) during the run moves the ceiling with the pages.
        static_key = "static_varnish" if mode == "varnish" else "static"
        static_before = {}
        if mode != "cold":
            static_before = {
                size: load(
                    options,
                    mode,
                    front(site, mode) + site.manifest["static"],
                    cpu_pids(servers[size], proxies.get(size)),
                )
                for size, site in sites.items()
            }
        for name, _path in next(iter(sites.values())).manifest["pages"]:
            if options.pages and name not in options.pages:
                continue
            for size, site in sites.items():
                path = dict(site.manifest["pages"])[name]
                page = figures[size]["pages"].setdefault(name, {"path": path})
                if mode == "varnish":
                    page["bytes"] = page_bytes(site, path)
                result = load(
                    options, mode, front(site, mode) + path, cpu_pids(servers[size], proxies.get(size)), warm=True
                )
                page[mode] = result
                print(
                    f"  {mode:7} {size:5} {name:26} {result['rps']:8.0f} req/s  p95 {result['p95_ms']:7.1f} ms"
                    f"  CPU {result['cpu_ms']:6.2f} ms/request"
                    + (f" (Varnish {result['proxy_cpu_ms']:.3f})" if mode == "varnish" else ""),
                    flush=True,
                )
        if mode != "cold":
            for size, site in sites.items():
                static_after = load(
                    options,
                    mode,
                    front(site, mode) + site.manifest["static"],
                    cpu_pids(servers[size], proxies.get(size)),
                )
                figures[size][static_key] = {
                    "path": site.manifest["static"],
                    **average(static_before[size], static_after),
                }
        for size, server in servers.items():
            figures[size]["worker_rss_mib"][mode] = worker_rss_mib(server.pid)
            if task_workers[size].poll() is not None:
                print(f"  warning: the {size} site's task worker exited ({task_workers[size].returncode})")
            figures[size]["task_worker_rss_mib"][mode] = rss_mib(task_workers[size].pid)
            if mode == "varnish":
                figures[size]["varnish_rss_mib"] = worker_rss_mib(proxies[size].process.pid)
    finally:
        processes = [*[proxy.process for proxy in proxies.values()], *servers.values(), *task_workers.values()]
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(20)
        for proxy in proxies.values():
            shutil.rmtree(proxy.directory, ignore_errors=True)


def front(site, mode):
    return site.varnish_base if mode == "varnish" else site.base


@dataclass
class CpuPids:
    """Whose CPU time a run is charged: gunicorn's workers, and Varnish's cache process when in front."""

    app: int
    proxy: int | None = None


def cpu_pids(server, proxy):
    return CpuPids(server.pid, proxy.process.pid if proxy else None)


def start_gunicorn(options, environment, site):
    command = [
        str(BIN / "gunicorn"),
        "aipg_site.wsgi:application",
        f"--bind=127.0.0.1:{site.port}",
        f"--workers={options.workers}",
        "--worker-class=gthread",
        "--threads=4",
        # gunicorn 27's control socket sits at one path per user: two servers (or make audit) would clash.
        "--no-control-socket",
        "--log-level=warning",
    ]
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment)
    wait_for(server, site.base + "/robots.txt", "gunicorn")
    return server


@dataclass
class Varnish:
    process: subprocess.Popen
    directory: Path


def start_varnish(options, site):
    """Varnish in front of the site's gunicorn, with the site's rules wrapped as a deployment does.

    Its working directory is a fresh one under the system's temporary directory: run as root,
    Debian's varnishd hands its cache process to the unprivileged `vcache` user, which must reach it."""
    directory = Path(tempfile.mkdtemp(prefix=f"aipg-bench-varnish-{site.size}-"))
    directory.chmod(0o755)
    wrapper = directory / "wrapper.vcl"
    wrapper.write_text(VCL_WRAPPER.format(backend_port=site.port, vcl=options.vcl))
    log_path = PROJECT_ROOT / "var" / "bench" / f"varnish-{site.size}.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                varnishd(),
                "-F",
                "-a",
                f"127.0.0.1:{site.varnish_port}",
                "-f",
                str(wrapper),
                "-n",
                str(directory / "work"),
                "-s",
                "malloc,256m",
                # No management port: the bench stops it by its process.
                "-T",
                "none",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    wait_for(process, site.varnish_base + "/robots.txt", f"varnishd (its log: {log_path})")
    return Varnish(process, directory)


def wait_for(process, url, name, seconds=90):
    """Until `url` answers: the app's first import takes a few seconds, a minute on a busy machine."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{name} exited at start; see its output above")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit(f"{name} did not answer within {seconds}s")


def fetch(url, headers):
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=60) as response:
        if response.status != 200:
            sys.exit(f"{url} answered {response.status}")
        return response.headers, response.read()


def page_bytes(site, path):
    """The page's body as sent: uncompressed, and to a client that accepts gzip, from gunicorn itself
    (compressed only if the app compresses) and from Varnish (which may compress on the way out)."""
    _headers, plain = fetch(site.base + path, {"Accept-Encoding": "identity"})
    app_headers, app_body = fetch(site.base + path, ACCEPT_GZIP)
    varnish_headers, varnish_body = fetch(site.varnish_base + path, ACCEPT_GZIP)
    return {
        "plain": len(plain),
        "app": len(app_body),
        "app_encoding": app_headers.get("Content-Encoding"),
        "varnish": len(varnish_body),
        "varnish_encoding": varnish_headers.get("Content-Encoding"),
    }


def cache_status(mode, headers):
    """Whether the stack answered from its cache: the page cache's header, or Varnish's (two
    transaction numbers in X-Varnish on a hit, or an X-Cache header when the rules add one)."""
    if mode == "cached":
        return headers["X-Page-Cache"] == "hit" if "X-Page-Cache" in headers else None
    if "X-Cache" in headers:
        return "hit" in headers["X-Cache"].lower()
    if "X-Varnish" in headers:
        return len(headers["X-Varnish"].split()) == 2
    return None


def load(options, mode, url, pids, warm=False):
    """A warming request (it must succeed), a second one to see that the cache answers, then a timed wrk run.

    Besides wrk's figures, the CPU time gunicorn's workers (and Varnish's cache process) spent per
    request: on a shared machine latency moves with the neighbours' load, the work a request costs much less."""
    fetch(url, ACCEPT_GZIP)
    hit = None
    if mode != "cold":
        headers, _body = fetch(url, ACCEPT_GZIP)
        hit = cache_status(mode, headers)
        if warm and hit is False:
            print(f"  note: {url} is not served from {'Varnish' if mode == 'varnish' else 'the page cache'}")
    # Requests still running from the previous page's run would slow this one down.
    time.sleep(0.5 if mode == "cold" else 0.2)
    cpu_before = workers_cpu_seconds(pids.app)
    proxy_before = workers_cpu_seconds(pids.proxy) if pids.proxy else 0
    output = subprocess.run(
        [
            shutil.which("wrk"),
            "--threads=2",
            f"--connections={options.connections}",
            f"--duration={options.durations[mode]}s",
            "--timeout=10s",
            f"--header=Accept-Encoding: {ACCEPT_GZIP['Accept-Encoding']}",
            f"--script={Path(__file__).with_name('wrk_report.lua')}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu_seconds = workers_cpu_seconds(pids.app) - cpu_before
    proxy_seconds = (workers_cpu_seconds(pids.proxy) - proxy_before) if pids.proxy else None
    report = json.loads(output.strip().splitlines()[-1])
    if report["non_2xx"] or report["socket_errors"]:
        print(f"  warning: {url}: {report['non_2xx']} non-2xx answers, {report['socket_errors']} socket errors")
    requests = max(report["requests"], 1)
    result = {
        "rps": round(report["requests"] / (report["duration_us"] / 1e6), 1),
        "p50_ms": report["p50_us"] / 1000,
        "p95_ms": report["p95_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "requests": report["requests"],
        "cpu_ms": round(cpu_seconds * 1000 / requests, 3),
        "errors": report["non_2xx"] + report["socket_errors"],
    }
    if hit is not None:
        result["hit"] = hit
    if proxy_seconds is not None:
        result["proxy_cpu_ms"] = round(proxy_seconds * 1000 / requests, 4)
    return result


def average(first, second):
    """Two runs' figures averaged; a cache hit only if both were hits."""
    return {
        key: (first[key] and second[key]) if isinstance(first[key], bool) else round((first[key] + second[key]) / 2, 4)
        for key in first
    }


def worker_pids(master_pid):
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if f"\nPPid:\t{master_pid}\n" in status.read_text():
                pids.append(status.parent.name)
        except OSError:
            continue
    return pids


def workers_cpu_seconds(master_pid):
    """User and system CPU time used so far by the master's workers (for varnishd: its cache process)."""
    ticks = 0
    for pid in worker_pids(master_pid):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc_pid_stat)
    return ticks / os.sysconf("SC_CLK_TCK")


def rss_mib(pid):
    """A process's resident memory now, MiB (None once it has gone)."""
    try:
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    except (OSError, ValueError):
        return None
    return round(int(fields["VmRSS"].split()[0]) / 1024, 1)


def worker_rss_mib(master_pid):
    """The largest resident memory among gunicorn's workers (the master's children)."""
    sizes = [size for size in map(rss_mib, worker_pids(master_pid)) if size is not None]
    return max(sizes) if sizes else None


def growth(sites):
    """Large site over small site, per page and mode: p95 latency, throughput and CPU ratios."""
    small, large = sites["small"], sites["large"]
    table = {}
    for name, figures in large["pages"].items():
        table[name] = {
            mode: {
                "p95": round(figures[mode]["p95_ms"] / max(small["pages"][name][mode]["p95_ms"], 0.001), 2),
                "rps": round(figures[mode]["rps"] / max(small["pages"][name][mode]["rps"], 0.001), 2),
                "cpu": round(figures[mode]["cpu_ms"] / max(small["pages"][name][mode]["cpu_ms"], 0.001), 2),
            }
            for mode in MODES
        }
    return table


# Reporting -------------------------------------------------------------------------------------


def print_table(results):
    for size, site in results["sites"].items():
        counts = ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in site["counts"].items())
        static, proxied = site["static"], site["static_varnish"]
        print(
            f"\n{size} site ({counts}); the static file {static['rps']:,.0f} req/s from gunicorn (p95"
            f" {static['p95_ms']:.1f} ms), {proxied['rps']:,.0f} req/s from Varnish (p95 {proxied['p95_ms']:.1f} ms)"
        )
        print(
            f"  {'page':26} {'mode':7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'of static':>9}"
            f" {'CPU ms':>7}   {'KiB gzip / plain':>16}"
        )
        for name, figures in site["pages"].items():
            for mode in MODES:
                row = figures[mode]
                note = "" if row.get("hit", True) else "  (not a hit)"
                size_column = (
                    f"{kib(figures['bytes']['varnish']):>7} / {kib(figures['bytes']['plain']):<6}"
                    if mode == "cached"
                    else ""
                )
                print(
                    f"  {name:26} {mode:7} {row['rps']:8.0f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f}"
                    f" {row['p99_ms']:8.1f} {row['of_static']:9.0%} {row['cpu_ms']:7.2f}   {size_column}{note}"
                )
    print(
        "\n  'of static': against the static file from the same stack (gunicorn for cached and cold, Varnish"
        " for varnish). CPU ms: gunicorn's workers per request. KiB: the page as Varnish sends it to a client"
        " that accepts gzip, and uncompressed."
    )
    print_targets(results)
    print_memory(results)
    if "growth" in results:
        print("\nGrowth, large site over small (1.0 = no cost; target for p95: 1.5 or less):")
        print(f"  {'page':26} {'p95 cached':>10} {'p95 cold':>9} {'CPU per request, cold':>22}")
        for name, modes in results["growth"].items():
            print(
                f"  {name:26} {modes['cached']['p95']:10.2f} {modes['cold']['p95']:9.2f} {modes['cold']['cpu']:22.2f}"
            )
    print_phases(results)


def kib(size):
    return f"{size / 1024:.1f}"


def print_targets(results):
    """The issue's Varnish targets, site by site: every cached page at 80% or more of Varnish serving
    the static file, and the donate page as fast as any page through Varnish."""
    print(f"\nThrough Varnish (target: every page at {VARNISH_TARGET:.0%} or more of the static file from Varnish):")
    for size, site in results["sites"].items():
        if site["static_varnish"].get("hit") is False:
            print(
                f"  warning, {size} site: Varnish did not keep the static file (the site's rules store only what says"
                " s-maxage): its figure is gunicorn's through Varnish, not Varnish's ceiling"
            )
        shares = {name: figures["varnish"]["of_static"] for name, figures in site["pages"].items()}
        short = [f"{name} {share:.0%}" for name, share in shares.items() if share < VARNISH_TARGET]
        misses = [name for name, figures in site["pages"].items() if figures["varnish"].get("hit") is False]
        print(
            f"  {size} site: pages at {min(shares.values()):.0%}-{max(shares.values()):.0%} of the static file;"
            f" {len(shares) - len(short)} of {len(shares)} meet the target"
            + (f"; short: {', '.join(short)}" if short else "")
        )
        if misses:
            print(f"  {size} site: not kept by Varnish: {', '.join(misses)}")
        if "donate" in site["pages"]:
            donate = site["pages"]["donate"]["varnish"]["rps"]
            others = [figures["varnish"]["rps"] for name, figures in site["pages"].items() if name != "donate"]
            if others:
                print(
                    f"  {size} site: the donate page {donate:,.0f} req/s through Varnish, the other pages"
                    f" {min(others):,.0f}-{max(others):,.0f} (target: as fast as any)"
                )


def print_memory(results):
    target = results["memory_target_mib"]
    print(
        f"\nResident memory, MiB, read at the end of each run (target: under {target} MiB per web worker;"
        f" the largest of the {results['load']['workers']} is shown):"
    )
    print(
        f"  {'site':5} {'web, cached':>11} {'cold':>6} {'varnish':>8} {'target':>7}"
        f"   {'task worker, cached':>19} {'cold':>6} {'varnish':>8}   {'Varnish':>7}"
    )
    for size, site in results["sites"].items():
        web, task = site["worker_rss_mib"], site["task_worker_rss_mib"]
        met = all(web[mode] is not None and web[mode] < target for mode in MODES)
        print(
            f"  {size:5} {web['cached']!s:>11} {web['cold']!s:>6} {web['varnish']!s:>8} {'met' if met else 'MISSED':>7}"
            f"   {task['cached']!s:>19} {task['cold']!s:>6} {task['varnish']!s:>8}   {site.get('varnish_rss_mib')!s:>7}"
        )
    for size, site in results["sites"].items():
        tasks = site["tasks"]
        print(
            f"  {size} site before measuring: {tasks['queued_before_measuring']} tasks queued, {tasks['run']:,} run"
            f" by the worker in {tasks['seconds']}s (peak {tasks['worker_peak_rss_mib']} MiB),"
            f" {tasks['failed']} failed;"
            f" renditions made during measurement: {site['renditions']['made_during_measurement']}"
        )


def print_phases(results):
    total = results["total_seconds"]
    print("\nTime per phase:")
    for name, seconds in results["phases"].items():
        print(f"  {seconds:6.0f}s  {name}")
    print(
        f"  {total:6.0f}s  in all ({total // 60}m {total % 60:02d}s;"
        f" target: {TOTAL_TARGET_SECONDS // 60} minutes on a quiet 2-core machine)"
    )


def markdown_tables(results):
    """The latest figures as Markdown, for docs/bench.md."""
    load = results["load"]
    seconds = ", ".join(f"{value} s {mode}" for mode, value in load["seconds"].items())
    total = results["total_seconds"]
    lines = [
        f"Latest run: {results['generated_at']}, {results['machine']['cpus']} CPUs, {results['machine']['varnish']};"
        f" {load['workers']} gunicorn workers x 4 threads, wrk {load['connections']} connections ({seconds}),"
        f" every request accepting gzip; {total // 60} min {total % 60:02d} s in all.",
        "",
    ]
    for size, site in results["sites"].items():
        counts = ", ".join(f"{value:,} {name.replace('_', ' ')}" for name, value in site["counts"].items())
        static, proxied = site["static"], site["static_varnish"]
        memory = ", ".join(f"{site['worker_rss_mib'][mode]} MiB {mode}" for mode in MODES)
        lines += [
            f"**{size.capitalize()} site** ({counts}). The static stylesheet: {static['rps']:,.0f} req/s from gunicorn,"
            f" {proxied['rps']:,.0f} req/s from Varnish"
            f"{' (which did not keep it: not a ceiling)' if proxied.get('hit') is False else ''}."
            " Web workers' resident memory:"
            f" {memory} (target: under {results['memory_target_mib']} MiB).",
            "",
            "| page | cached: req/s (of static), p95 ms | cold: req/s, p95 ms, CPU ms | Varnish: req/s (of static),"
            " p95 ms | KiB gzip / plain |",
            "| --- | --- | --- | --- | --- |",
        ]
        for name, page in site["pages"].items():
            cached, cold, proxy = page["cached"], page["cold"], page["varnish"]
            missed = "" if proxy.get("hit", True) else " (not kept)"
            lines.append(
                f"| {name} | {cached['rps']:,.0f} ({cached['of_static']:.0%}), {cached['p95_ms']:.0f}"
                f" | {cold['rps']:,.0f}, {cold['p95_ms']:.0f}, {cold['cpu_ms']:.0f}"
                f" | {proxy['rps']:,.0f} ({proxy['of_static']:.0%}){missed}, {proxy['p95_ms']:.1f}"
                f" | {kib(page['bytes']['varnish'])} / {kib(page['bytes']['plain'])} |"
            )
        lines.append("")
    if "growth" in results:
        lines += [
            "**Growth**, large site over small (1.0: no cost; target for p95 1.5 or less):",
            "",
            "| page | p95, cached | p95, cold | CPU per request, cold | p95, Varnish |",
            "| --- | --- | --- | --- | --- |",
        ]
        for name, modes in results["growth"].items():
            lines.append(
                f"| {name} | {modes['cached']['p95']:.2f} | {modes['cold']['p95']:.2f} | {modes['cold']['cpu']:.2f}"
                f" | {modes['varnish']['p95']:.2f} |"
            )
        lines.append("")
    lines.append(
        "Time per phase: "
        + "; ".join(f"{name.split(':')[0].lower()} {seconds:.0f} s" for name, seconds in results["phases"].items())
        + "."
    )
    return "\n".join(lines)


def readme_summary(results):
    """One line per page for the README: the figures a reader compares first, both sites side by side
    (the full tables are in docs/bench.md)."""
    sites = results["sites"]
    small, large = sites.get("small"), sites.get("large")
    total = results["total_seconds"]
    lines = [
        f"Latest `make bench`: {results['generated_at'][:16].replace('T', ' ')} UTC,"
        f" {results['machine']['cpus']} CPUs, {total // 60} min {total % 60:02d} s in all."
        " Through Varnish as a share of Varnish serving the static stylesheet (target 80 % or more); cold:"
        " gunicorn with the page cache off, worker CPU per request; growth: the large site's cold p95 over"
        " the small site's (target 1.5 or less).",
        "",
        "| page | Varnish, small / large | cold CPU ms, small / large | growth, cold p95 |",
        "| --- | --- | --- | --- |",
    ]
    for name in (small or large)["pages"]:
        pair = [site["pages"].get(name) if site else None for site in (small, large)]
        varnish = " / ".join(varnish_share(page) for page in pair)
        cpu = " / ".join(f"{page['cold']['cpu_ms']:.0f}" if page else "-" for page in pair)
        grown = results.get("growth", {}).get(name)
        growth_p95 = f"{grown['cold']['p95']:.2f}" if grown else "-"
        lines.append(f"| {name} | {varnish} | {cpu} | {growth_p95} |")
    lines += ["", "![The latest benchmark chart](docs/benchmark/chart.png)"]
    return "\n".join(lines)


def varnish_share(page):
    if page is None:
        return "-"
    proxied = page["varnish"]
    return f"{proxied['of_static']:.0%}" + ("" if proxied.get("hit", True) else " (not kept)")


def update_docs(results, path):
    """Replace the tables between the markers in docs/bench.md with this run's."""
    update_between(path, DOCS_START, DOCS_END, markdown_tables(results))


def update_between(path, start, end, text):
    """Replace what lies between two marker lines in a Markdown file."""
    current = path.read_text()
    if start not in current or end not in current:
        print(f"  note: {path} has no markers for the figures; left as it is")
        return
    before, rest = current.split(start, 1)
    _old, after = rest.split(end, 1)
    path.write_text(f"{before}{start}\n{text}\n{end}{after}")


def draw_chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot, ticker

    sites = results["sites"]
    names = list(next(iter(sites.values()))["pages"])
    series = [(size, mode) for mode in MODES for size in sites]
    figure, (throughput, latency, weight) = pyplot.subplots(
        3, 1, figsize=(13, 12), constrained_layout=True, height_ratios=(3, 3, 2)
    )
    width = 0.8 / len(series)
    colours = {
        ("small", "cached"): "#7fa7c4",
        ("large", "cached"): "#12395b",
        ("small", "cold"): "#e0a36a",
        ("large", "cold"): "#8a4b0f",
        ("small", "varnish"): "#85c285",
        ("large", "varnish"): "#1f6b2a",
    }
    for index, (size, mode) in enumerate(series):
        positions = [number + (index - (len(series) - 1) / 2) * width for number in range(len(names))]
        style = {"color": colours[size, mode], "edgecolor": "white", "linewidth": 0.3}
        label = f"{size} site, {mode}"
        throughput.bar(
            positions, [sites[size]["pages"][n][mode]["of_static"] * 100 for n in names], width, label=label, **style
        )
        latency.bar(positions, [sites[size]["pages"][n][mode]["p95_ms"] for n in names], width, label=label, **style)
    throughput.axhline(
        VARNISH_TARGET * 100, color="#1f6b2a", linestyle="--", linewidth=1, label="target through Varnish: 80%"
    )
    throughput.axhline(50, color="#a4262c", linestyle=":", linewidth=1, label="50% of static")
    throughput.set_ylabel("throughput, % of the static file")
    throughput.set_title(
        "Requests per second as a share of the static file served by the same stack (gunicorn, or Varnish in front)"
    )
    latency.set_ylabel("p95 latency, ms (log scale)")
    latency.set_yscale("log")
    # 1, 2, 5, 10, 20, 50... ms, written as plain numbers.
    latency.yaxis.set_major_locator(ticker.LogLocator(subs=(1, 2, 5)))
    latency.yaxis.set_major_formatter(ticker.FormatStrFormatter("%g"))
    latency.yaxis.set_minor_formatter(ticker.NullFormatter())
    latency.set_title("95th percentile latency")
    first = next(iter(sites.values()))["pages"]
    positions = range(len(names))
    weight.bar(
        [p - 0.2 for p in positions],
        [first[n]["bytes"]["plain"] / 1024 for n in names],
        0.4,
        color="#b9b9b9",
        label="uncompressed",
    )
    weight.bar(
        [p + 0.2 for p in positions],
        [first[n]["bytes"]["varnish"] / 1024 for n in names],
        0.4,
        color="#5a5a5a",
        label="sent to a client that accepts gzip (through Varnish)",
    )
    weight.set_ylabel("KiB")
    weight.set_title(f"Bytes per page ({next(iter(sites))} site)")
    for axes in (throughput, latency, weight):
        axes.set_xticks(range(len(names)), names, rotation=25, ha="right", fontsize=8)
        axes.grid(axis="y", alpha=0.3)
    throughput.legend(fontsize=8, ncols=4)
    weight.legend(fontsize=8)
    load = results["load"]
    seconds = ", ".join(f"{mode} {value}s" for mode, value in load["seconds"].items())
    figure.suptitle(
        f"make bench, {results['generated_at']}: {results['machine']['cpus']} CPUs, {load['workers']} gunicorn workers,"
        f" wrk {load['connections']} connections per page ({seconds})"
    )
    figure.savefig(path, dpi=100)


if __name__ == "__main__":
    main()
