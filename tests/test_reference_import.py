"""Importing references from files: RIS, BibTeX, MEDLINE and a pasted Vancouver list."""

import csv
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from reversion.models import Version

from references.errors import ImportFormatError
from references.importers import detect_format, parse_references
from references.importers.names import vancouver_from_text
from references.importers.parsed import ParsedReference, expand_page_range
from references.importers.saving import import_references, preview_import, save_imported
from references.importers.vancouver import parse_vancouver, repair_ligatures
from references.models import Reference
from tests.conftest import PASSWORD, make_reference

DATA = Path(__file__).parent / "data" / "references"
PAPER_LIST = DATA / "bottemanne-2021-reference-list.txt"
OCD_FILES = [DATA / "ocd-three.ris", DATA / "ocd-three.bib", DATA / "ocd-three.nbib"]
OCD_PMIDS = ["23783065", "28121735", "28384832"]
DEMO_KEYS = ["rodriguez2013", "adams2017", "hirschtritt2017"]

# Built by hand from the paper's text, one reference a row: first author, title, journal,
# year, volume and pages. Entry 15 was published ahead of print (the text gives a PII, not a
# volume); entry 24 is a thesis on the web (no journal, volume or pages).
PAPER_REFERENCES = [
    (author, title, journal, int(year), volume, pages)
    for author, title, journal, year, volume, pages in csv.reader(
        (DATA / "bottemanne-2021-expected.tsv").read_text(encoding="utf-8").splitlines()[1:],
        delimiter="\t",
    )
]
FIELDS = ("first author", "title", "journal", "year", "volume", "pages")


def dry_run(path, *options) -> list[dict]:
    """The references import_references --dry-run prints, one JSON object a line."""
    out = StringIO()
    call_command("import_references", str(path), "--dry-run", *options, stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]


def as_row(item: dict) -> tuple:
    first = item["authors"].split(",")[0]
    return (first, item["title"], item["journal"], item["year"], item["volume"], item["pages"])


