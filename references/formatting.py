"""How a reference is written on a page: the short form of the seed page and AMA 11th edition."""

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"
DOI_URL = "https://doi.org/{doi}"
PMC_URL = "https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/"
AMA_MAX_AUTHORS = 6
AMA_AUTHORS_BEFORE_ET_AL = 3


def short_authors(authors: list[str]) -> str:
    """“Rodriguez CI et al.” for several authors, the name alone for one."""
    if not authors:
        return ""
    return authors[0] if len(authors) == 1 else f"{authors[0]} et al."


def ama_citation(reference, *, with_doi=True) -> str:
    """AMA 11th edition: up to 6 authors, else the first 3 and “et al”; the journal as given,
    year;volume(issue):pages, then the DOI (with_doi=False leaves it for a link)."""
    authors = reference.author_list
    if len(authors) > AMA_MAX_AUTHORS:
        authors = authors[:AMA_AUTHORS_BEFORE_ET_AL] + ["et al"]
    parts = []
    if authors:
        parts.append(", ".join(authors) + ".")
    parts.append(_with_period(reference.title))
    source = f"{_without_period(reference.journal)}. {reference.year}"
    if reference.volume:
        source += f";{reference.volume}"
        if reference.issue:
            source += f"({reference.issue})"
    if reference.pages:
        source += f":{reference.pages}"
    parts.append(source + ".")
    if reference.doi and with_doi:
        parts.append(f"doi:{reference.doi}")
    return " ".join(parts)


def reference_entry(reference, number: int) -> dict:
    """The reference as it appears in a page document."""
    authors = reference.author_list
    return {
        "number": number,
        "citekey": reference.citekey,
        "authors": authors,
        "short_authors": short_authors(authors),
        "title": reference.title,
        "journal": reference.journal,
        "year": reference.year,
        "volume": reference.volume,
        "issue": reference.issue,
        "pages": reference.pages,
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
