from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = (
        "Development only (DEBUG on): delete every table of the database, migrate it again and "
        "load the demo library, as a fresh `make run` would."
    )

    def add_arguments(self, parser):
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, yes, **options):
        if not settings.DEBUG:
            raise CommandError("reset_demo deletes the database; it runs only with DEBUG on.")
        name = connection.settings_dict["NAME"]
        if not yes and input(f"Delete everything in {name} and load the demo? [y/N] ") != "y":
            raise CommandError("Nothing was changed.")
        self._drop_tables()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("load_demo", stdout=self.stdout)
        self.stdout.write(f"The demo database {name} was recreated.")

    def _drop_tables(self):
        tables = connection.introspection.table_names(include_views=False)
        quote = connection.ops.quote_name
        cascade = "" if connection.vendor == "sqlite" else " CASCADE"
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(table)}{cascade}")
            if connection.vendor == "sqlite":
                cursor.execute("PRAGMA foreign_keys = ON")
