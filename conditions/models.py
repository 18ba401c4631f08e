"""Condition pages and their parts: the drafts editors work on in the admin.

Drafts are never shown to the public. What the public reads is a Publication of the document
that conditions.documents builds from these rows.
"""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from conditions.choices import IndicationStatus, LineOfTherapy, TreatmentKind
from conditions.codes import CodeSystem, validate_code
from conditions.fields import MarkdownField
from publishing.protocol import PublishableModel
from references.citations import citekeys_in
from references.models import Reference


@reversion.register()
class Treatment(models.Model):
    """A treatment that condition pages refer to; one row serves every condition."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=TreatmentKind.choices)
    summary = models.TextField(blank=True, help_text="What the treatment is, in a sentence or two.")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class ConditionQuerySet(models.QuerySet):
    def delete(self):
        from reviews import workflow

        pks = list(self.values_list("pk", flat=True))
        workflow.refuse_deleting_live(self.model, pks)
        result = super().delete()
        workflow.forget_deleted(self.model, pks)
        return result

    delete.queryset_only = True

    def with_parts(self):
        return self.prefetch_related(
            "codes",
            "search_phrases",
            "key_points",
            "comparisons__related_condition",
            "condition_treatments__treatment",
            "faqs",
        )


# A condition's revision follows every part, so reverting a page restores its parts.
@reversion.register(
    follow=[
        "codes",
        "search_phrases",
        "key_points",
        "comparisons",
        "condition_treatments",
        "faqs",
    ]
)
class Condition(PublishableModel, models.Model):
    slug = models.SlugField(
        max_length=120, unique=True, help_text="The page address: /conditions/this-slug/."
    )
    title = models.CharField(max_length=200)
    page_label = models.CharField(max_length=80, default="Clinical condition")
    summary = models.TextField(help_text="One or two plain sentences under the title.")
    clinical_definition = MarkdownField(blank=True)
    standard_treatments_fail = MarkdownField("when standard treatments fail", blank=True)
    ketamine_fit = MarkdownField("where ketamine fits", blank=True)
    clinic_indication_status = models.CharField(
        "indication status at the clinic",
        max_length=20,
        choices=IndicationStatus.choices,
        default=IndicationStatus.CASE_BY_CASE,
    )
    clinic_fit = MarkdownField(
        "where this fits with the clinic",
        blank=True,
    )
    regulatory_notice = models.TextField(
        blank=True,
        help_text="The regulatory notice shown on the page, in plain text. Leave blank for the "
        "site-wide notice (settings.DEFAULT_REGULATORY_NOTICE): ketamine is not FDA-approved "
        "for most psychiatric uses.",
    )
    evidence_reviewed_through = models.DateField(
        "evidence reviewed through",
        null=True,
        blank=True,
        help_text="The month up to which the literature was searched and read for this page; "
        "the page shows the month and year. The physician signs it with the page.",
    )
    references = models.ManyToManyField(
        Reference,
        blank=True,
        related_name="conditions",
        help_text="References attached to this page. Every reference the text cites is "
        "attached on save.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("conditions:detail", kwargs={"slug": self.slug})

    def clean(self):
        """A table in a long section is read aloud by its caption: each one needs a
        "Table: …" line above it."""
        from conditions.documents import TABLE_SECTIONS
        from tovani.rendering import uncaptioned_tables

        missing = {
            name: "A table needs a caption: write a line starting “Table:” above it, "
            "then a blank line."
            for name in TABLE_SECTIONS
            if uncaptioned_tables(getattr(self, name))
        }
        if missing:
            raise ValidationError(missing)

    def has_saved_search(self) -> bool:
        """Whether the evidence watch keeps a literature search for this page: its "evidence
        reviewed through" is then computed from the search's inbox, not typed."""
        return Condition.objects.filter(pk=self.pk, saved_search__isnull=False).exists()

    def delete(self, *args, **kwargs):
        """Refused while the page is live: the public would keep a page no one can edit."""
        from reviews import workflow

        workflow.refuse_deleting_live(Condition, [self.pk])
        pk = self.pk
        result = super().delete(*args, **kwargs)
        workflow.forget_deleted(Condition, [pk])
        return result

    def build_document(self) -> dict:
        from conditions.documents import build_condition_document

        return build_condition_document(self)

    def build_source(self) -> dict:
        from conditions.documents import build_condition_source

        return build_condition_source(self)

    def review_outline(self, document) -> list[tuple[str, list[str]]]:
        from conditions.documents import review_outline

        return review_outline(document, shared=self.treatments_shown_elsewhere())

    def treatments_shown_elsewhere(self) -> dict[str, int]:
        """For each treatment the page lists, by slug: how many other pages list it too."""
        listed = ConditionTreatment.objects.filter(condition=self).values("treatment")
        counts = (
            ConditionTreatment.objects.filter(treatment__in=listed)
            .exclude(condition=self)
            .values("treatment__slug")
            .annotate(pages=models.Count("condition", distinct=True))
        )
        return {row["treatment__slug"]: row["pages"] for row in counts}

    def shared_changes(self, since=None):
        """Changes to the treatments this page shows, newest first (since a moment, if given)."""
        changes = self.shared_part_changes.select_related("changed_by")
        return changes.filter(at__gt=since) if since else changes

    def prose_outline(self, document) -> list[tuple[str, list[str]]]:
        """The sections of running text a reader reads: what readability grades."""
        from conditions.documents import PROSE_SECTIONS, review_outline

        return [item for item in review_outline(document) if item[0] in PROSE_SECTIONS]

    def review_parts(self):
        """Every part of the signed source a reviewer can comment on, in page order, each with a
        stable anchor and its place among the items of its review_outline() section."""
        from conditions.documents import (
            _ordered_treatments,
            attached_references,
            regulatory_notice,
            with_parts,
        )
        from reviews.comments import Part, anchor

        stored = with_parts(self)  # the same read as the document's, on the change page

        def field(name, section, text=None, place=0, label=None):
            text = getattr(self, name) if text is None else text
            return Part(anchor(self, name), section, label or section, str(text), place)

        def each(rows, section, field_name, label, text):
            return [
                Part(anchor(row, field_name), section, label(n, row), text(row), n - 1)
                for n, row in enumerate(rows, 1)
            ]

        faqs = list(stored.faqs.all())
        parts = [
            field("title", "Title"),
            field("page_label", "Page label"),
            *each(stored.codes.all(), "Codes", "code", lambda n, c: f"Code {c.display}", str),
            field("summary", "Summary"),
            *each(
                stored.search_phrases.all(),
                "Common ways people search for this",
                "phrase",
                lambda n, p: f"Search phrase {n}",
                lambda p: p.phrase,
            ),
            *each(
                stored.key_points.all(),
                "The short version",
                "text",
                lambda n, p: f"Key point {n}",
                lambda p: p.text,
            ),
            field("clinical_definition", "Clinical definition"),
            *each(
                stored.comparisons.all(),
                "How it differs from related conditions",
                "text",
                lambda n, c: f"Comparison: vs. {c.name}",
                lambda c: c.text,
            ),
            *each(
                _ordered_treatments(stored),
                "Treatments",
                "description",
                lambda n, item: f"Treatment: {item.treatment.name}",
                lambda item: item.description,
            ),
            field("standard_treatments_fail", "When standard treatments fail"),
            field("ketamine_fit", "Where ketamine fits"),
            field("regulatory_notice", "Regulatory notice", regulatory_notice(self)),
            field(
                "clinic_indication_status",
                "Where this fits with the clinic",
                self.get_clinic_indication_status_display(),
                label="Clinic indication status",
            ),
            field("clinic_fit", "Where this fits with the clinic", place=1),
        ]
        # A question and its answer are one item of the outline, and two parts to comment on.
        for n, faq in enumerate(faqs, 1):
            parts += [
                Part(
                    anchor(faq, "question"),
                    "Frequently asked",
                    f"FAQ {n}: question",
                    faq.question,
                    n - 1,
                ),
                Part(
                    anchor(faq, "answer"), "Frequently asked", f"FAQ {n}: answer", faq.answer, n - 1
                ),
            ]
        # Attached references are listed by citekey; the outline numbers only the cited ones,
        # so a reference has no fixed place there: the review screen lists it with its section.
        parts += [
            Part(
                anchor(ref, "citation"),
                "References",
                f"Reference @{ref.citekey}",
                f"{ref.first_author} {ref.year}. {ref.title}",
            )
            for ref in attached_references(self)
        ]
        return [part for part in parts if part.text.strip()]

    def document_problems(self, document) -> list[str]:
        """What must be fixed before the page is submitted, signed off or published."""
        unknown = [
            f"The page cites @{key}, which is not in the reference library."
            for key in document["unresolved_citations"]
        ]
        from conditions.documents import cited_references

        cited = [entry["citekey"] for entry in document["references"]]
        cited += document["unresolved_citations"]  # the key the document's own read used
        retracted = [
            f"The page cites @{ref.citekey} ({ref.first_author} {ref.year}), which has been "
            f"retracted: {ref.retraction_notice} Remove or replace the citation."
            for ref in cited_references(cited)
            if ref.retracted
        ]
        return unknown + retracted

    def document_warnings(self, document) -> list[str]:
        """What an editor or reviewer should know that does not stop publishing."""
        from conditions.documents import attached_references

        cited = {entry["citekey"] for entry in document["references"]}
        return [
            f"@{ref.citekey} is attached to the page, but the page never cites it."
            for ref in attached_references(self)
            if ref.citekey not in cited
        ]

    def cited_citekeys(self) -> list[str]:
        """Every citekey the page's text cites, in reading order."""
        from conditions.documents import markdown_sources

        keys = {}
        for source in markdown_sources(self):
            for key in citekeys_in(source):
                keys.setdefault(key, None)
        return list(keys)

    def attach_cited_references(self):
        """Attach every reference the text cites, so “cited by” lists stay true."""
        missing = Reference.objects.with_citekeys(self.cited_citekeys()).exclude(conditions=self)
        if missing:
            # Adding nothing would still make django-reversion record the page as changed.
            self.references.add(*missing)


