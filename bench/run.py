"""`make bench`: build the small and the large site, serve each with gunicorn, measure with wrk.

For each site: a PostgreSQL database of its own (cloned from one migrated template), gunicorn under
production settings with the Redis cache, and for every page in `scenarios.PAGES` a timed wrk run
with the page cache on ("cached": anonymous visitors after the first) and off ("cold": every
request rendered), plus the static stylesheet through the same stack as the ceiling. Prints a
table, and writes the figures as JSON and a chart.

As in production, the background work is the task worker's: after generating each site the bench
runs its queued tasks (search and reference index, image renditions, document checks) with
`manage.py run_worker --batch`, makes any image rendition still missing (`make_renditions --now`),
and checks that nothing is left queued; during measurement one `run_worker` runs beside each
gunicorn. It reports the resident memory of the web workers against `MEMORY_TARGET_MIB`, and of
the task workers.

`--quick` checks the bench itself in a couple of minutes: the small site only, `QUICK_PAGES` for 1 s
each, written to var/bench/quick (docs/benchmark keeps the record of the last full run).
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MODES = ("cached", "cold")
# The sites `scenarios.SIZES` describes (run.py stays free of Django, so it does not import it).
SIZES = ("small", "large")
# What `--quick` measures: pages with images (renditions), listings and search (the search index).
QUICK_PAGES = ("home", "story", "story, in Spanish", "resource library", "search")
# Resident memory each gunicorn worker should stay under (one making AVIF renditions in a request
# grew from about 165 to 300 MiB, and kept it).
MEMORY_TARGET_MIB = 200


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--database", required=True, help="PostgreSQL URL; its name is the prefix of the bench databases"
    )
    parser.add_argument("--redis", required=True, help="Redis URL of a database the bench may flush")
    parser.add_argument("--seconds", type=int, help="length of each wrk run (default: 4; 1 with --quick)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--port", type=int, default=8190)
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
    if options.seconds is None:
        options.seconds = 1 if options.quick else 4
    if options.out is None:
        options.out = work / "quick" if options.quick else PROJECT_ROOT / "docs" / "benchmark"
    check_services(options)
    started = time.monotonic()
    environment = base_environment(options, work)
    print("== Collecting static files")
    manage(environment, "collectstatic", "--noinput", "-v0")
    print("== Migrating a template database")
    recreate_database(options.database, "template")
    manage(environment, "migrate", "--noinput", "-v0")

    results = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load": {"seconds": options.seconds, "connections": options.connections, "workers": options.workers},
        "quick": options.quick,
        "memory_target_mib": MEMORY_TARGET_MIB,
        "sites": {},
    }
    # Both sites are built first and then measured side by side, page by page: a machine that gets
    # busier or quieter during the run moves both sites' figures, not the ratio between them.
    sites = {}
    for number, size in enumerate(sizes):
        print(f"== Generating the {size} site")
        recreate_database(options.database, size, template="template")
        port = options.port + number
        site_environment = {
            **environment,
            "DATABASE_URL": database_url(options.database, size),
            "MEDIA_ROOT": str(work / f"media-{size}"),
            "CACHE_KEY_PREFIX": f"bench-{size}",
            "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
        }
        shutil.rmtree(work / f"media-{size}", ignore_errors=True)
        manifest_path = work / f"manifest-{size}.json"
        subprocess.run(
            [sys.executable, "-m", "bench.generate", size, str(manifest_path)],
            cwd=PROJECT_ROOT,
            env=site_environment,
            check=True,
        )
        print(f"== Running the {size} site's queued tasks (run_worker --batch), then any missing renditions")
        tasks = run_queued_tasks(site_environment, database_url(options.database, size))
        sites[size] = Site(size, port, site_environment, json.loads(manifest_path.read_text()), tasks)
    results["sites"] = measure_sites(options, sites)
    drop_database(options.database, "template")

    if len(sites) > 1:
        results["growth"] = growth(results["sites"])
    results["total_seconds"] = round(time.monotonic() - started)
    options.out.mkdir(parents=True, exist_ok=True)
    (options.out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    draw_chart(results, options.out / "chart.png")
    print(f"\nFigures: {options.out / 'results.json'}; chart: {options.out / 'chart.png'}")


# Services --------------------------------------------------------------------------------------


def check_services(options):
    missing = []
    if not shutil.which("wrk"):
        missing.append("wrk is not installed (make bench installs it with apt-get)")
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


# Tasks -----------------------------------------------------------------------------------------


def run_queued_tasks(environment, url):
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
    print(f"  {counts['done']} tasks run, {counts['failed']} failed, in {seconds}s; the worker peaked at {peak} MiB")
    return {"seconds": seconds, "worker_peak_rss_mib": peak, "run": counts["done"], "failed": counts["failed"]}


def run_worker_batch(environment):
    """`run_worker --batch`: every ready task, then exit. Returns the worker's peak resident memory, MiB."""
    worker = subprocess.Popen(
        # -v0: not a line per task (failures are still logged, and counted below).
        [sys.executable, "manage.py", "run_worker", "--batch", "--no-reload", "-v0"],
        cwd=PROJECT_ROOT,
        env=environment,
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
        [sys.executable, "manage.py", "run_worker", "--no-reload", "-v0"], cwd=PROJECT_ROOT, env=environment
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


@dataclass
class Site:
    size: str
    port: int
    environment: dict
    manifest: dict
    tasks: dict

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"


def measure_sites(options, sites):
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
        print(f"== Measuring, page cache {'on' if mode == 'cached' else 'off'} ({mode})")
        redis.Redis.from_url(options.redis).flushdb()
        cache_seconds = "600" if mode == "cached" else "0"
        servers = {}
        task_workers = {}
        try:
            for size, site in sites.items():
                environment = {**site.environment, "PAGE_CACHE_SECONDS": cache_seconds}
                task_workers[size] = start_task_worker(environment)
                servers[size] = start_gunicorn(options, environment, site)
            static_before = {}
            if mode == "cached":
                static_before = {
                    size: load(options, site.base + site.manifest["static"], servers[size].pid)
                    for size, site in sites.items()
                }
            for name, _path in next(iter(sites.values())).manifest["pages"]:
                if options.pages and name not in options.pages:
                    continue
                for size, site in sites.items():
                    path = dict(site.manifest["pages"])[name]
                    result = load(options, site.base + path, servers[size].pid, expect_cache=mode == "cached")
                    figures[size]["pages"].setdefault(name, {"path": path})[mode] = result
                    print(
                        f"  {mode:6} {size:5} {name:26} {result['rps']:8.0f} req/s  p95 {result['p95_ms']:7.1f} ms"
                        f"  CPU {result['cpu_ms']:6.2f} ms/request"
                    )
            if mode == "cached":
                # Measured before and after the pages, so a machine that gets busier (or quieter)
                # during the run moves the ceiling with the pages.
                for size, site in sites.items():
                    static_after = load(options, site.base + site.manifest["static"], servers[size].pid)
                    figures[size]["static"] = {
                        "path": site.manifest["static"],
                        **average(static_before[size], static_after),
                    }
            for size, server in servers.items():
                figures[size]["worker_rss_mib"][mode] = worker_rss_mib(server.pid)
                if task_workers[size].poll() is not None:
                    print(f"  warning: the {size} site's task worker exited ({task_workers[size].returncode})")
                figures[size]["task_worker_rss_mib"][mode] = rss_mib(task_workers[size].pid)
        finally:
            for process in [*servers.values(), *task_workers.values()]:
                process.terminate()
            for process in [*servers.values(), *task_workers.values()]:
                process.wait(20)
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
                page[mode]["of_static"] = round(page[mode]["rps"] / site["static"]["rps"], 3)
    return figures


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
    ]
    server = subprocess.Popen(command, cwd=PROJECT_ROOT, env=environment)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn exited at start; see its output above")
        try:
            urllib.request.urlopen(site.base + "/robots.txt", timeout=2)
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer within 30s")


