"""Public pages: read through conditions.selectors, answered by publishing.page_cache."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from conditions import listings, selectors
from conditions.models import Condition
from conditions.pages import HISTORY, PAGE
from conditions.search import RESULTS, search, search_terms
from publishing.page_cache import cached_listing, cached_page, replayed_page
from tovani.http import public


def condition_index(request):
    """The index, INDEX_PAGE_SIZE pages at a time (?page=2, …); each page kept as listings are."""
    asked = request.GET.get("page", "1")
    if not asked.isdigit() or asked.startswith("0"):
        raise Http404("The index has no such page.")
    number = int(asked)
    return cached_listing(
        request,
        Condition,
        f"index:{number}",
        "conditions/index.html",
        lambda origin: _index_context(number, origin),
    )


def _index_context(number: int, origin: str) -> dict:
    page = listings.index_page(number, settings.INDEX_PAGE_SIZE)
    if page is None:
        raise Http404("The index has no such page.")
    address = reverse("conditions:index")
    return {
        "page": page,
        "groups": page.groups,
        "reviewers": listings.reviewers(page.groups),
        "canonical_url": origin + address + (f"?page={number}" if number > 1 else ""),
    }


def condition_detail(request, slug):
    def read_pointer():
        return selectors.live_pointer_or_404(Condition, slug, PAGE)

    return replayed_page(cached_page(request, read_pointer(), PAGE), read_pointer, PAGE)


def condition_history(request, slug):
    """Every publication of the live page at slug: cached with the live publication, since a
    new publication is the only thing that changes it."""
    return cached_page(request, selectors.live_pointer_or_404(Condition, slug, HISTORY), HISTORY)


def treatment_detail(request, slug):
    def context(origin):
        treatment = selectors.treatment(slug)
        if treatment is None:
            raise Http404("No live page presents this treatment.")
        return {
            "treatment": treatment,
            "canonical_url": origin + reverse("treatments:detail", args=[slug]),
        }

    return cached_listing(
        request, Condition, f"treatment:{slug}", "treatments/detail.html", context
    )


def search_page(request):
    query = request.GET.get("q", "").strip()
    results = search(query)
    context = {
        "query": query,
        "searched": bool(search_terms(query)),
        "results": results,
        "limited": len(results) == RESULTS,
        "result_items": listings.entry_items(results),
    }
    return public(render(request, "search/results.html", context))
