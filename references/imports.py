"""One import of a file, from start to end: its size checked, read, parsed, planned, validated
and saved, or rolled back.

import_file() is the whole of it for a file on disk: the import_references command calls it,
and a background task importing a large upload can call it with the stored file.
"""

from pathlib import Path

from django.conf import settings

from references.errors import ImportFormatError
from references.importers import parse_references
from references.importers.saving import ImportReport, import_references


def check_size(size: int, limit: int, name: str, setting: str):
    """Refuse a file above the size limit before reading it."""
    if size > limit:
        raise ImportFormatError(
            f"{name} is {file_size(size)}; references are imported from files of at most "
            f"{file_size(limit)} ({setting}). Split the file and import the parts."
        )


def read_text(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFormatError(f"{name} is not UTF-8 text; export it as UTF-8.") from None


def import_file(
    path, *, fmt: str | None = None, user=None, dry_run: bool = False, name: str = ""
) -> ImportReport:
    """Import the references of one file. Raises ImportFormatError when the file is too large
    or cannot be read as references; a report with problems (report.refused) saved nothing."""
    path = Path(path)
    name = name or path.name
    limit = settings.REFERENCE_IMPORT_MAX_BYTES
    check_size(path.stat().st_size, limit, name, "REFERENCE_IMPORT_MAX_BYTES")
    text = read_text(path.read_bytes(), name)
    return import_text(text, fmt=fmt, name=name, user=user, dry_run=dry_run)


def import_text(
    text: str, *, fmt: str | None = None, name: str = "", user=None, dry_run: bool = False
) -> ImportReport:
    """Parse, then import_references(): the same path for the command, the admin and a task."""
    parsed = parse_references(text, fmt, name)
    comment = f"Imported references from {name}." if name else ""
    return import_references(parsed, user=user, comment=comment, dry_run=dry_run)


def file_size(size: int) -> str:
    """A size as people read it: 800 bytes, 12 kB, 1.5 MB."""
    if size < 100 * 1024:
        return f"{size / 1024:.0f} kB" if size >= 1024 else f"{size} bytes"
    return f"{size / (1024 * 1024):.1f} MB"