class ConditionPart(models.Model):
    """A part of a condition page, shown in the editor's order."""

    sort_order = models.PositiveIntegerField("order", default=0)

    class Meta:
        abstract = True
        ordering = ["sort_order", "pk"]


@reversion.register()
class ClinicalCode(ConditionPart):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="codes")
    system = models.CharField(max_length=12, choices=CodeSystem.choices)
    code = models.CharField(max_length=60)
    qualifier = models.CharField(
        max_length=60, blank=True, help_text="Shown in brackets after the code: “refractory”."
    )
    lookup_only = models.BooleanField(
        "for lookup only",
        default=False,
        help_text="Not shown in the page's codes line: partners' systems find the page by it "
        "(an ICD-10-CM or SNOMED CT code an EHR sends). The physician signs it with the page.",
    )

    class Meta(ConditionPart.Meta):
        verbose_name = "clinical code"

    def __str__(self):
        return self.display

    def clean(self):
        self.code = (self.code or "").strip().upper()
        validate_code(self.system, self.code)

    @property
    def display(self) -> str:
        text = f"{self.system} {self.code}"
        return f"{text} ({self.qualifier})" if self.qualifier else text


@reversion.register()
class SearchPhrase(ConditionPart):
    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="search_phrases"
    )
    phrase = models.CharField(max_length=200, help_text="How people search: “ketamine for OCD”.")

    class Meta(ConditionPart.Meta):
        verbose_name = "search phrase"

    def __str__(self):
        return self.phrase


