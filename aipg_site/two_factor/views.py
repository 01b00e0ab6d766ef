"""The pages of two-step verification: give a code, set up an app, see and renew backup codes."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django.views.generic import TemplateView
from django_otp import login as otp_login
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import authenticator, backup_device, confirm_authenticator, has_authenticator, new_backup_codes
from . import pending_authenticator as get_pending_authenticator
from .forms import CodeForm, SetupForm

# Backup codes are shown once, on the page after they are made, then only their count.
NEW_CODES_SESSION_KEY = "aipg_two_factor_new_backup_codes"


def next_url(request):
    """Where to go once verified: the page that asked, if it is on this site, else the dashboard."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url("wagtailadmin_home")


def signed_in(request, device):
    # A new session key with the raised trust, so one captured before the code is worth less.
    request.session.cycle_key()
    otp_login(request, device)


@never_cache
@sensitive_post_parameters("code")
@login_required(login_url="wagtailadmin_login")
@require_http_methods(["GET", "POST"])
def verify(request):
    user = request.user
    if user.is_verified():
        return redirect(next_url(request))
    if not has_authenticator(user):
        return redirect(f"{reverse('aipg_two_factor_setup')}?{request.GET.urlencode()}")
    form = CodeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        signed_in(request, form.device)
        if form.device == backup_device(user):
            remaining = form.device.token_set.count()
            messages.warning(request, f"You used a backup code: {remaining} left. Make new ones under Account.")
        return redirect(next_url(request))
    return render(request, "aipg_site/two_factor/verify.html", {"form": form, "next": next_url(request)})


@never_cache
@sensitive_post_parameters("code")
@login_required(login_url="wagtailadmin_login")
@require_http_methods(["GET", "POST"])
def setup(request):
    user = request.user
    # Replacing an app needs a code from the current one first: a password alone never changes it.
    if has_authenticator(user) and not user.is_verified():
        return redirect(f"{reverse('aipg_two_factor_verify')}?{request.GET.urlencode()}")
    device = get_pending_authenticator(user)
    form = SetupForm(user, device, request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = confirm_authenticator(device)
        signed_in(request, device)
        request.session[NEW_CODES_SESSION_KEY] = codes
        return redirect(f"{reverse('aipg_two_factor_manage')}?next={next_url(request)}")
    return render(
        request,
        "aipg_site/two_factor/setup.html",
        {
            "form": form,
            "next": next_url(request),
            "qr_code": qr_code_svg(device.config_url),
            "key": " ".join(_groups(b32encode(device.bin_key).decode(), 4)),
            "replacing": has_authenticator(user),
        },
    )


class ManageView(WagtailAdminTemplateMixin, TemplateView):
    """Account → Two-step verification: whether it is set up, backup codes left, renew or replace."""

    page_title = "Two-step verification"
    header_icon = "key"
    template_name = "aipg_site/two_factor/manage.html"

    def post(self, request):
        if not has_authenticator(request.user):
            return redirect("aipg_two_factor_setup")
        request.session[NEW_CODES_SESSION_KEY] = new_backup_codes(request.user)
        messages.success(request, "New backup codes made. The old ones no longer work.")
        return redirect("aipg_two_factor_manage")

    def get_context_data(self, **kwargs):
        user = self.request.user
        backup = backup_device(user)
        return super().get_context_data(
            authenticator=authenticator(user),
            codes_left=backup.token_set.count() if backup else 0,
            new_codes=[" ".join(_groups(code, 4)) for code in self.request.session.pop(NEW_CODES_SESSION_KEY, [])],
            next=next_url(self.request) if "next" in self.request.GET else "",
            required=settings.TWO_FACTOR_REQUIRED,
            **kwargs,
        )

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


manage = never_cache(ManageView.as_view())


def qr_code_svg(data):
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, box_size=16, border=2)
    svg = image.to_string(encoding="unicode").replace("<svg ", '<svg role="img" aria-label="QR code for your app" ', 1)
    return mark_safe(svg)  # noqa: S308 - drawn here from the device's own key, nothing a user typed


def _groups(text, size):
    return [text[start : start + size] for start in range(0, len(text), size)]