def run_import(path, *options) -> str:
    out = StringIO()
    call_command("import_references", str(path), *options, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture(scope="module")
def paper():
    return parse_vancouver(PAPER_LIST.read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_the_paper_reference_list_reads_at_least_34_of_its_36_references_correctly():
    """--dry-run on the paper's list yields 36 references, ≥34 right in all six fields."""
    parsed = dry_run(PAPER_LIST)
    correct = [as_row(item) == row for item, row in zip(parsed, PAPER_REFERENCES, strict=True)]
    assert len(parsed) == 36
    assert sum(correct) >= 34


@pytest.mark.django_db
@pytest.mark.parametrize("field", range(len(FIELDS)), ids=FIELDS)
def test_every_reference_of_the_paper_list_matches_the_hand_built_table(field):
    """Field by field, all 36 references read as written in the paper."""
    parsed = dry_run(PAPER_LIST)
    wrong = [
        (number, as_row(item)[field], row[field])
        for number, (item, row) in enumerate(zip(parsed, PAPER_REFERENCES, strict=True), 1)
        if as_row(item)[field] != row[field]
    ]
    assert wrong == []


@pytest.mark.django_db
def test_dry_run_saves_nothing():
    """--dry-run prints the references and leaves the library as it was."""
    assert len(dry_run(PAPER_LIST)) == 36
    assert Reference.objects.count() == 0


def test_the_paper_list_keeps_entry_issue_and_notes_what_it_could_not_read(paper):
    """Issues are read; an entry published ahead of print says what was left out."""
    assert (paper[0].issue, paper[5].issue) == ("13", "")
    assert "S0013-7006(21)00224-4" in paper[14].notes[-1]
    assert paper[23].url == "http://urn.kb.se/resolve?urn=urn:nbn:se:his:diva-18594"


def test_every_author_of_an_entry_is_read_and_et_al_is_kept_as_a_flag(paper):
    """All listed authors are kept, accents included; “et al” is kept as the et_al flag."""
    assert paper[2].authors == [
        "Rosa-Alcázar AI",
        "Sánchez-Meca J",
        "Gómez-Conesa A",
        "Marín-Martínez F",
    ]
    assert (paper[1].authors, paper[1].et_al) == (["Romanelli RJ", "Wu FM", "Gamba R"], True)
    assert paper[2].et_al is False


def test_the_page_footer_copied_after_the_list_is_skipped_with_a_note_naming_its_lines():
    """The footer after the last entry is not merged or refused: a note names its lines."""
    footer = "ICNS\n\nICNS INNOVATIONS IN CLINICAL NEUROSCIENCE Fall 2021 • Volume 18\n\n11\n"
    references = parse_vancouver(PAPER_LIST.read_text(encoding="utf-8") + footer)
    assert len(references) == 36
    assert references[-1].journal == "Am J Psychother"
    assert references[-1].warnings[-1].startswith("Lines 204–206 (“ICNS”, “ICNS INNOVATIONS")


def test_a_number_line_that_finishes_a_page_range_is_not_taken_for_an_entry_number():
    """“723–” then “731.” is the page range 723-731, not entry 731."""
    text = "1.\n2.\nFarrell LJ, Waters AM. A trial. Depress Anxiety. 2013;30(8):723–\n731.\n"
    [reference] = parse_vancouver(text)
    assert reference.pages == "723-731"


def test_an_entry_without_a_source_is_an_error_naming_the_entry_and_line():
    """An entry with no year;volume:pages is refused with its number and first line."""
    text = "1. Hirschtritt ME. A title. JAMA. 2017;317(13):1358.\n2. Bloch MH. Notes. Blog. 2012.\n"
    with pytest.raises(ImportFormatError, match="^Lines 2–2"):
        parse_vancouver(text)


@pytest.mark.parametrize(
    ("pasted", "repaired"),
    [
        ("Eff ects of ketamine", "Effects of ketamine"),
        ("diffi  cult scenarios", "difficult scenarios"),
        ("the variety of defi nitions", "the variety of definitions"),
        ("clinical effi  cacy", "clinical efficacy"),
        ("fi ndings", "findings"),
        ("off label use by staff members", "off label use by staff members"),
        ("Wolff and colleagues", "Wolff and colleagues"),
    ],
)
def test_split_ligatures_are_joined_and_real_words_are_left_alone(pasted, repaired):
    """A space a PDF put after ff, fi or fl goes; “off label” keeps its space."""
    assert repair_ligatures(pasted) == repaired


@pytest.mark.parametrize(
    ("pages", "expanded"),
    [("2475-83", "2475-2483"), ("10-8", "10-18"), ("1358-1367", "1358-1367"), ("e65088", "e65088")]
    + [
        ("608-18; quiz 554", "608-618; quiz 554"),
        ("S0013-7006(21)00224-4", "S0013-7006(21)00224-4"),
    ],
)
def test_medline_short_page_ranges_are_written_out(pages, expanded):
    """AMA wants full page numbers: MEDLINE's 2475-83 becomes 2475-2483."""
    assert expand_page_range(pages) == expanded


@pytest.mark.parametrize(
    ("name", "vancouver"),
    [
        ("Rodriguez, Carolyn I.", "Rodriguez CI"),
        ("Rodriguez, C. I.", "Rodriguez CI"),
        ("Carolyn I. Rodriguez", "Rodriguez CI"),
        ("Rodriguez CI", "Rodriguez CI"),
        ("Dupont, Jean-Pierre", "Dupont JP"),
        ("GENCODE Consortium", "GENCODE Consortium"),
    ],
)
def test_author_names_are_written_in_vancouver_form(name, vancouver):
    """Reference-manager names become surname and initials."""
    assert vancouver_from_text(name) == vancouver


@pytest.mark.parametrize(
    ("path", "fmt"),
    [*zip(OCD_FILES, ["ris", "bibtex", "medline"], strict=True), (PAPER_LIST, "vancouver")],
)
def test_the_format_is_recognized_from_the_file(path, fmt):
    """Extension first, then the first line: RIS, BibTeX, MEDLINE, else a Vancouver list."""
    text = path.read_text(encoding="utf-8")
    assert detect_format(text, path.name) == fmt
    assert detect_format(text) == fmt


@pytest.mark.parametrize("path", OCD_FILES, ids=lambda path: path.suffix)
def test_each_format_reads_the_three_ocd_references_alike(path):
    """RIS, BibTeX and MEDLINE give the same identifiers, authors and source."""
    parsed = parse_references(path.read_text(encoding="utf-8"), filename=path.name)
    assert [(r.pmid, r.doi.lower(), r.year, r.volume, r.issue, r.pages) for r in parsed] == [
        ("23783065", "10.1038/npp.2013.150", 2013, "38", "12", "2475-2483"),
        ("28121735", "10.1097/jcp.0000000000000659", 2017, "37", "2", "269-271"),
        ("28384832", "10.1001/jama.2017.2200", 2017, "317", "13", "1358-1367"),
    ]
    assert [r.journal for r in parsed] == [
        "Neuropsychopharmacology",
        "J Clin Psychopharmacol",
        "JAMA",
    ]
    assert parsed[0].authors[-1] == "Simpson HB"
    assert [len(r.authors) for r in parsed] == [8, 3, 3]


@pytest.mark.parametrize("path", OCD_FILES, ids=lambda path: path.suffix)
def test_importing_the_ocd_file_links_to_the_demo_library_instead_of_duplicating(demo, path):
    """With the demo library loaded, each file adds nothing and reports the three it found."""
    before = Reference.objects.count()
    output = run_import(path)
    assert Reference.objects.count() == before
    for key in DEMO_KEYS:
        assert f"already in the library as @{key} (same PMID)" in output
    assert "0 new references, 3 already in the library" in output


@pytest.mark.django_db
def test_the_three_formats_import_to_the_same_three_records():
    """RIS creates three references; BibTeX and MEDLINE then find the same three."""
    reports = [save_imported(parse_references(p.read_text(), filename=p.name)) for p in OCD_FILES]
    assert [len(report.created) for report in reports] == [3, 0, 0]
    assert sorted(Reference.objects.values_list("pmid", flat=True)) == OCD_PMIDS
    first = [outcome.reference.pk for outcome in reports[0].outcomes]
    for report in reports[1:]:
        assert [outcome.reference.pk for outcome in report.outcomes] == first


@pytest.mark.django_db
def test_new_references_get_citekeys_from_the_first_author_and_year():
    """The RIS file's references are cited as @rodriguez2013, @adams2017, @hirschtritt2017."""
    report = save_imported(parse_references((DATA / "ocd-three.ris").read_text()))
    assert [reference.citekey for reference in report.created] == DEMO_KEYS


@pytest.mark.django_db
def test_an_import_is_one_revision_with_the_user_and_a_comment(admin_user):
    """Every new reference is in one django-reversion revision, recorded with its user."""
    save_imported(
        parse_references((DATA / "ocd-three.nbib").read_text()), user=admin_user, comment="Mine."
    )
    versions = Version.objects.get_for_model(Reference)
    assert versions.count() == 3
    assert {(v.revision.user, v.revision.comment) for v in versions} == {(admin_user, "Mine.")}


@pytest.mark.django_db
def test_an_import_with_one_invalid_reference_saves_none_and_names_it(tmp_path):
    """A thesis with neither university nor address cannot be cited: nothing is saved."""
    path = tmp_path / "two.ris"
    path.write_text(
        (DATA / "ocd-three.ris").read_text() + "\nTY  - THES\nAU  - Smith, Jane\n"
        "TI  - A thesis read nowhere\nPY  - 2020\nER  - \n"
    )
    with pytest.raises(CommandError) as error:
        run_import(path)
    assert (
        "Record 4 (line 58), Smith J 2020: publisher, university or site: A thesis needs its "
        "university, or the URL it is read at." in str(error.value)
    )
    assert Reference.objects.count() == 0


@pytest.mark.django_db
def test_the_seed_papers_whole_tail_with_its_footer_imports_its_36_references():
    """import_references on the tail, heading to page number: 36 saved, the thesis too, and
    the footer's lines reported as skipped."""
    out, err = StringIO(), StringIO()
    call_command(
        "import_references",
        str(DATA / "bottemanne-2021-reference-tail.txt"),
        stdout=out,
        stderr=err,
    )
    assert out.getvalue().splitlines()[-1] == "36 new references."
    assert "Warning: Record 36 (line 200), Pence SL 2010: Lines 204–206 (“ICNS”" in err.getvalue()
    assert Reference.objects.count() == 36
    assert Reference.objects.get(citekey="brostrom2020").kind == "thesis"
    assert not Reference.objects.filter(title__contains="ICNS").exists()


@pytest.mark.django_db
def test_the_paper_list_imports_all_36_references_with_its_thesis():
    """Every entry of the paper saves, the thesis too, with distinct generated citekeys."""
    report = save_imported(parse_vancouver(PAPER_LIST.read_text()))
    keys = [reference.citekey for reference in report.created]
    assert len(keys) == len(set(keys)) == 36
    assert {"bottemanne2021", "bottemanne2021a", "rodriguez2013", "williams2018"} <= set(keys)
    thesis = Reference.objects.get(citekey="brostrom2020")
    assert (thesis.kind, thesis.url) == (
        "thesis",
        "http://urn.kb.se/resolve?urn=urn:nbn:se:his:diva-18594",
    )


def test_a_list_entry_without_identifiers_links_to_the_same_title_year_and_author(demo, paper):
    """Hirschtritt 2017 of the paper is the demo's @hirschtritt2017, by title, year and author."""
    [outcome] = preview_import([paper[0]]).outcomes
    assert (outcome.reference.citekey, outcome.matched_by) == (
        "hirschtritt2017",
        "title, year and first author",
    )


@pytest.mark.django_db
def test_a_near_duplicate_title_is_imported_with_a_warning():
    """A title 90% like one in the library is saved, and the editor is told which."""
    make_reference("bloch2012", title="Effects of ketamine in treatment-refractory OCD")
    text = (
        "1. Bloch MH. Effect of ketamine in treatment refractory OCD. Biol Psychiatry. 2013;72:9.\n"
    )
    report = save_imported(parse_vancouver(text))
    assert len(report.created) == 1
    [warning] = report.warnings
    assert "@bloch2012" in warning
    assert "Check that it is not the same article" in warning


@pytest.mark.django_db
def test_the_same_reference_twice_in_one_file_is_saved_once():
    """A record repeated in the same import links to the first one."""
    text = (DATA / "ocd-three.ris").read_text()
    report = save_imported(parse_references(text + "\n" + text))
    assert len(report.created) == 3
    assert report.outcomes[3].describe() == (
        "repeats @rodriguez2013 of the same import (same PMID)"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("TY  - JOUR\nTI  - A title\nPY  - 2020\n", "The record of line 1 never ends"),
        ("TY  - JOUR\nTI  - A\nTY  - JOUR\nER  - \n", "Line 3: a new record starts before"),
        ("Some notes\nTY  - JOUR\nER  - \n", "Line 1: expected a record to start with"),
        (
            "TY  - JOUR\nAU  - Bloch, Michael\nPY  - 2012\nER  - \n",
            "Record 1 (line 1): no title found.",
        ),
    ],
)
def test_malformed_ris_is_refused_naming_the_line_or_record(text, message):
    """RIS without its ER, with a TY inside a record, stray text or no title is refused."""
    with pytest.raises(ImportFormatError, match=re.escape(message)):
        parse_references(text, "ris")


def test_malformed_bibtex_is_refused_naming_the_line():
    """A BibTeX entry missing a comma is refused at its line."""
    text = (
        '@article{a, title={A}, year=2020}\n\n@article{b, author = "X, Y" title = {B}\n@article{c,'
    )
    text += " title={C}, year=2021}\n"
    with pytest.raises(ImportFormatError, match="^Line 3: this BibTeX entry could not be read"):
        parse_references(text, "bibtex")


def test_malformed_medline_is_refused_naming_the_line():
    """A line that is neither a MEDLINE tag nor a continuation is refused."""
    text = "PMID- 23783065\nTI  - A title.\nDP  - 2013\nthis line is not MEDLINE\n"
    with pytest.raises(ImportFormatError, match="^Line 4: “this line is not MEDLINE”"):
        parse_references(text, "medline")


def test_a_medline_retracted_publication_carries_a_retraction_notice():
    """PT - Retracted Publication marks the imported reference as retracted."""
    text = "PMID- 1\nTI  - Withdrawn.\nDP  - 2001\nPT  - Retracted Publication\nTA  - J\n"
    [reference] = parse_references(text, "medline")
    assert reference.reference_fields()["retracted"] is True
    assert "retracted" in reference.retraction_notice


@pytest.mark.django_db
def test_the_command_reports_a_malformed_file_and_saves_nothing(tmp_path):
    """import_references names the file and the problem, and imports nothing."""
    path = tmp_path / "broken.ris"
    path.write_text("TY  - JOUR\nTI  - A title\n")
    with pytest.raises(
        CommandError, match="broken.ris: nothing was imported.\nThe record of line 1"
    ):
        run_import(path)
    assert Reference.objects.count() == 0


FILE_IMPORT_URL = "/admin/references/reference/import/file/"


@pytest.fixture
def editor_client(client, editor):
    assert client.login(username=editor.username, password=PASSWORD)
    return client


def test_an_uploaded_file_is_previewed_then_saved_on_confirmation(editor_client):
    """Upload → preview (nothing saved) → confirm → the three references are in the library."""
    with (DATA / "ocd-three.nbib").open("rb") as upload:
        preview = editor_client.post(FILE_IMPORT_URL, {"file": upload})
    assert "new reference @adams2017" in preview.content.decode()
    assert Reference.objects.count() == 0
    payload = preview.context["confirm"].initial["payload"]
    response = editor_client.post(FILE_IMPORT_URL, {"payload": payload}, follow=True)
    assert "Imported: 3 new references." in response.content.decode()
    assert sorted(Reference.objects.values_list("citekey", flat=True)) == sorted(DEMO_KEYS)


def test_an_upload_with_an_unsavable_record_shows_why_and_cannot_be_confirmed(
    editor_client, tmp_path
):
    """A web page without the day it was read: the preview says so and offers no save."""
    path = tmp_path / "page.ris"
    path.write_text(
        "TY  - ELEC\nTI  - Obsessive-compulsive disorder\nT2  - National Institute of Mental "
        "Health\nPY  - 2022\nUR  - https://www.nimh.nih.gov/health/topics/ocd\nER  - \n"
    )
    with path.open("rb") as upload:
        html = editor_client.post(FILE_IMPORT_URL, {"file": upload}).content.decode()
    assert "Record 1 (line 1), 2022: accessed on: A web page needs this field." in html
    assert "nothing is imported until every reference can be" in html
    assert 'name="payload"' not in html


def test_a_malformed_upload_comes_back_with_the_line_that_failed(editor_client, tmp_path):
    """The form names the line; nothing is previewed or saved."""
    path = tmp_path / "broken.ris"
    path.write_text("TY  - JOUR\nTI  - A title\n")
    with path.open("rb") as upload:
        html = editor_client.post(FILE_IMPORT_URL, {"file": upload}).content.decode()
    assert "The record of line 1 never ends: no “ER  - ” line follows." in html
    assert Reference.objects.count() == 0


THESIS_WITHOUT_SOURCE = (
    "TY  - THES\nAU  - Smith, Jane\nTI  - A thesis read nowhere\nPY  - 2020\nER  - \n"
)


def command_outcome(path, *options):
    """(exit status, stdout, stderr) of import_references, as a shell would see them."""
    out, err = StringIO(), StringIO()
    try:
        call_command("import_references", str(path), *options, stdout=out, stderr=err)
    except CommandError as error:
        return 1, out.getvalue(), f"{err.getvalue()}{error}"
    return 0, out.getvalue(), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "refused"),
    [
        ((DATA / "ocd-three.ris").read_text(), False),
        ((DATA / "each-reference-type.ris").read_text(), False),
        ((DATA / "ocd-three.ris").read_text() + "\n" + THESIS_WITHOUT_SOURCE, True),
        ("TY  - JOUR\nTI  - A title\n", True),
    ],
    ids=["valid", "every type", "invalid record", "malformed file"],
)
def test_the_dry_run_exits_non_zero_exactly_when_the_import_would_refuse(tmp_path, text, refused):
    """Same parsing, validation and duplicate detection: the dry run's verdict and reason
    are the import's, and the dry run leaves the library as it was."""
    path = tmp_path / "refs.ris"
    path.write_text(text)
    dry_status, _, dry_err = command_outcome(path, "--dry-run")
    assert Reference.objects.count() == 0
    status, _, err = command_outcome(path)
    assert (dry_status, status) == ((1, 1) if refused else (0, 0))
    if refused:
        reason = err.splitlines()[-1]
        assert reason in dry_err
    else:
        assert Reference.objects.exists()


