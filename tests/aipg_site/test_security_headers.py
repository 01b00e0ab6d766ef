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
