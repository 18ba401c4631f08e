from django.core.management.base import BaseCommand, CommandError

from reviews.due import announce_overdue, notify_physicians, reviews_due, withdraw_overdue_pages


class Command(BaseCommand):
    help = (
        "List live pages due or overdue for physician review and e-mail the physicians. "
        "With OVERDUE_POLICY=unpublish, overdue pages are taken off the public site. "
        "Exits with status 1 when any page is overdue, for a scheduler to notice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--within", type=int, default=30, help="Days ahead (default 30).")
        parser.add_argument("--no-email", action="store_true", help="List only.")

    def handle(self, *args, within, no_email, **options):
        due = reviews_due(within)
        for review in due:
            self.stdout.write(review.line())
        if not due:
            self.stdout.write(f"No page is due for review in the next {within} days.")
        elif not no_email:
            self.stdout.write(f"E-mailed {notify_physicians(due)} physician(s).")
        announce_overdue(due)
        for review in withdraw_overdue_pages(due):
            self.stdout.write(f"Unpublished {review.title} ({review.slug}): review overdue.")
        overdue = [review for review in due if review.overdue]
        if overdue:
            raise CommandError(f"{len(overdue)} page(s) overdue for review.", returncode=1)