@pytest.mark.django_db
def test_the_dry_run_prints_each_record_as_saved_with_its_ama_citation_and_problems(tmp_path):
    """One JSON object a line: the citekey it would get, its fields, AMA citation, problems."""
    path = tmp_path / "refs.ris"
    path.write_text((DATA / "ocd-three.ris").read_text() + "\n" + THESIS_WITHOUT_SOURCE)
    status, out, err = command_outcome(path, "--dry-run")
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 1
    assert [(r["record"], r["status"], r["citekey"]) for r in records] == [
        (1, "new", "rodriguez2013"),
        (2, "new", "adams2017"),
        (3, "new", "hirschtritt2017"),
        (4, "new", "smith2020"),
    ]
    assert records[2]["ama"] == (
        "Hirschtritt ME, Bloch MH, Mathews CA. Obsessive-Compulsive Disorder: Advances in "
        "Diagnosis and Treatment. JAMA. 2017;317(13):1358-1367. doi:10.1001/jama.2017.2200"
    )
    assert records[0]["problems"] == []
    assert records[3]["problems"] == [
        "Record 4 (line 58), Smith J 2020: publisher, university or site: A thesis needs its "
        "university, or the URL it is read at."
    ]
    assert f"Problem: {records[3]['problems'][0]}" in err


