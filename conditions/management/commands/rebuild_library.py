from django.core.management.base import BaseCommand

from conditions.library import rebuild_library
from reviews import read_side


class Command(BaseCommand):
    help = (
        "Put every live pointer back where the review events' chain says, render again every "
        "stored rendering that is not what its publication renders to, recreate the search index "
        "and listings from the live condition publications, and render the live pages not yet "
        "rendered for this PAGE_CACHE_VERSION."
    )

    def handle(self, *args, **options):
        for repaired in read_side.repair():
            self.stdout.write(f"Repaired: {repaired}")
        count = rebuild_library()
        self.stdout.write(f"Indexed {count} live condition page(s).")
