from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from aipg_site import two_factor


class Command(BaseCommand):
    help = (
        "Forget a user's authenticator app and backup codes (a lost phone): they set up a new app "
        "at their next sign-in. Their password is unchanged."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
        two_factor.reset(user)
        self.stdout.write(self.style.SUCCESS(f"{username} will set up two-step verification at their next sign-in."))
