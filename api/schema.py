"""OpenAPI pieces drf-spectacular cannot infer: the key scheme, the shared responses, and the
endpoints other standards define (FHIR R4, CDS Hooks, the key set)."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from api.errors import PROBLEM_JSON
from api.license_link import terms_url
from api.serializers import ProblemSerializer
from api.standard_schemas import COMPONENTS, FHIR_JSON, JWK_SET_JSON, ref
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
        '"partner";q=600;w=60 (requests a window of w seconds); a code lookup without a key: '
        'its address\'s, as "address";q=120;w=60.',
    ),
    OpenApiParameter(
        "RateLimit",
        OpenApiTypes.STR,
        OpenApiParameter.HEADER,
        response=True,
        description='What is left, as "partner";r=42;t=17 (requests left, seconds until the '
        'window ends), or "address";r=…;t=… for a code lookup without a key.',
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


# The endpoints other standards define (api.standard_schemas holds their JSON Schemas).
RETRY_AFTER = VALIDATOR_HEADERS[-1]
KEYED_ANSWER_HEADERS = [*RATE_LIMIT_HEADERS, LICENSE_LINK, RETRY_AFTER]
FHIR_HEADERS = [*CACHEABLE]


def fhir_responses(ok: str, description: str, *, not_found: str = "") -> dict:
    """A FHIR endpoint's answers: its resource, 304, and every error an OperationOutcome (the
    503 of a lost database included)."""
    errors = {
        400: "A search parameter is unknown, given twice, empty or not valid.",
        401: "The key is missing, not valid or revoked (issue code login).",
        406: "A _format other than FHIR JSON.",
        429: "Over the partner's rate limit (issue code throttled).",
        500: "An unexpected failure on the library's side; it has been logged.",
        503: "The library cannot reach its records for a moment.",
    }
    if not_found:
        errors[404] = not_found
    return {
        (200, FHIR_JSON): OpenApiResponse(ref(ok), description),
        304: OpenApiResponse(description="Not modified: the copy the partner holds is current."),
        **{
            (status, FHIR_JSON): OpenApiResponse(ref("FhirOperationOutcome"), text)
            for status, text in sorted(errors.items())
        },
    }


def problem_responses(ok: dict, errors: dict) -> dict:
    """ok (by status and media type) and each error as a problem (RFC 9457)."""
    return {
        **ok,
        **{
            (status, PROBLEM_JSON): OpenApiResponse(ProblemSerializer, text)
            for status, text in sorted(errors.items())
        },
    }


KEYED_ERRORS = {
    401: "The key is missing, not valid or revoked.",
    429: "Over the partner's rate limit.",
    500: "An unexpected failure on the library's side; it has been logged.",
    503: "The library cannot reach its records for a moment.",
}

# The key set is a plain Django view (reviews.urls), outside DRF: described here whole.
KEY_SET_PATH = "/.well-known/tovani-keys.json"
SEARCH_PATH = "/fhir/DocumentReference"
CDS_CALL_PATH = "/cds-services/{service_id}"
KEY_SET_OPERATION = {
    "operationId": "key_set",
    "summary": "The public keys the site signs pages with (JWK set)",
    "description": "Ed25519 keys (kty OKP) by kid; a detail's verification.key_id and the "
    "FHIR signature extension's key_id name one. No key needed. Cached by anyone for a minute "
    "(KEY_SET_MAX_AGE): a partner meeting a key id it does not know fetches the set again.",
    "tags": ["keys"],
    "security": [{}],
    "parameters": [
        {
            "in": "header",
            "name": "If-None-Match",
            "schema": {"type": "string"},
            "description": "An ETag from an earlier answer: 304 when the set is unchanged.",
        }
    ],
    "responses": {
        "200": {
            "description": "The key set.",
            "headers": {
                "ETag": {"schema": {"type": "string"}, "required": True},
                "Cache-Control": {"schema": {"type": "string"}, "required": True},
            },
            "content": {JWK_SET_JSON: {"schema": ref("JwkSet")}},
        },
        "304": {"description": "Not modified: the set the partner holds is current."},
    },
}


def standards(result, generator, request, public):
    """drf-spectacular's postprocessing hook: the JSON Schemas of the FHIR, CDS Hooks and key
    set answers, the key set's path, and FHIR's search path without the optional slash its
    URL pattern allows (FHIR's own form)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(COMPONENTS)
    paths = result.setdefault("paths", {})
    if SEARCH_PATH + "/" in paths:
        paths[SEARCH_PATH] = paths.pop(SEARCH_PATH + "/")
    paths[KEY_SET_PATH] = {"get": KEY_SET_OPERATION}
    # The hook's request is the whole call: a client must send it.
    cds_call = paths.get(CDS_CALL_PATH, {}).get("post")
    if cds_call and "requestBody" in cds_call:
        cds_call["requestBody"]["required"] = True
    return result
