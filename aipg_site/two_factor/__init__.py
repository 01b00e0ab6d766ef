"""Two-step verification for the people who can see donors or hand out that right.

After the password (counted by django-axes), a superuser, anyone who can view or export donations,
and anyone who can change users gives a six-digit code from an authenticator app, or one of ten
single-use backup codes, before the admin opens. django-otp does the cryptography, the replay
protection and the throttling (each wrong code doubles the wait before the next is checked); this
package is the Wagtail side: who must, the pages, and the middleware that sends them there.

`TWO_FACTOR_REQUIRED` switches it on (production's default); `TWO_FACTOR_PERMISSIONS` names who,
besides superusers, needs it. A lost phone: the backup codes, or `manage.py reset_two_factor`.
"""

from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

BACKUP_CODE_COUNT = 10
AUTHENTICATOR_NAME = "Authenticator app"
BACKUP_CODES_NAME = "Backup codes"


def needs_second_factor(user):
    if not (settings.TWO_FACTOR_REQUIRED and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or any(user.has_perm(permission) for permission in settings.TWO_FACTOR_PERMISSIONS)


def has_authenticator(user):
    return user_has_device(user, confirmed=True)


def authenticator(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def backup_device(user):
    return StaticDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_authenticator(user):
    """The device being set up: made once, so a reload shows the same key the app may have scanned."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)


@transaction.atomic
def confirm_authenticator(device):
    """The code matched: this device replaces any earlier one, and fresh backup codes are made."""
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return new_backup_codes(device.user)


@transaction.atomic
def new_backup_codes(user):
    """Ten new single-use codes; any earlier ones stop working. Returned once, to be shown once."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_CODES_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def reset(user):
    """Forget every device: the user sets up a new one at their next login."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
