"""Proof that nothing in the library was altered behind the workflow's back.

library_problems() recomputes what can be recomputed and names everything that does not match:
the stored documents of live pages against their digests, each live page's content against the
digest its review state recorded, every publication's signature, the review events' chain, and
the read side (reviews.read_side): each live pointer against the chain, each stored rendering
and search row against what the live publication renders to.
verify_library prints them; a restore should run it on the restored database before trusting it.
"""

from django.contrib.contenttypes.models import ContentType

from reviews import audit_chain, read_side, signatures
from reviews.digest import document_digest, source_digest
from reviews.models import Publication, ReviewState, SigningKey

# Checks the apps that render publications add (the API checks its signed details): each
# returns its problems, one sentence each.
_checks = []


def register_check(check) -> None:
    _checks.append(check)


def library_problems() -> list[str]:
    """Every page, publication, event or read-side row that does not verify, one sentence each."""
    return [
        *live_page_problems(),
        *signature_problems(),
        *map(str, audit_chain.broken_links()),
        *(problem for check in _checks for problem in check()),
        *read_side.problems(),
    ]


def live_page_problems() -> list[str]:
    problems = []
    for state in ReviewState.objects.live().select_related("publication__sign_off"):
        publication = state.publication
        name = f"Page “{publication.title}” ({publication.slug})"
        problems += [f"{name}: {reason}" for reason in _record_problems(publication)]
        page = _page(state)
        if page is None:
            problems.append(f"{name}: its content is missing.")
        elif source_digest(page) != state.source_digest:
            problems.append(
                f"{name}: its content digests to {source_digest(page)[:12]}…, not the "
                f"{state.source_digest[:12]}… its last recorded save gave: it was changed "
                "outside the editor."
            )
    return problems


def signature_problems() -> list[str]:
    keys = dict(SigningKey.objects.values_list("kid", "x"))
    problems = []
    for publication in Publication.objects.select_related("sign_off").defer("sign_off__document"):
        for reason in signatures.signature_problems(publication, keys):
            problems.append(
                f"Publication {publication.pk} of “{publication.title}” ({publication.slug}, "
                f"{publication.published_at:%Y-%m-%d %H:%M}): {reason}."
            )
    return problems


def _record_problems(publication) -> list[str]:
    sign_off = publication.sign_off
    problems = []
    if document_digest(publication.document) != publication.digest:
        problems.append("the published document does not match its digest.")
    if document_digest(sign_off.document) != sign_off.digest:
        problems.append("the signed-off document does not match its digest.")
    if sign_off.source_digest and sign_off.source_digest != publication.source_digest:
        problems.append("the publication is not of the version that was signed off.")
    return problems


def _page(state):
    model = ContentType.objects.get_for_id(state.content_type_id).model_class()
    return model._default_manager.filter(pk=state.object_id).first() if model else None
