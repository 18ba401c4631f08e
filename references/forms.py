"""The forms of the import screens: what the editor gives, checked before anything is fetched."""

from django import forms
from django.core import signing

from references.errors import ImportFormatError
from references.importers import FORMAT_CHOICES, ParsedReference, parse_references
from references.importers.pubmed import invalid_pmids, split_pmids

MAX_PMIDS = 500
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
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
    file = forms.FileField(
        required=False,
        help_text="A RIS (.ris), BibTeX (.bib) or MEDLINE (.nbib) export, or a text file.",
    )
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

    def clean(self):
        data = super().clean()
        upload, text = data.get("file"), (data.get("text") or "").strip()
        if bool(upload) == bool(text):
            raise forms.ValidationError("Choose a file or paste references (one of the two).")
        name = upload.name if upload else ""
        if upload:
            text = self._read(upload)
        try:
            data["parsed"] = parse_references(text, data.get("format") or None, name)
        except ImportFormatError as error:
            raise forms.ValidationError(error.problems) from error
        return data

    def _read(self, upload) -> str:
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB; split it.")
        try:
            return upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError("The file is not UTF-8 text; export it as UTF-8.") from None


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
