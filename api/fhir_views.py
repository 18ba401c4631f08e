"""FHIR R4 endpoints: DocumentReference search and read (api.fhir builds the resources).

The partner API's access rules apply (the partner's key in X-API-Key, its rate limit and usage,
the RateLimit fields), but every answer is FHIR's: application/fhir+json, a Bundle of type
searchset for a search, an OperationOutcome for every error, whoever raises it.
"""

import json
import logging
import math

from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api import fhir, rate_headers
from api.http import hashed_json_answer
from api.schema import FHIR_HEADERS, fhir_responses
from conditions.models import Condition
from publishing.pointers import library_stamp
from tovani.site_url import site_origin
from translations.models import Translation

log = logging.getLogger(__name__)

# DRF's refusals as OperationOutcome issue codes (FHIR's IssueType).
_ISSUE_CODES = {
    exceptions.NotAuthenticated: "login",
    exceptions.AuthenticationFailed: "login",
    exceptions.PermissionDenied: "forbidden",
    exceptions.Throttled: "throttled",
    exceptions.MethodNotAllowed: "not-supported",
    exceptions.NotFound: "not-found",
    exceptions.NotAcceptable: "not-supported",
}


def outcome_response(status: int, code: str, diagnostics: str, expression=None) -> HttpResponse:
    body = json.dumps(fhir.operation_outcome(code, diagnostics, expression))
    response = HttpResponse(body, status=status, content_type=fhir.FHIR_JSON)
    response["Cache-Control"] = "no-store"
    return response


# The project's problem codes (tovani.unavailable's 400, 500 and 503) as FHIR issue codes.
_PROBLEM_ISSUES = {"bad_request": "invalid", "server_error": "exception"}


def problem_outcome(request, status: int, code: str, detail: str) -> HttpResponse:
    """The project's 400, 500 and 503 under /fhir/, as OperationOutcomes (a lost database is
    transient)."""
    return outcome_response(status, _PROBLEM_ISSUES.get(code, "transient"), detail)


def exception_handler(exc, context):
    """Every exception a FHIR view raises, as an OperationOutcome."""
    if isinstance(exc, fhir.FhirError):
        return outcome_response(exc.status, exc.code, exc.diagnostics, exc.expression)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(*exc.args)
    if isinstance(exc, OperationalError | InterfaceError):
        return None  # a lost database: tovani.middleware answers 503, as for the whole API
    if not isinstance(exc, exceptions.APIException):
        log.error("Error answering %s", context["request"].path, exc_info=exc)
        return outcome_response(500, "exception", "Something went wrong on our side.")
    code = next((c for kind, c in _ISSUE_CODES.items() if isinstance(exc, kind)), "processing")
    detail = exc.detail if isinstance(exc.detail, str) else json.dumps(exc.detail)
    if isinstance(exc, exceptions.NotAuthenticated):
        detail = "Send your partner API key in the X-API-Key header."
    response = outcome_response(exc.status_code, code, str(detail))
    if getattr(exc, "auth_header", None):  # set by DRF from the authentication class
        response["WWW-Authenticate"] = exc.auth_header
    if isinstance(exc, exceptions.MethodNotAllowed):
        response["Allow"] = ", ".join(context["view"].allowed_methods)
    if getattr(exc, "wait", None) is not None:
        response["Retry-After"] = str(math.ceil(exc.wait))
    return response


class FhirView(APIView):
    def get_exception_handler(self):
        return exception_handler

    def perform_content_negotiation(self, request, force=False):
        # FHIR JSON only: a _format other than JSON is refused by name (api.fhir.parse).
        return _JSON, _JSON.media_type

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        return rate_headers.add(response, request.auth)

    def answer(self, request, data):
        stamps = [library_stamp(Condition), library_stamp(Translation)]
        return hashed_json_answer(
            request,
            body=json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
            last_modified=max(stamp.changed_at for stamp in stamps),
            content_type=fhir.FHIR_JSON,
        )


_JSON = JSONRenderer()


def _query(name: str, description: str, **kwargs) -> OpenApiParameter:
    # An empty value is refused (400 invalid), whatever the parameter.
    kind = {"type": "string", "minLength": 1} if "enum" not in kwargs else OpenApiTypes.STR
    return OpenApiParameter(name, kind, OpenApiParameter.QUERY, description=description, **kwargs)


