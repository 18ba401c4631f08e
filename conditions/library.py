"""Writes the read model (conditions.read_model): the only writer of its rows.

write_read_model(publication) makes a page's SearchEntry and TreatmentListings describe the
publication and stores every rendering of it (the HTML page, the API's JSON); remove_from_
read_model(condition_id) takes the page out. Both run inside the publish or unpublish
transaction (today from the ``published`` and ``unpublished`` receivers below), so the rows
commit or roll back with the live pointer, and a page that cannot be rendered does not go live.
``rebuild_library`` recreates them all from the live publications (after a deploy that changes
what they hold).
"""

from django.contrib.postgres.search import SearchVector
from django.db import connection, transaction
from django.dispatch import receiver

from conditions import renderings
from conditions.models import Condition
from conditions.read_model import SearchEntry, TreatmentListing
from reviews.models import Publication
from reviews.signals import published, unpublished

SEARCH_CONFIG = "english"

# Weights of the ranked search: what the page is called and how people ask for it count most.
SEARCH_VECTOR = (
    SearchVector("title", weight="A", config=SEARCH_CONFIG)
    + SearchVector("codes", weight="A", config=SEARCH_CONFIG)
    + SearchVector("phrases", weight="A", config=SEARCH_CONFIG)
    + SearchVector("summary", weight="B", config=SEARCH_CONFIG)
    + SearchVector("questions", weight="C", config=SEARCH_CONFIG)
)


def write_read_model(publication: Publication) -> None:
    """Make the read model show this publication of a condition page: its entry, its
    treatments and every rendering (rendered now, so no visitor waits for the first one)."""
    index_publication(publication, publication.object_id)
    renderings.render_all(publication)


def remove_from_read_model(condition_id: int) -> None:
    """Take a condition page out of listings and search (its renderings stay, by id)."""
    SearchEntry.objects.filter(condition_id=condition_id).delete()


@receiver(published, sender=Condition)
def index_published_page(sender, instance, publication, **kwargs):
    write_read_model(publication)


@receiver(unpublished, sender=Condition)
def drop_unpublished_page(sender, instance, publication, **kwargs):
    remove_from_read_model(instance.pk)


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
        "phrases": "\n".join(document["search_phrases"]),
        "questions": "\n".join(faq["question"] for faq in document["faqs"]),
        "indication_status": document["clinic_fit"]["status"],
        "status_label": document["clinic_fit"]["status_label"],
        "last_reviewed": publication.sign_off.signed_at,
        "reviewed_by": publication.sign_off.signature,
    }


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


def rebuild_library() -> int:
    """Recreate every entry from the live condition publications, and render any live page
    not yet rendered under this PAGE_CACHE_VERSION; returns how many pages are live."""
    publications = Publication.objects.live_of(Condition).select_related("sign_off")
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        for publication in publications.iterator(chunk_size=200):
            write_read_model(publication)
    return SearchEntry.objects.count()