@pytest.mark.django_db
def test_the_dry_run_reports_duplicates_as_the_import_would(demo):
    """With the demo library, the dry run finds the three references the import would find."""
    records = dry_run(DATA / "ocd-three.nbib")
    assert [(r["status"], r["citekey"], r["matched_by"]) for r in records] == [
        ("in_library", "rodriguez2013", "PMID"),
        ("in_library", "adams2017", "PMID"),
        ("in_library", "hirschtritt2017", "PMID"),
    ]


@pytest.mark.django_db
def test_the_pubmed_nlm_citations_import_with_pmid_doi_and_et_al():
    """PubMed's “Cite → NLM” text and a Vancouver list with et al. import into their fields."""
    save_imported(parse_vancouver((DATA / "vancouver-with-identifiers.txt").read_text()))
    murrough = Reference.objects.get(pmid="23982301")
    assert (murrough.doi, murrough.pages, murrough.et_al) == (
        "10.1176/appi.ajp.2013.13030392",
        "1134-1142",
        True,
    )
    report = save_imported(parse_vancouver((DATA / "pubmed-nlm-citations.txt").read_text()))
    assert [outcome.status for outcome in report.outcomes] == [
        "in_library",
        "new",
        "in_library",
    ] + ["in_library"]
    assert Reference.objects.get(pmid="23783065").pmcid == "PMC3799063"


