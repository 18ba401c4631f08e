"""Reviewer profiles: who a physician is, and every live page they reviewed.

Here rather than in reviews/, which knows no content type: the profile lists condition pages.
"""

from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from conditions.models import Condition
from conditions.structured_data import SCHEMA, reviewer_profile
from reviews.models import FormerProfileAddress, Physician, Publication
from tovani.http import public
from tovani.site_url import absolute_url


def reviewed_pages(physician):
    """The live condition pages whose live version this physician signed off, by title."""
    return (
        Publication.objects.live_of(Condition)
        .filter(sign_off__physician=physician)
        .select_related("sign_off")
        .defer("document", "sign_off__document")
        .order_by("title")
    )


def reviewer_detail(request, slug):
    physician = Physician.objects.filter(slug=slug).first()
    if physician is None:
        # A renamed profile: every page published before the rename still links here.
        former = get_object_or_404(
            FormerProfileAddress.objects.select_related("physician"), slug=slug
        )
        return public(HttpResponsePermanentRedirect(former.physician.get_absolute_url()))
    url = absolute_url(reverse("reviewers:detail", args=[slug]), request)
    context = {
        "physician": physician,
        "pages": list(reviewed_pages(physician)),
        "canonical_url": url,
        "structured_data": {
            "@context": SCHEMA,
            "@type": "ProfilePage",
            "url": url,
            "mainEntity": reviewer_profile(physician, url),
        },
    }
    return public(render(request, "reviewers/detail.html", context))
