"""Every common citation shape reads into its fields: PubMed's “Cite → NLM” text, Vancouver and
AMA lists with or without numbers and with their identifiers, lists copied from a PDF with their
page furniture, and each reference type. The inputs are real-world lists in tests/data/."""

from pathlib import Path

import pytest

from references.errors import ImportFormatError
from references.importers import parse_references
from references.importers.vancouver import parse_vancouver

DATA = Path(__file__).parent / "data" / "references"


def read(name):
    return parse_vancouver((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def nlm():
    return read("pubmed-nlm-citations.txt")


def test_pubmed_nlm_citations_put_doi_pmid_and_pmcid_in_their_fields(nlm):
    """The “doi: … PMID: …; PMCID: …” tail goes to the identifiers, not to the pages."""
    murrough = nlm[0]
    assert (murrough.doi, murrough.pmid, murrough.pmcid) == (
        "10.1176/appi.ajp.2013.13030392",
        "23982301",
        "PMC3992936",
    )
    assert (murrough.volume, murrough.issue, murrough.pages) == ("170", "10", "1134-1142")
    assert [r.pmid for r in nlm] == ["23982301", "23783065", "28384832", "28121735"]


def test_the_month_and_day_after_the_year_are_read_past(nlm):
    """“2013 Oct;170(10)” and “2017 Apr 4;317(13)” give the year, volume and issue."""
    assert [(r.journal, r.year, r.volume, r.issue) for r in nlm] == [
        ("Am J Psychiatry", 2013, "170", "10"),
        ("Neuropsychopharmacology", 2013, "38", "12"),
        ("JAMA", 2017, "317", "13"),
        ("J Clin Psychopharmacol", 2017, "37", "2"),
    ]


def test_pubmed_lists_every_author_so_nothing_is_marked_et_al(nlm):
    """PubMed's citation names all twelve authors of Murrough 2013: the list is complete."""
    assert len(nlm[0].authors) == 12
    assert nlm[0].authors[3] == "Al Jurdi RK"
    assert not any(r.et_al for r in nlm)


def test_pubmeds_epub_date_becomes_a_note_not_a_field(nlm):
    """“Epub 2013 Jul 31.” is said in the notes; the title and pages stay clean."""
    assert "Published online first (Epub 2013 Jul 31)." in nlm[1].notes
    assert nlm[1].pages == "2475-2483"


def test_a_vancouver_entry_ending_in_doi_and_pmid_keeps_them_out_of_the_pages():
    """“…1134-42. doi:10.1176/… PMID: 23982301.” and a https://doi.org/ address are read."""
    murrough, hirschtritt, adams = read("vancouver-with-identifiers.txt")
    assert (murrough.pages, murrough.doi, murrough.pmid) == (
        "1134-1142",
        "10.1176/appi.ajp.2013.13030392",
        "23982301",
    )
    assert (hirschtritt.pages, hirschtritt.doi) == ("1358-1367", "10.1001/jama.2017.2200")
    assert adams.doi == "10.1097/JCP.0000000000000659"  # on a line of its own


def test_et_al_after_six_authors_is_kept_as_a_flag():
    """A Vancouver list's “…, Perez AM, et al.” keeps its six authors and the et_al flag."""
    murrough = read("vancouver-with-identifiers.txt")[0]
    assert (len(murrough.authors), murrough.et_al) == (6, True)


@pytest.mark.parametrize("words", ["et al.", "and others."])
def test_and_others_is_read_as_et_al(words):
    """“et al.” and “and others” both mean the list is incomplete."""
    [reference] = parse_vancouver(
        f"Rodriguez CI, Kegeles LS, {words} A trial. Neuropsychopharmacology. 2013;38:1-2.\n"
    )
    assert reference.et_al
    assert reference.authors == ["Rodriguez CI", "Kegeles LS"]


def test_an_article_ahead_of_print_reads_with_its_identifiers():
    """“Mol Psychiatry. 2021 Jan 12. doi: … Epub ahead of print. PMID: …” has no volume yet."""
    [reference] = parse_vancouver(
        "Smith J, Jones K. A new trial. Mol Psychiatry. 2021 Jan 12. "
        "doi: 10.1038/s41380-020-0001-8. Epub ahead of print. PMID: 33400001.\n"
    )
    assert (reference.journal, reference.year, reference.volume) == ("Mol Psychiatry", 2021, "")
    assert (reference.doi, reference.pmid) == ("10.1038/s41380-020-0001-8", "33400001")


def test_an_ama_article_published_online_first_reads():
    """AMA's “JAMA Psychiatry. Published online March 3, 2021. doi:…”."""
    [reference] = parse_vancouver(
        "Smith J, Jones K. A new trial. JAMA Psychiatry. Published online March 3, 2021. "
        "doi:10.1001/jamapsychiatry.2021.0001\n"
    )
    assert (reference.journal, reference.year) == ("JAMA Psychiatry", 2021)
    assert reference.doi == "10.1001/jamapsychiatry.2021.0001"


def test_an_unnumbered_list_reads_one_reference_per_entry(nlm):
    """Without numbers, each entry ends at its identifiers."""
    assert len(nlm) == 4
    assert nlm[2].title == ("Obsessive-Compulsive Disorder: Advances in Diagnosis and Treatment")


def test_a_running_header_in_the_middle_and_a_footer_at_the_end_are_skipped():
    """Headers, page numbers and footers are not merged: six references, each read clean."""
    references = read("list-with-page-furniture.txt")
    assert [r.first_author for r in references] == [
        "Hirschtritt ME",
        "Romanelli RJ",
        "Foa EB",
        "Thompson SL",
        "Rodriguez CI",
        "Bloch MH",
    ]
    foa = references[2]
    assert foa.title.endswith("in the treatment of obsessive-compulsive disorder")
    assert (foa.journal, foa.pages) == ("Am J Psychiatry", "151-161")
    assert references[3].journal == "Psychopharmacology (Berl)"


def test_each_skipped_line_is_named_in_a_note():
    """The editor sees which lines were dropped, and where: “Lines 14–16 (…)”."""
    references = read("list-with-page-furniture.txt")
    assert references[2].warnings[-1] == (
        "Lines 14–16 (“Bottemanne and Arnould”, “Innov Clin Neurosci. 2021;18(10–12):9–11.”) "
        "skipped as page header or footer, not part of a reference."
    )
    assert references[3].warnings[-1].startswith("Lines 22–28 (“ICNS INNOVATIONS IN CLINICAL")
    assert references[5].warnings[-1].startswith("Line 37 (“ICNS INNOVATIONS IN CLINICAL")


def test_the_seed_papers_whole_tail_with_its_footer_reads_its_36_references():
    """From the REFERENCES heading to the page number, footer included: 36 references."""
    references = read("bottemanne-2021-reference-tail.txt")
    assert len(references) == 36
    assert references[-1].first_author == "Pence SL"
    assert references[-1].warnings[-1].startswith("Lines 204–206 (“ICNS”, “ICNS INNOVATIONS")
    thesis = references[23]
    assert (thesis.kind, thesis.first_author, thesis.year) == ("thesis", "Broström J", 2020)
    assert thesis.accessed == "2020-11-15"


def test_each_reference_type_reads_into_its_own_fields():
    """Journal article, book, book chapter, thesis and web page, as a Vancouver/AMA list."""
    article, book, chapter, thesis, web = read("each-reference-type.txt")
    assert [r.kind for r in (article, book, chapter, thesis, web)] == [
        "article",
        "book",
        "chapter",
        "thesis",
        "web",
    ]
    assert (book.title, book.edition, book.publisher, book.year) == (
        "Diagnostic and Statistical Manual of Mental Disorders",
        "5th",
        "American Psychiatric Publishing",
        2013,
    )
    assert (chapter.book_title, chapter.editors, chapter.publisher, chapter.pages) == (
        "The Wiley Handbook of Obsessive Compulsive Disorders",
        ["Abramowitz JS", "McKay D", "Storch EA"],
        "Wiley-Blackwell",
        "345-362",
    )
    assert (thesis.publisher, thesis.url) == (
        "University of Skövde",
        "http://urn.kb.se/resolve?urn=urn:nbn:se:his:diva-18594",
    )
    assert (web.authors, web.publisher, web.year, web.accessed) == (
        [],
        "National Institute of Mental Health",
        2022,
        "2024-11-15",
    )


def test_each_reference_type_reads_from_ris():
    """RIS's TY (JOUR, BOOK, CHAP, THES, ELEC) gives the type and its fields."""
    path = DATA / "each-reference-type.ris"
    parsed = parse_references(path.read_text(encoding="utf-8"), filename=path.name)
    assert [r.kind for r in parsed] == ["article", "book", "chapter", "thesis", "web"]
    assert (parsed[2].book_title, parsed[2].editors[0]) == (
        "The Wiley Handbook of Obsessive Compulsive Disorders",
        "Abramowitz JS",
    )
    assert (parsed[3].publisher, parsed[4].accessed) == ("University of Skövde", "2024-11-15")


@pytest.mark.parametrize(
    ("field", "pasted"),
    [
        ("doi", "doi: 10.1176/appi.ajp.2013.13030392\u200b"),
        ("title", "Antidepressant efficacy\u200b of ketamine\u202e"),
        ("journal", "\u2066Am J Psychiatry\u2069"),
    ],
)
def test_zero_width_and_direction_characters_are_stripped_from_imported_fields(field, pasted):
    """Invisible characters a copy brings along never reach a DOI, a title or a journal."""
    text = (
        "TY  - JOUR\nAU  - Murrough, James W.\n"
        f"TI  - {pasted if field == 'title' else 'A title'}\n"
        f"JO  - {pasted if field == 'journal' else 'A journal'}\nPY  - 2013\n"
        f"DO  - {pasted if field == 'doi' else '10.1/x'}\nER  - \n"
    )
    [reference] = parse_references(text, "ris")
    value = getattr(reference, field)
    assert value.isprintable()
    assert not any(ord(c) in range(0x200B, 0x2070) for c in value)
    assert value in {
        "10.1176/appi.ajp.2013.13030392",
        "Antidepressant efficacy of ketamine",
        "Am J Psychiatry",
    }


def test_an_entry_that_never_ends_is_refused_naming_its_lines():
    """Text with no source at all is an error naming its lines, not a guessed reference."""
    text = "1. Hirschtritt ME. A title. JAMA. 2017;317(13):1358.\n2. Bloch MH. Notes. Blog.\n"
    with pytest.raises(ImportFormatError, match="^Lines 2–2 .* do not end a reference"):
        parse_vancouver(text)


def test_a_pasted_text_of_any_size_is_read_in_bounded_steps():
    """A long text with no reference in it is refused after one entry's worth of lines."""
    lines = (f"and more of it, {'x' * (number % 50)}," for number in range(5000))
    text = "1. Hirschtritt ME. A title without a source, line after line\n" + "\n".join(lines)
    with pytest.raises(ImportFormatError, match="^Lines 1–40 "):
        parse_vancouver(text)
