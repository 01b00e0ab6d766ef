from django.core.management.base import BaseCommand, CommandError

from donations import reconcile, stripe_gateway, webhooks


class Command(BaseCommand):
    help = (
        "Apply what Stripe recorded (Checkout Sessions, paid invoices, refunds) in the last days and the "
        "ledger missed, as the hourly task does, and say what was repaired. Safe to run any number of times."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3, help="How far back to look (default 3; Stripe keeps 30+).")

    def handle(self, *args, days, **options):
        if not stripe_gateway.is_configured():
            raise CommandError("STRIPE_SECRET_KEY is not set: there is no Stripe account to reconcile with.")
        try:
            report = reconcile.reconcile(days)
        except (stripe_gateway.StripeError, webhooks.RetryLater) as error:
            raise CommandError(f"Stripe could not be reached: {error}") from error
        self.stdout.write(str(report))
