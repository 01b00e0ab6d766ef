"""Two-step verification: after the password, people who can see donors give a code from their phone."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from aipg_site import two_factor

PASSWORD = "a-long-password-for-the-editor"


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.TWO_FACTOR_REQUIRED = True


@pytest.fixture
def superuser(django_user_model, home):
    return django_user_model.objects.create_superuser("director", "director@example.org", PASSWORD)


def app_code(device):
    """What the app on the phone shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name="Phone", confirmed=True)
    return device, two_factor.new_backup_codes(user)


def signed_in_with_password(username="director"):
    client = Client()
    assert client.post("/admin/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def form_errors(response):
    page = BeautifulSoup(response.content, "html.parser")
    return " ".join(element.get_text(" ", strip=True) for element in page.select(".error, .error-message"))


def test_a_superuser_without_an_app_sets_one_up_before_the_admin_opens(superuser):
    client = signed_in_with_password()
    for address in ["/admin/", "/admin/pages/", "/admin/users/", "/admin/account/"]:
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/two-step/setup/?next=")

    setup = client.get("/admin/two-step/setup/?next=/admin/pages/")
    page = BeautifulSoup(setup.content, "html.parser")
    assert page.select_one("svg[role=img][aria-label]") is not None  # the QR code
    key = page.select_one("main ol code").get_text().replace(" ", "")
    device = TOTPDevice.objects.get(user=superuser, confirmed=False)
    assert key == device.config_url.split("secret=")[1].split("&")[0]
    assert client.get("/admin/two-step/setup/").content.count(key[:4].encode()) >= 1  # a reload keeps the key

    wrong = client.post("/admin/two-step/setup/", {"code": "000000", "next": "/admin/pages/"})
    assert "That code is not right" in form_errors(wrong)
    assert client.get("/admin/").status_code == 302

    device.refresh_from_db()
    device.throttle_reset()
    turned_on = client.post("/admin/two-step/setup/", {"code": app_code(device), "next": "/admin/pages/"})
    assert turned_on.status_code == 302
    codes_page = client.get(turned_on["Location"])
    codes = [code.get_text() for code in BeautifulSoup(codes_page.content, "html.parser").select("main ul code")]
    assert len(codes) == two_factor.BACKUP_CODE_COUNT
    assert BeautifulSoup(codes_page.content, "html.parser").find("a", string="I have kept them: continue")["href"] == (
        "/admin/pages/"
    )
    assert client.get("/admin/pages/").status_code == 200
    # Shown once: the next visit says how many are left, not what they are.
    again = client.get("/admin/account/two-step/").content.decode()
    assert codes[0] not in again
    assert "10 backup codes left" in again


def test_with_an_app_the_password_alone_leads_to_the_code_page_and_the_code_to_the_page_asked_for(superuser):
    device, _ = enrolled(superuser)
    client = signed_in_with_password()
    asked = client.get("/admin/pages/")
    assert asked["Location"] == "/admin/two-step/?next=/admin/pages/"
    assert client.post("/admin/two-step/", {"code": "123456", "next": "/admin/pages/"}).status_code == 200
    device.throttle_reset()

    code = app_code(device)
    verified = client.post("/admin/two-step/", {"code": code[:3] + " " + code[3:], "next": "/admin/pages/"})
    assert verified["Location"] == "/admin/pages/"
    assert client.get("/admin/pages/").status_code == 200

    # The same code, seen over a shoulder and typed in another session, is refused.
    thief = signed_in_with_password()
    replayed = thief.post("/admin/two-step/", {"code": code, "next": "/admin/"})
    assert "That code is not right" in form_errors(replayed)
    assert thief.get("/admin/").status_code == 302


def test_the_code_page_never_sends_a_verified_user_off_the_site(superuser):
    device, _ = enrolled(superuser)
    client = signed_in_with_password()
    verified = client.post("/admin/two-step/", {"code": app_code(device), "next": "https://evil.example/"})
    assert verified["Location"] == "/admin/"


def test_each_backup_code_works_once(superuser):
    _, codes = enrolled(superuser)
    first = signed_in_with_password()
    used = first.post("/admin/two-step/", {"code": codes[0].upper(), "next": "/admin/"}, follow=True)
    assert used.status_code == 200
    assert "You used a backup code: 9 left" in used.content.decode()

    second = signed_in_with_password()
    refused = second.post("/admin/two-step/", {"code": codes[0], "next": "/admin/"})
    assert "That code is not right" in form_errors(refused)


def test_wrong_codes_make_each_next_try_wait_longer_even_with_the_right_code(superuser, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # waits of 1, 2, 4... minutes, so the test's own pace cannot matter
    device, _ = enrolled(superuser)
    client = signed_in_with_password()
    client.post("/admin/two-step/", {"code": "111111", "next": "/admin/"})
    for attempt in ["222222", app_code(device)]:
        refused = client.post("/admin/two-step/", {"code": attempt, "next": "/admin/"})
        assert "Too many wrong codes. Try again in 60 seconds." in form_errors(refused)
    assert client.get("/admin/").status_code == 302

    # Within the wait nothing is checked, so the quick guess (and the right code) were never tried.
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # Once the wait has passed, the right code works.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=device.throttling_failure_timestamp - timedelta(seconds=61)
    )
    assert client.post("/admin/two-step/", {"code": app_code(device), "next": "/admin/"}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_backup_code_guess_is_counted_against_the_backup_codes_not_the_app(superuser):
    device, _ = enrolled(superuser)
    client = signed_in_with_password()
    client.post("/admin/two-step/", {"code": "notacode", "next": "/admin/"})
    assert client.post("/admin/two-step/", {"code": app_code(device), "next": "/admin/"}).status_code == 302


def test_who_is_asked(home, django_user_model):
    editor = django_user_model.objects.create_user("editor", "editor@example.org", PASSWORD)
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    finance = django_user_model.objects.create_user("finance", "finance@example.org", PASSWORD)
    finance.user_permissions.add(
        Permission.objects.get(codename="access_admin"), Permission.objects.get(codename="view_donation")
    )

    assert signed_in_with_password("editor").get("/admin/").status_code == 200
    assert signed_in_with_password("finance").get("/admin/")["Location"].startswith("/admin/two-step/setup/")

    # An editor who set up an app of their own accord is held to it.
    enrolled(editor)
    assert signed_in_with_password("editor").get("/admin/")["Location"].startswith("/admin/two-step/?next=")


def test_a_password_alone_cannot_replace_the_app(superuser):
    enrolled(superuser)
    client = signed_in_with_password()
    assert client.get("/admin/two-step/setup/")["Location"].startswith("/admin/two-step/")
    attempt = client.post("/admin/two-step/setup/", {"code": "123456"})
    assert attempt.status_code == 302
    assert not TOTPDevice.objects.filter(user=superuser, confirmed=False).exists()


def test_new_backup_codes_replace_the_old_ones(superuser):
    device, old_codes = enrolled(superuser)
    client = signed_in_with_password()
    client.post("/admin/two-step/", {"code": app_code(device), "next": "/admin/"})
    renewed = client.post("/admin/account/two-step/", follow=True)
    new_codes = [
        code.get_text().replace(" ", "")
        for code in BeautifulSoup(renewed.content, "html.parser").select("main ul code")
    ]
    assert len(new_codes) == 10

    later = signed_in_with_password()
    assert "That code is not right" in form_errors(later.post("/admin/two-step/", {"code": old_codes[1], "next": "/"}))
    two_factor.backup_device(superuser).throttle_reset()  # the second that one wrong code costs
    assert later.post("/admin/two-step/", {"code": new_codes[1], "next": "/admin/"}).status_code == 302


def test_a_lost_phone_is_reset_from_the_command_line(superuser):
    enrolled(superuser)
    call_command("reset_two_factor", "director")
    assert signed_in_with_password().get("/admin/")["Location"].startswith("/admin/two-step/setup/")


def test_switched_off_nobody_is_asked(superuser, settings):
    settings.TWO_FACTOR_REQUIRED = False
    enrolled(superuser)
    assert signed_in_with_password().get("/admin/").status_code == 200
