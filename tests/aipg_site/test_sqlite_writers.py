"""The embedded default (`make run`, SQLite) has two writers, the web server and the task worker:
two transactions that read and then write at the same time must both succeed, one waiting for the
other, where SQLite's defaults fail one at once with "database is locked"."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Reads, then writes while the other transaction holds its read: the pattern of a publish
# meeting an autosave, or a webhook meeting the worker.
READ_THEN_WRITE = """
import sys, time
import django
django.setup()
from django.db import connection, transaction
time.sleep(float(sys.argv[1]))
with transaction.atomic():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM visits")
        time.sleep(1.0)
        cursor.execute("INSERT INTO visits VALUES (1)")
        time.sleep(1.0)
print("committed")
"""


def test_two_processes_that_read_then_write_both_commit(tmp_path):
    database = tmp_path / "site.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "aipg_site.settings.dev", "DATABASE_URL": f"sqlite:///{database}"}
    setup = (
        "import django; django.setup(); from django.db import connection; "
        "connection.cursor().execute('CREATE TABLE visits (n integer)')"
    )
    subprocess.run([sys.executable, "-c", setup], cwd=PROJECT_ROOT, env=env, check=True)

    writers = [
        subprocess.Popen(
            [sys.executable, "-c", READ_THEN_WRITE, delay],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for delay in ("0", "0.3")
    ]
    outputs = [writer.communicate(timeout=60)[0] for writer in writers]

    assert [writer.returncode for writer in writers] == [0, 0], outputs
    assert all("committed" in output for output in outputs)
