"""The library's live pages as FHIR R4 DocumentReference resources.

One resource per live condition page (id ``condition-<page id>``) and per live Spanish
translation (``condition-<page id>-es``), built from the live publication and its sign-off,
never a draft: the ids stay with the page through republishes and moves, ``meta.versionId`` is
the live publication. The attachment is the public page: ``url`` its absolute address,
``hash`` the base64 SHA-1 of the very bytes that address serves (asked of the page's own view,
so a notice or a language link beside the text is covered), ``size`` their length. The
reviewing physician is author and authenticator; the page's codes are ``context.related``
identifiers; the publication's signature block is the extension at SIGNATURE_EXTENSION.

Search (``search``) takes the parameters in PARAMETERS; a malformed or unknown one raises
FhirError, which the views answer as an OperationOutcome.
"""

import base64
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import Resolver404, resolve, reverse

from api.cds_hooks import FHIR_SYSTEMS
from api.medlineplus import z_time
from conditions import lookup, selectors
from conditions.codes import ICD9CM_RE, CodeSystem
from reviews.signatures import verification_block
from tovani.site_url import site_origin
from translations.partners import live_translations

FHIR_JSON = "application/fhir+json"
FHIR_VERSION = "4.0.1"
ICD9CM = "http://hl7.org/fhir/sid/icd-9-cm"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
NPI = "http://hl7.org/fhir/sid/us-npi"
URI = "urn:ietf:rfc:3986"
BCP47 = "urn:ietf:bcp:47"
# Pages' own systems as FHIR names them. DSM-5 has no codes of its own: each is the ICD-9-CM
# or ICD-10-CM code it gives, and is written in that system.
SYSTEM_URIS = {uri: str(system) for uri, system in FHIR_SYSTEMS.items()}
SYSTEM_URIS[ICD9CM] = str(lookup.LookupSystem.ICD9CM)
PAGE_URIS = {
    CodeSystem.ICD10CM: ICD10CM,
    CodeSystem.ICD11: "http://id.who.int/icd/release/11/mms",
    CodeSystem.SNOMEDCT: "http://snomed.info/sct",
}
LANGUAGES = ("en", "es")
# Search parameters: the clinical code (a token, system|code), the language (a token), the id.
CODE_PARAMETERS = ("code", "related", "related:identifier")
PARAMETERS = (*CODE_PARAMETERS, "language", "_id", "status")


def canonical_base(origin: str) -> str:
    return origin + "/fhir"


def signature_extension_url(origin: str) -> str:
    """The extension holding a publication's signature block (documented in the README)."""
    return f"{canonical_base(origin)}/StructureDefinition/publication-signature"


def kind_system(origin: str) -> str:
    return f"{canonical_base(origin)}/CodeSystem/document-kind"


class FhirError(Exception):
    """A request the FHIR endpoint refuses: status, an OperationOutcome issue code, and why."""

    def __init__(self, status: int, code: str, diagnostics: str, expression: str | None = None):
        super().__init__(diagnostics)
        self.status, self.code, self.diagnostics, self.expression = (
            status,
            code,
            diagnostics,
            expression,
        )


def operation_outcome(code: str, diagnostics: str, expression: str | None = None) -> dict:
    issue = {"severity": "error", "code": code, "diagnostics": diagnostics}
    if expression:
        issue["expression"] = [expression]
    return {"resourceType": "OperationOutcome", "issue": [issue]}


@dataclass(frozen=True)
class Query:
    codes: tuple | None = None  # ((LookupSystem, code), …): any of them; None: no code asked
    language: str | None = None
    ids: tuple | None = None


def parse(params) -> Query:
    """The search asked for by a QueryDict, or FhirError naming the parameter at fault."""
    unknown = sorted(set(params) - set(PARAMETERS) - {"_format"})
    if unknown:
        raise FhirError(
            400,
            "not-supported",
            f"Unknown search parameter {unknown[0]!r}: this server searches DocumentReference "
            f"by {', '.join(PARAMETERS)}.",
            unknown[0],
        )
    for name, values in params.lists():
        if len(values) > 1:
            raise FhirError(400, "invalid", f"Give {name} once; separate values by commas.", name)
    _check_format(params.get("_format"))
    codes = None
    asked_codes = [name for name in CODE_PARAMETERS if name in params]
    if len(asked_codes) > 1:
        raise FhirError(400, "invalid", "Give one of code, related.", asked_codes[1])
    if asked_codes:
        name = asked_codes[0]
        codes = tuple(pair for value in _values(params, name) for pair in _code_token(name, value))
    language = None
    if "language" in params:
        languages = {_language_token(value) for value in _values(params, "language")}
        language = languages.pop() if len(languages) == 1 else None
    ids = tuple(_values(params, "_id")) if "_id" in params else None
    if "status" in params and "current" not in _values(params, "status"):
        # Every document served is current: a page no longer live is not served at all.
        codes = ()
    return Query(codes=codes, language=language, ids=ids)


