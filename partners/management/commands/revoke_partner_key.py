from django.core.management.base import BaseCommand, CommandError

from partners.accounts import revoke_key
from partners.models import Partner


class Command(BaseCommand):
    help = (
        "Revoke a partner's API key: requests with it answer 401 within PARTNER_KEY_SECONDS "
        "(each server process remembers a valid key that long)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **options):
        partner = Partner.objects.filter(name=name.strip()).first()
        if partner is None:
            raise CommandError(f"No partner is named “{name}”.")
        if revoke_key(partner):
            self.stdout.write(f"Revoked the key of {partner}.")
        else:
            self.stdout.write(f"The key of {partner} was already revoked.")
