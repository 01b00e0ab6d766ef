import math
import re

from django import forms
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django_otp import verify_token
from django_otp.models import VerifyNotAllowed

from . import authenticator, backup_device

AUTHENTICATOR_CODE = re.compile(r"\d{6}")


def normalise(code):
    """People type codes with spaces or hyphens, and backup codes in capitals."""
    return re.sub(r"[\s-]", "", code).lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=40,
        help_text="The six digits your authenticator app shows now, or one of your backup codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}),
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def candidate(self, code):
        """Six digits are for the app, anything else is a backup code: each wrong code is counted
        against the one device it was meant for, never against both."""
        return authenticator(self.user) if AUTHENTICATOR_CODE.fullmatch(code) else backup_device(self.user)

    def clean_code(self):
        code = normalise(self.cleaned_data["code"])
        device = self.candidate(code)
        if device is None:
            raise forms.ValidationError("That code is not right. Check the time on your phone and try again.")
        allowed, details = device.verify_is_allowed()
        if not allowed:
            raise forms.ValidationError(self.wait_message(details))
        verified = verify_token(self.user, device.persistent_id, code)
        if verified is None:
            raise forms.ValidationError("That code is not right. Check the time on your phone and try again.")
        self.device = verified
        return code

    @staticmethod
    def wait_message(details):
        if details and details.get("reason") == VerifyNotAllowed.N_FAILED_ATTEMPTS and "locked_until" in details:
            seconds = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
            return f"Too many wrong codes. Try again in {_duration(seconds)}."
        return "Codes cannot be checked for this account just now. Try again later."


def _duration(seconds):
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= 2 * size:
            count = round(seconds / size)
            return f"{count} {unit}s"
    return f"{seconds} second{pluralize(seconds)}"


class SetupForm(CodeForm):
    """The first code from a newly scanned app: proves the app and the site share the key."""

    code = forms.CharField(
        label="Six-digit code from the app",
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def __init__(self, user, device, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.pending = device

    def candidate(self, code):
        return self.pending
