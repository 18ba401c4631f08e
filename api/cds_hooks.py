"""A CDS Hooks `patient-view` service: the library's pages for the patient's problem list.

`GET /cds-services` is the discovery document; `POST /cds-services/<id>` takes the hook's
request, whose prefetch holds the patient's problem list as a FHIR Bundle of Condition
resources (the `conditions` template of discovery). Each coding in ICD-10-CM, SNOMED CT or
ICD-11 is looked up as the code lookup does (conditions.lookup); every live page found is one
card: a summary under 140 characters, `indicator: info`, the library as `source`, and an
absolute link to the signed page. When the `patient` prefetch says the patient prefers Spanish
(Patient.communication, BCP 47) and a signed Spanish version of a page is live, the card links
to it first, then to the English. The service reads nothing from the EHR's FHIR server: without
the problem-list prefetch it answers 400 naming it. Callers send the partner's key in
X-API-Key, as for the rest of the API; the CDS Hooks JWT in Authorization is not needed and not
read.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError as ModelValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api.representations import Links
from api.schema import KEYED_ANSWER_HEADERS, KEYED_ERRORS, problem_responses
from api.standard_schemas import ref
from conditions import lookup
from conditions.lookup import LookupSystem
from conditions.models import Condition
from publishing import alternates
from tovani.site_url import site_origin

SERVICE_ID = "condition-pages"
PREFETCH_KEY = "conditions"
PATIENT_KEY = "patient"
# The languages pages are published in besides English, as a card names them.
LANGUAGE_NAMES = {"es": "español"}
# FHIR's code system URIs for the systems pages are coded in.
FHIR_SYSTEMS = {
    "http://hl7.org/fhir/sid/icd-10-cm": LookupSystem.ICD10CM,
    "http://snomed.info/sct": LookupSystem.SNOMEDCT,
    "http://id.who.int/icd/release/11/mms": LookupSystem.ICD11,
}
SUMMARY_LIMIT = 140


def discovery() -> dict:
    return {
        "services": [
            {
                "hook": "patient-view",
                "id": SERVICE_ID,
                "title": f"{settings.SITE_NAME}: pages for the problem list",
                "description": (
                    "Physician-reviewed pages of the library for the patient's problems "
                    "(ICD-10-CM, SNOMED CT, ICD-11), one card a page."
                ),
                "prefetch": {
                    PREFETCH_KEY: "Condition?patient={{context.patientId}}"
                    "&category=problem-list-item",
                    PATIENT_KEY: "Patient/{{context.patientId}}",
                },
            }
        ]
    }


def problem_codes(bundle) -> list[tuple[str, str]]:
    """(LookupSystem, normalized code) of each coding of the bundle's Condition resources that
    a lookup can take; codings of other systems, or malformed, are passed over."""
    found = []
    for entry in _items(_member(bundle, "entry")):
        resource = _member(entry, "resource")
        if _member(resource, "resourceType") != "Condition":
            continue
        for coding in _items(_member(_member(resource, "code"), "coding")):
            uri = _member(coding, "system")
            system = FHIR_SYSTEMS.get(uri) if isinstance(uri, str) else None
            if system is None or not isinstance(_member(coding, "code"), str):
                continue
            try:
                found.append((system, lookup.normalized(system, coding["code"])))
            except ModelValidationError:
                continue
    return found


def _member(value, name):
    """value[name] when value is a JSON object: an EHR's bundle of another shape is passed over,
    not a 500."""
    return value.get(name) if isinstance(value, dict) else None


def _items(value) -> list:
    return value if isinstance(value, list) else []


def preferred_language(patient) -> str:
    """The primary subtag of the patient's preferred language (its first one when none is
    marked preferred), or "" when the Patient resource says none."""
    if not isinstance(patient, dict) or patient.get("resourceType") != "Patient":
        return ""
    spoken = [c for c in _items(patient.get("communication")) if isinstance(c, dict)]
    spoken.sort(key=lambda c: c.get("preferred") is not True)
    for communication in spoken:
        for coding in _items(_member(communication.get("language"), "coding")):
            code = coding.get("code") if isinstance(coding, dict) else None
            if isinstance(code, str) and code.strip():
                return code.strip().split("-")[0].lower()
    return ""


def cards(codes, links: Links, language: str = "") -> list[dict]:
    """One card per live page answering any of the codes, in the order first found; linking
    first to the page's live version in the patient's language where there is one."""
    seen = {}
    for system, code in codes:
        for answer in lookup.look_up(system, code).answers:
            seen.setdefault(answer.entry.slug, answer.entry)
    versions = {}
    if language in LANGUAGE_NAMES:
        ids = [entry.condition_id for entry in seen.values()]
        versions = alternates.live_alternates(Condition, ids, language)
    return [_card(entry, links, versions.get(entry.condition_id)) for entry in seen.values()]


def _card(entry, links: Links, version=None) -> dict:
    sign_off = entry.publication.sign_off
    page = {"label": entry.title, "url": links.page(entry.slug), "type": "absolute"}
    in_language = []
    if version is not None:
        label = f"{version.title or entry.title} ({LANGUAGE_NAMES[version.language]})"
        in_language = [{"label": label, "url": links.base + version.path, "type": "absolute"}]
    return {
        "uuid": str(uuid.uuid5(uuid.NAMESPACE_URL, links.page(entry.slug))),
        "summary": _shortened(f"{settings.SITE_NAME}: {entry.title}"),
        "detail": f"{entry.summary}\n\nReviewed by {sign_off.signature}.",
        "indicator": "info",
        "source": {"label": settings.SITE_NAME, "url": f"{links.base}/"},
        "links": [*in_language, page],
    }


def _shortened(text: str) -> str:
    if len(text) < SUMMARY_LIMIT:
        return text
    return text[: SUMMARY_LIMIT - 2].rstrip() + "…"


CDS_TAGS = ["cds_hooks"]
AUTHENTICATION = (
    "The EHR sends the partner's key in X-API-Key, as for the rest of the API (rate limit and "
    "usage included); a CDS Hooks JWT in Authorization is not read."
)


class Discovery(APIView):
    @extend_schema(
        operation_id="cds_services",
        summary="CDS Hooks discovery: the patient-view service and its prefetch",
        description=AUTHENTICATION,
        tags=CDS_TAGS,
        parameters=KEYED_ANSWER_HEADERS,
        responses=problem_responses(
            {200: OpenApiResponse(ref("CdsServices"), "The services.")}, KEYED_ERRORS
        ),
    )
    def get(self, request):
        return Response(discovery())


class PatientView(APIView):
    @extend_schema(
        operation_id="cds_service_call",
        summary="CDS Hooks patient-view: one card per live page for the problem list",
        description="The prefetch's problem list (conditions) is read, never the EHR's FHIR "
        "server: each coding in ICD-10-CM, SNOMED CT or ICD-11 is looked up as the code lookup "
        f"does. {AUTHENTICATION}",
        tags=CDS_TAGS,
        parameters=KEYED_ANSWER_HEADERS,
        request={"application/json": ref("CdsRequest")},
        responses=problem_responses(
            {200: OpenApiResponse(ref("CdsCards"), "The cards, none when no live page matches.")},
            {
                **KEYED_ERRORS,
                400: "Not the patient-view hook, or no conditions prefetch (parameters names it); "
                "or a body that is not JSON.",
                404: "No CDS service has this id.",
                415: "A body that is not application/json.",
            },
        ),
    )
    def post(self, request, service_id):
        if service_id != SERVICE_ID:
            raise NotFound("No CDS service has this id.")
        data = request.data if isinstance(request.data, dict) else {}
        if data.get("hook") != "patient-view":
            raise ValidationError({"hook": ["This service answers the patient-view hook."]})
        prefetch = _member(data, "prefetch")
        bundle = _member(prefetch, PREFETCH_KEY)
        if not isinstance(bundle, dict):
            raise ValidationError(
                {f"prefetch.{PREFETCH_KEY}": ["Send the problem list as the discovery asks."]}
            )
        links = Links(site_origin(request))
        language = preferred_language(_member(prefetch, PATIENT_KEY))
        return Response({"cards": cards(problem_codes(bundle), links, language)})
