import sys

from django.core.management.base import BaseCommand, CommandError

from backups.content import described, import_content
from backups.errors import BackupError


class Command(BaseCommand):
    help = (
        "Restore an export_content file into an empty database (after migrate), in one "
        "transaction, and rebuild the search index and listings; - reads standard input."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="An export_content file, or - for standard input.")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                counts, live = import_content(sys.stdin)
            else:
                with open(file, encoding="utf-8") as stream:
                    counts, live = import_content(stream)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {', '.join(described(counts))}.")
        self.stdout.write(f"{live} condition page(s) are live; search index and listings rebuilt.")
