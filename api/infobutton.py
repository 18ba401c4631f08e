"""HL7 Infobutton (Context-Aware Knowledge Retrieval), URL-based form, for code lookup.

An EHR's infobutton sends the code of a problem as mainSearchCriteria.v.c with its code system's
OID in mainSearchCriteria.v.cs, and many parameters of context (the patient's age and sex, who
is asking, the task, the encounter). Lookup reads the code and system, accepts the display name,
and ignores the context: the library has one page per condition whoever asks, and no answer
repeats it. The answer is an Atom feed as MedlinePlus Connect gives, or its JSON form
(api.medlineplus), or the API's flat JSON.
"""

from conditions.lookup import LookupSystem

CODE_PARAMETER = "mainSearchCriteria.v.c"
SYSTEM_PARAMETER = "mainSearchCriteria.v.cs"
NAME_PARAMETER = "mainSearchCriteria.v.dn"
RESPONSE_TYPE_PARAMETER = "knowledgeResponseType"

# The code systems' OIDs (HL7's registry, as MedlinePlus Connect takes them).
OIDS = {
    "2.16.840.1.113883.6.90": LookupSystem.ICD10CM,
    "2.16.840.1.113883.6.96": LookupSystem.SNOMEDCT,
    "2.16.840.1.113883.6.103": LookupSystem.ICD9CM,
}

JSON = "application/json"
ATOM = "application/atom+xml"
XML = "text/xml"
RESPONSE_TYPES = {JSON: JSON, XML: ATOM, ATOM: ATOM}
ATOM_TYPE = f"{ATOM}; charset=utf-8"
# The three answers: Atom, MedlinePlus's JSON form of it, and the API's own flat JSON.
ATOM_FEED, JSON_FEED, FLAT = "atom", "feed", "flat"


def answer_kind(asked: dict) -> str:
    """Which answer a validated lookup query asks for.

    As MedlinePlus Connect, the Infobutton form answers Atom when knowledgeResponseType is
    absent; the system and code form, the API's own, answers its flat JSON.
    """
    response_type = asked.get("response_type")
    if response_type is None:
        infobutton_form = asked.keys() & {"infobutton_code", "infobutton_system"}
        return ATOM_FEED if infobutton_form else FLAT
    if RESPONSE_TYPES[response_type] == ATOM:
        return ATOM_FEED
    return FLAT if asked.get("shape") == "flat" else JSON_FEED


def atom_type(asked: dict) -> str:
    """The media type of an Atom answer: text/xml when asked for by that name, as a client
    asking for it expects, application/atom+xml otherwise."""
    return f"{XML}; charset=utf-8" if asked.get("response_type") == XML else ATOM_TYPE


# The Infobutton parameters of context, and further search criteria (mainSearchCriteria.v.ot,
# or a second criterion): accepted and not used. Any other parameter is a 400, as everywhere in
# the API, so a misspelt "code" cannot answer something else.
CONTEXT_PREFIXES = (
    "mainSearchCriteria.",
    "representedOrganization.",
    "taskContext.",
    "subTopic.",
    "severityObservation.",
    "patientPerson.",
    "age.",
    "ageGroup.",
    "locationOfInterest.",
    "informationRecipient",
    "performer",
    "encounter.",
    "serviceDeliveryLocation.",
    "holder.",
    "knowledgeRequestNotification.",
)
