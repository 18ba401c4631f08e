"""The kinds of page the library publishes, each registered once from its app's ready().

    register(Condition, route="conditions:detail", renderings=[PAGE], follows={Reference: ...})

name: what partners' events call the kind (the model's name unless given).
route: how a publication's slug becomes its public path: a URL name taking the slug, or a
function slug -> path. renderings: the stored renderings made at publish (publishing.renderings
Kinds). read_model: what else the kind writes when a page goes live or comes down (ReadModel).
sitemap: whether the sitemap lists its live pages; sitemap_entries: what it lists there itself.
follows: {part model: function(model, pks) -> page pks}: saves of those models change the pages they
belong to or that show them (a model is matched with its subclasses).

Registering a model twice raises AlreadyRegistered, as django-reversion does; the system check
in publishing.checks verifies each registered model offers the Publishable protocol.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse

from publishing.errors import AlreadyRegistered, NotRegistered
from publishing.renderings import Kind


@dataclass(frozen=True)
class ReadModel:
    """What a kind writes beside its renderings: write(publication) as a page goes live (its
    previous rows replaced), remove(publication) as it comes down, rebuild() to recreate every
    row from the live publications (rebuild_library and a backup import run it)."""

    write: Callable[[object], None]
    remove: Callable[[object], None]
    rebuild: Callable[[], object] | None = None


@dataclass(frozen=True)
class SitemapEntry:
    """An address a kind puts in the sitemap itself (its pages, an index of them): when it last
    changed, and its versions in every language as ((language, path), …), its own and
    "x-default" among them. The sitemap gives the same versions to each address named there."""

    path: str
    lastmod: datetime | None = None
    alternates: tuple[tuple[str, str], ...] = ()


@dataclass
class PublishableKind:
    model: type
    route: str | Callable[[str], str]
    renderings: list[Kind] = field(default_factory=list)
    read_model: ReadModel | None = None
    follows: dict[type, Callable[[type, list], Iterable[int]]] = field(default_factory=dict)
    # What partners' events call the kind ("condition"), and whether the partner API serves it:
    # partners hear only of pages they can fetch.
    name: str = ""
    # Whether publishing.sitemaps lists its live pages (a kind with its own section says no).
    sitemap: bool = True
    for_partners: bool = False
    # What the kind lists in the sitemap itself, beside or instead of its live pages: a
    # function () -> SitemapEntry list (translations: their index and their pages, with the
    # English versions they translate as alternates).
    sitemap_entries: Callable[[], Iterable[SitemapEntry]] | None = None

    @property
    def label(self) -> str:
        """The model's label, e.g. "conditions.condition"."""
        return self.model._meta.label_lower

    def path(self, slug: str) -> str:
        return self.route(slug) if callable(self.route) else reverse(self.route, args=[slug])

    def pages_changed_by(self, model, pks, *, own=True) -> set[int]:
        """The pks of this kind's pages that changing model's rows pks changes (own: the
        kind's own rows count as changing themselves)."""
        found = {int(pk) for pk in pks} if own and issubclass(model, self.model) else set()
        for followed, pages_of in self.follows.items():
            if issubclass(model, followed):
                found |= {int(pk) for pk in pages_of(model, list(pks))}
        return found

    def follows_model(self, model) -> bool:
        return any(issubclass(model, followed) for followed in self.follows)


_kinds: dict[type, PublishableKind] = {}
# Told of each kind as it registers (the save path, to hear deletions of its rows).
_listeners: list[Callable[[PublishableKind], None]] = []


def when_registered(listener: Callable[[PublishableKind], None]) -> None:
    """Call listener with every kind registered, now and later."""
    _listeners.append(listener)
    for kind in _kinds.values():
        listener(kind)


def register(
    model,
    *,
    route,
    renderings=(),
    read_model=None,
    follows=None,
    name="",
    sitemap=True,
    sitemap_entries=None,
) -> PublishableKind:
    """Make model a publishable kind of page; registering the same model twice is an error."""
    if model in _kinds:
        raise AlreadyRegistered(f"{model._meta.label} is already registered as a kind of page.")
    kind = PublishableKind(
        model,
        route,
        list(renderings),
        read_model,
        dict(follows or {}),
        name or model._meta.model_name,
        sitemap,
        sitemap_entries=sitemap_entries,
    )
    _kinds[model] = kind
    for listener in _listeners:
        listener(kind)
    return kind


def unregister(model) -> None:
    kind_of(model)
    del _kinds[model]


def add_renderings(model, renderings: Iterable[Kind]) -> None:
    """More stored renderings of an already registered kind (the API adds its JSON)."""
    kind_of(model).renderings.extend(renderings)


def offer_to_partners(model) -> None:
    """The partner API serves this kind: its events go to partners (the api app says so)."""
    kind_of(model).for_partners = True


def kind_of(model) -> PublishableKind:
    try:
        return _kinds[model]
    except KeyError:
        raise NotRegistered(f"{model._meta.label} is not a registered kind of page.") from None


def is_registered(model) -> bool:
    return model in _kinds


def kinds() -> list[PublishableKind]:
    return list(_kinds.values())
