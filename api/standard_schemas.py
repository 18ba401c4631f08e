"""The OpenAPI description of the endpoints other standards define: FHIR R4, CDS Hooks, the key
set (a JWK set), and the lookup's feed in MedlinePlus Connect's JSON form.

Their answers are written by api.fhir, api.cds_hooks and reviews.signatures, not serializers,
so their shapes are JSON Schema here, added to the document's components by api.schema's
postprocessing hook. Each describes what the library sends, and leaves room for what the
standard allows besides (additional members are not refused). The request a CDS client sends
is described as loosely as the service reads it: a member the service passes over has no type
here, so nothing the schema allows is refused and nothing it refuses is accepted.
"""

FHIR_JSON = "application/fhir+json"
JWK_SET_JSON = "application/jwk-set+json"


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _resource(name: str, properties: dict, required=(), description: str = "") -> dict:
    return {
        "type": "object",
        "description": description,
        "required": ["resourceType", *required],
        "properties": {"resourceType": {"type": "string", "enum": [name]}, **properties},
    }


_STRING = {"type": "string"}
_URI = {"type": "string", "format": "uri"}
_INSTANT = {
    "type": "string",
    "format": "date-time",
    "description": "UTC, ending in Z.",
}
_IDENTIFIER = {
    "type": "object",
    "required": ["system", "value"],
    "properties": {"system": _URI, "value": _STRING},
}
_REFERENCE = {
    "type": "object",
    "properties": {"reference": _STRING, "display": _STRING},
}
_CODING = {
    "type": "object",
    "properties": {"system": _URI, "code": _STRING, "display": _STRING},
}

FHIR_COMPONENTS = {
    "FhirOperationOutcome": _resource(
        "OperationOutcome",
        {
            "issue": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["severity", "code"],
                    "properties": {
                        "severity": {"type": "string", "enum": ["error"]},
                        "code": {
                            "type": "string",
                            "description": "FHIR's IssueType: invalid, not-supported, "
                            "not-found, login, throttled, exception, …",
                        },
                        "diagnostics": _STRING,
                        "expression": {
                            "type": "array",
                            "items": _STRING,
                            "description": "The parameter at fault.",
                        },
                    },
                },
            }
        },
        required=["issue"],
        description="Every error of the FHIR endpoints (never a problem details object).",
    ),
    "FhirDocumentReference": _resource(
        "DocumentReference",
        {
            "id": {
                "type": "string",
                "description": "condition-<page id>, with -es for its Spanish version; it stays "
                "with the page through republishes and moves.",
            },
            "meta": {
                "type": "object",
                "required": ["versionId", "lastUpdated"],
                "properties": {
                    "versionId": {
                        "type": "string",
                        "description": "The live publication (the manifest's publication_id).",
                    },
                    "lastUpdated": _INSTANT,
                },
            },
            "language": {"type": "string", "enum": ["en", "es"]},
            "contained": {
                "type": "array",
                "description": "The Practitioner #reviewer: the physician who signed.",
                "items": {
                    "type": "object",
                    "required": ["resourceType", "id"],
                    "properties": {
                        "resourceType": {"type": "string", "enum": ["Practitioner"]},
                        "id": _STRING,
                        "identifier": {"type": "array", "items": _IDENTIFIER},
                        "name": {
                            "type": "array",
                            "items": {"type": "object", "properties": {"text": _STRING}},
                        },
                        "qualification": {"type": "array", "items": {"type": "object"}},
                    },
                },
            },
            "extension": {
                "type": "array",
                "description": "The publication's signature block: url …/fhir/StructureDefinition"
                "/publication-signature, parts payload, signature, key_id (valueString) and "
                "key_set (valueUrl, the JWK set at /.well-known/tovani-keys.json).",
                "items": {
                    "type": "object",
                    "required": ["url"],
                    "properties": {
                        "url": _URI,
                        "extension": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["url"],
                                "properties": {
                                    "url": _STRING,
                                    "valueString": _STRING,
                                    "valueUrl": _URI,
                                },
                            },
                        },
                    },
                },
            },
            "identifier": {
                "type": "array",
                "items": _IDENTIFIER,
                "description": "The public page's address.",
            },
            "status": {"type": "string", "enum": ["current"]},
            "docStatus": {"type": "string", "enum": ["final", "amended"]},
            "type": {
                "type": "object",
                "properties": {"coding": {"type": "array", "items": _CODING}, "text": _STRING},
            },
            "date": _INSTANT,
            "author": {"type": "array", "items": _REFERENCE},
            "authenticator": _REFERENCE,
            "custodian": _REFERENCE,
            "description": {"type": "string", "description": "The page's summary."},
            "relatesTo": {
                "type": "array",
                "description": "A Spanish version transforms its English page.",
                "items": {
                    "type": "object",
                    "required": ["code", "target"],
                    "properties": {"code": _STRING, "target": _REFERENCE},
                },
            },
            "content": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["attachment"],
                    "properties": {
                        "attachment": {
                            "type": "object",
                            "required": ["contentType", "language", "url", "hash", "title"],
                            "properties": {
                                "contentType": {"type": "string", "enum": ["text/html"]},
                                "language": {"type": "string", "enum": ["en", "es"]},
                                "url": {
                                    "type": "string",
                                    "format": "uri",
                                    "description": "The public page.",
                                },
                                "size": {"type": "integer", "minimum": 0},
                                "hash": {
                                    "type": "string",
                                    "description": "Base64 of the SHA-1 of the bytes url "
                                    "answers a plain GET with (FHIR R4's Attachment.hash).",
                                },
                                "title": _STRING,
                                "creation": _INSTANT,
                            },
                        }
                    },
                },
            },
            "context": {
                "type": "object",
                "properties": {
                    "related": {
                        "type": "array",
                        "description": "Each clinical code of the page.",
                        "items": {
                            "type": "object",
                            "required": ["identifier"],
                            "properties": {"identifier": _IDENTIFIER, "display": _STRING},
                        },
                    }
                },
            },
        },
        required=["id", "meta", "status", "content"],
        description="A live condition page, or its live Spanish version (FHIR R4 4.0.1).",
    ),
    "FhirBundle": _resource(
        "Bundle",
        {
            "type": {"type": "string", "enum": ["searchset"]},
            "total": {"type": "integer", "minimum": 0},
            "link": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["relation", "url"],
                    "properties": {"relation": _STRING, "url": _URI},
                },
            },
            "entry": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["fullUrl", "resource"],
                    "properties": {
                        "fullUrl": _URI,
                        "resource": ref("FhirDocumentReference"),
                        "search": {
                            "type": "object",
                            "properties": {"mode": {"type": "string", "enum": ["match"]}},
                        },
                    },
                },
            },
        },
        required=["type", "total", "entry"],
        description="A search's answer: every live resource found, in one page.",
    ),
    "FhirCapabilityStatement": _resource(
        "CapabilityStatement",
        {
            "status": _STRING,
            "date": _INSTANT,
            "kind": {"type": "string", "enum": ["instance"]},
            "fhirVersion": {"type": "string", "enum": ["4.0.1"]},
            "format": {"type": "array", "items": _STRING},
            "rest": {"type": "array", "items": {"type": "object"}},
        },
        required=["status", "fhirVersion", "format", "rest"],
        description="DocumentReference read and search-type, each search parameter, JSON only.",
    ),
    "FhirStructureDefinition": _resource(
        "StructureDefinition",
        {
            "url": _URI,
            "name": _STRING,
            "type": {"type": "string", "enum": ["Extension"]},
            "differential": {"type": "object"},
        },
        required=["url", "type"],
        description="The signature extension's definition: its four parts and their types.",
    ),
}

