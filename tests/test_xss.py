"""Hostile input in every field an editor can fill never reaches a reader live.

Each payload of the corpus goes into every rich (Markdown) and plain field of a page, its
parts, a treatment and a cited reference; the page is signed and published through the
workflow, then the public page, the draft preview and the physician's review diff are checked.
"""

import re

import pytest

from conditions.models import (
    FAQ,
    ClinicalCode,
    Comparison,
    ConditionTreatment,
    KeyPoint,
    SearchPhrase,
    Treatment,
)
from reviews import workflow
from tests.conftest import PASSWORD, edit, make_condition, make_reference
from tests.xss import CORPUS, live_markup


def hostile_page(number, payload, editor):
    # Plain fields with a length limit get as much of the payload as fits.
    short = payload[:60]
    reference = make_reference(
        f"hostile{number}",
        title=payload[:300],
        authors="Doe J",
        note=payload,
    )
    condition = make_condition(
        editor,
        slug=f"hostile-{number}",
        title=f"Hostile {number} {payload}"[:200],
        page_label=short[:80],
        summary=payload,
        clinical_definition=f"{payload} [@{reference.citekey}]",
        standard_treatments_fail=payload,
        ketamine_fit=payload,
        clinic_fit=payload,
    )
    ClinicalCode.objects.create(condition=condition, system="ICD-11", code="6B20", qualifier=short)
    SearchPhrase.objects.create(condition=condition, phrase=payload[:200])
    KeyPoint.objects.create(condition=condition, text=payload)
    Comparison.objects.create(condition=condition, name=payload[:200], text=payload)
    treatment = Treatment.objects.create(
        name=payload[:200], slug=f"hostile-treatment-{number}", kind="other", summary=payload
    )
    ConditionTreatment.objects.create(
        condition=condition, treatment=treatment, line_of_therapy="first_line", description=payload
    )
    FAQ.objects.create(condition=condition, question=payload[:300], answer=payload)
    condition.attach_cited_references()
    return edit(condition, editor)  # a revision after the parts, as the admin makes


def main_region(page_html):
    return page_html[page_html.index("<main") : page_html.index("</main>")]


def scripts_outside_data_and_static(page_html):
    tags = re.findall(r"<script\b[^>]*>", page_html, re.I)
    return [
        tag
        for tag in tags
        if 'type="application/ld+json"' not in tag and not re.search(r'src="/static/', tag)
    ]


def html_fields(value):
    """Every HTML string in an API answer: the values of keys named html."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "html" and isinstance(item, str):
                yield item
            else:
                yield from html_fields(item)
    elif isinstance(value, list):
        for item in value:
            yield from html_fields(item)


@pytest.mark.parametrize("number", range(len(CORPUS)), ids=lambda n: f"payload{n}")
def test_no_payload_is_live_on_any_page_built_from_it(
    number, client, editor, physician_user, publisher, partner_key
):
    payload = CORPUS[number]
    page = hostile_page(number, payload, editor)
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)

    public = client.get(f"/conditions/hostile-{number}/").content.decode()
    assert live_markup(main_region(public)) == []
    assert scripts_outside_data_and_static(public) == []
    api = client.get(f"/api/v1/conditions/hostile-{number}/", headers={"x-api-key": partner_key})
    assert api.status_code == 200
    assert api["Content-Type"] == "application/json"
    fragments = list(html_fields(api.json()))
    assert fragments
    assert [live_markup(fragment) for fragment in fragments if live_markup(fragment)] == []

    edit(page, editor, summary=f"Changed: {payload}")
    assert client.login(username=physician_user.username, password=PASSWORD)
    preview = client.get(f"/admin/conditions/condition/{page.pk}/preview/").content.decode()
    assert live_markup(main_region(preview)) == []
    assert scripts_outside_data_and_static(preview) == []
    review = client.get(f"/admin/conditions/condition/{page.pk}/review/").content.decode()
    diff = without_comment_controls(
        without_version_switch(
            review[review.index('<div class="review-changes">') : review.index("<iframe")]
        )
    )
    assert live_markup(diff, allowed_elements={"details"}) == []


def without_version_switch(changes: str) -> str:
    """The review's changes but the screen's own form that picks the version to compare with."""
    start = changes.find('<form method="get" class="review-version-pick"')
    if start == -1:
        return changes
    end = changes.index("</form>", start) + len("</form>")
    return changes[:start] + changes[end:]


# The review screen's own "Comment" control beside each part: exactly this markup, whose only
# words from the page are the part's label (in its summary and its textarea's label).
_COMMENT_CONTROL = re.compile(
    r'<details class="comment-on" id="part-[a-z0-9-]+">\s*<summary>(?P<summary>.*?)</summary>'
    r'\s*<form method="post" action="/admin/conditions/condition/\d+/workflow/comment/" '
    r'class="part-comment-form"><input type="hidden" name="csrfmiddlewaretoken" value="\w+">'
    r'\s*<input type="hidden" name="back" value="review">'
    r'\s*<input type="hidden" name="part" value="part-[a-z0-9-]+">'
    r'\s*<input type="hidden" name="anchor" value="[a-z.]+:\d+:\w+">'
    r'\s*<label for="part-[a-z0-9-]+-body">(?P<label>.*?)</label>'
    r'\s*<textarea id="part-[a-z0-9-]+-body" name="body" rows="3"></textarea>'
    r'\s*<button type="submit" class="button" name="step" value="comment">Add comment</button>'
    r"\s*</form>\s*</details>",
    re.S,
)


def without_comment_controls(changes: str) -> str:
    """The review's changes with each comment control reduced to the words it shows, which the
    check then reads like any other text; a control of any other shape stays, and fails it."""
    return _COMMENT_CONTROL.sub(lambda m: f"{m['summary']} {m['label']}", changes)


# Inert on their own: a tag the text ends inside, a comment, and Markdown that does not render
# to a link. They matter in context, which the page test above gives them.
INERT_ALONE = {
    "<img src=x onerror=alert(1)//",
    "<!--<script>alert(1)</script>-->",
    '[x](https://example.org" onmouseover="alert(1))',
    '<https://example.org/" onmouseover="alert(1)>',
    "<javascript:alert(1)>",
}


@pytest.mark.parametrize("payload", sorted(set(CORPUS) - INERT_ALONE))
def test_the_checker_finds_each_payload_live_before_sanitizing(payload):
    """The page test means something only if the raw payload would have failed it."""
    import markdown

    assert live_markup(payload) or live_markup(markdown.markdown(payload))