FORMAT = _query(
    "_format",
    "FHIR JSON only: json, application/fhir+json or application/json (406 otherwise).",
    enum=["json", fhir.FHIR_JSON, "application/json"],
)
_CODE = (
    "A token: system|code (systems http://hl7.org/fhir/sid/icd-10-cm, "
    "http://id.who.int/icd/release/11/mms, http://snomed.info/sct, "
    "http://hl7.org/fhir/sid/icd-9-cm), or a bare code meaning any system it is a code of; "
    "comma-separated values find pages with any of them. Exact, as FHIR token search is."
)
SEARCH_PARAMETERS = [
    _query("code", _CODE),
    _query("related", "The same as code (context.related); give one of the two."),
    _query("related:identifier", "The same as related."),
    _query("language", "en or es (or urn:ietf:bcp:47|es); comma-separated: either."),
    _query("_id", "Resource ids (condition-12, condition-12-es), comma-separated."),
    _query("status", "current: every resource served is; any other status finds none."),
    FORMAT,
]
FHIR_TAGS = ["fhir"]


class DocumentReferenceSearch(FhirView):
    @extend_schema(
        operation_id="fhir_document_reference_search",
        summary="Search the live pages as FHIR R4 DocumentReference resources",
        description="A Bundle of type searchset: one resource per live condition page and per live "
        "Spanish version, by clinical code and language; no parameter: all of them. Any other "
        "parameter, or one given twice, is a 400 OperationOutcome.",
        tags=FHIR_TAGS,
        parameters=[*SEARCH_PARAMETERS, *FHIR_HEADERS],
        responses=fhir_responses("FhirBundle", "Every live resource found, in one Bundle."),
    )
    def get(self, request):
        query = fhir.parse(request.query_params)
        return self.answer(request, fhir.bundle(request, fhir.search(request, query)))


class DocumentReferenceRead(FhirView):
    @extend_schema(
        operation_id="fhir_document_reference_read",
        summary="One live page as a FHIR R4 DocumentReference",
        description="condition-<page id>, or condition-<page id>-es for its Spanish version.",
        tags=FHIR_TAGS,
        parameters=[FORMAT, *FHIR_HEADERS],
        responses=fhir_responses(
            "FhirDocumentReference", "The resource.", not_found="No live page has this id."
        ),
    )
    def get(self, request, resource_id):
        fhir.parse_read(request.query_params)
        return self.answer(request, fhir.read(request, resource_id))


class SignatureDefinition(FhirView):
    """Public: it describes an extension and holds no page, so a validator resolving the
    extension's URL needs no key."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="fhir_signature_definition",
        summary="The StructureDefinition of the publication signature extension",
        description="No key needed: it describes the extension and holds no page.",
        tags=FHIR_TAGS,
        parameters=[FORMAT, *FHIR_HEADERS],
        responses=fhir_responses("FhirStructureDefinition", "The extension's definition."),
    )
    def get(self, request):
        fhir.parse_read(request.query_params)
        return self.answer(request, fhir.signature_definition(site_origin(request)))


class Metadata(FhirView):
    """Public, as FHIR servers' /metadata are: it describes the server and holds no page."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        operation_id="fhir_metadata",
        summary="The FHIR server's CapabilityStatement",
        description="What a FHIR client asks first: DocumentReference read and search-type, the "
        "search parameters, JSON only. No key needed.",
        tags=FHIR_TAGS,
        parameters=[FORMAT, *FHIR_HEADERS],
        responses=fhir_responses("FhirCapabilityStatement", "The CapabilityStatement."),
    )
    def get(self, request):
        fhir.parse_read(request.query_params)
        published_at = max(
            library_stamp(Condition).changed_at, library_stamp(Translation).changed_at
        )
        return self.answer(request, fhir.capability_statement(site_origin(request), published_at))


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Anything under /fhir/ that this server does not serve."""
    return outcome_response(
        404,
        "not-found",
        "This server serves DocumentReference only (search and read), and /fhir/metadata.",
    )
