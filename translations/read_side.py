"""The translations' search rows proven against their live publications (verify_library).

Each live translation's row must be exactly what translations.library writes for it, and no
row may describe a translation that is not live. ``rebuild_library`` writes them afresh.
"""

from reviews.models import Publication
from reviews.read_side import ReadModel, register
from translations import library
from translations.models import Translation
from translations.read_model import TranslatedEntry


def problems() -> list[str]:
    found = []
    live = {
        publication.object_id: publication
        for publication in Publication.objects.live_of(Translation).select_related(
            "sign_off__physician"
        )
    }
    entries = {entry.translation_id: entry for entry in TranslatedEntry.objects.all()}
    for translation_id, publication in live.items():
        entry = entries.get(translation_id)
        name = f"Translated page “{publication.title}” ({publication.slug})"
        if entry is None:
            found.append(f"{name}: it has no search row: it is missing from the Spanish index.")
            continue
        expected = library.entry_fields(publication)
        changed = [key for key, value in expected.items() if getattr(entry, key) != value]
        if entry.publication_id != publication.pk or changed:
            found.append(
                f"{name}: its search row is not what publication {publication.pk} says "
                f"({', '.join(changed) or 'publication'}): it was changed outside the workflow."
            )
    for translation_id, entry in entries.items():
        if translation_id not in live:
            found.append(
                f"Search row of “{entry.title}” ({entry.path}): its page is not live, yet it is "
                "listed and searchable."
            )
    return found


def repair() -> list[str]:
    """The rows are written afresh by rebuild_library; nothing else to repair here."""
    return []


READ_MODEL = register(ReadModel("translated pages", problems, repair))
