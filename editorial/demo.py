"""The demo library's editorial policy and disclosures, saved as an editor's revision."""

import json
from pathlib import Path

import reversion

from editorial.models import EditorialPage

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "statements.json"


def save_statements(editor) -> list[EditorialPage]:
    """Create or update the statements from the demo file; nothing changes if they match."""
    saved = []
    for fields in json.loads(DEMO_FILE.read_text(encoding="utf-8")):
        page = EditorialPage.objects.filter(slug=fields["slug"]).first() or EditorialPage()
        if all(getattr(page, name) == value for name, value in fields.items()):
            saved.append(page)
            continue
        with reversion.create_revision():
            reversion.set_user(editor)
            reversion.set_comment("Loaded the demo editorial statements.")
            for name, value in fields.items():
                setattr(page, name, value)
            page.full_clean()
            page.save()
        saved.append(page)
    return saved
