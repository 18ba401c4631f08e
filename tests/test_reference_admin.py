"""The editors' reference screens: identifiers accepted as pasted, a citekey suggested from the
authors and year, the import preview's way back with the input kept, and the upload limits."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from references.models import Reference
from tests.conftest import PASSWORD, make_reference

DATA = Path(__file__).parent / "data" / "references"
ADD_URL = "/admin/references/reference/add/"
SUGGEST_URL = "/admin/references/reference/suggest-citekey/"
FILE_IMPORT_URL = "/admin/references/reference/import/file/"
PUBMED_IMPORT_URL = "/admin/references/reference/import/pubmed/"


@pytest.fixture
def editor_client(client, editor):
    assert client.login(username=editor.username, password=PASSWORD)
    return client


def add(client, **fields):
    data = {
        "kind": "article",
        "citekey": "murrough2013",
        "authors": "Murrough JW, Iosifescu DV",
        "title": "Antidepressant efficacy of ketamine",
        "journal": "Am J Psychiatry",
        "year": "2013",
        "retraction_notice": "",
        **fields,
    }
    return client.post(ADD_URL, data, follow=True)


def test_identifiers_pasted_with_their_labels_and_addresses_are_saved_bare(editor_client):
    """“PMID: 23982301”, a doi.org address and “PMCID: …” are accepted whole and stored bare."""
    response = add(
        editor_client,
        pmid="PMID: 23982301",
        doi="https://doi.org/10.1176/appi.ajp.2013.13030392",
        pmcid="PMCID: PMC3992936",
    )
    assert response.status_code == 200
    reference = Reference.objects.get(citekey="murrough2013")
    assert (reference.pmid, reference.doi, reference.pmcid) == (
        "23982301",
        "10.1176/appi.ajp.2013.13030392",
        "PMC3992936",
    )


def test_the_pmid_field_takes_a_pasted_label_whole(editor_client):
    """The form's PMID input is not cut to nine characters, so a paste arrives whole."""
    html = editor_client.get(ADD_URL).content.decode()
    field = html[html.index('name="pmid"') - 200 : html.index('name="pmid"') + 200]
    assert 'maxlength="9"' not in field


def test_a_malformed_pmid_is_reported_as_typed(editor_client):
    """A PMID that is no number is refused showing what was typed, not a truncation of it."""
    html = add(editor_client, pmid="PMID: 2398230x").content.decode()
    assert "Enter a PubMed ID as digits only" in html
    assert "&#x27;2398230x&#x27;" in html
    assert not Reference.objects.exists()


def test_the_suggested_citekey_is_the_first_authors_surname_and_year(editor_client):
    """As typed in the add form: “Murrough JW, …” and 2013 give murrough2013."""
    answer = editor_client.get(
        SUGGEST_URL, {"authors": "Murrough JW, Iosifescu DV", "year": "2013"}
    )
    assert answer.json() == {"citekey": "murrough2013"}


def test_the_suggested_citekey_skips_keys_already_taken(editor_client):
    """With murrough2013 in the library, the next one is murrough2013a."""
    make_reference("murrough2013")
    answer = editor_client.get(SUGGEST_URL, {"authors": "Murrough, James W.", "year": "2013"})
    assert answer.json() == {"citekey": "murrough2013a"}


@pytest.mark.parametrize("query", [{"authors": "Murrough JW", "year": "13"}, {"year": "2013"}])
def test_no_citekey_is_suggested_before_the_authors_and_year_are_there(editor_client, query):
    """Half-typed input suggests nothing rather than a wrong key."""
    assert editor_client.get(SUGGEST_URL, query).json() == {"citekey": ""}


def test_the_add_form_loads_the_suggestion_script_as_a_file(editor_client):
    """The script is a static file (the Content-Security-Policy allows no inline script), and
    the citekey input tells it where to ask."""
    html = editor_client.get(ADD_URL).content.decode()
    assert "references/citekey-suggestion.js" in html
    assert f'data-suggest-url="{SUGGEST_URL}"' in html


def test_the_change_form_does_not_suggest_a_new_key(editor_client):
    """An existing reference keeps its key: renaming rewrites every page citing it."""
    reference = make_reference("murrough2013")
    html = editor_client.get(f"/admin/references/reference/{reference.pk}/change/").content
    assert b"data-suggest-url" not in html


def test_the_preview_goes_back_to_the_form_with_the_pasted_list(editor_client):
    """“Back to the form” shows the form again with the list as it was pasted."""
    text = (DATA / "pubmed-nlm-citations.txt").read_text()
    preview = editor_client.post(FILE_IMPORT_URL, {"text": text, "format": "vancouver"})
    assert preview.context["back"] == {"text": text.strip(), "format": "vancouver"}
    back = editor_client.post(FILE_IMPORT_URL, {"back": "1", **preview.context["back"]})
    form = back.context["form"]
    assert (form["text"].value(), form["format"].value()) == (text.strip(), "vancouver")
    assert not Reference.objects.exists()


def test_the_preview_of_an_uploaded_file_goes_back_with_its_text(editor_client):
    """An uploaded file comes back as its text, ready to correct and preview again."""
    upload = SimpleUploadedFile("refs.nbib", (DATA / "ocd-three.nbib").read_bytes())
    preview = editor_client.post(FILE_IMPORT_URL, {"file": upload})
    back = editor_client.post(FILE_IMPORT_URL, {"back": "1", **preview.context["back"]})
    assert back.context["form"]["text"].value().startswith("PMID- 23783065")


def test_the_pubmed_preview_goes_back_with_the_pmids(editor_client):
    """The PMIDs typed are in the form again after going back."""
    back = editor_client.post(PUBMED_IMPORT_URL, {"back": "1", "pmids": "23982301 23783065"})
    assert back.context["form"]["pmids"].value() == "23982301 23783065"


def test_an_upload_above_the_admin_limits_is_refused_with_the_setting_named(
    editor_client, settings
):
    """A file larger than REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES is refused before it is read
    (tests/test_reference_import_jobs.py covers the files between the two limits)."""
    settings.REFERENCE_UPLOAD_MAX_BYTES = 500
    settings.REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES = 1000
    upload = SimpleUploadedFile("big.ris", (DATA / "ocd-three.ris").read_bytes())
    html = editor_client.post(FILE_IMPORT_URL, {"file": upload}).content.decode()
    assert "big.ris is 1 kB; references are imported from files of at most 1000 bytes" in html
    assert "REFERENCE_BACKGROUND_UPLOAD_MAX_BYTES" in html
    assert not Reference.objects.exists()
