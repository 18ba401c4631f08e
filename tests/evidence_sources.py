"""The recorded PubMed and Crossref answers, served on 127.0.0.1, and pages citing them."""

import pytest

from evidence.replay import RecordedSources
from tests.conftest import make_reference, publish_page

CONTACT = "library@clinic.example"

# The recorded PubMed records, by what they hold.
RETRACTED, CONCERN, ERRATUM, UPDATED, CLEAN, REPUBLISHED = (
    "31000001",
    "31000002",
    "31000003",
    "31000004",
    "31000005",
    "31000006",
)
NEWER_VERSION = "31000104"
# The recorded Crossref records.
UPDATED_BY_ONLY = "10.5555/rw.2018.0415"
UPDATE_TO_ONLY = "10.5555/ocd.2020.0722"
UPDATE_TO_OTHER_WORK = "10.5555/ocd.2021.corr1"


@pytest.fixture
def sources(settings):
    """The fake E-utilities and Crossref, with the settings pointing at them."""
    with RecordedSources() as served:
        settings.PUBMED_EUTILS_URL = served.eutils_url
        settings.CROSSREF_API_URL = served.crossref_url
        settings.EVIDENCE_CONTACT_EMAIL = CONTACT
        settings.NCBI_API_KEY = ""
        settings.EVIDENCE_RETRY_SECONDS = 0.01
        yield served


def cite(citekey, **identifiers):
    return make_reference(citekey, **identifiers)


def live_page_citing(editor, physician_user, publisher, *references, slug="cited-page"):
    text = " ".join(f"Finding [@{ref.citekey}]." for ref in references)
    return publish_page(editor, physician_user, publisher, slug, clinical_definition=text)
