from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from partners.accounts import create_partner, issue_key
from partners.models import DEFAULT_RATE_LIMIT, Partner


class Command(BaseCommand):
    help = (
        "Create a partner of the JSON API and print its key, once. With --rotate, give an "
        "existing partner a new key (the old one stops working)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name")
        parser.add_argument("--contact-name", default="")
        parser.add_argument("--contact-email", default="")
        parser.add_argument(
            "--rate-limit",
            type=int,
            default=None,
            help=f"requests a minute ({DEFAULT_RATE_LIMIT} for a new partner; with --rotate, "
            "the partner's new limit)",
        )
        parser.add_argument("--rotate", action="store_true")

    def handle(self, *args, name, rotate, **options):
        existing = Partner.objects.filter(name=name.strip()).first()
        if existing and not rotate:
            raise CommandError(
                f"A partner named “{existing}” exists. Use --rotate to replace its key."
            )
        try:
            if existing:
                if options["rate_limit"] is not None:
                    existing.rate_limit_per_minute = options["rate_limit"]
                    existing.full_clean()
                    existing.save(update_fields=["rate_limit_per_minute"])
                partner, key = existing, issue_key(existing)
            else:
                partner, key = create_partner(
                    name,
                    contact_name=options["contact_name"],
                    contact_email=options["contact_email"],
                    rate_limit_per_minute=options["rate_limit"] or DEFAULT_RATE_LIMIT,
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(
            f"Key for {partner} ({partner.rate_limit_per_minute} requests a minute). "
            "It is shown only now: store it safely."
        )
        self.stdout.write(key)
