"""“Report a problem with this page”: a short form, no login, answered without caching."""

from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from feedback import reports
from feedback.errors import ReportRefused
from feedback.forms import HONEYPOT, ReportForm
from publishing.urls import publication_path
from reviews.models import Publication


@never_cache
def report_problem(request, publication_id):
    publication = get_object_or_404(Publication.objects.defer("document"), pk=publication_id)
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            reports.receive(
                form,
                publication,
                request,
                request.POST.get(HONEYPOT, ""),
            )
        except ReportRefused as refusal:
            form.add_error(None, str(refusal))
            status = refusal.status
        else:
            return HttpResponseRedirect(reverse("feedback:sent", args=[publication.pk]))
    elif request.method == "POST":
        status = 400
    context = {"form": form, "publication": publication, "page_url": _page_url(publication)}
    return render(request, "feedback/report.html", context, status=status)


@never_cache
def report_sent(request, publication_id):
    publication = get_object_or_404(Publication.objects.defer("document"), pk=publication_id)
    context = {"publication": publication, "page_url": _page_url(publication)}
    return render(request, "feedback/sent.html", context)


def _page_url(publication) -> str:
    # The page as it was published: a slug edited in the draft since names no page yet.
    return publication_path(publication)
