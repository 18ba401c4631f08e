"""The translations' read model: one search row per live translation, in its own language.

Written only by translations.library as a translation goes live (and removed as it comes
down, or rebuilt by ``rebuild_library`` and a backup import), read by the index and search at
/es/ (translations.search). Beside the text readers see, each row keeps the same text folded
(lower case, accents removed), which is what both backends search: "obsesion" finds
"obsesión".
"""

from django.db import models

from conditions.read_model import PortableSearchVectorField


class TranslatedEntryQuerySet(models.QuerySet):
    def live(self):
        """Entries whose publication is the live one: the guard every public read applies."""
        return self.filter(publication__live__isnull=False)


class TranslatedEntry(models.Model):
    translation = models.OneToOneField(
        "translations.Translation",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
    )
    publication = models.OneToOneField(
        "reviews.Publication", on_delete=models.PROTECT, related_name="translated_entry"
    )
    language = models.CharField(max_length=8, db_index=True)
    english_kind = models.CharField(
        max_length=40, help_text="The kind of the English page: condition, editorialpage."
    )
    path = models.CharField(max_length=220, help_text="The translation's public address.")
    english_path = models.CharField(max_length=200)
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="The rest of the page's text, plain.")
    folded_title = models.CharField(max_length=255)
    folded_summary = models.TextField(blank=True)
    folded_body = models.TextField(blank=True)
    last_reviewed = models.DateTimeField()
    reviewed_by = models.CharField(max_length=200)
    vector = PortableSearchVectorField(null=True, editable=False)

    objects = TranslatedEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "translated search entry"
        verbose_name_plural = "translated search entries"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.path
