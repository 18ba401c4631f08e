import io

from django.core.management.base import BaseCommand

from backups.content import described, export_content


class Command(BaseCommand):
    help = (
        "Write the whole library (pages, treatments, references, physicians and their accounts, "
        "sign-offs, publications, review history, partners) to one JSON file; - for stdout."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the export, or - for standard output.")

    def handle(self, *args, file, **options):
        if file == "-":
            text = io.StringIO()
            export_content(text)
            self.stdout.write(text.getvalue(), ending="")
            return
        with open(file, "w", encoding="utf-8") as stream:
            counts = export_content(stream)
        self.stdout.write(f"Exported {', '.join(described(counts))} to {file}.")
