"""python manage.py import_references FILE [--dry-run] [--format FORMAT] [--user NAME]"""

import json
import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from references.errors import ImportFormatError
from references.importers import PARSERS, parse_references
from references.importers.saving import save_imported


class Command(BaseCommand):
    help = (
        "Import references from a RIS, BibTeX or MEDLINE (.nbib) file, or a numbered reference "
        "list in Vancouver style. References already in the library (same PMID, DOI, or title, "
        "year and first author) are reported, not added again. All or nothing, in one revision."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import; - reads standard input.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Print the parsed references as JSON, one object a line, and save nothing.",
        )
        parser.add_argument(
            "--format",
            choices=sorted(PARSERS),
            help="The file's format; by default guessed from its extension and its first line.",
        )
        parser.add_argument("--user", help="The username the revision is recorded under.")

    def handle(self, *args, file, dry_run, format, user, **options):
        text, name = self._read(file)
        try:
            parsed = parse_references(text, format, name)
        except ImportFormatError as error:
            raise CommandError(f"{name}: nothing was imported.\n{error}") from error
        if dry_run:
            for reference in parsed:
                self.stdout.write(json.dumps(reference.as_json(), ensure_ascii=False))
            return
        try:
            report = save_imported(
                parsed, user=self._user(user), comment=f"Imported references from {name}."
            )
        except ImportFormatError as error:
            raise CommandError(f"{name}: nothing was imported.\n{error}") from error
        for outcome in report.outcomes:
            self.stdout.write(f"{outcome.parsed.describe()}: {outcome.describe()}")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _read(self, file) -> tuple[str, str]:
        if file == "-":
            return sys.stdin.read(), "standard input"
        path = Path(file)
        try:
            return path.read_text(encoding="utf-8-sig"), path.name
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from error

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
