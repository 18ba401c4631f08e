"""Publications turned into the dicts the serializers read, and cached JSON of pages.

A publication never changes, so what the API makes of it (the whole page's JSON, its list
entry) is cached under its id with no invalidation. Cache keys carry API_CACHE_VERSION, for a
deploy that changes the representation, and the site's base URL, which the links contain.
"""

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import formats, timezone
from rest_framework.renderers import JSONRenderer

from api.serializers import ConditionDetailSerializer, ConditionSummarySerializer
from conditions.documents import PROSE_SECTIONS, review_outline
from reviews.history import currency
from tovani.readability import readability

CACHE_SECONDS = 24 * 60 * 60


class Links:
    """Absolute URLs of public pages and API resources, for one request's scheme and host."""

    def __init__(self, request):
        self.base = request.build_absolute_uri("/").rstrip("/")

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


def review(publication, links: "Links") -> dict:
    """The review block: who signed this content off, when, what the signature means, and how
    current the page is."""
    sign_off = publication.sign_off
    on = formats.date_format(timezone.localtime(sign_off.signed_at), "F j, Y")
    dates = currency(publication)
    return {
        **last_reviewed(sign_off),
        "meaning": sign_off.meaning,
        "stamp": f"Last reviewed by {sign_off.signature} on {on}.",
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
    """A list entry, from a publication annotated by api.library.live_conditions()."""
    return {
        "slug": publication.slug,
        "title": publication.title,
        "url": links.page(publication.slug),
        "api_url": links.condition(publication.slug),
        "codes": publication.codes or [],
        "summary": publication.summary or "",
        "clinic_indication": {
            "status": publication.indication_status,
            "label": publication.indication_label,
        },
        "last_reviewed": last_reviewed(publication.sign_off),
        "published_at": publication.published_at,
        "digest": publication.digest,
    }


def condition_summaries(publications, links: Links) -> list[dict]:
    """Serialized list entries, from the cache where it has them: one cache round trip."""
    keys = {p.pk: _cache_key("summary", p, links) for p in publications}
    found = cache.get_many(list(keys.values()))
    missing = [p for p in publications if keys[p.pk] not in found]
    if missing:
        entries = [condition_summary(p, links) for p in missing]
        fresh = ConditionSummarySerializer(entries, many=True).data
        made = {keys[p.pk]: dict(entry) for p, entry in zip(missing, fresh, strict=True)}
        cache.set_many(made, CACHE_SECONDS)
        found.update(made)
    return [found[keys[p.pk]] for p in publications]


def condition_detail(publication, links: Links) -> dict:
    document = publication.document
    return {
        **document,
        "url": links.page(publication.slug),
        "review": review(publication, links),
        "reading_grade": reading_grade(document),
        "published_at": publication.published_at,
        "digest": publication.digest,
        "document_schema": document["schema"],
    }


def condition_detail_json(publication, links: Links) -> bytes:
    """The whole page as JSON bytes, cached by publication id; reads the document on a miss."""
    key = _cache_key("condition", publication, links)
    body = cache.get(key)
    if body is None:
        data = ConditionDetailSerializer(condition_detail(publication, links)).data
        body = JSONRenderer().render(data)
        cache.set(key, body, CACHE_SECONDS)
    return body


def _cache_key(kind, publication, links) -> str:
    return f"api:{settings.API_CACHE_VERSION}:{kind}:{publication.pk}:{links.base}"


def treatment(entry, links: Links) -> dict:
    return {
        **entry,
        "api_url": links.treatment(entry["slug"]),
        "conditions": [
            {**use, "url": links.page(use["slug"]), "api_url": links.condition(use["slug"])}
            for use in entry["conditions"]
        ],
    }


def withdrawal(entry) -> dict:
    return {
        "slug": entry.slug,
        "title": entry.title,
        "withdrawn_at": entry.withdrawn_at,
        "reason": entry.reason,
    }
