"""The webhooks partners receive, for the OpenAPI document's `webhooks` (OpenAPI 3.1).

Each event is a POST of {"type", "timestamp", "data"} signed as Standard Webhooks says; these
serializers describe it for the schema only (webhooks.events builds the payloads).
"""

from datetime import UTC

from drf_spectacular.utils import OpenApiResponse, OpenApiWebhook, extend_schema
from rest_framework import serializers

from api.serializers import VerificationSerializer

KINDS = ["condition"]


class AddressSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = serializers.URLField(help_text="The public page.")
    api_url = serializers.URLField(help_text="The page in the API.")


class _Sequenced(serializers.Serializer):
    sequence = serializers.IntegerField(
        min_value=1,
        help_text="Grows with every event, site-wide: for one slug, the largest is the newest.",
    )


class PageSerializer(_Sequenced):
    kind = serializers.ChoiceField(choices=KINDS)
    slug = serializers.SlugField()
    title = serializers.CharField()
    digest = serializers.CharField()
    publication_id = serializers.IntegerField(min_value=1)
    url = serializers.URLField()


class EventReviewSerializer(serializers.Serializer):
    reviewed_by = serializers.CharField(help_text="The physician's signature line.")
    reviewed_at = serializers.DateTimeField(default_timezone=UTC)
    published_at = serializers.DateTimeField(default_timezone=UTC)
    verification = VerificationSerializer()


class PagePublishedSerializer(PageSerializer):
    review = EventReviewSerializer()


class PageWithdrawnSerializer(PageSerializer):
    reason = serializers.ChoiceField(choices=["unpublished", "moved"])
    moved_to = AddressSerializer(allow_null=True)


PageMovedSerializer = type(
    "PageMovedSerializer",
    (_Sequenced,),
    {
        "kind": serializers.ChoiceField(choices=KINDS),
        "publication_id": serializers.IntegerField(min_value=1),
        "title": serializers.CharField(),
        "from": AddressSerializer(),
        "to": AddressSerializer(),
    },
)


class EnglishVersionSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    digest = serializers.CharField()
    url = serializers.URLField()


class TranslationStaleSerializer(_Sequenced):
    language = serializers.CharField()
    slug = serializers.CharField(help_text="The translation's own slug.")
    url = serializers.URLField(help_text="The translation's public page.")
    english = EnglishVersionSerializer()
    stale_segments = serializers.ListField(child=serializers.CharField())
    policy = serializers.ChoiceField(choices=["notice", "withdraw"])


class ReferenceRetractedSerializer(_Sequenced):
    citekey = serializers.CharField()
    title = serializers.CharField()
    doi = serializers.CharField(allow_null=True)
    pmid = serializers.CharField(allow_null=True)
    retraction_notice = serializers.CharField(allow_blank=True)
    pages = PageSerializer(many=True, help_text="The live pages citing it (without sequence).")


def _envelope(name: str, data) -> type:
    return type(
        name,
        (serializers.Serializer,),
        {
            "type": serializers.CharField(),
            "timestamp": serializers.DateTimeField(default_timezone=UTC),
            "data": data(),
        },
    )


def _webhook(event_type: str, data, summary: str) -> OpenApiWebhook:
    name = "".join(part.title() for part in event_type.replace(".", "_").split("_"))
    return OpenApiWebhook(
        name=event_type,
        decorator=extend_schema(
            summary=summary,
            description="Signed with the headers webhook-id, webhook-timestamp and "
            "webhook-signature (Standard Webhooks); retried with the same webhook-id until a "
            "2xx. Events may arrive out of order: for one slug, apply the largest sequence.",
            request=_envelope(f"{name}Event", data),
            responses={200: OpenApiResponse(description="Any 2xx: delivered.")},
        ),
    )


# Named one by one: SPECTACULAR_SETTINGS["WEBHOOKS"] lists each by its import path.
PAGE_PUBLISHED = _webhook(
    "page.published", PagePublishedSerializer, "A page went live (new, corrected or moved)."
)
PAGE_WITHDRAWN = _webhook(
    "page.withdrawn", PageWithdrawnSerializer, "A page was unpublished, or moved away."
)
PAGE_MOVED = _webhook("page.moved", PageMovedSerializer, "A page was published at a new slug.")
PAGE_REVIEW_OVERDUE = _webhook(
    "page.review_overdue", PagePublishedSerializer, "A live page's review expired."
)
TRANSLATION_STALE = _webhook(
    "translation.stale", TranslationStaleSerializer, "A translation lags its English page."
)
REFERENCE_RETRACTED = _webhook(
    "reference.retracted", ReferenceRetractedSerializer, "A cited reference was retracted."
)
