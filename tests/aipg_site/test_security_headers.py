import json

import pytest


def test_public_pages_send_a_strict_policy(client, home):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_the_admin_may_frame_its_own_previews(admin_client, home):
    response = admin_client.get("/admin/")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_a_preview_keeps_the_public_policy_but_may_be_framed_by_the_admin(home):
    """Wagtail's preview view renders the page through the middleware with a dummy request for the
    page's address (`make_preview_request`, called here as the view calls it); with the public
    frame-ancestors 'none' the editor's preview panel stayed blank."""
    response = home.make_preview_request()
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_admin_avatars_ask_no_other_origin(admin_client, home):
    page = admin_client.get("/admin/").content.decode()
    assert "gravatar.com" not in page


def test_pages_switch_off_unused_features_and_keep_their_resources_to_themselves(client, home):
    response = client.get("/")
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]
    assert response["Cross-Origin-Resource-Policy"] == "same-origin"
    assert "report-uri /csp-report/" in response["Content-Security-Policy"]


def test_policy_violations_are_collected_in_the_log(client, caplog):
    report = {
        "csp-report": {
            "document-uri": "https://www.example.org/stories/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "https://evil.example/x.js",
        }
    }
    response = client.post("/csp-report/", json.dumps(report), content_type="application/csp-report")
    assert response.status_code == 204
    assert "blocked https://evil.example/x.js (script-src-elem) on https://www.example.org/stories/" in caplog.text


@pytest.mark.parametrize(
    ("body", "expected"), [("not json", 400), ('["a list"]', 400), ('{"csp-report": 1}', 400), ("x" * 9000, 413)]
)
def test_anything_that_is_not_a_report_is_refused(client, body, expected):
    assert client.post("/csp-report/", body, content_type="application/csp-report").status_code == expected
    assert client.get("/csp-report/").status_code == 405
