"""Writes the translations' read model (translations.read_model): the only writer of its rows.

write(publication) makes a live translation's search row describe the publication and names
the translation on its English page (publishing.alternates); remove(publication) undoes both.
The publishing pipeline runs them inside the publish or unpublish transaction (the kind's
ReadModel), and rebuild() recreates every row from the live publications (``rebuild_library``
and a backup import run it).
"""

import unicodedata

from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models import Max
from django.urls import reverse

from conditions.library import body_text
from publishing import alternates
from publishing.registry import SitemapEntry
from reviews.models import Publication
from translations import remade
from translations.models import Translation
from translations.read_model import TranslatedEntry
from translations.stamps import reviewer_signature

# PostgreSQL's text search configuration for each language a page is translated into.
SEARCH_CONFIGS = {"es": "spanish"}


def fold(text: str) -> str:
    """Lower case without accents ("Obsesión" → "obsesion"): what both backends search, so a
    reader who types no accents finds the page."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).replace("ñ", "n")


def search_vector(language: str):
    config = SEARCH_CONFIGS.get(language, "simple")
    return (
        SearchVector("folded_title", weight="A", config=config)
        + SearchVector("folded_summary", weight="B", config=config)
        + SearchVector("folded_body", weight="D", config=config)
    )


def write(publication) -> None:
    _write(publication)
    if remade.is_statement(publication):
        remade.statement_changed(publication)


def _write(publication) -> None:
    translation = Translation.objects.get(pk=publication.object_id)
    alternates.set_alternate(
        translation.english,
        translation.language,
        translation.public_path,
        publication.document.get("title", ""),
    )
    index_publication(publication, translation)


def remove(publication) -> None:
    TranslatedEntry.objects.filter(translation_id=publication.object_id).delete()
    translation = Translation.objects.filter(pk=publication.object_id).first()
    if translation is not None and translation.english is not None:
        alternates.clear_alternate(translation.english, translation.language)
    if remade.is_statement(publication):
        remade.statement_changed(publication)


def index_publication(publication, translation) -> TranslatedEntry:
    """Make the translation's search row describe this publication, replacing what it said."""
    TranslatedEntry.objects.filter(translation_id=translation.pk).delete()
    entry = TranslatedEntry.objects.create(
        translation=translation, publication=publication, **entry_fields(publication)
    )
    if connection.vendor == "postgresql":
        TranslatedEntry.objects.filter(pk=entry.pk).update(vector=search_vector(entry.language))
    return entry


def entry_fields(publication) -> dict:
    document = publication.document
    english = document["translation_of"]
    title, summary, body = document["title"], document.get("summary", ""), page_text(document)
    return {
        "language": document["language"],
        "english_kind": english["kind"] or "condition",
        "path": f"/{document['language']}{english['path']}",
        "english_path": english["path"],
        "title": title,
        "summary": summary,
        "body": body,
        "folded_title": fold(title),
        "folded_summary": fold(summary),
        "folded_body": fold(body),
        "last_reviewed": publication.sign_off.signed_at,
        "reviewed_by": reviewer_signature(publication.sign_off, document["language"]),
    }


def page_text(document: dict) -> str:
    """What a reader reads below the title and summary, plain, in reading order."""
    if "key_points" in document:  # a condition page's shape
        questions = [faq["question"] for faq in document["faqs"]]
        return "\n".join([*questions, body_text(document)])
    return "\n".join(
        part
        for section in document.get("sections", [])
        for part in (section.get("heading", ""), section.get("text", ""))
        if part
    )


def sitemap_entries() -> list[SitemapEntry]:
    """The live translated pages and, while it lists any, the Spanish index of condition pages,
    each with its English version as an alternate (x-default: the English)."""
    live = TranslatedEntry.objects.live().only("language", "path", "english_path", "last_reviewed")
    entries = []
    newest = live.filter(language="es", english_kind="condition").aggregate(at=Max("last_reviewed"))
    if newest["at"] is not None:
        index, english = reverse("translations:index"), reverse("conditions:index")
        entries.append(SitemapEntry(index, newest["at"], versions("es", index, english)))
    for entry in live.order_by("path"):
        entries.append(
            SitemapEntry(
                entry.path,
                entry.last_reviewed,
                versions(entry.language, entry.path, entry.english_path),
            )
        )
    return entries


def versions(language: str, path: str, english_path: str) -> tuple[tuple[str, str], ...]:
    return (("en", english_path), (language, path), ("x-default", english_path))


def rebuild() -> int:
    """Recreate every row from the live translations; returns how many are live. The pages are
    not rendered again here: rebuild_library repairs every rendering that differs afterwards."""
    TranslatedEntry.objects.all().delete()
    publications = Publication.objects.live_of(Translation).select_related("sign_off")
    for publication in publications.iterator(chunk_size=200):
        _write(publication)
    return TranslatedEntry.objects.count()
