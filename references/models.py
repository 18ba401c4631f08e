import reversion
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from references.validators import (
    normalize_doi,
    normalize_pmcid,
    validate_citekey,
    validate_doi,
    validate_pmcid,
    validate_pmid,
)


class ReferenceQuerySet(models.QuerySet):
    def with_citekeys(self, keys):
        return self.filter(citekey__in=list(keys))

    def retracted(self):
        return self.filter(retracted=True)


@reversion.register()
class Reference(models.Model):
    citekey = models.CharField(
        "citekey",
        max_length=80,
        unique=True,
        validators=[validate_citekey],
        help_text="The key editors cite with, as in [@rodriguez2013].",
    )
    authors = models.TextField(
        help_text="Vancouver style, separated by commas: “Rodriguez CI, Kegeles LS, Levinson A”."
    )
    title = models.TextField()
    journal = models.CharField(max_length=255, help_text="As it should be shown on the page.")
    year = models.PositiveSmallIntegerField()
    volume = models.CharField(max_length=32, blank=True)
    issue = models.CharField(max_length=32, blank=True)
    pages = models.CharField(max_length=32, blank=True, help_text="For example 2475-2483.")
    pmid = models.CharField(
        "PMID",
        max_length=9,
        blank=True,
        validators=[validate_pmid],
        help_text="PubMed ID, digits only.",
    )
    doi = models.CharField(
        "DOI",
        max_length=255,
        blank=True,
        validators=[validate_doi],
        help_text="Without the resolver, for example 10.1038/npp.2013.150.",
    )
    pmcid = models.CharField(
        "PMCID",
        max_length=12,
        blank=True,
        validators=[validate_pmcid],
        help_text="PubMed Central ID, for example PMC3799063.",
    )
    note = models.TextField(
        blank=True,
        help_text="One line shown under the reference: what it found and why the page cites it.",
    )
    retracted = models.BooleanField(
        default=False,
        help_text="A page that cites a retracted reference cannot be submitted, signed off or "
        "published.",
    )
    retraction_notice = models.TextField(
        blank=True,
        help_text="Required when retracted: what was retracted, when and by whom, for example "
        "“Retracted by the journal on March 3, 2024 (doi:10.1000/xyz)”. Editors and "
        "reviewers see it wherever publishing is refused.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReferenceQuerySet.as_manager()

    class Meta:
        ordering = ["citekey"]
        constraints = [
            models.UniqueConstraint(
                fields=["pmid"],
                condition=~Q(pmid=""),
                name="reference_unique_pmid",
                violation_error_code="unique",
                violation_error_message="Another reference in the library already has this PMID.",
            ),
            models.UniqueConstraint(
                fields=["doi"],
                condition=~Q(doi=""),
                name="reference_unique_doi",
                violation_error_code="unique",
                violation_error_message="Another reference in the library already has this DOI.",
            ),
            models.CheckConstraint(
                condition=Q(retracted=False) | ~Q(retraction_notice=""),
                name="reference_retraction_has_notice",
                violation_error_message="A retracted reference needs a retraction notice.",
            ),
        ]

    def __str__(self):
        return f"{self.citekey}: {self.first_author} {self.year}"

    def clean_fields(self, exclude=None):
        # Tidy what people paste before the validators judge it.
        self.doi = normalize_doi(self.doi)
        self.pmid = (self.pmid or "").strip()
        self.pmcid = normalize_pmcid(self.pmcid)
        self.retraction_notice = (self.retraction_notice or "").strip()
        super().clean_fields(exclude)

    def clean(self):
        if self.retracted and not self.retraction_notice:
            raise ValidationError(
                {"retraction_notice": "Say what was retracted, when and by whom."},
                code="retraction_without_notice",
            )

    @property
    def author_list(self) -> list[str]:
        return [name.strip() for name in self.authors.replace(";", ",").split(",") if name.strip()]

    @property
    def first_author(self) -> str:
        names = self.author_list
        return names[0] if names else ""
