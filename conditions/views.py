"""Public pages: read from live publications only, never from drafts."""

from django.shortcuts import render

from conditions.models import Condition
from conditions.public import cached_page, live_publication_or_404
from reviews.models import Publication


def condition_index(request):
    publications = (
        Publication.objects.live_of(Condition).select_related("sign_off").order_by("title")
    )
    return render(request, "conditions/index.html", {"publications": publications})


def condition_detail(request, slug):
    publication = live_publication_or_404(Condition, slug)
    return cached_page(request, publication, "conditions/detail.html")
