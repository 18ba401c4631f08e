"""Importing by PMID through NCBI E-utilities, with NCBI's recorded answers at the HTTP boundary."""

import copy
import json
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, urlsplit

import pytest
from reversion.models import Version

from references.errors import PubMedUnavailable
from references.importers import pubmed
from references.importers.pubmed import Throttle, fetch_pubmed, split_pmids
from references.models import Reference
from tests.conftest import PASSWORD

ANSWERS = Path(__file__).parent / "data" / "pubmed"
OCD_PMIDS = ["23783065", "28121735", "28384832"]
IMPORT_URL = "/admin/references/reference/import/pubmed/"


def answer(name) -> dict:
    return json.loads((ANSWERS / name).read_text(encoding="utf-8"))


class FakeNCBI:
    """Stands in for urlopen: records each request and answers with a recorded esummary."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests = []

    def __call__(self, request, timeout=None):
        self.requests.append((request, timeout))
        reply = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(reply, Exception):
            raise reply
        return _Response(json.dumps(reply).encode())

    def params(self, index=0) -> dict:
        query = parse_qs(urlsplit(self.requests[index][0].full_url).query)
        return {name: values[0] for name, values in query.items()}


class _Response:
    def __init__(self, body):
        self.body = body

    def read(self):
        return self.body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class RecordingThrottle(Throttle):
    """The real throttle on a clock that only moves when it sleeps; it records each sleep."""

    def __init__(self):
        self.now, self.slept = 0.0, []
        super().__init__(3, clock=lambda: self.now, sleep=self._sleep)

    def _sleep(self, seconds):
        self.slept.append(round(seconds, 3))
        self.now += seconds


@pytest.fixture(autouse=True)
def throttle(monkeypatch):
    """Each test gets its own throttle, which never sleeps for real."""
    recording = RecordingThrottle()
    monkeypatch.setattr(pubmed, "throttle", lambda: recording)
    return recording


@pytest.fixture
def ncbi(monkeypatch):
    def install(*answers):
        fake = FakeNCBI(*answers)
        monkeypatch.setattr(pubmed, "urlopen", fake)
        return fake

    return install


def test_one_request_reads_the_three_ocd_references(ncbi, settings):
    """Authors, title, ISO journal, year, volume, issue, full pages, DOI and PMCID are read."""
    fake = ncbi(answer("esummary-ocd-three.json"))
    result = fetch_pubmed(OCD_PMIDS)
    rodriguez, adams, hirschtritt = result.found
    assert len(fake.requests) == 1
    assert result.missing == []
    assert rodriguez.authors[:3] == ["Rodriguez CI", "Kegeles LS", "Levinson A"]
    assert len(rodriguez.authors) == 8
    assert rodriguez.title == (
        "Randomized controlled crossover trial of ketamine in obsessive-compulsive disorder: "
        "proof-of-concept"
    )
    assert (rodriguez.journal, rodriguez.year, rodriguez.volume, rodriguez.issue) == (
        "Neuropsychopharmacology",
        2013,
        "38",
        "12",
    )
    assert (rodriguez.pages, rodriguez.doi, rodriguez.pmcid) == (
        "2475-2483",
        "10.1038/npp.2013.150",
        "PMC3799063",
    )
    assert (adams.journal, adams.pmcid, hirschtritt.pages) == (
        "J Clin Psychopharmacol",
        "",
        "1358-1367",
    )


def test_the_request_names_the_tool_and_email_from_settings(ncbi, settings):
    """NCBI's tool and email parameters come from NCBI_TOOL and NCBI_EMAIL; JSON, pubmed."""
    settings.NCBI_TOOL, settings.NCBI_EMAIL = "tovani-test", "library@example.org"
    fake = ncbi(answer("esummary-ocd-three.json"))
    fetch_pubmed(OCD_PMIDS)
    assert fake.params() == {
        "db": "pubmed",
        "id": ",".join(OCD_PMIDS),
        "retmode": "json",
        "version": "2.0",
        "tool": "tovani-test",
        "email": "library@example.org",
    }
    assert fake.requests[0][1] == settings.NCBI_TIMEOUT
    assert fake.requests[0][0].full_url.startswith("https://eutils.ncbi.nlm.nih.gov/")


