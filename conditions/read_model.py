"""The read model: rows written when a page is published, read by every public surface.

Drafts (conditions.models) become a document, the document a publication (reviews), and each
live publication these rows: its entry in listings and search, its treatments as treatment pages
show them, its clinical codes as code lookup finds them, and its stored renderings (the HTML
page and the API's JSON). They are written only by conditions.library, inside the publish or
unpublish transaction, and read only through conditions.selectors. No public surface reads a
draft.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from conditions.choices import IndicationStatus, LineOfTherapy, TreatmentKind
from conditions.codes import CodeSystem


class PortableSearchVectorField(SearchVectorField):
    """A tsvector on PostgreSQL; an unused text column elsewhere, where search falls back."""

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


class SearchEntryQuerySet(models.QuerySet):
    def live(self):
        """Entries whose publication is the live one: the guard every public read applies."""
        return self.filter(publication__live__isnull=False)


class SearchEntry(models.Model):
    """What listings and search need of one live condition page, kept in step on publish.

    Written only by conditions.library from the live publication's document, inside the
    publish or unpublish transaction, so the index, the sitemap, the feed and search never
    disagree with the pages.
    """

    condition = models.OneToOneField(
        "conditions.Condition",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_entry",
    )
    publication = models.OneToOneField(
        "reviews.Publication", on_delete=models.PROTECT, related_name="search_entry"
    )
    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    codes_line = models.CharField(max_length=500, blank=True)
    codes = models.TextField(blank=True, help_text="Every code and its system, space-separated.")
    phrases = models.TextField(blank=True, help_text="The search phrases, one a line.")
    questions = models.TextField(blank=True, help_text="The FAQ questions, one a line.")
    treatment_names = models.TextField(
        blank=True, help_text="The page's treatments: each name and summary, one a line."
    )
    body = models.TextField(
        blank=True,
        help_text="The rest of the page's text: sections, comparisons, what each treatment "
        "means for the condition, FAQ answers. Searched at the lowest weight.",
    )
    indication_status = models.CharField(max_length=20, choices=IndicationStatus.choices)
    status_label = models.CharField(max_length=80)
    last_reviewed = models.DateTimeField(db_index=True)
    reviewed_by = models.CharField(max_length=200)
    vector = PortableSearchVectorField(null=True, editable=False)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "search entry"
        verbose_name_plural = "search entries"
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("conditions:detail", kwargs={"slug": self.slug})


class TreatmentListing(models.Model):
    """One treatment as a live condition page presents it: the rows of a treatment page."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="treatments")
    treatment_slug = models.SlugField(max_length=120, db_index=True)
    name = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    kind = models.CharField(max_length=20, choices=TreatmentKind.choices)
    line_of_therapy = models.CharField(max_length=20, choices=LineOfTherapy.choices)
    line_label = models.CharField(max_length=40)
    position = models.PositiveIntegerField(help_text="Its place on the condition page.")
    description_html = models.TextField(
        blank=True, help_text="What the treatment means for this condition, sanitized HTML."
    )
    description_text = models.TextField(blank=True, help_text="The same, plain text.")

    class Meta:
        ordering = ["entry__title", "position"]

    def __str__(self):
        return f"{self.name} for {self.entry_id} ({self.line_label})"


class CodeListing(models.Model):
    """One clinical code of a live condition page, as its published document gives it: the
    rows of code lookup (conditions.lookup), shown on the page or for lookup only."""

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="codes_listed")
    system = models.CharField(max_length=12, choices=CodeSystem.choices)
    code = models.CharField(max_length=60)
    root = models.CharField(
        max_length=60,
        help_text="The code up to its first “.”, “&” or “/”: F42 for F42.2. Lookup reads every "
        "code under the root asked for in one indexed query.",
    )
    lookup_only = models.BooleanField(default=False)
    position = models.PositiveIntegerField(help_text="Its place among the page's codes.")

    class Meta:
        ordering = ["entry__title", "position"]
        indexes = [models.Index(fields=["system", "root"], name="code_listing_lookup")]

    def __str__(self):
        return f"{self.system} {self.code} of {self.entry_id}"
