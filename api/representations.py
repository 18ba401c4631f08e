"""What the API says of a publication, rendered once when it is published, and of the rest.

The whole page (condition detail) and its list entry are JSON rendered from the publication
when it goes live and stored beside it (publishing.renderings), with the site's origin as a
placeholder: a request reads the stored bytes and fills the origin in, with no serializer work.
The serializers here are run at publish, or when API_CACHE_VERSION changes the representation.
"""

import hashlib

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from rest_framework.renderers import JSONRenderer

from api import signed_detail
from api.serializers import ConditionSummarySerializer, StoredManifestEntrySerializer
from conditions.documents import PROSE_SECTIONS, review_outline
from publishing import renderings
from reviews import signatures
from reviews.history import currency, next_review_due, with_first_published
from reviews.models import Publication
from tovani.readability import readability
from tovani.site_url import ORIGIN_PLACEHOLDER


class Links:
    """Absolute URLs of public pages and API resources, on the site's origin."""

    def __init__(self, origin: str):
        self.base = origin

    def page(self, slug) -> str:
        return self.base + reverse("conditions:detail", kwargs={"slug": slug})

    def condition(self, slug) -> str:
        return self.base + reverse("api:condition-detail", kwargs={"slug": slug})

    def treatment(self, slug) -> str:
        return self.base + reverse("api:treatment-detail", kwargs={"slug": slug})

    def reviewer(self, slug) -> str:
        return self.base + reverse("reviewers:detail", kwargs={"slug": slug})


def last_reviewed(sign_off) -> dict:
    name, credentials = sign_off.signer
    return {
        "date": timezone.localtime(sign_off.signed_at).date(),
        "reviewed_at": sign_off.signed_at,
        "physician": {"name": name, "credentials": credentials, "signature": sign_off.signature},
    }


def stamp(sign_off) -> str:
    """The review stamp as the public page shows it."""
    on = formats.date_format(timezone.localtime(sign_off.signed_at), "F j, Y")
    return f"Last reviewed by {sign_off.signature} on {on}."


def review(publication, links: "Links") -> dict:
    """The review block: who signed this content off, when, what the signature means, and how
    current the page is."""
    sign_off = publication.sign_off
    dates = currency(publication)
    return {
        **last_reviewed(sign_off),
        "meaning": sign_off.meaning,
        "stamp": stamp(sign_off),
        "reviewer_url": links.reviewer(dates.reviewer.slug),
        "first_published": dates.first_published,
        "last_updated": dates.last_updated,
        "next_review_due": dates.next_review_due,
        "evidence_reviewed_through": dates.evidence_reviewed_through or None,
        "change_summary": sign_off.change_summary,
        "clinically_significant": sign_off.clinically_significant,
    }


def history_entry(publication, links: "Links") -> dict:
    sign_off = publication.sign_off
    return {
        # The publication's own signature over its record (slug, digest, reviewer, dates).
        "verification": signatures.verification_block(publication),
        "published_at": publication.published_at,
        "title": publication.title,
        "digest": publication.digest,
        "last_reviewed": last_reviewed(sign_off),
        "reviewer_url": links.reviewer(sign_off.physician.slug),
        "change_summary": sign_off.change_summary,
        "clinically_significant": sign_off.clinically_significant,
    }


def reading_grade(document) -> float | None:
    """The Flesch-Kincaid grade of the page's running text, as editors see it."""
    outline = [item for item in review_outline(document) if item[0] in PROSE_SECTIONS]
    return readability(outline).overall


def condition_summary(publication, links: Links) -> dict:
    """A list entry, from the publication's document and sign-off."""
    document = publication.document
    return {
        "slug": publication.slug,
        "title": publication.title,
        "url": links.page(publication.slug),
        "api_url": links.condition(publication.slug),
        "codes": document["codes"],
        "summary": document["summary"],
        "regulatory_notice": document.get("regulatory_notice", ""),
        "clinic_indication": {
            "status": document["clinic_fit"]["status"],
            "label": document["clinic_fit"]["status_label"],
        },
        "last_reviewed": last_reviewed(publication.sign_off),
        "published_at": publication.published_at,
        "digest": publication.digest,
        "publication_id": publication.pk,
    }


def condition_detail(publication, links: Links) -> dict:
    document = publication.document
    return {
        **document,
        "url": links.page(publication.slug),
        "review": review(publication, links),
        "reading_grade": reading_grade(document),
        "published_at": publication.published_at,
        "digest": publication.digest,
        "publication_id": publication.pk,
        "document_schema": document["schema"],
        "verification": signatures.verification_block(publication),
    }


def _json(serializer_class, build):
    def render(publication) -> str:
        data = serializer_class(build(publication, Links(ORIGIN_PLACEHOLDER))).data
        return JSONRenderer().render(data).decode()

    return render