@reversion.register()
class KeyPoint(ConditionPart):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="key_points")
    text = MarkdownField()

    class Meta(ConditionPart.Meta):
        verbose_name = "key point"

    def __str__(self):
        return self.text[:80]


@reversion.register()
class Comparison(ConditionPart):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="comparisons")
    name = models.CharField(max_length=200, help_text="The related condition: shown as “vs. OCD”.")
    related_condition = models.ForeignKey(
        Condition,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Optional: link the comparison to that condition's page.",
    )
    text = MarkdownField()

    class Meta(ConditionPart.Meta):
        verbose_name = "comparison with a related condition"
        verbose_name_plural = "comparisons with related conditions"

    def __str__(self):
        return f"vs. {self.name}"


@reversion.register()
class ConditionTreatment(ConditionPart):
    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="condition_treatments"
    )
    treatment = models.ForeignKey(
        Treatment, on_delete=models.PROTECT, related_name="condition_treatments"
    )
    line_of_therapy = models.CharField(max_length=20, choices=LineOfTherapy.choices)
    description = MarkdownField(help_text="What this treatment means for this condition. Markdown.")

    class Meta(ConditionPart.Meta):
        verbose_name = "treatment for this condition"
        verbose_name_plural = "treatments for this condition"

    def __str__(self):
        return f"{self.treatment} ({self.get_line_of_therapy_display()})"


@reversion.register()
class FAQ(ConditionPart):
    condition = models.ForeignKey(Condition, on_delete=models.CASCADE, related_name="faqs")
    question = models.CharField(max_length=300)
    answer = MarkdownField()

    class Meta(ConditionPart.Meta):
        verbose_name = "frequently asked question"

    def __str__(self):
        return self.question


# The read model lives beside the drafts' app but in its own module; importing it here
# registers its models with the app.
from conditions.read_model import (  # noqa: E402,F401
    CodeListing,
    PortableSearchVectorField,
    SearchEntry,
    TreatmentListing,
)


class SharedPartChange(models.Model):
    """A change to a part several pages show (a treatment), on the timeline of each page
    showing it when it was saved: the page went back to review because of it."""

    condition = models.ForeignKey(
        Condition, on_delete=models.CASCADE, related_name="shared_part_changes"
    )
    part = models.CharField(max_length=300, help_text="What was changed: “Treatment ‘ERP’”.")
    other_pages = models.PositiveIntegerField(
        default=0, help_text="How many other pages showed the part when it was changed."
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = "shared part change"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.part} changed on {self.at:%Y-%m-%d %H:%M}"
