"""OpenAPI pieces drf-spectacular cannot infer: the key scheme and the shared responses."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from api.errors import PROBLEM_JSON
from api.license_link import terms_url
from api.serializers import ProblemSerializer
from partners.authentication import API_KEY_HEADER
from partners.lookup_access import KEY_PARAMETER


class PartnerKeyScheme(OpenApiAuthenticationExtension):
    target_class = "partners.authentication.PartnerKeyAuthentication"
    name = "PartnerKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": API_KEY_HEADER,
            "description": "The partner's key, as issued once by the library's administrators.",
        }


class LookupKeyScheme(OpenApiAuthenticationExtension):
    """The code lookup's key: optional, in the header or, for a URL template, the query."""

    target_class = "partners.lookup_access.LookupKeyAuthentication"
    name = ["LookupKeyHeader", "LookupKeyParameter"]

    def get_security_requirement(self, auto_schema):
        return [{name: []} for name in self.name]

    def get_security_definition(self, auto_schema):
        return [
            PartnerKeyScheme.get_security_definition(self, auto_schema),
            {
                "type": "apiKey",
                "in": "query",
                "name": KEY_PARAMETER,
                "description": "The partner's key as a query parameter: the code lookup only.",
            },
        ]


CONDITIONAL_REQUEST_HEADERS = [
    OpenApiParameter(
        "If-None-Match",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="An ETag from an earlier answer: 304 when it still matches.",
    ),
    OpenApiParameter(
        "If-Modified-Since",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="An HTTP date: 304 when nothing changed since (ignored with If-None-Match).",
    ),
]
VALIDATOR_HEADERS = [
    OpenApiParameter(
        "ETag",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        required=True,
        description="The digest of a page for a detail, a hash of the answer for a list.",
    ),
    OpenApiParameter(
        "Last-Modified",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        required=True,
        description="When the answer last changed, as an HTTP date.",
    ),
    OpenApiParameter(
        "Cache-Control",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200, 304],
        required=True,
    ),
    OpenApiParameter(
        "Retry-After",
        OpenApiTypes.INT,
        OpenApiParameter.HEADER,
        response=[429, 503],
        required=True,
        description="Seconds to wait: until the rate limit allows another request (429), or "
        "before trying again (503).",
    ),
]
RATE_LIMIT_HEADERS = [
    OpenApiParameter(
        "RateLimit-Policy",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=True,
        description="IETF RateLimit fields, with a key: the partner's limit, as "
        '"partner";q=600;w=60 (requests a window of w seconds).',
    ),
    OpenApiParameter(
        "RateLimit",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=True,
        description='With a key: what is left, as "partner";r=42;t=17 (requests left, seconds '
        "until the window ends).",
    ),
]
LICENSE_LINK = OpenApiParameter(
    "Link",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=True,
    required=True,
    description='RFC 8288: <…>; rel="license", the terms partners republish pages on (the '
    "syndication statement, or API_TERMS_URL); on the list, after its paging links.",
)
CACHEABLE = [
    *CONDITIONAL_REQUEST_HEADERS,
    *VALIDATOR_HEADERS,
    *RATE_LIMIT_HEADERS,
    LICENSE_LINK,
]
# translations.partners answers these endpoints in the language asked for.
IN_LANGUAGE = [
    OpenApiParameter(
        "lang",
        OpenApiTypes.STR,
        OpenApiParameter.QUERY,
        enum=["en", "es"],
        description="es: the page's last signed Spanish version where one is live (saying "
        "whether the English has moved on since); en, or no Spanish version: the English. "
        "Takes precedence over Accept-Language.",
    ),
    OpenApiParameter(
        "Accept-Language",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        description="Asks for Spanish as lang=es does when es ranks above en (es-US;q=0.9, en;"
        "q=0.5); the answers vary on it.",
    ),
    OpenApiParameter(
        "Content-Language",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=[200],
        description="en or es: the language of the JSON answer (the manifest, which lists both "
        "languages, is written in English).",
    ),
]


def responses(ok, *, not_found="No page is published at this address.", invalid=True) -> dict:
    """The answers every endpoint can give, around its own 200: each error a problem."""
    errors = {
        401: "The key is missing, not valid or revoked.",
        429: "Over the partner's rate limit.",
        500: "An unexpected failure on the library's side; it has been logged.",
        503: "The library cannot reach its records for a moment.",
    }
    if not_found:
        errors[404] = not_found
    if invalid:
        errors[400] = "A query parameter is unknown or invalid."
    return {
        200: ok,
        304: OpenApiResponse(description="Not modified: the copy the partner holds is current."),
        **{
            (status, PROBLEM_JSON): OpenApiResponse(ProblemSerializer, description)
            for status, description in sorted(errors.items())
        },
    }


def terms_of_service(result, generator, request, public):
    """drf-spectacular's postprocessing hook: info links the syndication terms (API_TERMS_URL,
    or this site's statement on the served origin), as termsOfService and, when API_LICENSE_URL
    is not set, as the licence's url."""
    info = result.setdefault("info", {})
    url = terms_url(getattr(request, "_request", request))
    info["termsOfService"] = url
    info.setdefault("license", {}).setdefault("url", url)
    return result