def test_an_api_key_is_sent_when_one_is_set(ncbi, settings):
    """NCBI_API_KEY, when set, goes with every request."""
    settings.NCBI_API_KEY = "0123456789abcdef"
    fake = ncbi(answer("esummary-ocd-three.json"))
    fetch_pubmed(OCD_PMIDS)
    assert fake.params()["api_key"] == "0123456789abcdef"


def test_more_pmids_than_one_request_holds_are_asked_in_batches(ncbi):
    """250 PMIDs are two requests of 200 and 50."""
    fake = ncbi({"header": {"type": "esummary", "version": "0.3"}, "result": {"uids": []}})
    pmids = [str(10_000_000 + n) for n in range(250)]
    result = fetch_pubmed(pmids)
    assert [len(fake.params(i)["id"].split(",")) for i in range(2)] == [200, 50]
    assert result.missing == pmids


def test_the_throttle_keeps_requests_a_third_of_a_second_apart():
    """Without an API key NCBI allows 3 requests a second: calls are spaced 1/3 s apart."""
    throttle = RecordingThrottle()
    for _ in range(4):
        throttle.wait()
    assert throttle.slept == [0.333, 0.333, 0.333]


def test_every_request_waits_its_turn_at_the_throttle(ncbi, throttle):
    """Three batches are three requests, each after the throttle's wait."""
    ncbi({"header": {"type": "esummary", "version": "0.3"}, "result": {"uids": []}})
    fetch_pubmed([str(10_000_000 + n) for n in range(401)])
    assert throttle.slept == [0.333, 0.333]


def test_a_pmid_pubmed_does_not_have_is_reported_missing(ncbi):
    """NCBI's per-PMID “cannot get document summary” makes the PMID missing, not an error."""
    ncbi(answer("esummary-missing-pmid.json"))
    result = fetch_pubmed(["23783065", "99999999"])
    assert [ref.pmid for ref in result.found] == ["23783065"]
    assert result.missing == ["99999999"]


@pytest.mark.parametrize(
    ("failure", "message"),
    [
        (
            URLError("[Errno -3] Temporary failure in name resolution"),
            "^PubMed could not be reached; nothing was imported. ",
        ),
        (TimeoutError("timed out"), "^PubMed could not be reached; nothing was imported. "),
        (HTTPError(pubmed.ESUMMARY_URL, 429, "Too Many Requests", {}, None), "HTTP 429"),
    ],
)
def test_no_network_gives_a_clear_message(ncbi, failure, message):
    """No network, a time-out or an HTTP error: a plain message, no errno or library text."""
    ncbi(failure)
    with pytest.raises(PubMedUnavailable, match=message) as error:
        fetch_pubmed(OCD_PMIDS)
    assert "nothing was imported" in str(error.value).lower()
    assert "Errno" not in str(error.value)
    assert "timed out" not in str(error.value)


def test_ncbi_refusing_the_rate_is_not_taken_for_missing_pmids(ncbi):
    """{"error": "API rate limit exceeded"} is PubMed not answering, not PMIDs it lacks."""
    ncbi(answer("esummary-rate-limited.json"))
    with pytest.raises(PubMedUnavailable, match="API rate limit exceeded"):
        fetch_pubmed(OCD_PMIDS)


def test_a_retracted_publication_is_imported_with_a_retraction_notice(ncbi):
    """PubMed's “Retracted Publication” type marks the reference retracted."""
    retracted = copy.deepcopy(answer("esummary-ocd-three.json"))
    retracted["result"]["28384832"]["pubtype"].append("Retracted Publication")
    ncbi(retracted)
    notices = [ref.retraction_notice for ref in fetch_pubmed(OCD_PMIDS).found]
    assert notices[:2] == ["", ""]
    assert "retracted publication" in notices[2]