@pytest.mark.django_db
def test_two_records_with_one_pmid_and_different_titles_refuse_the_import_naming_both():
    """A PMID repeated with another title is a wrong identifier: reported, nothing dropped."""
    text = (
        "1. Rodriguez CI, Kegeles LS. Randomized controlled crossover trial of ketamine. "
        "Neuropsychopharmacology. 2013;38(12):2475-83. PMID: 23783065.\n"
        "2. Bloch MH, Wasylink S. Effects of ketamine in treatment-refractory obsessive-compulsive"
        " disorder. Biol Psychiatry. 2012;72(11):964-70. PMID: 23783065.\n"
    )
    report = import_references(parse_vancouver(text))
    assert report.refused
    assert not report.saved
    [problem] = report.problems
    assert problem.startswith(
        "Record 2 (line 2), Bloch MH 2012: has the PMID 23783065 of Record 1 (line 1), "
        "Rodriguez CI 2013, but another title"
    )
    assert Reference.objects.count() == 0


@pytest.mark.django_db
def test_the_same_reference_twice_is_reported_as_a_repeat_not_dropped_silently():
    """An identical repeat is saved once, and the report says which record repeats which."""
    text = (DATA / "pubmed-nlm-citations.txt").read_text()
    report = import_references(parse_vancouver(text + "\n" + text))
    assert len(report.created) == 4
    assert not report.refused
    assert [outcome.describe() for outcome in report.outcomes[4:6]] == [
        "repeats @murrough2013 of the same import (same PMID)",
        "repeats @rodriguez2013 of the same import (same PMID)",
    ]


@pytest.mark.django_db
def test_planning_reads_the_library_once_for_10_or_1000_records():
    """The library is read once, never searched once per record: apart from the inserts,
    a dry run of 1000 records asks the database what a dry run of 10 asks."""
    records = [
        ParsedReference(
            authors=["Smith J"],
            title=f"Study number {n}",
            journal="J Things",
            year=2020,
            pmid=str(10000000 + n),
        )
        for n in range(1000)
    ]
    make_reference("smith2020", title="An earlier study")
    asked = {}
    for count in (10, 1000):
        with CaptureQueriesContext(connection) as queries:
            preview = import_references(records[:count], dry_run=True)
        assert len(preview.created) == count
        asked[count] = [q["sql"] for q in queries if not q["sql"].startswith("INSERT")]
    assert len(asked[1000]) == len(asked[10])
    assert [r.citekey for r in preview.created[:2]] == ["smith2020a", "smith2020b"]
    assert preview.created[-1].citekey == "smith2020all"