def parse_read(params) -> None:
    """A read takes _format only."""
    unknown = sorted(set(params) - {"_format"})
    if unknown:
        raise FhirError(400, "not-supported", f"A read takes no {unknown[0]!r}.", unknown[0])
    _check_format(params.get("_format"))


def _check_format(value):
    if value is not None and value not in ("json", FHIR_JSON, "application/json"):
        raise FhirError(406, "not-supported", "This server answers FHIR JSON only.", "_format")


def _values(params, name) -> list[str]:
    values = [part.strip() for part in params.get(name, "").split(",")]
    if not all(values):
        raise FhirError(400, "invalid", f"{name} has an empty value.", name)
    return values


def _code_token(name: str, value: str) -> list[tuple[str, str]]:
    """(LookupSystem, normalized code) pairs a token names: system|code in one system, a bare
    code in every system it is valid in."""
    system_uri, bar, code = value.rpartition("|")
    if bar and system_uri not in SYSTEM_URIS:
        raise FhirError(
            400,
            "invalid",
            f"{name}: unknown code system {system_uri!r}; give one of "
            f"{', '.join(sorted(SYSTEM_URIS))}.",
            name,
        )
    systems = [SYSTEM_URIS[system_uri]] if bar else list(SYSTEM_URIS.values())
    found = []
    for system in systems:
        try:
            found.append((system, lookup.normalized(system, code)))
        except ValidationError as error:
            if bar:
                reason = " ".join(error.message_dict.get("code", [str(error)]))
                raise FhirError(400, "invalid", f"{name}: {reason}", name) from None
    if not found:
        raise FhirError(400, "invalid", f"{name}: {code!r} is no code of any system.", name)
    return found


def _language_token(value: str) -> str:
    system, bar, code = value.rpartition("|")
    if bar and system != BCP47:
        raise FhirError(400, "invalid", f"language: the system is {BCP47}.", "language")
    code = code.lower()
    if code not in LANGUAGES:
        raise FhirError(400, "invalid", "language: give en or es.", "language")
    return code


def search(request, query: Query) -> list[dict]:
    """The resources a search finds, English pages by title, each followed by its Spanish
    version."""
    if query.codes == ():
        return []
    codes = None
    if query.codes is not None:
        codes = [(lookup.SEARCHED[system], code) for system, code in query.codes]
    wanted = None
    if query.ids is not None:
        wanted = {found for found in map(_parse_id, query.ids) if found is not None}
        if not wanted:
            return []
    entries = selectors.document_entries(
        codes=codes, page_ids=None if wanted is None else {page for page, _ in wanted}
    )
    return [
        resource
        for resource, page, language in _resources(request, entries, query.language)
        if wanted is None or (page, language) in wanted
    ]


def read(request, resource_id: str) -> dict:
    """The resource with this id, or FhirError 404."""
    found = _parse_id(resource_id)
    if found is not None:
        page, language = found
        entries = selectors.document_entries(page_ids={page})
        for resource, _, _ in _resources(request, entries, language):
            return resource
    raise FhirError(404, "not-found", f"No live page is DocumentReference/{resource_id}.")


def _parse_id(resource_id: str) -> tuple[int, str] | None:
    """(page id, language) of a resource id: condition-12 or condition-12-es."""
    prefix, _, rest = resource_id.partition("-")
    page, _, language = rest.partition("-")
    if prefix != "condition" or not page.isdigit() or language not in ("", "es"):
        return None
    return int(page), language or "en"


def _resources(request, entries, language):
    """(resource, page id, language) of each entry, and of its Spanish version, in language
    (None: both)."""
    entries = list(entries)
    spanish = {}
    if language in (None, "es"):
        spanish = live_translations([entry.slug for entry in entries])
    for entry in entries:
        if language in (None, "en"):
            yield english_resource(request, entry), entry.condition_id, "en"
        if entry.slug in spanish:
            yield spanish_resource(request, entry, *spanish[entry.slug]), entry.condition_id, "es"


def resource_id(entry, language="en") -> str:
    return f"condition-{entry.condition_id}" + ("" if language == "en" else f"-{language}")