@pytest.mark.parametrize(
    ("typed", "pmids"),
    [("23783065, 28121735\n28384832", OCD_PMIDS), ("PMID: 23783065 23783065", ["23783065"])],
)
def test_pmids_can_be_typed_separated_by_commas_spaces_or_lines(typed, pmids):
    """Separators and a “PMID:” prefix are ignored; each PMID is asked once."""
    assert split_pmids(typed) == pmids


@pytest.fixture
def editor_client(client, editor):
    assert client.login(username=editor.username, password=PASSWORD)
    return client


def test_the_editor_previews_what_pubmed_found_before_anything_is_saved(ncbi, editor_client):
    """Entering PMIDs shows a preview table and saves nothing."""
    ncbi(answer("esummary-ocd-three.json"))
    response = editor_client.post(IMPORT_URL, {"pmids": " ".join(OCD_PMIDS)})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Preview: nothing is saved yet." in html
    assert "Intranasal Ketamine and Cognitive-Behavioral Therapy" in html
    assert "new reference @hirschtritt2017" in html
    assert Reference.objects.count() == 0


def test_confirming_the_preview_saves_it_in_one_revision_by_the_editor(ncbi, editor_client, editor):
    """The confirmation saves exactly the previewed references, recorded under the editor."""
    fake = ncbi(answer("esummary-ocd-three.json"))
    preview = editor_client.post(IMPORT_URL, {"pmids": " ".join(OCD_PMIDS)})
    payload = preview.context["confirm"].initial["payload"]
    response = editor_client.post(IMPORT_URL, {"payload": payload})
    assert response.status_code == 302
    assert len(fake.requests) == 1  # confirming does not ask PubMed again
    assert sorted(Reference.objects.values_list("pmid", flat=True)) == OCD_PMIDS
    assert {v.revision.user for v in Version.objects.get_for_model(Reference)} == {editor}


def test_a_known_pmid_is_shown_as_already_in_the_library(ncbi, editor_client, demo):
    """With the demo library loaded, the preview points at the existing references."""
    ncbi(answer("esummary-ocd-three.json"))
    html = editor_client.post(IMPORT_URL, {"pmids": " ".join(OCD_PMIDS)}).content.decode()
    assert "already in the library as @rodriguez2013 (same PMID)" in html
    assert "0 new references, 3 already in the library" in html


def test_without_network_the_editor_sees_why_and_nothing_is_saved(ncbi, editor_client):
    """No network: the form comes back with PubMed's unavailability explained."""
    ncbi(URLError("[Errno -3] Temporary failure in name resolution"))
    response = editor_client.post(IMPORT_URL, {"pmids": "23783065"})
    html = response.content.decode()
    assert "PubMed could not be reached; nothing was imported." in html
    assert "Errno" not in html
    assert Reference.objects.count() == 0


def test_a_tampered_confirmation_is_refused(ncbi, editor_client):
    """A payload that is not the signed preview saves nothing."""
    response = editor_client.post(IMPORT_URL, {"payload": "[]:forged"}, follow=True)
    assert "This preview has expired or was altered" in response.content.decode()
    assert Reference.objects.count() == 0


def test_a_malformed_pmid_is_refused_before_pubmed_is_asked(ncbi, editor_client):
    """Letters in a PMID are a form error; no request is sent."""
    fake = ncbi(answer("esummary-ocd-three.json"))
    html = editor_client.post(IMPORT_URL, {"pmids": "23783065 PMC3799063"}).content.decode()
    assert "These are not PubMed IDs (digits only): PMC3799063." in html
    assert fake.requests == []


def test_only_users_who_may_add_references_can_import(client, publisher):
    """A publisher, who may only view references, is refused the import screen."""
    assert client.login(username=publisher.username, password=PASSWORD)
    assert client.get(IMPORT_URL).status_code == 403