# The shape of the stored JSON: a release that changes it raises this, so renderings stored by an
# earlier release are made again on first use without anyone changing API_CACHE_VERSION.
# 3: each code says whether it is for lookup only.
# 4: the regulatory notice, each treatment's own summary, and a signature over the detail
# (api.signed_detail).
# 5: publication_id in the list entry and the detail.
REPRESENTATION = 5


def _version() -> str:
    return f"api-{REPRESENTATION}-{settings.API_CACHE_VERSION}"


def _detail_version() -> str:
    # The detail is signed with the site's address in its links: a new address signs it anew.
    origin = hashlib.sha256(settings.SITE_URL.encode()).hexdigest()[:8]
    return f"{_version()}-{origin}"


DETAIL = renderings.Kind(
    "api/condition.json",
    _detail_version,
    signed_detail.render(
        lambda publication: condition_detail(publication, Links(ORIGIN_PLACEHOLDER))
    ),
)
SUMMARY = renderings.Kind(
    "api/condition-summary.json", _version, _json(ConditionSummarySerializer, condition_summary)
)


def treatment(found, links: Links) -> dict:
    """A treatment as conditions.selectors gives it, with the pages that present it."""
    return {
        "slug": found.slug,
        "name": found.name,
        "kind": found.kind,
        "summary": found.summary,
        "api_url": links.treatment(found.slug),
        "conditions": [
            {
                "slug": listing.entry.slug,
                "title": listing.entry.title,
                "url": links.page(listing.entry.slug),
                "api_url": links.condition(listing.entry.slug),
                "line": listing.line_of_therapy,
                "line_label": listing.line_label,
                "description": {
                    "html": listing.description_html,
                    "text": listing.description_text,
                },
            }
            for listing in found.listings
        ],
    }


def first_published(publication):
    """When the publication's page first went live (this publication, for a first one)."""
    first = getattr(publication, "first_published", None)
    if first is None:
        first = (
            with_first_published(Publication.objects.filter(pk=publication.pk))
            .values_list("first_published", flat=True)
            .first()
        )
    return first or publication.published_at


def manifest_entry(publication, links: Links) -> dict:
    """What the manifest says of a live publication, evidence aside: what to reconcile by."""
    sign_off = publication.sign_off
    return {
        "slug": publication.slug,
        "title": publication.title,
        "url": links.page(publication.slug),
        "api_url": links.condition(publication.slug),
        "digest": publication.digest,
        "publication_id": publication.pk,
        "first_published": first_published(publication),
        "last_published": publication.published_at,
        "last_reviewed": last_reviewed(sign_off),
        "next_review_due": next_review_due(sign_off),
    }


def _manifest_version() -> str:
    # Its dates are the site's days and its review's end: settings a deploy may change.
    dates = f"{settings.REVIEW_INTERVAL_DAYS}|{settings.TIME_ZONE}".encode()
    return f"{_version()}-{hashlib.sha256(dates).hexdigest()[:8]}"


# A manifest entry is stored as its list entry is: the manifest joins these and adds only what
# changes after a publish (evidence, languages).
MANIFEST_ENTRY = renderings.Kind(
    "api/manifest-entry.json",
    _manifest_version,
    _json(StoredManifestEntrySerializer, manifest_entry),
)


def lookup_answer(found, links: Links) -> dict:
    """A code lookup's answer (conditions.lookup.Lookup): each live page with its review and
    the credit a partner shows beside it."""
    return {
        "system": found.system,
        "code": found.code,
        "match": found.match,
        "count": len(found.answers),
        "results": [_lookup_result(answer, links) for answer in found.answers],
    }


def _lookup_result(answer, links: Links) -> dict:
    entry = answer.entry
    sign_off = entry.publication.sign_off
    url = links.page(entry.slug)
    return {
        "slug": entry.slug,
        "title": entry.title,
        "summary": entry.summary,
        "url": url,
        "api_url": links.condition(entry.slug),
        "matched_codes": [
            {"system": code.system, "code": code.code, "lookup_only": code.lookup_only}
            for code in answer.codes
        ],
        "review": {
            **last_reviewed(sign_off),
            "stamp": stamp(sign_off),
            "reviewer_url": links.reviewer(sign_off.physician.slug),
        },
        "published_at": entry.publication.published_at,
        "attribution": {
            "site_name": settings.SITE_NAME,
            "url": url,
            "text": f"“{entry.title}”, {settings.SITE_NAME}, reviewed by {sign_off.signature}: "
            f"{url}",
        },
    }


def withdrawal(entry, links) -> dict:
    moved_to = None
    if entry.moved_to:
        slug = entry.moved_to
        moved_to = {"slug": slug, "url": links.page(slug), "api_url": links.condition(slug)}
    return {
        "slug": entry.slug,
        "title": entry.title,
        "withdrawn_at": entry.withdrawn_at,
        "reason": entry.reason,
        "moved_to": moved_to,
    }
