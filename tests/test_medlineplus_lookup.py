"""An EHR that speaks MedlinePlus Connect reads the code lookup unchanged, from a URL alone.

The conformance tests read a MedlinePlus Connect response in its documented shape (kept in
tests/data/medlineplus/) and ours with the very same XPath and JSON paths, as an EHR configured
for MedlinePlus would. Without knowledgeResponseType the Infobutton form answers Atom, as
MedlinePlus does; application/json gives the feed as MedlinePlus writes it in JSON. No key is
needed, a key may come as api_key, and neither the key nor the patient's context is repeated in
an answer or written to the access log.
"""

import json
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.cache import cache

from partners.accounts import create_partner

LOOKUP = "/api/v1/lookup/"
RECORDED = Path(__file__).parent / "data" / "medlineplus"
NS = {"atom": "http://www.w3.org/2005/Atom"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ICD10CM = "2.16.840.1.113883.6.90"
DEMO_TITLE = "Treatment-Resistant OCD"
PATIENT = {
    "patientPerson.administrativeGenderCode.c": "F",
    "age.v.v": "34",
    "age.v.u": "a",
    "informationRecipient": "PAT",
    "informationRecipient.languageCode.c": "es",
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


def infobutton(code="F42.2", **more):
    return {"mainSearchCriteria.v.c": code, "mainSearchCriteria.v.cs": ICD10CM, **more}


# What an EHR configured for MedlinePlus Connect reads: one XPath and one JSON path each.
def read_atom(body: bytes) -> dict:
    feed = ET.fromstring(body)
    entries = feed.findall("atom:entry", NS)
    alternates = [e.find("atom:link[@rel='alternate']", NS) for e in entries]
    return {
        "language": feed.get(XML_LANG),
        "subtitle": feed.findtext("atom:subtitle", namespaces=NS),
        "code": feed.find("atom:category[@scheme='mainSearchCriteria.v.c']", NS).get("term"),
        "system": feed.find("atom:category[@scheme='mainSearchCriteria.v.cs']", NS).get("term"),
        "titles": [e.findtext("atom:title", namespaces=NS) for e in entries],
        "links": [link.get("href") for link in alternates],
        "link_languages": [link.get("hreflang") for link in alternates],
        "summaries": [e.findtext("atom:summary", namespaces=NS) for e in entries],
        "updated": [e.findtext("atom:updated", namespaces=NS) for e in entries],
    }


def read_json(body: bytes) -> dict:
    feed = json.loads(body)["feed"]
    entries = feed.get("entry", [])

    def term(scheme):
        return next(c["term"] for c in feed["category"] if c["scheme"] == scheme)

    def alternate(entry):
        return next(link for link in entry["link"] if link["rel"] == "alternate")

    return {
        "language": feed["lang"],
        "subtitle": feed["subtitle"]["_value"],
        "code": term("mainSearchCriteria.v.c"),
        "system": term("mainSearchCriteria.v.cs"),
        "titles": [e["title"]["_value"] for e in entries],
        "links": [alternate(e)["href"] for e in entries],
        "link_languages": [alternate(e)["hreflang"] for e in entries],
        "summaries": [e["summary"]["_value"] for e in entries],
        "updated": [e["updated"]["_value"] for e in entries],
    }


def test_the_recorded_medlineplus_atom_is_read_by_the_ehr_paths():
    """The paths hold against MedlinePlus Connect's own answer first."""
    read = read_atom((RECORDED / "connect_icd10cm_j45_40.xml").read_bytes())
    assert read["code"] == "J45.40"
    assert read["system"] == ICD10CM
    assert read["language"] == "en"
    assert read["titles"] == ["Asthma", "Asthma in Adults"]
    assert read["links"][0].startswith("https://medlineplus.gov/asthma.html")


def test_the_recorded_medlineplus_json_is_read_by_the_ehr_paths():
    """MedlinePlus's JSON form: the same facts under feed, with _value for text."""
    read = read_json((RECORDED / "connect_icd10cm_j45_40.json").read_bytes())
    assert (read["code"], read["system"], read["language"]) == ("J45.40", ICD10CM, "en")
    assert read["titles"] == ["Asthma"]
    assert read["subtitle"] == "MedlinePlus Connect results for ICD-10-CM J45.40"


def test_our_atom_is_read_by_the_same_paths_and_is_the_default(client, demo):
    """No knowledgeResponseType, no key: Atom, as MedlinePlus Connect answers by default."""
    response = client.get(LOOKUP, infobutton())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    read = read_atom(response.content)
    assert (read["code"], read["system"], read["language"]) == ("F42.2", ICD10CM, "en")
    assert read["titles"] == [DEMO_TITLE]
    assert read["links"] == ["http://testserver/conditions/treatment-resistant-ocd/"]
    assert read["link_languages"] == ["en"]
    assert read["summaries"][0].startswith("OCD that hasn't responded")
    assert read["updated"][0].endswith("Z")
    assert read["subtitle"].endswith("results for ICD-10-CM F42.2")


def test_our_json_feed_is_read_by_the_same_paths(client, demo):
    """application/json: MedlinePlus's Atom-in-JSON, the same facts as the Atom."""
    params = infobutton(knowledgeResponseType="application/json")
    response = client.get(LOOKUP, params)
    assert response["Content-Type"] == "application/json"
    as_json = read_json(response.content)
    as_atom = read_atom(client.get(LOOKUP, infobutton(knowledgeResponseType="text/xml")).content)
    assert as_json == as_atom


def test_text_xml_asked_for_is_the_atom_served_as_text_xml(client, demo):
    """An EHR asking for text/xml gets that media type, the Atom feed in it."""
    response = client.get(LOOKUP, infobutton(knowledgeResponseType="text/xml"))
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert read_atom(response.content)["titles"] == [DEMO_TITLE]


def test_the_atom_address_answers_atom_whatever_the_form(client, demo):
    """/api/v1/lookup/atom/: one media type for one operation of the OpenAPI document, for
    generated clients; the same feed as the lookup's own Atom, in either form of the query."""
    atom = "/api/v1/lookup/atom/"
    for query in (infobutton(), {"system": "ICD-10-CM", "code": "F42.2"}):
        response = client.get(atom, query)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
        assert response.content == client.get(LOOKUP, infobutton()).content
    as_xml = client.get(atom, infobutton(knowledgeResponseType="text/xml"))
    assert as_xml["Content-Type"] == "text/xml; charset=utf-8"
    for refused in ({"knowledgeResponseType": "application/json"}, {"shape": "flat"}):
        response = client.get(atom, infobutton(**refused))
        assert response.status_code == 400
        assert list(response.json()["parameters"]) == list(refused)


def test_shape_flat_keeps_the_apis_own_json(client, demo):
    """The documented parameter gives the flat answer; system and code answer it by default."""
    flat = client.get(LOOKUP, infobutton(knowledgeResponseType="application/json", shape="flat"))
    assert flat.json()["results"][0]["title"] == DEMO_TITLE
    plain = client.get(LOOKUP, {"system": "ICD-10-CM", "code": "F42.2"})
    assert plain.json()["match"] == "exact"


def test_the_atom_says_its_rights_schemes_and_kind_of_match(client, demo, settings):
    """rights, a scheme on every category, link type, and exact/narrower/broader."""
    settings.CONTENT_RIGHTS = "Copyright Tovani. Link back; do not edit."
    feed = ET.fromstring(client.get(LOOKUP, infobutton("F42")).content)
    assert (
        feed.findtext("atom:rights", namespaces=NS) == "Copyright Tovani. Link back; do not edit."
    )
    categories = feed.findall(".//atom:category", NS)
    assert all(c.get("scheme") for c in categories)
    matches = [c.get("term") for c in categories if c.get("scheme").endswith("#match")]
    assert matches == ["narrower", "narrower"]  # the feed's and its one entry's
    [entry] = feed.findall("atom:entry", NS)
    assert entry.get(XML_LANG) == "en"
    link = entry.find("atom:link", NS)
    assert (link.get("type"), link.get("hreflang")) == ("text/html", "en")
    coded = [c for c in entry.findall("atom:category", NS) if c.get("term") == "F42.2"]
    assert coded[0].get("scheme") == f"urn:oid:{ICD10CM}"


def test_patient_context_and_the_key_are_never_echoed(client, demo, settings):
    """The feed's id and self link name the code and system only, on SITE_URL with its port."""
    settings.SITE_URL = "https://library.example:8443"
    _, key = create_partner("EHR", contact_email="ehr@clinic.example")
    response = client.get(LOOKUP, infobutton(api_key=key, **PATIENT))
    body = response.content.decode()
    for name in (key, "patientPerson", "age.v", "informationRecipient", "=34", "PAT"):
        assert name not in body
    for value in PATIENT.values():  # as an attribute or an element's whole text
        assert f'"{value}"' not in body
        assert f">{value}<" not in body
    feed = ET.fromstring(response.content)
    expected = (
        "https://library.example:8443/api/v1/lookup/"
        f"?mainSearchCriteria.v.c=F42.2&mainSearchCriteria.v.cs={ICD10CM}"
    )
    assert feed.findtext("atom:id", namespaces=NS) == expected
    assert feed.find("atom:link[@rel='self']", NS).get("href") == expected


def test_a_key_as_api_key_counts_as_the_partners(client, demo):
    """A URL template with api_key: the partner's request, counted; a wrong one is a 401."""
    partner, key = create_partner("EHR", contact_email="ehr@clinic.example")
    assert client.get(LOOKUP, infobutton(api_key=key)).status_code == 200
    wrong = client.get(LOOKUP, infobutton(api_key="tvk_not-a-key"))
    assert wrong.status_code == 401
    assert wrong["Content-Type"] == "application/problem+json"


def test_the_api_key_parameter_is_for_the_lookup_only(client, demo):
    """Elsewhere the key must be a header: api_key is an unknown parameter there."""
    _, key = create_partner("EHR", contact_email="ehr@clinic.example")
    response = client.get("/api/v1/conditions/", {"api_key": key}, HTTP_X_API_KEY=key)
    assert response.status_code == 400
    assert list(response.json()["parameters"]) == ["api_key"]
    assert client.get("/api/v1/conditions/", {"api_key": key}).status_code == 401


def test_keyless_lookups_are_limited_per_client_address(client, demo, settings):
    """Past LOOKUP_ADDRESS_LIMIT a minute, 429 with Retry-After; a partner's key is not."""
    settings.LOOKUP_ADDRESS_LIMIT = 2
    answers = [client.get(LOOKUP, infobutton()).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    _, key = create_partner("EHR", contact_email="ehr@clinic.example")
    assert client.get(LOOKUP, infobutton(api_key=key)).status_code == 200


def test_keyless_lookups_carry_their_addresss_ratelimit_fields(client, demo, settings):
    """The IETF RateLimit fields for the address's own limit, on each answer and on the 429;
    with a key, the partner's."""
    settings.LOOKUP_ADDRESS_LIMIT = 2
    answers = [client.get(LOOKUP, infobutton()) for _ in range(3)]
    assert {a["RateLimit-Policy"] for a in answers} == {'"address";q=2;w=60'}
    remaining = [a["RateLimit"].split(";")[1] for a in answers]
    assert remaining == ["r=1", "r=0", "r=0"]
    assert answers[2].status_code == 429
    assert 1 <= int(answers[0]["RateLimit"].rsplit(";t=", 1)[1]) <= 60
    _, key = create_partner("EHR", contact_email="ehr@clinic.example")
    keyed = client.get(LOOKUP, infobutton(api_key=key))
    assert keyed["RateLimit-Policy"].startswith('"partner";')


def test_a_repeated_parameter_is_a_400_naming_it(client, demo):
    """Two codes in one request answer neither: the parameter is named."""
    response = client.get(f"{LOOKUP}?system=ICD-10-CM&code=F42.2&code=F41.1")
    assert response.status_code == 400
    assert response.json()["parameters"] == {"code": ["Give this parameter once."]}


def test_the_shipped_nginx_writes_the_key_as_redacted(tmp_path):
    """deploy/nginx.conf's access log holds no key value, whatever the app behind answers."""
    from tests.nginx import nginx_in_front_of
    from tests.system_tools import free_port

    log = tmp_path / "access.log"
    nobody = f"http://127.0.0.1:{free_port()}"  # nginx answers 502 itself: no app is needed
    with nginx_in_front_of(nobody, access_log=log) as port:
        url = f"http://127.0.0.1:{port}{LOOKUP}?code=F42.2&system=ICD-10-CM&api_key=tvk_SECRET1"
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url, timeout=10)
    assert "tvk_SECRET1" not in log.read_text()
    assert "api_key=[redacted]" in log.read_text()


def test_gunicorns_access_log_writes_the_key_as_redacted(capsys):
    """The logger class of deploy/gunicorn.conf.py, given a request with api_key."""
    import runpy
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    conf = runpy.run_path(str(Path(__file__).parent.parent / "deploy" / "gunicorn.conf.py"))
    config = Config()
    config.set("accesslog", "-")
    logger = conf["logger_class"](config)
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"{LOOKUP}?code=F42.2&api_key=tvk_SECRET2&system=ICD-10-CM",
        "QUERY_STRING": "code=F42.2&api_key=tvk_SECRET2&system=ICD-10-CM",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "PATH_INFO": LOOKUP,
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=0))
    written = capsys.readouterr().out
    assert "tvk_SECRET2" not in written
    assert "api_key=[redacted]&system=ICD-10-CM" in written
