"""Under RETRACTED_PAGES = "withdraw", a retracted reference takes down every live page citing it.

Publishing such a page is refused already (Condition.document_problems); a page that went live
before the retraction comes down through the workflow, with the notice on its timeline, and
its withdrawal purges it from every cache like any other.
"""

import logging

from purges import surrogate_keys as sk
from purges.models import SurrogateKeySet

logger = logging.getLogger(__name__)


def live_pages_citing(reference) -> list:
    """The pages whose live publication cites reference, from the stored keys: one query."""
    needle = f" {sk.reference_key(reference.citekey)} "
    rows = SurrogateKeySet.objects.filter(
        keys__contains=needle, publication__live__isnull=False
    ).select_related("publication")
    return [row.publication.content_object for row in rows]


def withdraw_pages_citing(reference) -> list:
    from reviews import workflow

    pages = [page for page in live_pages_citing(reference) if page is not None]
    for page in pages:
        workflow.withdraw_retracted(page, reference.retraction_notice)
        logger.warning("Withdrew %s: it cites the retracted reference %s.", page, reference)
    return pages
