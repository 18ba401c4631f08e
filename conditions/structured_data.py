"""JSON-LD for a condition page, built from the same document and sign-off the page shows.

Everything here is visible on the page too: the review stamp, the codes line, the treatments,
the comparisons, the search phrases, the references and the FAQs. Codes for lookup only are
left out of the MedicalCondition's code: structured data describes what the page shows (search
engines ask that it match the visible content), and a code kept for lookup is often a
neighbouring or broader category (ICD-10-CM F42.2 for treatment-resistant OCD), which would
claim more than the page's own codes do. Partners find pages by those codes through the API.
"""

from conditions.codes import CodeSystem

SCHEMA = "https://schema.org"
# How schema.org names each code system in MedicalCode.codingSystem.
CODING_SYSTEMS = {
    CodeSystem.DSM5: "DSM-5",
    CodeSystem.ICD11: "ICD-11",
    CodeSystem.ICD10CM: "ICD-10-CM",
    CodeSystem.SNOMEDCT: "SNOMED-CT",
}


def condition_page(
    document: dict, sign_off, url: str, treatment_url, *, dates=None, reviewer_url=""
) -> dict:
    """The page as one node typed MedicalWebPage and FAQPage.

    treatment_url(slug) gives the absolute address of a treatment page; dates (a
    reviews.history.Currency) adds when the page was first published and last updated, and
    reviewer_url the reviewer's profile.
    """
    node = {
        "@context": SCHEMA,
        "@type": ["MedicalWebPage", "FAQPage"],
        "@id": url,
        "url": url,
        "name": document["title"],
        "headline": document["title"],
        "description": document["summary"],
        "inLanguage": "en",
        "lastReviewed": sign_off.signed_at.date().isoformat(),
        "reviewedBy": reviewer(sign_off.signature),
        "about": _condition(document, treatment_url),
        "citation": [_article(reference) for reference in document["references"]],
        "mainEntity": [_question(faq) for faq in document["faqs"]],
    }
    if dates is not None:
        node["datePublished"] = dates.first_published.isoformat()
        node["dateModified"] = dates.last_updated.isoformat()
    if reviewer_url:
        node["reviewedBy"] = {"@id": reviewer_url, **node["reviewedBy"], "url": reviewer_url}
    return node


def reviewer_profile(physician, url: str) -> dict:
    """The Person of a reviewer's profile page: only the facts the profile states."""
    person = {
        "@type": "Person",
        "@id": url,
        "url": url,
        **{k: v for k, v in reviewer(physician.signature).items() if k != "@type"},
    }
    if physician.specialty:
        person["knowsAbout"] = physician.specialty
    if physician.biography:
        person["description"] = physician.biography
    if physician.npi:
        person["identifier"] = _identifier("NPI", physician.npi)
    return person


def reviewer(signature: str) -> dict:
    """The Person of a stamp as signed, “Dr. Ben Soffer, DO”: name and credentials apart."""
    name, _, credentials = signature.removeprefix("Dr. ").partition(", ")
    person = {"@type": "Person", "name": name.strip()}
    if signature.startswith("Dr. "):
        person["honorificPrefix"] = "Dr."
    if credentials:
        person["honorificSuffix"] = credentials.strip()
    return person


def _condition(document, treatment_url) -> dict:
    node = {
        "@type": "MedicalCondition",
        "name": document["title"],
        "code": [_code(code) for code in document["codes"] if not code.get("lookup_only")],
        "possibleTreatment": [
            {
                "@type": "MedicalTherapy",
                "name": treatment["name"],
                "url": treatment_url(treatment["slug"]),
            }
            for group in document["treatment_groups"]
            for treatment in group["treatments"]
        ],
        "differentialDiagnosis": [
            {"@type": "DDxElement", "diagnosis": {"@type": "MedicalCondition", "name": c["name"]}}
            for c in document["comparisons"]
        ],
    }
    if document["search_phrases"]:
        node["alternateName"] = document["search_phrases"]
    return node


def _code(code) -> dict:
    return {
        "@type": "MedicalCode",
        "codeValue": code["code"],
        "codingSystem": CODING_SYSTEMS.get(code["system"], code["system"]),
    }


def _article(reference) -> dict:
    article = {
        "@type": "ScholarlyArticle",
        "headline": reference["title"],
        "datePublished": str(reference["year"]),
        "isPartOf": {"@type": "Periodical", "name": reference["journal"]},
        "identifier": [],
        "sameAs": [],
    }
    if reference["pmid"]:
        article["identifier"].append(_identifier("PMID", reference["pmid"]))
        article["sameAs"].append(reference["pubmed_url"])
    if reference["doi"]:
        article["identifier"].append(_identifier("DOI", reference["doi"]))
        article["sameAs"].append(reference["doi_url"])
    return {key: value for key, value in article.items() if value}


def _identifier(kind, value) -> dict:
    return {"@type": "PropertyValue", "propertyID": kind, "value": value}


def _question(faq) -> dict:
    return {
        "@type": "Question",
        "name": faq["question"],
        "acceptedAnswer": {"@type": "Answer", "text": faq["text"]},
    }