def load(options, url, master_pid, expect_cache=False):
    """One warming request (it must succeed), then a timed wrk run.

    Besides wrk's figures, the CPU time gunicorn's workers spent per request: on a shared machine
    latency moves with the neighbours' load, the work a request costs much less."""
    with urllib.request.urlopen(url, timeout=60) as response:
        if response.status != 200:
            sys.exit(f"{url} answered {response.status}")
    if expect_cache:
        with urllib.request.urlopen(url, timeout=60) as response:
            if response.headers.get("X-Page-Cache") != "hit":
                print(f"  note: {url} is not served from the page cache")
    # Requests still running from the previous page's run would slow this one down.
    time.sleep(0.5)
    cpu_before = workers_cpu_seconds(master_pid)
    output = subprocess.run(
        [
            shutil.which("wrk"),
            "--threads=2",
            f"--connections={options.connections}",
            f"--duration={options.seconds}s",
            "--timeout=10s",
            f"--script={Path(__file__).with_name('wrk_report.lua')}",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu_seconds = workers_cpu_seconds(master_pid) - cpu_before
    report = json.loads(output.strip().splitlines()[-1])
    if report["non_2xx"] or report["socket_errors"]:
        print(f"  warning: {url}: {report['non_2xx']} non-2xx answers, {report['socket_errors']} socket errors")
    return {
        "rps": round(report["requests"] / (report["duration_us"] / 1e6), 1),
        "p50_ms": report["p50_us"] / 1000,
        "p95_ms": report["p95_us"] / 1000,
        "p99_ms": report["p99_us"] / 1000,
        "requests": report["requests"],
        "cpu_ms": round(cpu_seconds * 1000 / max(report["requests"], 1), 3),
        "errors": report["non_2xx"] + report["socket_errors"],
    }


def average(first, second):
    return {key: round((first[key] + second[key]) / 2, 3) for key in first}


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
    """User and system CPU time used so far by the master's workers."""
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
        static = site["static"]
        print(f"\n{size} site ({counts}); static file {static['rps']:.0f} req/s, p95 {static['p95_ms']:.1f} ms")
        print(
            f"  {'page':26} {'mode':6} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'of static':>9}"
            f" {'CPU ms':>7}"
        )
        for name, figures in site["pages"].items():
            for mode in MODES:
                row = figures[mode]
                print(
                    f"  {name:26} {mode:6} {row['rps']:8.0f} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f}"
                    f" {row['p99_ms']:8.1f} {row['of_static']:9.0%} {row['cpu_ms']:7.2f}"
                )
    print_memory(results)
    if "growth" not in results:
        return
    print("\nGrowth, large site over small (1.0 = no cost; target for p95: 1.5 or less):")
    print(f"  {'page':26} {'p95 cached':>10} {'p95 cold':>9} {'CPU per request, cold':>22}")
    for name, modes in results["growth"].items():
        print(f"  {name:26} {modes['cached']['p95']:10.2f} {modes['cold']['p95']:9.2f} {modes['cold']['cpu']:22.2f}")


def print_memory(results):
    target = results["memory_target_mib"]
    print(
        f"\nResident memory, MiB, read at the end of each run (target: under {target} MiB per web worker;"
        f" the largest of the {results['load']['workers']} is shown):"
    )
    print(f"  {'site':5} {'web, cached':>11} {'web, cold':>10} {'target':>7}   {'task worker, cached':>19} {'cold':>6}")
    for size, site in results["sites"].items():
        web, task = site["worker_rss_mib"], site["task_worker_rss_mib"]
        met = all(web[mode] is not None and web[mode] < target for mode in MODES)
        print(
            f"  {size:5} {web['cached']:>11} {web['cold']:>10} {'met' if met else 'MISSED':>7}"
            f"   {task['cached']:>19} {task['cold']:>6}"
        )
    for size, site in results["sites"].items():
        tasks = site["tasks"]
        print(
            f"  {size} site before measuring: {tasks['queued_before_measuring']} tasks queued, {tasks['run']:,} run"
            f" by the worker (peak {tasks['worker_peak_rss_mib']} MiB), {tasks['failed']} failed;"
            f" renditions made during measurement: {site['renditions']['made_during_measurement']}"
        )


def draw_chart(results, path):
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    sites = results["sites"]
    names = list(sites["small"]["pages"])
    series = [(size, mode) for mode in MODES for size in sites]
    figure, (throughput, latency) = pyplot.subplots(2, 1, figsize=(11, 8), constrained_layout=True)
    width = 0.8 / len(series)
    colours = {"small": "#5d8ba8", "large": "#12395b"}
    for index, (size, mode) in enumerate(series):
        positions = [number + (index - (len(series) - 1) / 2) * width for number in range(len(names))]
        style = {"color": colours[size], "hatch": "//" if mode == "cold" else None, "edgecolor": "white"}
        label = f"{size} site, {mode}"
        throughput.bar(
            positions, [sites[size]["pages"][n][mode]["of_static"] * 100 for n in names], width, label=label, **style
        )
        latency.bar(positions, [sites[size]["pages"][n][mode]["p95_ms"] for n in names], width, label=label, **style)
    throughput.axhline(50, color="#a4262c", linestyle="--", linewidth=1, label="target: 50% of static")
    throughput.set_ylabel("throughput, % of the static file")
    throughput.set_title("Requests per second as a share of the static file served by the same stack")
    latency.set_ylabel("p95 latency, ms (log scale)")
    latency.set_yscale("log")
    latency.set_title("95th percentile latency")
    for axes in (throughput, latency):
        axes.set_xticks(range(len(names)), names, rotation=20, ha="right")
        axes.grid(axis="y", alpha=0.3)
    throughput.legend(fontsize=8, ncols=3)
    load = results["load"]
    figure.suptitle(
        f"make bench, {results['generated_at']}: {results['machine']['cpus']} CPUs, "
        f"{load['workers']} gunicorn workers, wrk {load['connections']} connections x {load['seconds']}s per page"
    )
    figure.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
