"""How the condition list is paged, for clients and for the OpenAPI document.

The answer is {"next", "previous", "results"}; the same two addresses come as an RFC 8288
`Link` header (rel="next", rel="prev"), so a client can page without reading the body.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers

from api.serializers import ConditionSummarySerializer


class ConditionPageSerializer(serializers.Serializer):
    next = serializers.URLField(
        allow_null=True, help_text="The next page's address; null on the last page."
    )
    previous = serializers.URLField(
        allow_null=True, help_text="The previous page's address; null on the first page."
    )
    results = ConditionSummarySerializer(many=True)


PAGING_PARAMETERS = [
    OpenApiParameter(
        "cursor",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        description="Where to resume: as found in next or previous (or the Link header). "
        "Only cursors the API handed out are valid.",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": 100},
        OpenApiParameter.QUERY,
        description="Pages per answer, 1 to 100 (default API_PAGE_SIZE).",
    ),
]
LINK_HEADER = OpenApiParameter(
    "Link",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    required=True,
    description='RFC 8288: <…>; rel="next" and <…>; rel="prev" when there are such pages, '
    'then <…>; rel="license", the syndication terms every answer links.',
)


def link_header(next_url, previous_url) -> str:
    """The Link header of a page of the list ("" when it is the only page)."""
    links = [(next_url, "next"), (previous_url, "prev")]
    return ", ".join(f'<{url}>; rel="{rel}"' for url, rel in links if url)
