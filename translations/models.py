"""A translation of one publication of an English page, in segments, reviewed as a page.

A Translation is its own publishable page: its source is its segments and the digest of the
English publication it translates, so a physician who reads the language signs exactly that
pairing, and it has review state, sign-off, publication, stamp and history like any page.
Each Segment is one unit of the English document (translations.units) and remembers the sha256
of the English text its translation was written for: when the English page is published again,
only the segments whose English changed become stale.
"""

import hashlib

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from publishing.protocol import PublishableModel
from reviews.models import LivePublication
from translations import protected

SOURCE_SCHEMA = 1
LANGUAGES = {"es": "Spanish"}


def sha256(text: str) -> str:
    return hashlib.sha256((text or "").encode("utf-8")).hexdigest()


def public_slug(language: str, english_path: str) -> str:
    """The translation's slug, from its language and the English page's address:
    es + /conditions/ocd/ is es-conditions-ocd."""
    return "-".join([language, *filter(None, english_path.split("/"))])


class Language(models.TextChoices):
    SPANISH = "es", "Spanish (Español)"


class StalePolicy(models.TextChoices):
    NOTICE = "notice", "Keep the page up with a notice that it is being updated"
    WITHDRAW = "withdraw", "Withdraw the page until the translation is signed again"


@reversion.register(follow=["segments"])
class Translation(PublishableModel, models.Model):
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.SPANISH)
    english_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    english_id = models.PositiveBigIntegerField()
    english = GenericForeignKey("english_type", "english_id")
    english_publication = models.ForeignKey(
        "reviews.Publication",
        on_delete=models.PROTECT,
        related_name="translations",
        help_text="The publication of the English page this translation translates now.",
    )
    english_path = models.CharField(max_length=200, help_text="The English page's address.")
    slug = models.SlugField(max_length=200, unique=True)
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        help_text="Who translates the page; they cannot also sign it off.",
    )
    stale_policy = models.CharField(
        "when the English changes in a clinically significant way",
        max_length=10,
        choices=StalePolicy.choices,
        default=StalePolicy.NOTICE,
    )
    significant_english_change = models.BooleanField(
        default=False,
        help_text="Set when the English page was published again with a clinically significant "
        "change this translation has not caught up with.",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["english_type", "english_id", "language"], name="one_translation_per_page"
            )
        ]

    def __str__(self):
        return f"{self.get_language_display()}: {self.english_publication.title}"

    def get_absolute_url(self):
        return self.public_path

    @property
    def public_path(self) -> str:
        return f"/{self.language}{self.english_path}"

    def ordered_segments(self):
        return self.segments.order_by("position", "pk")

    # The Publishable protocol (publishing.protocol).

    def build_source(self) -> dict:
        return {
            "schema": SOURCE_SCHEMA,
            "kind": "translation",
            "language": self.language,
            "english": {
                "kind": self.english_type.model,
                "slug": self.english_publication.slug,
                "source_digest": self.english_publication.source_digest,
            },
            "segments": [
                {
                    "key": segment.key,
                    "text": segment.text,
                    "translates": segment.translated_sha256,
                    "unchecked_machine": segment.unchecked_machine,
                }
                for segment in self.ordered_segments()
            ],
        }

    def build_document(self) -> dict:
        from translations.documents import translated_document

        return translated_document(self)

    def document_problems(self, document) -> list[str]:
        from translations.documents import problems

        return problems(self)

    def review_outline(self, document) -> list[tuple[str, list[str]]]:
        """Each segment's text as the document has it, beside the English it translates."""
        from translations.documents import text_at

        return [
            (segment.label, [text_at(document, segment), f"English: {segment.english}"])
            for segment in self.ordered_segments()
        ]

    def review_parts(self) -> list:
        """Each segment's translation: the first item of its review_outline() section."""
        from reviews.comments import Part, anchor

        return [
            Part(anchor(segment, "text"), segment.label, segment.label, segment.text, 0)
            for segment in self.ordered_segments()
            if segment.text.strip()
        ]

    def prose_outline(self, document) -> list[tuple[str, list[str]]]:
        from translations.documents import text_at

        return [(s.label, [text_at(document, s)]) for s in self.ordered_segments()]

    def reading_language(self) -> str:
        return self.language

    def english_is_live(self) -> bool:
        return LivePublication.objects.filter(
            content_type_id=self.english_type_id, object_id=self.english_id
        ).exists()

    def reviewer_refusals(self, user, physician) -> list[str]:
        """Only a physician who reviews in the language, and not its translator, reviews it."""
        if self.language not in review_languages(physician):
            return [
                f"{physician.signature}'s profile does not list {self.get_language_display()}: "
                "only a physician who reviews in the page's language can review a translation."
            ]
        if self.translator_id is not None and self.translator_id == user.pk:
            return [
                "You translated this page, so another physician who reads "
                f"{self.get_language_display()} must review it."
            ]
        return []


def review_languages(physician) -> set[str]:
    return {code.strip().lower() for code in physician.languages.split(",") if code.strip()}


class Origin(models.TextChoices):
    PERSON = "person", "Written by a person"
    MACHINE = "machine", "Machine translation"


@reversion.register()
class Segment(models.Model):
    translation = models.ForeignKey(Translation, on_delete=models.CASCADE, related_name="segments")
    key = models.CharField(max_length=80, help_text="The English unit: a field or a part's row.")
    label = models.CharField(max_length=200)
    position = models.PositiveIntegerField(default=0)
    path = models.JSONField(help_text="Where the unit sits in the English document.")
    format = models.CharField(max_length=10)
    english = models.TextField(help_text="The English text of the publication translated now.")
    translated_english = models.TextField(
        blank=True, help_text="The English text the translation was written for."
    )
    translated_sha256 = models.CharField(max_length=64, blank=True)
    text = models.TextField("translation", blank=True)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.PERSON)
    unchecked_machine = models.BooleanField(
        default=False,
        help_text="A machine wrote the text and no person has edited or confirmed it yet.",
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["translation", "key"], name="one_segment_per_unit")
        ]

    def __str__(self):
        return self.label

    def save(self, *args, **kwargs):
        # Every route that saves a segment is checked, not only forms.
        found = self.protection_problems()
        if found:
            raise ValidationError(found)
        super().save(*args, **kwargs)

    @property
    def is_missing(self) -> bool:
        return not self.text.strip()

    @property
    def is_stale(self) -> bool:
        """Translated, but for English text that has changed since."""
        return not self.is_missing and self.translated_sha256 != sha256(self.english)

    def protection_problems(self) -> list[str]:
        english = self.translated_english if self.is_stale else self.english
        return protected.problems(self.label, english, self.text)

    def clean(self):
        # A person's text translates the current English (translations.editing.write_segment).
        found = protected.problems(self.label, self.english, self.text)
        if found:
            raise ValidationError({"text": found})


class EnglishUnits(models.Model):
    """The units of an English publication, taken as it went live: what translations of it
    translate, even once the English draft has moved on."""

    publication = models.OneToOneField(
        "reviews.Publication", on_delete=models.CASCADE, related_name="english_units"
    )
    units = models.JSONField()

    def __str__(self):
        return f"Units of publication {self.publication_id}"


# The read model lives in its own module; importing it here registers it with the app.
from translations.read_model import TranslatedEntry  # noqa: E402,F401
