import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from references import formatting
from references.importers import FORMAT_CHOICES
from references.usage import refuse_deleting_cited
from references.validators import (
    normalize_doi,
    normalize_pmcid,
    normalize_pmid,
    strip_invisible,
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

    def delete(self):
        """Refused while a live page or a page in review cites one of them."""
        refuse_deleting_cited(self.values_list("citekey", flat=True))
        return super().delete()


class ReferenceKind(models.TextChoices):
    ARTICLE = "article", "Journal article"
    BOOK = "book", "Book"
    CHAPTER = "chapter", "Book chapter"
    THESIS = "thesis", "Thesis"
    WEB = "web", "Web page"


# What each kind cannot be cited without (AMA 11th edition), beyond authors, title and year.
REQUIRED_FIELDS = {
    ReferenceKind.ARTICLE: ["journal"],
    ReferenceKind.BOOK: ["publisher"],
    ReferenceKind.CHAPTER: ["book_title", "publisher"],
    ReferenceKind.THESIS: [],  # the university, or the address it is read at (checked in clean)
    ReferenceKind.WEB: ["url", "accessed"],
}
_TEXT_FIELDS = ["authors", "title", "journal", "volume", "issue", "pages", "publisher"]
_TEXT_FIELDS += ["book_title", "editors", "edition", "url", "note"]


@reversion.register()
class Reference(models.Model):
    Kind = ReferenceKind

    citekey = models.CharField(
        "citekey",
        max_length=80,
        unique=True,
        validators=[validate_citekey],
        help_text="The key editors cite with, as in [@rodriguez2013].",
    )
    kind = models.CharField(
        "type",
        max_length=16,
        choices=ReferenceKind.choices,
        default=ReferenceKind.ARTICLE,
        help_text="Each type has its own required fields and its own AMA format.",
    )
    authors = models.TextField(
        blank=True,
        help_text="Vancouver style, separated by commas: “Rodriguez CI, Kegeles LS, Levinson A”. "
        "Only a web page may have none.",
    )
    et_al = models.BooleanField(
        "et al.",
        default=False,
        help_text="The source names only the first authors (“et al.”): the citation then says "
        "“et al.” after them.",
    )
    title = models.TextField()
    journal = models.CharField(
        max_length=255,
        blank=True,
        help_text="Journal articles: the journal's abbreviation, as shown on the page.",
    )
    year = models.PositiveSmallIntegerField()
    volume = models.CharField(max_length=32, blank=True)
    issue = models.CharField(max_length=32, blank=True)
    pages = models.CharField(max_length=32, blank=True, help_text="For example 2475-2483.")
    book_title = models.CharField(
        "book title", max_length=500, blank=True, help_text="Book chapters: the book's title."
    )
    editors = models.TextField(
        blank=True,
        help_text="Book chapters: the book's editors, Vancouver style, separated by commas.",
    )
    edition = models.CharField(
        max_length=32, blank=True, help_text="Books and chapters, beyond the first: “2nd”."
    )
    publisher = models.CharField(
        "publisher, university or site",
        max_length=255,
        blank=True,
        help_text="The publisher of a book or chapter; the university of a thesis; the name of "
        "the site a web page is on.",
    )
    url = models.URLField(
        "URL",
        max_length=1000,
        blank=True,
        help_text="Web pages and theses read online: the address cited.",
    )
    accessed = models.DateField(
        "accessed on",
        null=True,
        blank=True,
        help_text="Web pages: the day the page was read (AMA cites it as “Accessed …”).",
    )
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

    def delete(self, *args, **kwargs):
        """Refused while a live page or a page in review cites it."""
        refuse_deleting_cited([self.citekey])
        return super().delete(*args, **kwargs)

    def clean_fields(self, exclude=None):
        # Tidy what people paste before the validators judge it: invisible characters
        # (zero-width, direction marks) and the prefixes pasted with identifiers.
        for name in _TEXT_FIELDS:
            setattr(self, name, strip_invisible(getattr(self, name) or "").strip())
        self.doi = normalize_doi(self.doi)
        self.pmid = normalize_pmid(self.pmid)
        self.pmcid = normalize_pmcid(self.pmcid)
        self.retraction_notice = strip_invisible(self.retraction_notice or "").strip()
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        if self.retracted and not self.retraction_notice:
            errors["retraction_notice"] = "Say what was retracted, when and by whom."
        errors.update(self.missing_fields())
        if errors:
            raise ValidationError(errors)

    def missing_fields(self) -> dict[str, str]:
        """The fields this type of reference cannot be cited without, with what to enter."""
        kind = self.get_kind_display().lower()
        missing = {
            name: f"A {kind} needs this field."
            for name in REQUIRED_FIELDS.get(self.kind, [])
            if not getattr(self, name)
        }
        if self.kind != ReferenceKind.WEB and not self.authors.strip():
            missing["authors"] = f"A {kind} needs its authors (only a web page may have none)."
        if self.kind == ReferenceKind.THESIS and not (self.publisher or self.url):
            missing["publisher"] = "A thesis needs its university, or the URL it is read at."
        return missing

    @property
    def ama_citation(self) -> str:
        return formatting.ama_citation(self)

    @property
    def author_list(self) -> list[str]:
        return [name.strip() for name in self.authors.replace(";", ",").split(",") if name.strip()]

    @property
    def first_author(self) -> str:
        names = self.author_list
        return names[0] if names else ""


class ReferenceImportQuerySet(models.QuerySet):
    def summaries(self):
        """The jobs without the text of their files (up to REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES
        each), for lists and status pages."""
        return self.defer("content").select_related("started_by", "confirmed_by")


class ImportState(models.TextChoices):
    QUEUED = "queued", "queued"
    RUNNING = "running", "running"
    CHECKED = "checked", "checked, waiting for confirmation"
    DONE = "done", "done"
    FAILED = "failed", "failed"
    DISCARDED = "discarded", "discarded"


class ReferenceImport(models.Model):
    """A file too large to preview at once, imported by a background task in two runs.

    The first run checks the file (the import, undone) and records what it would do; an editor
    confirms; the second run imports it, all or nothing. The file's text is kept in the row
    until then, so a worker on any machine can read it, and is cleared when the job ends:
    what remains is the outcome. The counts are those of the latest run: the check's, then
    the import's. An import never changes an existing reference and never skips a record
    (one it cannot save refuses the file), so there is no count of either.
    """

    State = ImportState

    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        editable=False,
        help_text="Who uploaded the file.",
    )
    file_name = models.CharField(max_length=255, editable=False)
    size = models.PositiveBigIntegerField("size in bytes", editable=False)
    format = models.CharField(max_length=16, choices=FORMAT_CHOICES, editable=False)
    content = models.TextField(
        blank=True,
        editable=False,
        help_text="The file's text while the job needs it; cleared when the job ends.",
    )
    state = models.CharField(
        max_length=16, choices=ImportState, default=ImportState.QUEUED, editable=False
    )
    created_at = models.DateTimeField("uploaded at", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    confirmed_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Empty while the file is only checked."
    )
    discarded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        help_text="Empty on a discarded job: nobody confirmed it in time.",
    )
    started_at = models.DateTimeField(null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)
    added = models.PositiveIntegerField("new references", default=0, editable=False)
    in_library = models.PositiveIntegerField("already in the library", default=0, editable=False)
    repeated = models.PositiveIntegerField("repeated in the file", default=0, editable=False)
    problems = models.JSONField(
        default=list, blank=True, editable=False, help_text="Each names its record and line."
    )
    warnings = models.JSONField(default=list, blank=True, editable=False)

    objects = ReferenceImportQuerySet.as_manager()

    class Meta:
        verbose_name = "reference import"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=ImportState.values),
                name="reference_import_known_state",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(confirmed_at__isnull=False),
                name="reference_import_done_only_when_confirmed",
                violation_error_message="A file is imported only once an editor confirms it.",
            ),
        ]

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    def outcome_summary(self) -> str:
        """The latest run's counts in a line: “3 new, 2 already in the library, 1 problem”."""
        counts = [(self.added, "new"), (self.in_library, "already in the library")]
        counts += [(self.repeated, "repeated in the file")]
        parts = [f"{count} {label}" for count, label in counts if count]
        if self.problems:
            parts.append(f"{len(self.problems)} problem{'s' if len(self.problems) != 1 else ''}")
        return ", ".join(parts) or "no references"