_LINK = {
    "type": "object",
    "required": ["label", "url", "type"],
    "properties": {
        "label": _STRING,
        "url": _URI,
        "type": {"type": "string", "enum": ["absolute"]},
    },
}
_ANY = {}  # members the service passes over: any JSON value

CDS_COMPONENTS = {
    "CdsServices": {
        "type": "object",
        "required": ["services"],
        "properties": {
            "services": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["hook", "id", "description"],
                    "properties": {
                        "hook": {"type": "string", "enum": ["patient-view"]},
                        "id": _STRING,
                        "title": _STRING,
                        "description": _STRING,
                        "prefetch": {
                            "type": "object",
                            "additionalProperties": _STRING,
                            "description": "conditions: the patient's problem list; patient: "
                            "the Patient resource (for the preferred language).",
                        },
                    },
                },
            }
        },
    },
    "CdsRequest": {
        "type": "object",
        "required": ["hook", "prefetch"],
        "description": "A CDS Hooks patient-view request. The service reads the prefetch only, "
        "never the EHR's FHIR server: hookInstance, context, fhirServer and "
        "fhirAuthorization are accepted and not used.",
        "properties": {
            "hook": {"type": "string", "enum": ["patient-view"]},
            "hookInstance": {**_ANY, "description": "A UUID for this call of the hook."},
            "context": {**_ANY, "description": "userId and patientId."},
            "fhirServer": {**_ANY, "description": "Not read."},
            "fhirAuthorization": {**_ANY, "description": "Not read."},
            "prefetch": {
                "type": "object",
                "required": ["conditions"],
                "properties": {
                    "conditions": {
                        "type": "object",
                        "description": "A FHIR Bundle of the patient's Condition resources. "
                        "Codings in ICD-10-CM (http://hl7.org/fhir/sid/icd-10-cm), SNOMED CT "
                        "(http://snomed.info/sct) and ICD-11 (http://id.who.int/icd/release/"
                        "11/mms) are looked up; other entries and codings are passed over.",
                    },
                    "patient": {
                        **_ANY,
                        "description": "The Patient resource: a preferred language in "
                        "communication (es, es-US) links each card to a Spanish version first.",
                    },
                },
            },
        },
    },
    "CdsCards": {
        "type": "object",
        "required": ["cards"],
        "properties": {
            "cards": {
                "type": "array",
                "description": "One card per live page matching any problem's code.",
                "items": {
                    "type": "object",
                    "required": ["uuid", "summary", "indicator", "source", "links"],
                    "properties": {
                        "uuid": {"type": "string", "format": "uuid"},
                        "summary": {"type": "string", "maxLength": 139},
                        "detail": {
                            "type": "string",
                            "description": "The page's summary and who reviewed it.",
                        },
                        "indicator": {"type": "string", "enum": ["info"]},
                        "source": {
                            "type": "object",
                            "required": ["label", "url"],
                            "properties": {"label": _STRING, "url": _URI},
                        },
                        "links": {
                            "type": "array",
                            "description": "The page in the patient's language first where a "
                            "signed version is live, then the English page.",
                            "items": _LINK,
                        },
                    },
                },
            }
        },
    },
}

