"""python manage.py import_references FILE [--dry-run] [--format FORMAT] [--user NAME]"""

import json
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from references.errors import ImportFormatError
from references.importers import PARSERS
from references.imports import check_size, import_file, import_text, read_text


class Command(BaseCommand):
    help = (
        "Import references from a RIS, BibTeX or MEDLINE (.nbib) file, or a reference list in "
        "Vancouver, NLM or AMA style. References already in the library (same PMID, DOI, or "
        "title, year and first author) are reported, not added again. All or nothing, in one "
        "revision. Exits 1 when nothing is imported."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="The file to import; - reads standard input.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Run the import and undo it: print each record as it would be saved (JSON, "
            "one a line, with its AMA citation) and each problem; exit 1 when the import "
            "would refuse.",
        )
        parser.add_argument(
            "--format",
            choices=sorted(PARSERS),
            help="The file's format; by default guessed from its extension and its first line.",
        )
        parser.add_argument("--user", help="The username the revision is recorded under.")

    def handle(self, *args, file, dry_run, format, user, **options):
        user = self._user(user)
        name = "standard input" if file == "-" else Path(file).name
        try:
            report = self._import(file, format, user, dry_run)
        except (ImportFormatError, OSError) as error:
            raise CommandError(f"{name}: nothing was imported.\n{error}") from error
        for outcome in report.outcomes:
            if dry_run:
                self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False))
            else:
                self.stdout.write(f"{outcome.parsed.describe()}: {outcome.describe()}")
        for warning in report.warnings:
            self.stderr.write(self.style.WARNING(f"Warning: {warning}"))
        for problem in report.problems:
            self.stderr.write(self.style.ERROR(f"Problem: {problem}"))
        if report.refused:
            count = len(report.problems)
            raise CommandError(
                f"{name}: nothing {'would be' if dry_run else 'was'} imported: "
                f"{count} problem{'s' if count != 1 else ''}.\n" + "\n".join(report.problems)
            )
        prefix = "Dry run, nothing saved: would import " if dry_run else ""
        self.stdout.write(self.style.SUCCESS(prefix + report.summary()))

    def _import(self, file, fmt, user, dry_run):
        if file != "-":
            return import_file(file, fmt=fmt, user=user, dry_run=dry_run)
        limit = settings.REFERENCE_IMPORT_MAX_BYTES
        data = sys.stdin.buffer.read(limit + 1)
        check_size(len(data), limit, "standard input", "REFERENCE_IMPORT_MAX_BYTES")
        text = read_text(data, "standard input")
        return import_text(text, fmt=fmt, user=user, dry_run=dry_run)

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
