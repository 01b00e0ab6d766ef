"""`make audit`: Lighthouse (audit/package.json) on the demo site, served as production serves it.

The demo content is loaded into a throwaway SQLite database, media go to a local S3 (moto), and
gunicorn serves the site under production settings with compressed, hashed static files. One page of
every page type in English and in Spanish, a filtered library and search results (found in the demo
database by audit/demo_pages.py) are audited one after another with Debian's Chromium (mobile,
simulated throttling: Lighthouse's defaults) against that one server; the scores are printed as a
table, the reports and results.json kept in var/audit/, and the command fails below the targets.
"""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3

TARGETS = {"performance": 100, "accessibility": 100, "best-practices": 100, "seo": 100}

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WORK = PROJECT_ROOT / "var" / "audit"
BIN = Path(sys.executable).parent
LIGHTHOUSE = PROJECT_ROOT / "audit" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
BUCKET = "aipg-audit-media"
LIGHTHOUSE_ATTEMPTS = 3
# Simulated throttling still starts from timings observed on this machine, so a page measured while
# other work runs can score below what it scores alone. A page under the performance target is
# measured twice more and the median of the three runs counts: one slow run fails nothing, two do.
PERFORMANCE_RUNS = 3
# Lighthouse's own figures behind the performance score, printed beside it.
METRICS = {"LCP": "largest-contentful-paint", "TBT": "total-blocking-time", "CLS": "cumulative-layout-shift"}


def main():
    for tool in (LIGHTHOUSE, Path(CHROME)):
        if not tool.exists():
            sys.exit(f"make audit needs {tool}")
    # Stopped from outside, it still stops the servers it started (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("make audit stopped"))
    shutil.rmtree(WORK, ignore_errors=True)
    WORK.mkdir(parents=True)
    processes = []
    try:
        s3_endpoint, moto = start_s3()
        processes.append(moto)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "aipg_site.settings.production",
            "SECRET_KEY": "audit-only-key-that-is-long-and-random-enough-0123456789-abcdefghijklmn",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{WORK / 'db.sqlite3'}",
            "SECURE_SSL_REDIRECT": "false",
            # Required in production; nothing here is mailed (a message would wait in the queue).
            "EMAIL_HOST": "127.0.0.1",
            "STATIC_ROOT": str(WORK / "static"),
            "WAGTAILADMIN_BASE_URL": base,
            "AWS_STORAGE_BUCKET_NAME": BUCKET,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_S3_ADDRESSING_STYLE": "path",
            "AWS_ACCESS_KEY_ID": "audit",
            "AWS_SECRET_ACCESS_KEY": "audit",
            "LOG_LEVEL": "WARNING",
        }
        # The worker drains the queue the demo content filled (search index, renditions) before the audit.
        setup = (
            ["migrate", "--noinput", "-v0"],
            ["load_demo_content"],
            ["run_worker", "--batch", "--no-reload", "-v0"],
            ["collectstatic", "--noinput", "-v0"],
        )
        for command in setup:
            subprocess.run([sys.executable, "manage.py", *command], cwd=PROJECT_ROOT, env=environment, check=True)
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "aipg_site.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                "--workers=2",
                "--no-control-socket",
            ],
            cwd=PROJECT_ROOT,
            env=environment,
        )
        processes.append(server)
        # Slow to start on a machine shared with other work: gunicorn imports the whole site.
        wait_for(base + "/robots.txt", timeout=180)
        results = [audit(page, base) for page in demo_pages(environment)]
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
    (WORK / "results.json").write_text(json.dumps(results, indent=2))
    (WORK / "scores.md").write_text(markdown_table(results))
    print_scores(results)


def demo_pages(environment):
    """What to audit, looked up in the demo database: [{"name", "language", "path"}, ...]."""
    found = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v0", "-c", (PROJECT_ROOT / "audit" / "demo_pages.py").read_text()],
        cwd=PROJECT_ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    return [json.loads(line) for line in found.stdout.splitlines() if line.startswith("{")]


def start_s3():
    port = free_port()
    endpoint = f"http://127.0.0.1:{port}"
    moto = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(endpoint)
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="audit",
        aws_secret_access_key="audit",  # noqa: S106 (a local moto, not a secret)
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    public_read = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"}
        ],
    }
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(public_read))
    return endpoint, moto


