"""How a reference is written on a page: the short form of the seed page and AMA 11th edition."""

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
DOI_URL = "https://doi.org/{doi}"
PMC_URL = "https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"
AMA_MAX_AUTHORS = 6
AMA_AUTHORS_BEFORE_ET_AL = 3
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def short_authors(authors: list[str], et_al: bool = False) -> str:
    """“Rodriguez CI et al.” for several authors (or one of several), the name alone for one."""
    if not authors:
        return ""
    return authors[0] if len(authors) == 1 and not et_al else f"{authors[0]} et al."


def ama_authors(authors: list[str], et_al: bool = False) -> str:
    """All of up to 6 authors; beyond 6, or when the source lists only the first ones, the first
    3 and “et al” (AMA 11th edition, 3.6.1.2)."""
    if et_al or len(authors) > AMA_MAX_AUTHORS:
        authors = authors[:AMA_AUTHORS_BEFORE_ET_AL] + ["et al"]
    return ", ".join(authors) + "." if authors else ""


def ama_citation(reference, *, with_doi=True) -> str:
    """AMA 11th edition, in the format of the reference's type; with_doi=False leaves the DOI
    out for the page to link it."""
    kind = getattr(reference, "kind", "article") or "article"
    parts = [ama_authors(reference.author_list, getattr(reference, "et_al", False))]
    parts += _FORMATS.get(kind, _article)(reference)
    if reference.doi and with_doi:
        parts.append(f"doi:{reference.doi}")
    return " ".join(part for part in parts if part)


def ama_date(day) -> str:
    """November 15, 2020: AMA writes dates with the month in full."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def _article(ref) -> list[str]:
    source = f"{_without_period(ref.journal)}. {ref.year}"
    if ref.volume:
        source += f";{ref.volume}"
        if ref.issue:
            source += f"({ref.issue})"
    if ref.pages:
        source += f":{ref.pages}"
    return [_with_period(ref.title), source + "."]


def _book(ref) -> list[str]:
    return [_with_period(ref.title), _edition(ref), _published(ref)]


def _chapter(ref) -> list[str]:
    editors = [name.strip() for name in (ref.editors or "").split(",") if name.strip()]
    container = "In: "
    if editors:
        container += f"{', '.join(editors)}, {'eds' if len(editors) > 1 else 'ed'}. "
    container += _with_period(ref.book_title)
    published = _published(ref)
    if ref.pages:
        published = published[:-1] + f":{ref.pages}."
    return [_with_period(ref.title), container, _edition(ref), published]


def _thesis(ref) -> list[str]:
    return [_with_period(ref.title), "Thesis.", _published(ref), *_online(ref)]


def _web(ref) -> list[str]:
    site = _with_period(ref.publisher) if ref.publisher else ""
    return [_with_period(ref.title), site, f"Published {ref.year}.", *_online(ref)]


_FORMATS = {"article": _article, "book": _book, "chapter": _chapter, "thesis": _thesis}
_FORMATS["web"] = _web


def _edition(ref) -> str:
    return f"{_without_period(ref.edition)} ed." if ref.edition else ""


def _published(ref) -> str:
    """“Publisher; 2020.”, or the year alone when the publisher is not known."""
    return f"{_without_period(ref.publisher)}; {ref.year}." if ref.publisher else f"{ref.year}."


def _online(ref) -> list[str]:
    accessed = f"Accessed {ama_date(ref.accessed)}." if ref.accessed else ""
    return [accessed, ref.url or ""]


def source_name(reference) -> str:
    """Where the reference appeared, for the page's short line: journal, book, publisher or site."""
    if reference.kind == "chapter":
        return reference.book_title
    return reference.journal or reference.publisher


def reference_entry(reference, number: int) -> dict:
    """The reference as it appears in a page document."""
    authors = reference.author_list
    return {
        "number": number,
        "citekey": reference.citekey,
        "kind": reference.kind,
        "authors": authors,
        "et_al": reference.et_al,
        "short_authors": short_authors(authors, reference.et_al),
        "title": reference.title,
        "journal": reference.journal,
        "year": reference.year,
        "volume": reference.volume,
        "issue": reference.issue,
        "pages": reference.pages,
        "book_title": reference.book_title,
        "editors": [name.strip() for name in reference.editors.split(",") if name.strip()],
        "edition": reference.edition,
        "publisher": reference.publisher,
        "source_name": source_name(reference),
        "url": reference.url,
        "accessed": reference.accessed.isoformat() if reference.accessed else "",
        "pmid": reference.pmid,
        "doi": reference.doi,
        "pmcid": reference.pmcid,
        "note": reference.note,
        "pubmed_url": PUBMED_URL.format(pmid=reference.pmid) if reference.pmid else "",
        "doi_url": DOI_URL.format(doi=reference.doi) if reference.doi else "",
        "pmc_url": PMC_URL.format(pmcid=reference.pmcid) if reference.pmcid else "",
        # AMA 11th edition: “formatted” in full, “citation” without the DOI the page links.
        "formatted": ama_citation(reference),
        "citation": ama_citation(reference, with_doi=False),
    }


def _with_period(text: str) -> str:
    text = (text or "").strip()
    return text if text.endswith((".", "?", "!")) else f"{text}."


def _without_period(text: str) -> str:
    return (text or "").strip().rstrip(".")
