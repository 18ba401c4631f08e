"""Public pages: read from live publications and the rows derived from them, never from drafts."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse

from conditions import listings
from conditions.models import Condition
from conditions.pages import DETAIL_TEMPLATE, HISTORY_TEMPLATE, condition_context, history_context
from conditions.public import (
    absolute_url,
    cached_listing,
    cached_page,
    live_pointer_or_404,
    live_publication,
    public,
)
from conditions.search import RESULTS, search, search_terms


def condition_index(request):
    return cached_listing(
        request,
        Condition,
        "index",
        "conditions/index.html",
        lambda: {
            **_index_groups(),
            "canonical_url": absolute_url(request, reverse("conditions:index")),
        },
    )


def _index_groups() -> dict:
    groups = listings.by_indication_status()
    return {"groups": groups, "reviewers": listings.reviewers(groups)}


def condition_detail(request, slug):
    pointer = live_pointer_or_404(Condition, slug, DETAIL_TEMPLATE)
    return cached_page(
        request,
        pointer,
        DETAIL_TEMPLATE,
        lambda origin: condition_context(live_publication(pointer), origin),
    )


def condition_history(request, slug):
    """Every publication of the live page at slug: cached with the live publication, since a
    new publication is the only thing that changes it."""
    pointer = live_pointer_or_404(Condition, slug, HISTORY_TEMPLATE)
    return cached_page(
        request,
        pointer,
        HISTORY_TEMPLATE,
        lambda origin: history_context(live_publication(pointer), origin),
    )


def treatment_detail(request, slug):
    def context():
        treatment = listings.treatment(slug)
        if treatment is None:
            raise Http404("No live page presents this treatment.")
        return {
            "treatment": treatment,
            "canonical_url": absolute_url(request, reverse("treatments:detail", args=[slug])),
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
