"""Check that no page, publication or review event was altered outside the workflow."""

from django.core.management.base import BaseCommand, CommandError

from reviews.verification import library_problems


class Command(BaseCommand):
    help = (
        "Recompute every live page's digests, check every publication's signature, the review "
        "events' hash chain, each live pointer against the chain, and every stored rendering and "
        "search row against what the live publication renders to. Prints each that does not "
        "verify and exits non-zero if there is one (rebuild_library repairs the read side)."
    )

    def handle(self, *args, **options):
        problems = library_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found: the library does not verify.")
        self.stdout.write(
            "The library verifies: live pages, signatures, review events and the read side."
        )
