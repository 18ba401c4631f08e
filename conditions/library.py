"""Writes the read model (conditions.read_model): the only writer of its rows.

write_read_model(publication) makes a page's SearchEntry, TreatmentListings and CodeListings
describe the publication and stores every rendering of it (the HTML page, the API's JSON);
remove_from_read_model(condition_id) takes the page out. The publishing pipeline runs them
(the conditions app registers them as its kind's read model), inside the publish or unpublish
transaction, so the rows commit or roll back with the live pointer, and a page that cannot be
rendered does not go live. ``rebuild_library`` recreates them all from the live
publications (after a deploy that changes what they hold).
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction

from conditions.codes import root
from conditions.models import Condition
from conditions.read_model import CodeListing, SearchEntry, TreatmentListing
from conditions.vocabulary import expansions
from publishing import pipeline
from reviews.models import Publication

SEARCH_CONFIG = "english"

# Weights of the ranked search: what the page is called and how people ask for it count most,
# the rest of its text least.
SEARCH_VECTOR = (
    SearchVector("title", weight="A", config=SEARCH_CONFIG)
    + SearchVector("codes", weight="A", config=SEARCH_CONFIG)
    + SearchVector("phrases", weight="A", config=SEARCH_CONFIG)
    + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
    + SearchVector("questions", weight="C", config=SEARCH_CONFIG)
    + SearchVector("treatment_names", weight="C", config=SEARCH_CONFIG)
    + SearchVector("body", weight="D", config=SEARCH_CONFIG)
)


def write_read_model(publication: Publication) -> None:
    """Make the read model show this publication of a condition page: its entry, its
    treatments and every rendering (rendered now, so no visitor waits for the first one)."""
    index_publication(publication, publication.object_id)
    pipeline.render(publication)


def remove_from_read_model(condition_id: int) -> None:
    """Take a condition page out of listings and search (its renderings stay, by id)."""
    SearchEntry.objects.filter(condition_id=condition_id).delete()


def index_publication(publication: Publication, condition_id: int) -> SearchEntry:
    """Make the page's entry describe this publication, replacing what it said before."""
    document = publication.document
    SearchEntry.objects.filter(condition_id=condition_id).delete()
    entry = SearchEntry.objects.create(
        condition_id=condition_id, publication=publication, **entry_fields(publication)
    )
    TreatmentListing.objects.bulk_create(
        TreatmentListing(entry=entry, **fields) for fields in listing_fields(document)
    )
    CodeListing.objects.bulk_create(
        CodeListing(entry=entry, **fields) for fields in code_fields(document)
    )
    if connection.vendor == "postgresql":
        SearchEntry.objects.filter(pk=entry.pk).update(vector=SEARCH_VECTOR)
    return entry


def entry_fields(publication: Publication) -> dict:
    document = publication.document
    return {
        "slug": document["slug"],
        "title": document["title"],
        "summary": document["summary"],
        "codes_line": document["codes_line"],
        "codes": " ".join(
            f"{code['system']} {code['code']} {code['qualifier']}".strip()
            for code in document["codes"]
        ),
        "phrases": "\n".join(
            [
                *document["search_phrases"],
                *expansions(document["title"], *document["search_phrases"]),
            ]
        ),
        "questions": "\n".join(faq["question"] for faq in document["faqs"]),
        "treatment_names": treatment_names(document),
        "body": body_text(document),
        "indication_status": document["clinic_fit"]["status"],
        "status_label": document["clinic_fit"]["status_label"],
        "last_reviewed": publication.sign_off.signed_at,
        "reviewed_by": publication.sign_off.signature,
    }


def treatment_names(document: dict) -> str:
    """Each treatment of the page with its summary, one a line."""
    return "\n".join(
        f"{t['name']}: {t.get('summary', '')}".strip(" :")
        for group in document["treatment_groups"]
        for t in group["treatments"]
    )


def body_text(document: dict) -> str:
    """Everything else a reader sees on the page, as plain text, in reading order."""
    treatments = [t for group in document["treatment_groups"] for t in group["treatments"]]
    return "\n".join(
        part
        for part in [
            *(point["text"] for point in document["key_points"]),
            document["clinical_definition"]["text"],
            *(f"{item['name']}: {item['text']}" for item in document["comparisons"]),
            *(t["text"] for t in treatments),
            document["standard_treatments_fail"]["text"],
            document["ketamine_fit"]["text"],
            document["clinic_fit"]["text"],
            *(faq["text"] for faq in document["faqs"]),
        ]
        if part
    )


def listing_fields(document: dict) -> list[dict]:
    treatments = [t for group in document["treatment_groups"] for t in group["treatments"]]
    return [
        {
            "treatment_slug": treatment["slug"],
            "name": treatment["name"],
            "summary": treatment.get("summary", ""),
            "kind": treatment["kind"],
            "line_of_therapy": treatment["line"],
            "line_label": treatment["line_label"],
            "position": position,
            "description_html": treatment["html"],
            "description_text": treatment["text"],
        }
        for position, treatment in enumerate(treatments, start=1)
    ]


def code_fields(document: dict) -> list[dict]:
    """Every code of the published document, those for lookup only included."""
    return [
        {
            "system": code["system"],
            "code": code["code"],
            "root": root(code["code"]),
            "lookup_only": code.get("lookup_only", False),
            "position": position,
        }
        for position, code in enumerate(document["codes"], start=1)
    ]


def rebuild_library() -> int:
    """Recreate every kind's read model from the live publications (the condition pages'
    entries, and those other kinds register, such as translations' search rows), rendering any
    live condition page not yet rendered under this PAGE_CACHE_VERSION; returns how many
    condition pages are live."""
    with transaction.atomic():
        pipeline.rebuild_read_models()
    return SearchEntry.objects.count()


def rebuild_entries() -> None:
    """Recreate every entry from the live condition publications."""
    publications = Publication.objects.live_of(Condition).select_related("sign_off")
    SearchEntry.objects.all().delete()
    for publication in publications.iterator(chunk_size=200):
        write_read_model(publication)
