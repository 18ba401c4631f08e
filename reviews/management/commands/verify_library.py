"""Check that no page, publication or review event was altered outside the workflow."""

from django.core.management.base import BaseCommand, CommandError

from reviews.verification import library_problems


class Command(BaseCommand):
    help = (
        "Recompute every live page's digests, check every publication's signature and the review "
        "events' hash chain. Prints each page, publication or event that does not verify and "
        "exits non-zero if there is one."
    )

    def handle(self, *args, **options):
        problems = library_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found: the library does not verify.")
        self.stdout.write("The library verifies: live pages, signatures and review events.")