def audit(page, base):
    url = base + page["path"]
    # Once to warm the server (image renditions are made on first view), then the measured runs.
    html = urllib.request.urlopen(url, timeout=120).read().decode()
    # Search results and filtered lists ask search engines not to index them, on purpose (they would
    # fill an index with near copies of the listings): Lighthouse's "is-crawlable" check marks exactly
    # that as a fault, so on those pages SEO is scored on its other checks.
    kept_out_of_index = 'name="robots" content="noindex' in html
    label = f"{page['name']} ({page['language']})"
    report_base = WORK / f"{page['language']}-{page['name'].replace(' ', '-').replace(',', '')}"
    runs = [lighthouse(url, report_base, kept_out_of_index)]
    while runs[0]["scores"]["performance"] < TARGETS["performance"] and len(runs) < PERFORMANCE_RUNS:
        print(f"{label}: performance {runs[-1]['scores']['performance']}; measuring again")
        runs.append(lighthouse(url, report_base.with_name(f"{report_base.name}-{len(runs) + 1}"), kept_out_of_index))
    # The median run by performance (the only category that varies with the machine's load).
    counted = sorted(runs, key=lambda run: run["scores"]["performance"])[len(runs) // 2]
    return {
        **page,
        **counted,
        "url": url,
        "performance_runs": [run["scores"]["performance"] for run in runs],
        "kept_out_of_index": kept_out_of_index,
    }


def lighthouse(url, report_base, kept_out_of_index):
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={report_base}",
        "--only-categories=performance,accessibility,best-practices,seo",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-background-networking "
        "--disable-component-update --disable-sync",
    ]
    if kept_out_of_index:
        command.append("--skip-audits=is-crawlable")
    # Lighthouse sometimes loses the browser's trace on a busy machine ("NO_NAVSTART: Please run
    # Lighthouse again"): that is a failed measurement, not a failed page, so it is run again.
    for attempt in range(1, LIGHTHOUSE_ATTEMPTS + 1):
        # Lighthouse starts Chromium in a process group of its own, and closes it on SIGINT alone:
        # stopping the audit sends that, so no browser is left behind.
        with subprocess.Popen(command, env={**os.environ, "CHROME_PATH": CHROME}) as run:
            try:
                returncode = run.wait()
            except BaseException:
                run.send_signal(signal.SIGINT)
                run.wait(30)
                raise
        if returncode == 0:
            break
        if attempt == LIGHTHOUSE_ATTEMPTS:
            sys.exit(f"Lighthouse could not measure {url} in {LIGHTHOUSE_ATTEMPTS} attempts")
        print(f"Lighthouse failed on {url}; measuring again ({attempt + 1} of {LIGHTHOUSE_ATTEMPTS})")
    report = json.loads(Path(f"{report_base}.report.json").read_text())
    failing = [
        f"{audit['title']} ({audit['score']})"
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 1
        and audit.get("scoreDisplayMode") in ("binary", "metricSavings", "numeric")
    ]
    return {
        "scores": {key: round(category["score"] * 100) for key, category in report["categories"].items()},
        "metrics": {name: report["audits"][key]["displayValue"] for name, key in METRICS.items()},
        "failing": failing,
        "report": f"{report_base}.report.html",
    }


def print_scores(results):
    short = []
    columns = ["performance", "accessibility", "best-practices", "seo", *METRICS]
    print(f"\n{'page':22} {'lang':4} " + " ".join(f"{column:>14}" for column in columns))
    for result in results:
        cells = [result["scores"][category] for category in TARGETS] + list(result["metrics"].values())
        note = " *" if result["kept_out_of_index"] else ""
        print(f"{result['name']:22} {result['language']:4} " + " ".join(f"{cell:>14}" for cell in cells) + note)
        below = [category for category, target in TARGETS.items() if result["scores"][category] < target]
        if below:
            short.append(result)
            print(f"  below target: {', '.join(below)} (performance runs: {result['performance_runs']})")
            print(f"  not passed: {'; '.join(result['failing']) or 'none'}")
            print(f"  report: {result['report']}")
    print("* kept out of search engines (noindex) on purpose: SEO scored without Lighthouse's is-crawlable check")
    print("targets: " + ", ".join(f"{category} {target}" for category, target in TARGETS.items()))
    print(f"reports: {WORK}/ (scores.md: this table for docs/audit.md)")
    if short:
        sys.exit(f"{len(short)} of {len(results)} pages below target")


def markdown_table(results):
    """The scores as docs/audit.md shows them."""
    lines = [
        "| page | language | performance | accessibility | best practices | SEO | LCP | TBT | CLS |",
        "| --- | --- | --: | --: | --: | --: | --: | --: | --: |",
    ]
    for result in results:
        seo = f"{result['scores']['seo']}{' *' if result['kept_out_of_index'] else ''}"
        cells = [result["name"], result["language"], *(str(result["scores"][key]) for key in TARGETS)][:-1]
        cells += [seo, *(value.replace("\xa0", " ") for value in result["metrics"].values())]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{url} did not answer within {timeout}s")


if __name__ == "__main__":
    main()
