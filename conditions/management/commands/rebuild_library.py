from django.core.management.base import BaseCommand

from conditions.library import rebuild_library


class Command(BaseCommand):
    help = (
        "Recreate the search index and listings from the live condition publications, and "
        "render the live pages not yet rendered for this PAGE_CACHE_VERSION."
    )

    def handle(self, *args, **options):
        count = rebuild_library()
        self.stdout.write(f"Indexed {count} live condition page(s).")
