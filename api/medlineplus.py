"""The lookup's answer in the shape MedlinePlus Connect gives, as Atom or as its JSON form.

MedlinePlus Connect answers an Infobutton request with an Atom feed (its default), or with the
same feed written as JSON: {"feed": {...}}, each element an object, its text under "_value",
its attributes as members ("lang" and "base" for xml:lang and xml:base), repeated elements as
lists. An EHR that reads MedlinePlus's answer with XPath or JSON paths reads ours with the same
paths: the feed's `subtitle`, its `category` elements with `scheme` and `term`
(mainSearchCriteria.v.c and .v.cs, as MedlinePlus gives them), `xml:lang`, `rights`, and each
`entry` with `title`, `link` (`href`, `rel`, `type`, `hreflang`), `id`, `updated` and
`summary`.

One structure, made once (feed()), is written both ways (as_xml, as_json), so they cannot
disagree. The kind of match (exact, narrower, broader) is a category of the feed and of each
entry under the scheme MATCH_SCHEME. The feed's id and self link hold the code and its system
only: nothing of the patient's context, and never a key.
"""

import io
import json
from datetime import UTC
from urllib.parse import urlencode
from xml.sax.saxutils import XMLGenerator

from django.conf import settings
from django.urls import reverse

from api.infobutton import CODE_PARAMETER, OIDS, SYSTEM_PARAMETER
from conditions.lookup import LookupSystem

ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
# What code systems are called in categories: their OIDs as URNs where HL7 registers one.
SYSTEM_SCHEMES = {
    **{system: f"urn:oid:{oid}" for oid, system in OIDS.items()},
    LookupSystem.ICD11: "http://id.who.int/icd/release/11/mms",
}
_OID_OF = {system: oid for oid, system in OIDS.items()}
XML_ATTRIBUTES = {"lang": "xml:lang", "base": "xml:base"}


def match_scheme(origin: str) -> str:
    """The scheme of the category saying how the pages answer the code."""
    return f"{origin}{reverse('api:lookup')}#match"


def system_scheme(origin: str, system: str) -> str:
    """A code system's scheme; one without an OID or URI (DSM-5) is named on the lookup's URL."""
    return SYSTEM_SCHEMES.get(system) or f"{origin}{reverse('api:lookup')}#{system}"


def feed_address(origin: str, system: str, code: str) -> str:
    """The canonical address of the feed for a code: its id and self link."""
    if system in _OID_OF:
        query = {CODE_PARAMETER: code, SYSTEM_PARAMETER: _OID_OF[system]}
    else:
        query = {"system": system, "code": code, "knowledgeResponseType": "application/atom+xml"}
    return f"{origin}{reverse('api:lookup')}?{urlencode(query)}"


def feed(answer: dict, *, origin: str, updated: str, language: str) -> dict:
    """The lookup's answer (api.representations.lookup_answer) as MedlinePlus's feed."""
    system, code = answer["system"], answer["code"]
    address = feed_address(origin, system, code)
    match = answer["match"] or "none"
    return {
        "base": f"{origin}/",
        "lang": language,
        "title": {"_value": settings.SITE_NAME, "type": "text"},
        "subtitle": {"_value": f"{settings.SITE_NAME} results for {system} {code}", "type": "text"},
        "author": {"name": {"_value": settings.SITE_NAME}, "uri": {"_value": f"{origin}/"}},
        "updated": {"_value": updated},
        "category": [
            {"scheme": CODE_PARAMETER, "term": code},
            {"scheme": SYSTEM_PARAMETER, "term": _OID_OF.get(system, system)},
            {"scheme": match_scheme(origin), "term": match},
        ],
        "id": {"_value": address},
        "link": [{"rel": "self", "type": "application/atom+xml", "href": address}],
        "rights": {"_value": settings.CONTENT_RIGHTS, "type": "text"},
        "entry": [_entry(result, origin, match, language) for result in answer["results"]],
    }


def _entry(result: dict, origin: str, match: str, language: str) -> dict:
    review = result["review"]
    codes = [
        {
            "scheme": system_scheme(origin, matched["system"]),
            "term": matched["code"],
            "label": f"{matched['system']} {matched['code']}",
        }
        for matched in result["matched_codes"]
    ]
    return {
        "lang": language,
        "title": {"_value": result["title"], "type": "text"},
        "link": [
            {
                "href": result["url"],
                "rel": "alternate",
                "type": "text/html",
                "hreflang": language,
                "title": result["title"],
            }
        ],
        "id": {"_value": result["url"]},
        "updated": {"_value": z_time(result["published_at"])},
        "summary": {"_value": result["summary"], "type": "text"},
        "author": {
            "name": {"_value": review["physician"]["signature"]},
            "uri": {"_value": review["reviewer_url"]},
        },
        "category": [*codes, {"scheme": match_scheme(origin), "term": match}],
    }


def as_json(data: dict) -> bytes:
    return json.dumps({"feed": data}, ensure_ascii=False, separators=(",", ":")).encode()


def as_xml(data: dict) -> bytes:
    """The feed as Atom: members that are text become attributes, objects elements."""
    out = io.StringIO()
    writer = XMLGenerator(out, "utf-8", short_empty_elements=True)
    writer.startDocument()
    _element(writer, "feed", data, {"xmlns": ATOM_NAMESPACE})
    writer.endDocument()
    return out.getvalue().encode("utf-8")


def from_xml(body: bytes) -> dict:
    """The feed as_xml wrote, read back into its structure (as_xml(from_xml(b)) is b)."""
    from defusedxml import ElementTree

    return _structure(ElementTree.fromstring(body))


_XML_NAMESPACE = "{http://www.w3.org/XML/1998/namespace}"


def _structure(element) -> dict:
    data = {}
    for name, value in element.attrib.items():
        data[name.removeprefix(_XML_NAMESPACE)] = value
    children: dict[str, list] = {}
    for child in element:
        children.setdefault(child.tag.removeprefix(f"{{{ATOM_NAMESPACE}}}"), []).append(
            _structure(child)
        )
    if element.text is not None and element.text.strip() or (not children and element.text):
        data["_value"] = element.text
    for name, items in children.items():
        data[name] = items if len(items) > 1 else items[0]
    return data


def _element(writer, name: str, data: dict, extra=None):
    attributes = dict(extra or {})
    children = []
    for key, value in data.items():
        if key == "_value":
            continue
        if isinstance(value, str):
            attributes[XML_ATTRIBUTES.get(key, key)] = value
        else:
            children.append((key, value))
    writer.startElement(name, attributes)
    if "_value" in data:
        writer.characters(data["_value"])
    for key, value in children:
        for item in value if isinstance(value, list) else [value]:
            _element(writer, key, item)
    writer.endElement(name)


def z_time(moment) -> str:
    """A time in UTC ending in Z, as the rest of the API writes it."""
    return moment.astimezone(UTC).isoformat().removesuffix("+00:00") + "Z"