def english_resource(request, entry) -> dict:
    publication = entry.publication
    origin = _origin(request)
    path = reverse("conditions:detail", kwargs={"slug": entry.slug})
    amended = entry.first_published < publication.published_at
    return _document(
        request,
        id=resource_id(entry),
        publication=publication,
        language="en",
        path=path,
        title=entry.title,
        description=entry.summary,
        related=related(entry.codes_listed.all()),
        doc_status="amended" if amended else "final",
        extra={},
        origin=origin,
    )


def spanish_resource(request, entry, translation, publication) -> dict:
    origin = _origin(request)
    earlier = selectors.earlier_publications(publication).exists()
    return _document(
        request,
        id=resource_id(entry, translation.language),
        publication=publication,
        language=translation.language,
        path=translation.public_path,
        title=publication.title,
        description=publication.document.get("summary", ""),
        related=related(entry.codes_listed.all()),
        doc_status="amended" if earlier else "final",
        extra={
            "relatesTo": [
                {
                    "code": "transforms",
                    "target": {
                        "reference": f"DocumentReference/{resource_id(entry)}",
                        "display": entry.title,
                    },
                }
            ]
        },
        origin=origin,
    )


def _document(request, *, id, publication, language, path, title, description, related,
              doc_status, extra, origin) -> dict:  # fmt: skip
    sign_off = publication.sign_off
    data = served_bytes(request, path)
    published = z_time(publication.published_at)
    reviewer = {"reference": "#reviewer", "display": sign_off.signature}
    resource = {
        "resourceType": "DocumentReference",
        "id": id,
        "meta": {"versionId": str(publication.pk), "lastUpdated": published},
        "language": language,
        "contained": [practitioner(sign_off, origin)],
        "extension": [signature_extension(publication, origin)],
        "identifier": [{"system": URI, "value": origin + path}],
        "status": "current",
        "docStatus": doc_status,
        "type": {
            "coding": [
                {
                    "system": kind_system(origin),
                    "code": "condition-page",
                    "display": "Physician-reviewed condition page",
                }
            ],
            "text": "Physician-reviewed condition page",
        },
        "date": published,
        "author": [reviewer],
        "authenticator": reviewer,
        "custodian": {"display": settings.SITE_NAME},
        "description": description,
        **extra,
        "content": [
            {
                "attachment": {
                    "contentType": "text/html",
                    "language": language,
                    "url": origin + path,
                    "size": len(data),
                    "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),  # noqa: S324 - FHIR R4 defines Attachment.hash as SHA-1
                    "title": title,
                    "creation": published,
                }
            }
        ],
        "context": {"related": related},
    }
    if not description:
        del resource["description"]
    return resource


def practitioner(sign_off, origin: str) -> dict:
    """The physician who signed, as signed (name and credentials of the signature line)."""
    name, credentials = sign_off.signer
    physician = sign_off.physician
    identifiers = [
        {
            "system": URI,
            "value": origin + reverse("reviewers:detail", kwargs={"slug": physician.slug}),
        }
    ]
    if physician.npi:
        identifiers.append({"system": NPI, "value": physician.npi})
    found = {
        "resourceType": "Practitioner",
        "id": "reviewer",
        "identifier": identifiers,
        "name": [{"text": name}],
    }
    if credentials:
        found["qualification"] = [{"code": {"text": credentials}}]
    return found


def signature_extension(publication, origin: str) -> dict:
    """The publication's signature block (reviews.signatures), as a complex extension."""
    block = verification_block(publication)
    return {
        "url": signature_extension_url(origin),
        "extension": [
            {"url": "payload", "valueString": block["payload"]},
            {"url": "signature", "valueString": block["signature"]},
            {"url": "key_id", "valueString": block["key_id"]},
            {"url": "key_set", "valueUrl": origin + reverse("signing_keys")},
        ],
    }


def related(codes) -> list[dict]:
    """The page's codes as identifiers, each once, in the page's order."""
    found, seen = [], set()
    for listing in codes:
        system = _page_system_uri(listing.system, listing.code)
        if (system, listing.code) in seen:
            continue
        seen.add((system, listing.code))
        found.append(
            {
                "identifier": {"system": system, "value": listing.code},
                "display": f"{listing.system} {listing.code}",
            }
        )
    return found


def _page_system_uri(system: str, code: str) -> str:
    if system == CodeSystem.DSM5:
        return ICD9CM if ICD9CM_RE.match(code) else ICD10CM
    return PAGE_URIS[system]


