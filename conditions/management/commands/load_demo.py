from django.core.management.base import BaseCommand, CommandError

from conditions.demo_content import load_demo
from reviews.errors import WorkflowError

ROLES = {
    "editor": "  (editor: drafts and submits pages)",
    "ben.soffer": "  (physician: reviews and signs off)",
    "publisher": "  (publisher: publishes signed-off pages)",
    "admin": "  (administrator: users, partners and API keys)",
}


class Command(BaseCommand):
    help = "Load the demo library (the Treatment-Resistant OCD page) and publish it. Idempotent."

    def handle(self, *args, **options):
        try:
            result = load_demo()
        except WorkflowError as error:
            raise CommandError(str(error)) from error
        page = result.condition.get_absolute_url()
        self.stdout.write(
            f"Demo page {page}: "
            + ("signed off" if result.signed else "sign-off already on record")
            + ", "
            + ("published." if result.published else "already live.")
        )
        for username, password in result.logins.items():
            role = ROLES.get(username, "")
            self.stdout.write(f"  demo login: {username} / {password}{role}")
