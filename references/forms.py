"""The forms of the import screens: what the editor gives, checked before anything is fetched."""

from django import forms
from django.conf import settings
from django.core import signing
from django.urls import reverse

from references.errors import ImportFormatError
from references.importers import FORMAT_CHOICES, ParsedReference, parse_references
from references.importers.pubmed import invalid_pmids, split_pmids
from references.imports import check_size, file_size, read_text
from references.models import Reference
from references.validators import normalize_doi, normalize_pmcid, normalize_pmid

MAX_PMIDS = 500
_PREVIEW_SALT = "references.import.preview"
PREVIEW_MAX_AGE = 60 * 60  # seconds a preview can be confirmed


class PubMedImportForm(forms.Form):
    pmids = forms.CharField(
        label="PMIDs",
        widget=forms.Textarea(attrs={"rows": 6, "cols": 40}),
        help_text="PubMed IDs, separated by spaces, commas or new lines: 23783065 28121735.",
    )

    def clean_pmids(self):
        pmids = split_pmids(self.cleaned_data["pmids"])
        bad = invalid_pmids(pmids)
        if bad:
            raise forms.ValidationError(
                "These are not PubMed IDs (digits only): %(bad)s.",
                params={"bad": ", ".join(bad)},
            )
        if len(pmids) > MAX_PMIDS:
            raise forms.ValidationError(f"Import at most {MAX_PMIDS} PMIDs at a time.")
        return pmids


class FileImportForm(forms.Form):
    """A file or a pasted list. Up to REFERENCE_UPLOAD_MAX_BYTES it is parsed here, for the
    preview; a larger file, up to REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES, is only read
    (cleaned_data["background"]), for a background import to check and then import."""

    file = forms.FileField(required=False)
    text = forms.CharField(
        label="or paste references",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
        help_text="For example the numbered reference list at the end of a paper.",
    )
    format = forms.ChoiceField(
        choices=[("", "Recognize it")] + FORMAT_CHOICES,
        required=False,
        help_text="Recognized from the file name and the first line unless chosen here.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        small = file_size(settings.REFERENCE_UPLOAD_MAX_BYTES)
        large = file_size(settings.REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES)
        self.fields["file"].help_text = (
            "A RIS (.ris), BibTeX (.bib) or MEDLINE (.nbib) export, or a text file. Up to "
            f"{small}: previewed on the next screen. Larger, up to {large}: checked in the "
            "background, then imported once you confirm on its status page."
        )

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise forms.ValidationError("Choose a file or paste references (one of the two).")
        data["background"] = bool(upload) and upload.size > settings.REFERENCE_UPLOAD_MAX_BYTES
        if data["background"]:
            return self._clean_large_file(data, upload)
        name = upload.name if upload else "The pasted text"
        limit = settings.REFERENCE_UPLOAD_MAX_BYTES
        try:
            if upload:
                text = read_text(upload.read(), upload.name)
            else:
                check_size(len(text.encode()), limit, name, _PASTED_SETTING)
            data["text"] = text  # kept, so that the preview can go back to the form with it
            data["parsed"] = parse_references(text, data.get("format") or None, name)
        except ImportFormatError as error:
            raise forms.ValidationError(error.problems) from error
        return data

    def _clean_large_file(self, data, upload):
        """Refuse a file above the larger limit, naming the field; else keep its text."""
        limit = settings.REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES
        try:
            check_size(upload.size, limit, upload.name, "REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES")
            data["text"] = read_text(upload.read(), upload.name)
        except ImportFormatError as error:
            raise forms.ValidationError({"file": error.problems}) from error
        return data


_PASTED_SETTING = "REFERENCE_UPLOAD_MAX_BYTES; a longer list can be uploaded as a file"


class ConfirmImportForm(forms.Form):
    """Carries exactly what the preview showed, signed, so confirming saves that and no more."""

    payload = forms.CharField(widget=forms.HiddenInput)

    @staticmethod
    def sign(parsed: list[ParsedReference]) -> str:
        data = [reference.as_json() for reference in parsed]
        return signing.dumps(data, salt=_PREVIEW_SALT, compress=True)

    def clean_payload(self) -> list[ParsedReference]:
        try:
            data = signing.loads(
                self.cleaned_data["payload"], salt=_PREVIEW_SALT, max_age=PREVIEW_MAX_AGE
            )
        except signing.BadSignature:
            raise forms.ValidationError(
                "This preview has expired or was altered; start the import again."
            ) from None
        return [ParsedReference.from_json(item) for item in data]


class IdentifierField(forms.CharField):
    """An identifier as pasted (“PMID: 23982301”, “https://doi.org/10…”): the form takes the
    pasted text whole, normalises it, then the model's validators judge it."""

    def __init__(self, normalize, **kwargs):
        self.normalize = normalize
        super().__init__(required=False, max_length=1000, **kwargs)

    def to_python(self, value):
        return self.normalize(super().to_python(value))


class ReferenceForm(forms.ModelForm):
    pmid = IdentifierField(
        normalize_pmid,
        label="PMID",
        help_text="PubMed ID: 23982301, or as pasted (“PMID: 23982301”).",
    )
    doi = IdentifierField(
        normalize_doi,
        label="DOI",
        help_text="10.1038/npp.2013.150, or its https://doi.org/ address.",
    )
    pmcid = IdentifierField(
        normalize_pmcid,
        label="PMCID",
        help_text="PubMed Central ID: PMC3799063, or “PMCID: PMC3799063”.",
    )

    url = forms.URLField(
        label="URL",
        required=False,
        max_length=1000,
        assume_scheme="https",
        help_text=Reference._meta.get_field("url").help_text,
    )

    class Meta:
        model = Reference
        fields = [
            "citekey", "kind", "authors", "et_al", "title", "journal", "year", "volume", "issue",
            "pages", "book_title", "editors", "edition", "publisher", "url", "accessed", "pmid",
            "doi", "pmcid", "note", "retracted", "retraction_notice",
        ]  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk and "citekey" in self.fields:
            # A new reference's key is suggested as the authors and year are typed; an
            # existing one keeps its key (renaming rewrites every page citing it).
            url = reverse("admin:references_suggest_citekey")
            self.fields["citekey"].widget.attrs["data-suggest-url"] = url
