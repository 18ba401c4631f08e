"""What a condition page shows, built from its publication alone (no request), so the page is
rendered once, when it is published, with the site's origin left as a placeholder."""

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from conditions.structured_data import condition_page
from publishing import renderings
from reviews.history import currency, publications_of, with_review_facts
from tovani.site_url import ORIGIN_PLACEHOLDER, site_context

DETAIL_TEMPLATE = "conditions/detail.html"
HISTORY_TEMPLATE = "conditions/history.html"
# Pages with at least this many sections open with a table of contents.
TOC_MIN_SECTIONS = 4


def condition_context(publication, origin: str) -> dict:
    document = publication.document
    url = origin + reverse("conditions:detail", args=[document["slug"]])
    dates = currency(publication)
    reviewer_url = origin + dates.reviewer.get_absolute_url()
    return {
        **site_context(),
        "publication": publication,
        "document": document,
        "currency": dates,
        "contents": table_of_contents(document),
        "canonical_url": url,
        "structured_data": condition_page(
            document,
            publication.sign_off,
            url,
            lambda slug: origin + reverse("treatments:detail", args=[slug]),
            dates=dates,
            reviewer_url=reviewer_url,
        ),
    }


def history_context(publication, origin: str) -> dict:
    document = publication.document
    return {
        **site_context(),
        "publication": publication,
        "document": document,
        "publications": with_review_facts(list(publications_of(publication))),
        "page_url": reverse("conditions:detail", args=[document["slug"]]),
        "canonical_url": origin + reverse("conditions:history", args=[document["slug"]]),
    }


def table_of_contents(document: dict) -> list[tuple[str, str]]:
    """(anchor, heading) of each section the page shows, in order; empty on a short page.

    The anchors are the ids conditions/detail.html gives its section headings.
    """
    sections = [
        ("short-version", "The short version", document["key_points"]),
        ("definition", "Clinical definition", document["clinical_definition"]["html"]),
        ("differences", "How it differs from related conditions", document["comparisons"]),
        *(
            (f"treatments-{group['line']}", group["heading"], group["treatments"])
            for group in document["treatment_groups"]
        ),
        (
            "when-standard-fails",
            "When standard treatments fail",
            document["standard_treatments_fail"]["html"],
        ),
        ("ketamine-fit", "Where ketamine fits", document["ketamine_fit"]["html"]),
        (
            "clinic-fit",
            f"Where this fits with {settings.CLINIC_NAME}",
            document["clinic_fit"]["html"],
        ),
        ("faq", "Frequently asked", document["faqs"]),
        ("references", "References", document["references"]),
    ]
    shown = [(anchor, heading) for anchor, heading, content in sections if content]
    return shown if len(shown) >= TOC_MIN_SECTIONS else []


def render_page(publication) -> str:
    return render_to_string(DETAIL_TEMPLATE, condition_context(publication, ORIGIN_PLACEHOLDER))


def render_history(publication) -> str:
    return render_to_string(HISTORY_TEMPLATE, history_context(publication, ORIGIN_PLACEHOLDER))


PAGE = renderings.Kind(DETAIL_TEMPLATE, lambda: settings.PAGE_CACHE_VERSION, render_page)
HISTORY = renderings.Kind(HISTORY_TEMPLATE, lambda: settings.PAGE_CACHE_VERSION, render_history)
