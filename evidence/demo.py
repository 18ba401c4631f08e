"""The evidence watch's demo: the recorded answers replayed over the demo library.

The demo page gets a saved search, and the recorded sources answer for its cited PMIDs: the
first with the recorded expression of concern, the second with the recorded newer version, the
rest as clean records; the search finds the four recorded new studies. A newcomer then sees the
physician's evidence inbox and a page under review. Nothing here reaches the internet.
"""

from datetime import date

from django.test import override_settings

from conditions.models import Condition
from evidence import watch
from evidence.models import SavedSearch
from evidence.pages import cited_citekeys
from evidence.replay import RecordedSources
from references.models import Reference
from reviews.models import Publication

DEMO_SLUG = "treatment-resistant-ocd"
DEMO_TERMS = "ketamine AND obsessive-compulsive disorder"
# The recorded new studies were entered in PubMed in October and November 2026.
DEMO_SEARCH_START = date(2026, 10, 1)
CONCERN, UPDATED = "31000002", "31000004"


def replay():
    page = Condition.objects.get(slug=DEMO_SLUG)
    SavedSearch.objects.get_or_create(
        condition=page, defaults={"terms": DEMO_TERMS, "starts_from": DEMO_SEARCH_START}
    )
    live = Publication.objects.live().filter(slug=DEMO_SLUG).first()
    keys = cited_citekeys(live) if live else set()
    pmids = list(
        Reference.objects.with_citekeys(keys)
        .exclude(pmid="")
        .order_by("citekey")
        .values_list("pmid", flat=True)
    )
    aliases = dict(zip(pmids, [CONCERN, UPDATED], strict=False))
    with (
        RecordedSources(aliases=aliases) as sources,
        override_settings(
            PUBMED_EUTILS_URL=sources.eutils_url,
            CROSSREF_API_URL=sources.crossref_url,
            EVIDENCE_RETRY_SECONDS=0.1,
        ),
    ):
        return watch.run(), page
