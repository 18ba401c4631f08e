import reversion
from django.db import models
from django.db.models import Q

from references.validators import normalize_doi, validate_citekey, validate_doi, validate_pmid


class ReferenceQuerySet(models.QuerySet):
    def with_citekeys(self, keys):
        return self.filter(citekey__in=list(keys))


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
    note = models.TextField(
        blank=True,
        help_text="One line shown under the reference: what it found and why the page cites it.",
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
        ]

    def __str__(self):
        return f"{self.citekey}: {self.first_author} {self.year}"

    def clean_fields(self, exclude=None):
        # Tidy what people paste before the validators judge it.
        self.doi = normalize_doi(self.doi)
        self.pmid = (self.pmid or "").strip()
        super().clean_fields(exclude)

    @property
    def author_list(self) -> list[str]:
        return [name.strip() for name in self.authors.replace(";", ",").split(",") if name.strip()]

    @property
    def first_author(self) -> str:
        names = self.author_list
        return names[0] if names else ""
