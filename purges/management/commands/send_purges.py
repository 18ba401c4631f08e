from django.core.management.base import BaseCommand

from purges.tasks import send_unconfirmed


class Command(BaseCommand):
    help = "Send every purge no edge cache has confirmed yet (after the worker was down)."

    def handle(self, *args, **options):
        sent = send_unconfirmed()
        self.stdout.write(f"Sent {sent} waiting purge(s).")
