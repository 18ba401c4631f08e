from django.core.management.base import BaseCommand, CommandError

from conditions.demo_content import load_demo, load_demo_steps, load_statements
from reviews.errors import WorkflowError

ROLES = {
    "editor": "  (editor: drafts and submits pages)",
    "ben.soffer": "  (physician: reviews and signs off)",
    "publisher": "  (publisher: publishes signed-off pages)",
    "admin": "  (administrator: users, partners and API keys)",
    "translator": "  (translator: translates published pages into Spanish)",
    "elena.demo": "  (physician who reviews in Spanish: signs off translations)",
}


class Command(BaseCommand):
    help = (
        "Load the demo library (the Treatment-Resistant OCD page, the editorial policy, the "
        "disclosures and the syndication terms) and publish it. Idempotent."
    )

    def handle(self, *args, **options):
        try:
            result = load_demo()
            statements = load_statements()
            steps = load_demo_steps()
        except WorkflowError as error:
            raise CommandError(str(error)) from error
        page = result.condition.get_absolute_url()
        self.stdout.write(
            f"Demo page {page}: "
            + ("signed off" if result.signed else "sign-off already on record")
            + ", "
            + ("published." if result.published else "already live.")
        )
        self.stdout.write(
            "Editorial policy, disclosures and syndication terms: "
            + (f"{statements} published." if statements else "already live.")
        )
        for said, logins in steps:
            self.stdout.write(said)
            if result.logins:
                result.logins.update(logins)
        for username, password in result.logins.items():
            role = ROLES.get(username, "")
            self.stdout.write(f"  demo login: {username} / {password}{role}")
