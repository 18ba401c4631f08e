"""The condition form's references chooser is a search-as-you-type field that stays small.

The form lists only the page's own references; others are found by typing (the admin's
autocomplete over the reference list's search fields, twenty at a time). With 100,000
references in the library the change form stays under 200 kB.
"""

import time

from django.urls import reverse

from conditions.models import Condition
from references.models import Reference
from tests.admin_forms import change_form_data
from tests.conftest import make_condition, make_user

LIBRARY_SIZE = 100_000


def fill_library(count):
    Reference.objects.bulk_create(
        (
            Reference(
                citekey=f"author{number}",
                authors=f"Author{number} AB, Second CD",
                title=f"Trial number {number} of a treatment",
                journal="J Trials",
                year=2000 + number % 25,
            )
            for number in range(count)
        ),
        batch_size=5_000,
    )


def signed_in(client):
    client.force_login(make_user("edna", "Editors"))
    return client


def autocomplete(client, term, page=1):
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "conditions",
            "model_name": "condition",
            "field_name": "references",
            "term": term,
            "page": page,
        },
    )
    assert response.status_code == 200, response.content[:500]
    return response.json()


def test_the_condition_form_stays_under_200_kb_with_100000_references(client, db):
    """100,000 references in the library: the form holds the page's two, not the library."""
    fill_library(LIBRARY_SIZE)
    page = make_condition()
    page.references.add(*Reference.objects.filter(citekey__in=["author7", "author99999"]))
    client = signed_in(client)

    started = time.monotonic()
    response = client.get(reverse("admin:conditions_condition_change", args=[page.pk]))
    seconds = time.monotonic() - started

    html = response.content.decode()
    assert response.status_code == 200
    assert len(response.content) < 200_000, f"{len(response.content):,} bytes"
    assert html.count('<option value="') - html.count('<option value=""') <= 40  # no library list
    assert "author7: Author7 AB 2007" in html
    assert "author99999: Author99999 AB 2024" in html
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    print(f"change form: {len(response.content):,} bytes in {seconds:.2f} s")


def test_typing_finds_references_twenty_at_a_time(client, db):
    """A citekey, an author or words of a title find a reference; the answer comes in pages."""
    fill_library(60)
    client = signed_in(client)

    assert [r["text"] for r in autocomplete(client, "author42")["results"]] == [
        "author42: Author42 AB 2017"
    ]
    found = [r["text"] for r in autocomplete(client, "trial number 5")["results"]]
    assert "author5: Author5 AB 2005" in found
    first = autocomplete(client, "Second CD")
    assert (len(first["results"]), first["pagination"]["more"]) == (20, True)


def test_choosing_a_reference_saves_it_on_the_page(client, db):
    """The ids the chooser sends are saved as the page's references."""
    fill_library(3)
    page = make_condition()
    client = signed_in(client)
    path = reverse("admin:conditions_condition_change", args=[page.pk])

    chosen = Reference.objects.get(citekey="author2")
    data = change_form_data(client.get(path), references=[chosen.pk])
    response = client.post(path, data)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(Condition.objects.get(pk=page.pk).references.all()) == [chosen]
