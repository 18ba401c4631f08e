import io
import os

from django.core.management.base import BaseCommand, CommandError

from backups.content import described, export_content
from backups.errors import BackupError


class Command(BaseCommand):
    help = (
        "Write the whole library (pages, treatments, references, physicians and their accounts, "
        "sign-offs, publications, review history, partners) to one JSON file signed by the "
        "site; - for stdout. The file is readable by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the export, or - for standard output.")
        parser.add_argument(
            "--include-secrets",
            action="store_true",
            help="Also write the webhook endpoints' signing secrets (left out by default).",
        )

    def handle(self, *args, file, include_secrets, **options):
        try:
            if file == "-":
                text = io.StringIO()
                counts = export_content(text, include_secrets=include_secrets)
                self.stdout.write(text.getvalue(), ending="")
                self.stderr.write(_secrets_line(counts, include_secrets))
                return
            with _owner_only(file) as stream:
                counts = export_content(stream, include_secrets=include_secrets)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot write {file}: {error.strerror}.") from error
        self.stdout.write(f"Exported {', '.join(described(counts))} to {file} (mode 0600).")
        self.stdout.write(_secrets_line(counts, include_secrets))


def _owner_only(path):
    """The file opened for writing with mode 0600, even when it existed with another mode:
    it holds password hashes and partners' key digests."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "w", encoding="utf-8")


def _secrets_line(counts, included) -> str:
    endpoints = counts["webhooks.endpoint"]
    if not endpoints:
        return "No webhook endpoints to export."
    if included:
        return f"The {endpoints} webhook endpoint(s) are exported with their signing secrets."
    return (
        f"The {endpoints} webhook endpoint(s) are exported without their signing secrets "
        "(--include-secrets writes them); restored, they stay disabled until given new ones."
    )
