"""`make audit`: Lighthouse (audit/package.json) on the demo site, served as production serves it.

The demo content is loaded into a throwaway SQLite database, media go to a local S3 (moto), and
gunicorn serves the site under production settings with compressed, hashed static files. Each page
in PAGES is audited with Debian's Chromium (mobile, simulated throttling: Lighthouse's defaults);
the scores are printed, the reports kept in var/audit/, and the command fails below the targets.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import boto3

# "a story" is looked up in the demo database once it is loaded (its slug belongs to the demo content).
PAGES = [("home", "/"), ("a story", None), ("library", "/resources/"), ("donate", "/donate/"), ("about", "/about/")]
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WORK = PROJECT_ROOT / "var" / "audit"
BIN = Path(sys.executable).parent
LIGHTHOUSE = PROJECT_ROOT / "audit" / "node_modules" / ".bin" / "lighthouse"
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
BUCKET = "aipg-audit-media"
LIGHTHOUSE_ATTEMPTS = 3


def main():
    for tool in (LIGHTHOUSE, Path(CHROME)):
        if not tool.exists():
            sys.exit(f"make audit needs {tool}")
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
        wait_for(base + "/robots.txt")
        story = newest_story_with_image(environment)
        results = {name: audit(name, base + (path or story)) for name, path in PAGES}
    finally:
        for process in processes:
            process.terminate()
            process.wait(10)
    print_scores(results)


def newest_story_with_image(environment):
    """The page a shared link most often opens: a story with its hero image (the heaviest story)."""
    lookup = (
        "from stories.models import StoryPage; "
        "print(StoryPage.objects.live().exact_type(StoryPage).filter(hero_image__isnull=False)"
        ".order_by('-date').first().url)"
    )
    found = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", lookup],
        cwd=PROJECT_ROOT,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
    )
    return found.stdout.strip().splitlines()[-1]


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


def audit(name, url):
    # Once to warm the server (image renditions are made on first view), then the measured run.
    urllib.request.urlopen(url, timeout=120).read()
    report_base = WORK / name.replace(" ", "-")
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
    # Lighthouse sometimes loses the browser's trace on a busy machine ("NO_NAVSTART: Please run
    # Lighthouse again"): that is a failed measurement, not a failed page, so it is run again.
    for attempt in range(1, LIGHTHOUSE_ATTEMPTS + 1):
        if subprocess.run(command, env={**os.environ, "CHROME_PATH": CHROME}).returncode == 0:
            break
        if attempt == LIGHTHOUSE_ATTEMPTS:
            sys.exit(f"Lighthouse could not measure {url} in {LIGHTHOUSE_ATTEMPTS} attempts")
        print(f"Lighthouse failed on {url}; measuring again ({attempt + 1} of {LIGHTHOUSE_ATTEMPTS})")
    report = json.loads(Path(f"{report_base}.report.json").read_text())
    failing = [
        f"{audit['title']} ({audit['score']})"
        for audit in report["audits"].values()
        if audit.get("score") is not None and audit["score"] < 1 and audit.get("scoreDisplayMode") == "binary"
    ]
    return {
        "url": url,
        "scores": {key: round(category["score"] * 100) for key, category in report["categories"].items()},
        "failing": failing,
        "report": f"{report_base}.report.html",
    }


def print_scores(results):
    short = False
    print(f"\n{'page':12} " + " ".join(f"{category:>15}" for category in TARGETS))
    for name, result in results.items():
        print(f"{name:12} " + " ".join(f"{result['scores'][category]:>15}" for category in TARGETS))
        below = [category for category, target in TARGETS.items() if result["scores"][category] < target]
        if below:
            short = True
            print(f"  below target: {', '.join(below)}; failing checks: {'; '.join(result['failing']) or 'none'}")
        print(f"  report: {result['report']}")
    print("targets: " + ", ".join(f"{category} {target}" for category, target in TARGETS.items()))
    if short:
        sys.exit(1)


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
