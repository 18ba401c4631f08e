"""Subscribe a partner's endpoint to webhook events and print its signing secret, once."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partners.models import Partner
from webhooks.models import EVENT_TYPES, Endpoint


class Command(BaseCommand):
    help = "Add a webhook endpoint for a partner; prints the endpoint's signing secret once."

    def add_arguments(self, parser):
        parser.add_argument("partner", help="The partner's name, as in the admin.")
        parser.add_argument("url", help="The https:// address that receives events.")
        parser.add_argument(
            "--events",
            nargs="+",
            choices=[name for name, _ in EVENT_TYPES],
            default=[],
            help="Event types to send (default: every event).",
        )

    def handle(self, *args, partner, url, events, **options):
        try:
            owner = Partner.objects.get(name=partner)
        except Partner.DoesNotExist:
            raise CommandError(f"No partner named “{partner}”.") from None
        endpoint = Endpoint(partner=owner, url=url, events=events)
        try:
            endpoint.full_clean()
        except ValidationError as error:
            raise CommandError(
                " ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            ) from None
        endpoint.save()
        self.stdout.write(f"Added webhook {endpoint.pk} for {owner.name}: {url}")
        self.stdout.write(f"Events: {', '.join(events) or 'all'}")
        self.stdout.write(f"Signing secret (shown only now): {endpoint.secret}")