def served_bytes(request, path: str) -> bytes:
    """The body the public address path answers a plain GET with, on this request's origin."""
    page = HttpRequest()
    page.method = "GET"
    page.path = page.path_info = path
    page.META = {
        name: value
        for name, value in request.META.items()
        if not name.startswith(("HTTP_IF_", "HTTP_X_API_KEY", "HTTP_ACCEPT", "HTTP_COOKIE"))
    }
    page.META.update({"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": ""})
    try:
        match = resolve(path)
    except Resolver404:
        return b""
    response = match.func(page, *match.args, **match.kwargs)
    return response.content if response.status_code == 200 else b""


def bundle(request, resources: list[dict]) -> dict:
    origin = _origin(request)
    return {
        "resourceType": "Bundle",
        "type": "searchset",
        "total": len(resources),
        "link": [{"relation": "self", "url": origin + request.get_full_path()}],
        "entry": [
            {
                "fullUrl": f"{canonical_base(origin)}/DocumentReference/{resource['id']}",
                "resource": resource,
                "search": {"mode": "match"},
            }
            for resource in resources
        ],
    }


def _origin(request) -> str:
    return site_origin(request)


# The signature extension's parts: (name, FHIR type, what it holds).
SIGNATURE_PARTS = (
    ("payload", "string", "The exact string the site signed: canonical JSON of the slug, "
     "digest, the physician's signature line, signed and published times and key id."),
    ("signature", "string", "The Ed25519 signature over payload's UTF-8 bytes, base64url."),
    ("key_id", "string", "The kid of the key in the site's key set that verifies it."),
    ("key_set", "url", "The site's JWK set (/.well-known/tovani-keys.json)."),
)  # fmt: skip


def signature_definition(origin: str) -> dict:
    """The StructureDefinition of the signature extension, served at its own URL."""
    url = signature_extension_url(origin)
    elements = [
        {
            "id": "Extension",
            "path": "Extension",
            "short": "The publication's signature block",
            "definition": "The site's Ed25519 signature over the publication this document is "
            "(reviews.signatures): verify payload with the key named by key_id.",
            "min": 0,
            "max": "1",
        }
    ]
    for name, kind, definition in SIGNATURE_PARTS:
        slice_id = f"Extension.extension:{name}"
        elements += [
            {
                "id": slice_id,
                "path": "Extension.extension",
                "sliceName": name,
                "definition": definition,
                "min": 1,
                "max": "1",
            },
            {"id": f"{slice_id}.url", "path": "Extension.extension.url", "fixedUri": name},
            {
                "id": f"{slice_id}.value[x]",
                "path": "Extension.extension.value[x]",
                "min": 1,
                "type": [{"code": kind}],
            },
        ]
    elements += [
        {"id": "Extension.url", "path": "Extension.url", "fixedUri": url},
        {"id": "Extension.value[x]", "path": "Extension.value[x]", "max": "0"},
    ]
    return {
        "resourceType": "StructureDefinition",
        "id": "publication-signature",
        "url": url,
        "name": "PublicationSignature",
        "title": "Publication signature",
        "status": "active",
        "description": "The signature block of the publication a DocumentReference describes.",
        "fhirVersion": FHIR_VERSION,
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": "DocumentReference"}],
        "type": "Extension",
        "baseDefinition": "http://hl7.org/fhir/StructureDefinition/Extension",
        "derivation": "constraint",
        "differential": {"element": elements},
    }


# The search parameters a CapabilityStatement names, with the FHIR type and what each matches.
SEARCH_PARAMETERS = (
    ("code", "token", "A clinical code of the page (system|code or code): ICD-10-CM, ICD-11, "
     "SNOMED CT, ICD-9-CM; commas mean any of."),
    ("related", "token", "The same as code (context.related)."),
    ("language", "token", "en or es: the language of the page."),
    ("_id", "token", "The resource's id."),
    ("status", "token", "current: every live page is."),
)  # fmt: skip


def capability_statement(origin: str, published_at) -> dict:
    """What this server offers, for clients that ask /metadata first: DocumentReference read
    and search, JSON only, with the partner's key."""
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": z_time(published_at),
        "publisher": settings.SITE_NAME,
        "kind": "instance",
        "implementation": {
            "description": f"{settings.SITE_NAME}: physician-reviewed pages as DocumentReference",
            "url": canonical_base(origin),
        },
        "fhirVersion": FHIR_VERSION,
        "format": ["json"],
        "rest": [
            {
                "mode": "server",
                "documentation": "Send the partner's key in the X-API-Key header.",
                "resource": [
                    {
                        "type": "DocumentReference",
                        "interaction": [{"code": "read"}, {"code": "search-type"}],
                        "searchParam": [
                            {"name": name, "type": kind, "documentation": text}
                            for name, kind, text in SEARCH_PARAMETERS
                        ],
                    }
                ],
            }
        ],
    }
