"""Guessed passwords: five wrong ones lock that username out from that address for an hour."""

import pytest
from bs4 import BeautifulSoup
from django.test import Client

PASSWORD = "a-long-password-for-the-editor"


@pytest.fixture
def editor(django_user_model, home):
    return django_user_model.objects.create_superuser("editor", "editor@example.org", PASSWORD)


def log_in(client, password, **extra):
    return client.post("/admin/login/", {"username": "editor", "password": password}, **extra)


def test_five_wrong_passwords_lock_the_account_from_that_address(editor):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for attempt in range(5):
        assert log_in(guesser, f"guess-{attempt}").status_code in {200, 429}
    locked = log_in(guesser, PASSWORD)  # even the right password, now
    assert locked.status_code == 429
    assert "Too many attempts to log in" in locked.content.decode()
    # The editor, elsewhere, is not locked out by someone else's guesses.
    assert log_in(Client(REMOTE_ADDR="198.51.100.4"), PASSWORD).status_code == 302


def test_a_right_password_before_the_limit_clears_the_count(editor):
    client = Client(REMOTE_ADDR="203.0.113.9")
    for attempt in range(4):
        log_in(client, f"typo-{attempt}")
    assert log_in(client, PASSWORD).status_code == 302
    for attempt in range(4):
        log_in(Client(REMOTE_ADDR="203.0.113.9"), f"typo-{attempt}")
    assert log_in(Client(REMOTE_ADDR="203.0.113.9"), PASSWORD).status_code == 302


def test_behind_a_proxy_forged_forwarded_addresses_do_not_escape_the_count(editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for attempt in range(5):
        # The proxy appends the address it saw; whatever the client wrote before it is forgeable.
        log_in(Client(), f"guess-{attempt}", HTTP_X_FORWARDED_FOR=f"10.0.0.{attempt}, 203.0.113.9")
    assert log_in(Client(), PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.9").status_code == 429


def test_guesses_at_a_private_pages_password_are_counted(client, home, settings):
    from wagtail.models import PageViewRestriction

    from ..factories import StandardPageFactory

    settings.PAGE_PASSWORD_RATE_LIMIT = (3, 3600)
    private = StandardPageFactory(parent=home, title="Board minutes", slug="board")
    restriction = PageViewRestriction.objects.create(page=private, restriction_type="password", password="s3cret-pass")
    form_url = f"/_util/authenticate_with_password/{restriction.pk}/{private.pk}/"
    assert "password" in client.get(private.url).content.decode()

    answers = [
        client.post(form_url, {"password": f"guess-{n}", "return_url": private.url}).status_code for n in range(3)
    ]
    assert answers == [200, 200, 200]  # the form again, saying the password is wrong
    refused = client.post(form_url, {"password": "s3cret-pass", "return_url": private.url})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.4").post(form_url, {"password": "s3cret-pass", "return_url": private.url})
    assert other.status_code == 302


def test_the_members_login_and_password_forms_are_the_sites_own_pages(client, home, django_user_model):
    from wagtail.models import PageViewRestriction

    from ..factories import StandardPageFactory

    members = StandardPageFactory(parent=home, title="Members", slug="members")
    PageViewRestriction.objects.create(page=members, restriction_type="login")
    board = StandardPageFactory(parent=home, title="Board", slug="board")
    PageViewRestriction.objects.create(page=board, restriction_type="password", password="s3cret-pass")

    login = client.get(members.url, follow=True)
    assert "Log in to see this page" in login.content.decode()
    assert 'class="site-header' in login.content.decode() or "<header" in login.content.decode()
    password = client.get(board.url)
    assert "This page needs a password" in password.content.decode()
    action = BeautifulSoup(password.content, "html.parser").select_one("main form[method=post]")["action"]
    wrong = client.post(action, {"password": "nope", "return_url": board.url})
    assert wrong.content.decode().count("The password you have entered is not correct") == 1

    django_user_model.objects.create_user("member", "member@example.org", PASSWORD)
    logged_in = client.post("/_util/login/", {"username": "member", "password": PASSWORD, "next": members.url})
    assert logged_in.status_code == 302
    assert logged_in["Location"] == members.url


def test_guesses_at_a_private_collections_password_are_counted_with_the_pages(client, home, settings):
    from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

    from ..factories import LibraryDocumentFactory, StandardPageFactory

    settings.PAGE_PASSWORD_RATE_LIMIT = (3, 3600)
    board_papers = Collection.get_first_root_node().add_child(name="Board papers")
    restriction = CollectionViewRestriction.objects.create(
        collection=board_papers, restriction_type="password", password="s3cret-pass"
    )
    document = LibraryDocumentFactory(title="Minutes", collection=board_papers)
    assert "password" in client.get(document.url).content.decode()
    form_url = f"/documents/authenticate_with_password/{restriction.pk}/"

    assert client.post(form_url, {"password": "guess-1", "return_url": document.url}).status_code == 200
    private_page = StandardPageFactory(parent=home, title="Board", slug="board")
    page_restriction = PageViewRestriction.objects.create(page=private_page, restriction_type="password", password="x")
    page_form = f"/_util/authenticate_with_password/{page_restriction.pk}/{private_page.pk}/"
    assert client.post(page_form, {"password": "guess-2", "return_url": private_page.url}).status_code == 200
    assert client.post(form_url, {"password": "guess-3", "return_url": document.url}).status_code == 200

    refused = client.post(form_url, {"password": "s3cret-pass", "return_url": document.url})
    assert refused.status_code == 429
    assert "Too many attempts" in refused.content.decode()
    elsewhere = Client(REMOTE_ADDR="198.51.100.4")
    assert elsewhere.post(form_url, {"password": "s3cret-pass", "return_url": document.url}).status_code == 302
