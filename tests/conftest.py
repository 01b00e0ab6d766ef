import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from wagtail.models import Page, Site

from aipg_site.models import NavigationSettings, OrganisationSettings

from .factories import HomePageFactory


def pytest_sessionstart(session):
    """On PostgreSQL, stop at once with a clear message when the server cannot be reached."""
    database = settings.DATABASES["default"]
    if "postgresql" not in database["ENGINE"]:
        return
    try:
        psycopg.connect(
            host=database["HOST"],
            port=database["PORT"] or 5432,
            user=database["USER"],
            dbname="postgres",
            password=database["PASSWORD"] or None,
            connect_timeout=5,
        ).close()
    except psycopg.OperationalError as error:
        pytest.exit(
            f"PostgreSQL is not reachable at {database['HOST']}:{database['PORT']} ({error}).\n"
            "The suite runs on PostgreSQL as well as SQLite and does not skip it: start the server "
            "(see README.md, 'Running against PostgreSQL and Redis') and run `make test` again.",
            returncode=3,
        )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(request):
    """With --reuse-db (`make check`), the SQLite test database is a file kept between runs, so the
    next run applies only new migrations instead of building the schema again. Without it, SQLite
    tests run in memory as Django makes them."""
    database = settings.DATABASES["default"]
    if request.config.getvalue("reuse_db") and database["ENGINE"] == "django.db.backends.sqlite3":
        folder = settings.BASE_DIR / "var"
        folder.mkdir(exist_ok=True)
        database.setdefault("TEST", {})["NAME"] = str(folder / "test-db.sqlite3")
    # Then pytest-django's own: a suffix per xdist process (test-db.sqlite3_gw0, _gw1).
    request.getfixturevalue("django_db_modify_db_settings_parallel_suffix")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Remembered listing facts and cached pages belong to the test that made them.
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded and generated files go to a throwaway folder, never the developer's media/.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def home(db):
    """A home page at the root of the default site, as `load_demo_content` leaves it."""
    root = Page.get_first_root_node()
    home = HomePageFactory(parent=root, slug="home-page")
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "testserver", "port": 80, "root_page": home, "site_name": "AIPG"},
    )
    # Wagtail's own migration leaves a "Welcome" placeholder page; tests do not want it.
    root.get_children().exclude(pk=home.pk).delete()
    organisation = OrganisationSettings.for_site(Site.objects.get(is_default_site=True))
    organisation.name = "Auschwitz Institute for the Prevention of Genocide and Mass Atrocities"
    organisation.short_name = "AIPG"
    organisation.save()
    # As the demo leaves it: the menu settings exist, so no request creates them (which would purge).
    NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    return Page.objects.get(pk=home.pk).specific


@pytest.fixture
def admin_client(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "a-long-password")
    client.force_login(user)
    return client