KEY_SET_COMPONENTS = {
    "JwkSet": {
        "type": "object",
        "required": ["keys"],
        "description": "Every key the site has signed with, newest first; a key stays after "
        "rotation so older publications keep verifying.",
        "properties": {
            "keys": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["kty", "crv", "kid", "x"],
                    "properties": {
                        "kty": {"type": "string", "enum": ["OKP"]},
                        "crv": {"type": "string", "enum": ["Ed25519"]},
                        "kid": {
                            "type": "string",
                            "description": "The RFC 7638 thumbprint: a detail's "
                            "verification.key_id names it.",
                        },
                        "x": {
                            "type": "string",
                            "description": "The 32-byte public key, base64url.",
                        },
                        "use": {"type": "string", "enum": ["sig"]},
                    },
                },
            }
        },
    }
}

_TEXT = {
    "type": "object",
    "required": ["_value"],
    "properties": {"_value": _STRING, "type": _STRING},
}
_PERSON = {
    "type": "object",
    "properties": {"name": _TEXT, "uri": _TEXT},
}
_CATEGORY = {
    "type": "object",
    "required": ["scheme", "term"],
    "properties": {"scheme": _STRING, "term": _STRING, "label": _STRING},
}
_ATOM_LINK = {
    "type": "object",
    "required": ["href"],
    "properties": {
        "href": _URI,
        "rel": _STRING,
        "type": _STRING,
        "hreflang": _STRING,
        "title": _STRING,
    },
}
LOOKUP_COMPONENTS = {
    "MedlinePlusFeed": {
        "type": "object",
        "description": "The Atom feed in MedlinePlus Connect's JSON form: each element an "
        "object, its text under _value, its attributes as members (lang for xml:lang, base "
        "for xml:base); category, link and entry are always lists here.",
        "required": ["lang", "title", "subtitle", "id", "updated", "category", "entry"],
        "properties": {
            "base": _URI,
            "lang": _STRING,
            "title": _TEXT,
            "subtitle": {**_TEXT, "description": "… results for ICD-10-CM F42.2"},
            "author": _PERSON,
            "updated": _TEXT,
            "category": {
                "type": "array",
                "description": "mainSearchCriteria.v.c and .v.cs, and the kind of match "
                "(exact, narrower, broader or none) under the scheme …/api/v1/lookup/#match.",
                "items": _CATEGORY,
            },
            "id": _TEXT,
            "link": {"type": "array", "items": _ATOM_LINK},
            "rights": _TEXT,
            "entry": {
                "type": "array",
                "description": "One live page each.",
                "items": {
                    "type": "object",
                    "required": ["lang", "title", "link", "id", "updated", "summary"],
                    "properties": {
                        "lang": _STRING,
                        "title": _TEXT,
                        "link": {"type": "array", "items": _ATOM_LINK},
                        "id": _TEXT,
                        "updated": _TEXT,
                        "summary": _TEXT,
                        "author": _PERSON,
                        "category": {"type": "array", "items": _CATEGORY},
                    },
                },
            },
        },
    }
}

COMPONENTS = {
    **FHIR_COMPONENTS,
    **CDS_COMPONENTS,
    **KEY_SET_COMPONENTS,
    **LOOKUP_COMPONENTS,
}
