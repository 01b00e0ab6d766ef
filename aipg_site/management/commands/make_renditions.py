from django.core.management.base import BaseCommand, CommandError

from aipg_site.models import SiteImage
from aipg_site.renditions import STORAGE_ERRORS, make_renditions


class Command(BaseCommand):
    help = (
        "Queue the making of every image's public renditions (aipg_site/renditions.py) for the task worker; "
        "with --now, make them here. Run it after a deploy that changes the list, or on a site whose images "
        "were uploaded before renditions were made ahead. Images whose renditions exist cost one query."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Make the renditions in this process, one image after another, instead of queueing them.",
        )

    def handle(self, *args, now, verbosity, **options):
        image_ids = list(SiteImage.objects.order_by("pk").values_list("pk", flat=True))
        if not now:
            for image_id in image_ids:
                make_renditions.enqueue(image_id)
            self.stdout.write(
                f"Queued the renditions of {len(image_ids)} images for the task worker (manage.py run_worker)."
            )
            return

        failed = []
        for image_id in image_ids:
            try:
                make_renditions.call(image_id)
            except STORAGE_ERRORS as error:
                # One unreadable file must not keep the others from their renditions.
                self.stderr.write(f"Image {image_id}: {error}")
                failed.append(image_id)
            else:
                if verbosity > 1:
                    self.stdout.write(f"Image {image_id}: done.")
        if failed:
            raise CommandError(f"{len(failed)} images failed: {', '.join(map(str, failed))}. Run the command again.")
        self.stdout.write("Every image has its renditions.")
