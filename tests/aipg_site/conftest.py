import pytest
from django.db import connection


@pytest.fixture
def database_url(transactional_db):
    """The test database's address, for the app servers and workers a test starts in other processes.
    They need PostgreSQL: SQLite's test database lives in this process's memory."""
    if connection.vendor != "postgresql":
        pytest.fail("This test starts other processes on the test database and needs PostgreSQL: run it with "
                    "DATABASE_URL=postgres://... (make test does).")  # fmt: skip
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
