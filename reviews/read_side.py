"""The read side proves itself: what readers are served is what the workflow recorded.

Two kinds of proof, each with its repair:

- **Live pointers against the event chain.** Every pointer move is an event on the chain: a
  publish records "published" (with the source digest it put live), an unpublish "unpublished".
  So the chain alone says which publication each page shows: the newest publication of the page
  with the last "published" event's digest, made no later than that event; after an
  "unpublished", none. A pointer that names an older publication (rolled back), another one, or
  that exists with no publish on the chain, is named; ``repair_pointers`` puts back what the
  chain says.
- **Derived rows against what the live publication renders to.** The content apps register a
  check and a repair for their read model (stored renderings, search rows); see
  conditions/read_side.py. This module knows no content type.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from reviews.models import LivePublication, Publication, ReviewEvent, ReviewState

MOVES = [ReviewEvent.Kind.PUBLISHED, ReviewEvent.Kind.UNPUBLISHED]


@dataclass(frozen=True)
class ReadModel:
    """A content app's derived rows: problems() names each one that is wrong; repair() makes
    them right again and returns what it repaired, one sentence each."""

    name: str
    problems: Callable[[], list[str]]
    repair: Callable[[], list[str]]


_read_models: dict[str, ReadModel] = {}


def register(read_model: ReadModel) -> ReadModel:
    if read_model.name in _read_models:
        raise ValueError(f"The read model {read_model.name!r} is registered already.")
    _read_models[read_model.name] = read_model
    return read_model


def problems() -> list[str]:
    """Every pointer and derived row that is not what the recorded history says, one sentence
    each."""
    found = [mismatch.sentence for mismatch in pointer_mismatches()]
    for read_model in _read_models.values():
        found += read_model.problems()
    return found


def repair() -> list[str]:
    """Put every pointer back where the chain says, then let each read model repair itself."""
    with transaction.atomic():
        done = repair_pointers()
        for read_model in _read_models.values():
            done += read_model.repair()
    return done


@dataclass(frozen=True)
class PointerMismatch:
    content_type_id: int
    object_id: int
    expected: Publication | None  # what the chain says is live (None: nothing)
    found: LivePublication | None
    sentence: str
    last_move: ReviewEvent | None


def pointer_mismatches() -> list[PointerMismatch]:
    last_moves = _last_moves()
    pointers = {
        (live.content_type_id, live.object_id): live
        for live in LivePublication.objects.select_related("publication")
    }
    mismatches = []
    for page in sorted(set(last_moves) | set(pointers)):
        event, live = last_moves.get(page), pointers.get(page)
        expected = _chain_says_live(page, event)
        if live is None and expected is None:
            continue
        if _agree(live, expected):
            continue
        sentence = _describe(live, expected, event)
        mismatches.append(PointerMismatch(*page, expected, live, sentence, event))
    return mismatches


def _agree(live, expected) -> bool:
    return (
        live is not None
        and expected is not None
        and live.publication_id == expected.pk
        and live.slug == expected.slug
    )


def repair_pointers() -> list[str]:
    """Make each pointer name what the chain says is live; returns what it changed."""
    done = []
    for mismatch in pointer_mismatches():
        page = {"content_type_id": mismatch.content_type_id, "object_id": mismatch.object_id}
        expected = mismatch.expected
        if expected is None:
            LivePublication.objects.filter(**page).delete()
            ReviewState.objects.filter(**page).update(publication=None)
            done.append(
                f"{_page_name(mismatch.found.publication)}: taken off the site, as the "
                "chain records no publication live."
            )
            continue
        LivePublication.objects.filter(**page).delete()
        LivePublication.objects.create(
            **page,
            slug=expected.slug,
            publication=expected,
            live_since=mismatch.last_move.at,
        )
        ReviewState.objects.filter(**page).update(publication=expected)
        done.append(f"{_page_name(expected)}: shows publication {expected.pk} again.")
    return done


def _last_moves() -> dict[tuple[int, int], ReviewEvent]:
    """The last pointer move recorded on the chain for each page."""
    last = {}
    for event in ReviewEvent.objects.filter(kind__in=MOVES).order_by("pk").iterator():
        last[(event.content_type_id, event.object_id)] = event
    return last


def _chain_says_live(page, event) -> Publication | None:
    if event is None or event.kind != ReviewEvent.Kind.PUBLISHED:
        return None
    content_type_id, object_id = page
    return (
        Publication.objects.filter(
            content_type_id=content_type_id,
            object_id=object_id,
            source_digest=event.digest,
            published_at__lte=event.at,
        )
        .order_by("-published_at", "-pk")
        .first()
    )


def _describe(live, expected, event) -> str:
    if expected is None and event is not None and event.kind == ReviewEvent.Kind.PUBLISHED:
        return (
            f"{_kind_name(event)} {event.object_id}: the chain's last publish "
            f"({event.at:%Y-%m-%d %H:%M}) names no publication of this page with its digest."
        )
    if expected is None:
        return (
            f"{_page_name(live.publication)}: its live pointer shows publication "
            f"{live.publication_id}, but the chain records no publication live "
            f"({'unpublished' if event else 'never published'}): the pointer was set outside "
            "the workflow."
        )
    if live is None:
        return (
            f"{_page_name(expected)}: the chain says publication {expected.pk} is live, but the "
            "page has no live pointer: it was removed outside the workflow."
        )
    if live.publication_id == expected.pk:
        return (
            f"{_page_name(expected)}: its live pointer is at /{live.slug}/, not the "
            f"publication's address /{expected.slug}/."
        )
    rolled_back = live.publication.published_at < expected.published_at
    how = "rolled back to an older one" if rolled_back else "moved outside the workflow"
    return (
        f"{_page_name(expected)}: its live pointer shows publication {live.publication_id} "
        f"(published {live.publication.published_at:%Y-%m-%d %H:%M}), but the chain's last "
        f"publish put publication {expected.pk} live "
        f"({expected.published_at:%Y-%m-%d %H:%M}): the pointer was {how}."
    )


def _page_name(publication) -> str:
    return f"Page “{publication.title}” ({publication.slug})"


def _kind_name(event) -> str:
    return ContentType.objects.get_for_id(event.content_type_id).name.capitalize()
