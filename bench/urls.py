"""The site's URLs and the framework's floor: a view that returns fixed bytes, nothing else."""

import os
from functools import cache
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from tovani.urls import urlpatterns as site_urlpatterns


@cache
def _page() -> bytes:
    return Path(os.environ["BENCH_BARE_PAGE"]).read_bytes()


def bare(request):
    """The same bytes as the condition page, with no lookup, cache or template."""
    return HttpResponse(_page(), content_type="text/html; charset=utf-8")


urlpatterns = [path("__bench__/bare/", bare), *site_urlpatterns]
