import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.content import described, import_content
from backups.errors import BackupError
from backups.trust import read_jwk_set


class Command(BaseCommand):
    help = (
        "Restore an export_content file into an empty database (after migrate), in one "
        "transaction, and rebuild the search index and listings; - reads standard input. The "
        "file must be signed by a key this site trusts: its own, or one in --trust-keys."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="An export_content file, or - for standard input.")
        parser.add_argument(
            "--trust-keys",
            metavar="FILE",
            help="A JWK set (the /.well-known/tovani-keys.json of the site the backup came "
            "from) whose keys are trusted besides this site's own.",
        )
        parser.add_argument(
            "--keep-passwords",
            action="store_true",
            help="Restore the accounts' password hashes (by default no restored password works).",
        )
        parser.add_argument(
            "--keep-superusers",
            action="store_true",
            help="Restore superusers as superusers (by default none is).",
        )

    def handle(self, *args, file, trust_keys, keep_passwords, keep_superusers, **options):
        try:
            trusted = _trusted(trust_keys)
            options = {
                "trusted_keys": trusted,
                "keep_passwords": keep_passwords,
                "keep_superusers": keep_superusers,
            }
            if file == "-":
                counts, live, notes = import_content(sys.stdin, **options)
            else:
                with open(file, encoding="utf-8") as stream:
                    counts, live, notes = import_content(stream, **options)
        except OSError as error:
            raise CommandError(
                f"Cannot read {error.filename or file}: {error.strerror}."
            ) from error
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Restored {', '.join(described(counts))}.")
        self.stdout.write(f"{live} condition page(s) are live; search index and listings rebuilt.")
        for note in notes:
            self.stdout.write(note)


def _trusted(path) -> dict[str, str]:
    if not path:
        return {}
    return read_jwk_set(Path(path).read_text(encoding="utf-8"), path)
