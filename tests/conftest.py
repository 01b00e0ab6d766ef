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
