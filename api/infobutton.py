"""HL7 Infobutton (Context-Aware Knowledge Retrieval), URL-based form, for code lookup.

An EHR's infobutton sends the code of a problem as mainSearchCriteria.v.c with its code system's
OID in mainSearchCriteria.v.cs, and many parameters of context (the patient's age and sex, who
is asking, the task, the encounter). Lookup reads the code and system, accepts the display name,
and ignores the context: the library has one page per condition whoever asks. The answer is JSON,
or an Atom feed as MedlinePlus Connect gives (knowledgeResponseType=text/xml or
application/atom+xml), one entry a page.
"""

from django.conf import settings
from django.urls import reverse

from conditions.feeds import PlainTextSummaryAtomFeed
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
RESPONSE_TYPES = {JSON: JSON, "text/xml": ATOM, ATOM: ATOM}
ATOM_TYPE = f"{ATOM}; charset=utf-8"

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


class _LookupFeed(PlainTextSummaryAtomFeed):
    def latest_post_date(self):
        # When the live library last changed, not "now": an empty answer keeps its ETag.
        return self.feed["updated"]


def atom_feed(answer: dict, *, origin: str, feed_url: str, updated) -> bytes:
    """The lookup's answer (api.representations.lookup_answer) as an Atom feed."""
    asked = f"{answer['system']} {answer['code']}"
    feed = _LookupFeed(
        title=f"{settings.SITE_NAME}: pages for {asked}",
        link=origin + reverse("conditions:index"),
        description=f"Physician-reviewed pages of the {settings.SITE_NAME} for {asked}.",
        feed_url=feed_url,
        feed_guid=feed_url,
        author_name=settings.SITE_NAME,
        updated=updated,
    )
    for result in answer["results"]:
        review = result["review"]
        feed.add_item(
            title=result["title"],
            link=result["url"],
            description=result["summary"],
            unique_id=result["url"],
            updateddate=review["reviewed_at"],
            author_name=review["physician"]["signature"],
            categories=[f"{code['system']} {code['code']}" for code in result["matched_codes"]],
        )
    return feed.writeString("utf-8").encode()
