from django.core.management.base import BaseCommand

from partners import usage


class Command(BaseCommand):
    help = "Add the API request counts waiting in the cache to each partner's total."

    def handle(self, *args, **options):
        self.stdout.write(f"Added {usage.flush()} requests to the partners' totals.")
