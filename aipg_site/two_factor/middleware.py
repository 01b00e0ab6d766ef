from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from . import has_authenticator, needs_second_factor

# Pages a signed-in user who has not yet given a code can still reach: signing out, giving the
# code, setting up the app, and what those pages load.
OPEN_BEFORE_VERIFICATION = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "aipg_two_factor_verify",
    "aipg_two_factor_setup",
}


class SecondFactorMiddleware:
    """After django-otp's OTPMiddleware: in the admin, someone who needs a second factor and has not
    given one in this session is sent to give it, or to set up an app the first time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not settings.TWO_FACTOR_REQUIRED:
            return None
        if not request.path_info.startswith(reverse("wagtailadmin_home")):
            return None
        if request.resolver_match.url_name in OPEN_BEFORE_VERIFICATION:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        # Someone who set up an app of their own accord is held to it too.
        enrolled = has_authenticator(user)
        if not (enrolled or needs_second_factor(user)):
            return None
        step = "aipg_two_factor_verify" if enrolled else "aipg_two_factor_setup"
        return redirect_to_login(request.get_full_path(), reverse(step))
