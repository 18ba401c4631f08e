"""The condition editor's workspace, through the real admin views.

A failed save opens with every error in words, each linked to its field (inline rows included),
and each section counts its errors; the input is kept. The live preview renders the unsaved form
with the public template and keeps nothing. Citekeys are suggested from the library, and a near
miss names the right key. A treatment named in the page's form is created only with the page.
Autosave keeps a draft revision marked as such, never submits, and stops when someone else saved.
"""

import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from reversion.models import Version

from conditions.admin_editor import AUTOSAVE_COMMENT
from conditions.models import Condition, ConditionTreatment, Treatment
from reviews import workflow
from reviews.models import ReviewEvent
from tests.admin_forms import change_form_data
from tests.conftest import PASSWORD, add_key_point, edit, make_condition, make_reference

ADD_URL = "/admin/conditions/condition/add/"
PREVIEW_ADD_URL = "/admin/conditions/condition/live-preview/"
INLINES = ["codes", "search_phrases", "key_points", "comparisons", "condition_treatments", "faqs"]


@pytest.fixture
def signed_in(client, editor):
    assert client.login(username=editor.username, password=PASSWORD)
    return client


@pytest.fixture
def murrough(db):
    return make_reference("murrough2013", authors="Murrough JW, Iosifescu DV", year=2013)


def page_data(key_points=(), treatments=(), **fields):
    """POST data for the add view: the page's fields and its inline rows."""
    data = {
        "title": "Treatment-Resistant Depression",
        "slug": "treatment-resistant-depression",
        "page_label": "Clinical condition",
        "summary": "Depression that has not lifted after two adequate trials.",
        "clinic_indication_status": "case_by_case",
        "_continue": "Save draft",
        **fields,
    }
    for prefix in INLINES:
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data["key_points-TOTAL_FORMS"] = str(len(key_points))
    for index, text in enumerate(key_points):
        data[f"key_points-{index}-sort_order"] = str(index + 1)
        data[f"key_points-{index}-text"] = text
    data["condition_treatments-TOTAL_FORMS"] = str(len(treatments))
    for index, row in enumerate(treatments):
        for name, value in {
            "sort_order": index + 1,
            "line_of_therapy": "first_line",
            "description": "Here.",
            **row,
        }.items():
            data[f"condition_treatments-{index}-{name}"] = str(value)
    return data


def summary_links(response) -> dict[str, str]:
    """The error summary's links: target id → the words of the error."""
    html = response.content.decode()
    block = html.split('id="error-summary"', 1)[1].split("</div>", 1)[0]
    return {
        target: re.sub(r"<[^>]+>", "", words).strip()
        for target, words in re.findall(r'<li><a href="#([^"]+)"[^>]*>(.*?)</li>', block, re.S)
    }


def test_a_failed_save_lists_every_error_at_the_top_with_a_link_to_its_field(signed_in, murrough):
    """Missing summary and a mistyped citekey in the second key point: two linked errors."""
    data = page_data(
        key_points=["Fast relief [@murrough2013].", "Lasts a week [@Murrough2013]."], summary=""
    )
    response = signed_in.post(ADD_URL, data)
    assert response.status_code == 200
    links = summary_links(response)
    assert list(links) == ["id_summary", "id_key_points-1-text"]
    assert links["id_summary"].startswith("Summary: This field is required.")
    assert links["id_key_points-1-text"].startswith("Key point 2 · Text: No reference")
    html = response.content.decode()
    # Every field the links name is on the page, and the input is kept.
    assert 'id="id_key_points-1-text"' in html
    assert "Lasts a week [@Murrough2013]." in html
    assert "This page was not saved: 2 problems to fix" in html
    assert not Condition.objects.exists()


def test_each_section_counts_the_errors_it_holds(signed_in, murrough):
    data = page_data(key_points=["x [@nosuch]", "y [@nosuch2]"], summary="")
    response = signed_in.post(ADD_URL, data)
    counts = {view.section.key: view.errors for view in response.context["editor_sections"]}
    assert counts == {
        "summary": 1,
        "short": 2,
        "clinical": 0,
        "comparisons": 0,
        "treatments": 0,
        "faqs": 0,
        "references": 0,
        "clinic": 0,
    }
    assert re.search(
        r'id="tab-short"[^>]*>The short version <span class="tab-errors">2',
        response.content.decode(),
    )


def test_an_error_summary_names_rows_in_the_order_the_editor_put_them(signed_in, murrough):
    """A row dragged to first place is “Key point 1”, whatever its form index."""
    data = page_data(key_points=["fine", "broken [@nosuch]"])
    data["key_points-1-sort_order"] = "1"
    data["key_points-0-sort_order"] = "2"
    links = summary_links(signed_in.post(ADD_URL, data))
    assert links["id_key_points-1-text"].startswith("Key point 1 · Text")


def test_a_near_miss_citekey_suggests_the_key_in_the_library(signed_in, murrough):
    response = signed_in.post(ADD_URL, page_data(key_points=["Fast [@Murrough2013]."]))
    assert "did you mean @murrough2013?" in summary_links(response)["id_key_points-0-text"]
    response = signed_in.post(ADD_URL, page_data(key_points=["Fast [@murough2013]."]))
    assert "did you mean @murrough2013?" in summary_links(response)["id_key_points-0-text"]


def test_a_citation_after_a_word_renders_with_no_space_before_its_number(editor, murrough):
    page = make_condition(editor, clinical_definition="Ketamine works fast [@murrough2013].")
    html = page.build_document()["clinical_definition"]["html"]
    assert "fast<sup" in html
    assert "fast <sup" not in html


def test_the_order_fields_are_hidden(signed_in, editor):
    page = make_condition(editor)
    add_key_point(page, "One", order=1)
    html = signed_in.get(f"/admin/conditions/condition/{page.pk}/change/").content.decode()
    assert re.search(r'<input type="hidden" name="key_points-0-sort_order" value="1"', html)
    assert 'name="key_points-0-sort_order" value="1" class="vPositiveIntegerField' not in html


def test_the_live_preview_renders_the_unsaved_form_with_the_public_template(signed_in, murrough):
    data = page_data(key_points=["Relief within hours [@murrough2013]."])
    response = signed_in.post(PREVIEW_ADD_URL, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Draft — not reviewed." in html
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert "<h1>Treatment-Resistant Depression</h1>" in html
    assert "Relief within hours<sup" in html
    assert "Murrough JW" in html
    # Nothing was kept: no page, no revision.
    assert not Condition.objects.exists()
    assert not Version.objects.exists()


def test_the_live_preview_of_a_saved_page_shows_the_form_not_the_database(signed_in, editor):
    page = make_condition(editor)
    response = signed_in.get(f"/admin/conditions/condition/{page.pk}/change/")
    data = change_form_data(response, title="A title typed, not saved")
    preview = signed_in.post(f"/admin/conditions/condition/{page.pk}/live-preview/", data)
    assert "<h1>A title typed, not saved</h1>" in preview.content.decode()
    page.refresh_from_db()
    assert page.title == "Test Condition"


def test_the_live_preview_pauses_on_an_invalid_form_and_says_why(signed_in, db):
    response = signed_in.post(PREVIEW_ADD_URL, page_data(summary=""))
    assert response.status_code == 422
    assert json.loads(response.content) == {"errors": ["Summary: This field is required."]}


def test_citekey_suggestions_show_key_author_year_and_title(signed_in, murrough):
    make_reference("murphy2020", authors="Murphy A", year=2020, title="Another study")
    response = signed_in.get("/admin/conditions/condition/citekeys/?q=murr")
    assert json.loads(response.content)["results"] == [
        {
            "citekey": "murrough2013",
            "author": "Murrough JW",
            "year": 2013,
            "title": "A study cited as murrough2013",
        }
    ]
    by_title = signed_in.get("/admin/conditions/condition/citekeys/?q=another")
    assert [r["citekey"] for r in json.loads(by_title.content)["results"]] == ["murphy2020"]


def test_a_treatment_named_in_a_failed_save_is_not_created(signed_in, db):
    new = {"new_treatment_name": "Esketamine", "new_treatment_kind": "medication"}
    response = signed_in.post(ADD_URL, page_data(treatments=[new], summary=""))
    assert response.status_code == 200
    assert not Treatment.objects.exists()
    response = signed_in.post(ADD_URL, page_data(treatments=[new]))
    assert response.status_code == 302
    row = ConditionTreatment.objects.get()
    assert row.treatment.name == "Esketamine"
    assert row.treatment.slug == "esketamine"


def test_a_treatment_is_picked_or_named_new_not_both_and_not_twice(signed_in, db):
    existing = Treatment.objects.create(name="Esketamine", slug="esketamine", kind="medication")
    both = {"treatment": existing.pk, "new_treatment_name": "Other", "new_treatment_kind": "other"}
    again = {"new_treatment_name": "esketamine", "new_treatment_kind": "medication"}
    response = signed_in.post(ADD_URL, page_data(treatments=[both, again, {}]))
    links = summary_links(response)
    assert links["id_condition_treatments-0-new_treatment_name"].endswith(
        "Pick “Esketamine” or name a new treatment, not both."
    )
    assert (
        "“Esketamine” is already in the library"
        in links["id_condition_treatments-1-new_treatment_name"]
    )
    assert (
        "Pick a treatment, or name a new one below." in links["id_condition_treatments-2-treatment"]
    )
    assert Treatment.objects.count() == 1


def test_a_treatments_shared_summary_is_shown_as_shared(signed_in, editor):
    shared = Treatment.objects.create(
        name="Esketamine", slug="esketamine", kind="medication", summary="A nasal spray."
    )
    for slug in ("one", "two", "three"):
        page = make_condition(editor, slug=slug)
        ConditionTreatment.objects.create(
            condition=page, treatment=shared, line_of_therapy="first_line", description="Here."
        )
    html = signed_in.get(f"/admin/conditions/condition/{page.pk}/change/").content.decode()
    assert "A nasal spray." in html
    assert "Shared: used by 3 pages." in html
    assert f'href="/admin/conditions/treatment/{shared.pk}/change/"' in html
    # No pop-up to add or change a treatment from the page's form.
    assert "add_id_condition_treatments" not in html
    info = json.loads(signed_in.get(f"/admin/conditions/condition/treatment/{shared.pk}/").content)
    assert info["pages"] == 3
    assert info["summary"] == "A nasal spray."


def open_form(client, page):
    return client.get(f"/admin/conditions/condition/{page.pk}/change/")


def test_autosave_keeps_a_draft_revision_marked_as_autosave_and_never_submits(signed_in, editor):
    page = make_condition(editor)
    data = change_form_data(open_form(signed_in, page), summary="Typed, then left alone.")
    data["key_points-TOTAL_FORMS"] = "1"
    data["key_points-0-sort_order"] = "1"
    data["key_points-0-text"] = "A new point."
    del data["_continue"]
    response = signed_in.post(f"/admin/conditions/condition/{page.pk}/autosave/", data)
    result = json.loads(response.content)
    assert result["saved"] is True
    newest = Version.objects.get_for_object(page).select_related("revision__user").first()
    assert newest.revision.comment == AUTOSAVE_COMMENT
    assert newest.revision.user == editor
    assert result["edit_token"] == str(newest.pk)
    assert result["rows"]["key_points"] == [page.key_points.get().pk]
    page.refresh_from_db()
    assert page.summary == "Typed, then left alone."
    assert not ReviewEvent.objects.filter(kind=ReviewEvent.Kind.SUBMITTED).exists()
    assert workflow.state(page) == workflow.State.DRAFT


def test_autosave_names_the_time_it_kept_the_draft_in_the_editors_own_zone(
    signed_in, editor, settings
):
    """The browser's clock may be elsewhere: the answer carries the time as the admin shows
    every other time, in the zone of the editor's profile, named."""
    from datetime import UTC, datetime

    from reviews import clock
    from reviews.models import StaffProfile

    assert settings.TIME_ZONE != "Asia/Kolkata"
    StaffProfile.objects.create(user=editor, time_zone="Asia/Kolkata")
    page = make_condition(editor)
    data = change_form_data(open_form(signed_in, page), summary="Kept at a known moment.")
    del data["_continue"]
    at = datetime(2031, 1, 6, 15, 0, tzinfo=UTC)
    with clock.frozen_at(at):
        response = signed_in.post(f"/admin/conditions/condition/{page.pk}/autosave/", data)
    result = json.loads(response.content)
    assert result["saved"] is True
    # 15:00 UTC is 20:30 in India (UTC+5:30).
    assert result["saved_at"] == "20:30 (Asia/Kolkata)"


def test_autosave_does_not_overwrite_someone_elses_save_and_says_who(signed_in, editor, publisher):
    page = make_condition(editor)
    data = change_form_data(open_form(signed_in, page), summary="Mine.")
    token = data["edit_token"]
    edit(page, publisher, summary="Theirs.")
    versions = Version.objects.get_for_object(page).count()
    response = signed_in.post(f"/admin/conditions/condition/{page.pk}/autosave/", data)
    result = json.loads(response.content)
    assert result["saved"] is False
    assert result["conflict"].startswith("pat saved this page at ")
    assert Version.objects.get_for_object(page).count() == versions
    page.refresh_from_db()
    assert page.summary == "Theirs."
    check = signed_in.get(f"/admin/conditions/condition/{page.pk}/autosave/?edit_token={token}")
    assert json.loads(check.content)["conflict"].startswith("pat saved this page")


def test_autosave_of_an_invalid_form_keeps_nothing_and_counts_the_problems(signed_in, editor):
    page = make_condition(editor)
    data = change_form_data(open_form(signed_in, page), summary="", title="")
    response = signed_in.post(f"/admin/conditions/condition/{page.pk}/autosave/", data)
    assert json.loads(response.content) == {"saved": False, "errors": 2}
    page.refresh_from_db()
    assert page.title == "Test Condition"


def test_save_and_submit_goes_through_the_workflows_submit_step(signed_in, editor, murrough):
    response = signed_in.post(
        ADD_URL,
        {**page_data(key_points=["Fast [@murrough2013]."]), "_submit_review": "1"},
    )
    page = Condition.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/conditions/condition/{page.pk}/change/"
    assert workflow.state(page) == workflow.State.IN_REVIEW
    event = ReviewEvent.objects.get(kind=ReviewEvent.Kind.SUBMITTED)
    assert event.actor == editor
    # Submitting again is refused by the workflow, with its own words; the save still happens.
    data = change_form_data(open_form(signed_in, page), _submit_review="1")
    followed = signed_in.post(f"/admin/conditions/condition/{page.pk}/change/", data, follow=True)
    assert "This version is already in review: " in followed.content.decode()


def test_only_editors_of_the_page_may_preview_or_autosave_a_form(client, physician_user, editor):
    """The live preview and autosave save inside their transaction: a reader may use neither."""
    page = make_condition(editor)
    assert client.login(username=physician_user.username, password=PASSWORD)
    data = page_data()
    assert client.post(PREVIEW_ADD_URL, data).status_code == 403
    assert (
        client.post(f"/admin/conditions/condition/{page.pk}/live-preview/", data).status_code == 403
    )
    assert client.post(f"/admin/conditions/condition/{page.pk}/autosave/", data).status_code == 403
    assert not Version.objects.get_for_object(page).filter(revision__comment=AUTOSAVE_COMMENT)


def test_a_new_page_is_autosaved_as_a_draft_once_its_form_validates(signed_in, editor):
    """The add form's first valid autosave creates the page, as a draft revision marked as an
    autosave, and names the addresses the form goes on with."""
    data = page_data(key_points=["A first point."])
    del data["_continue"]
    data["edit_token"] = ""
    response = signed_in.post("/admin/conditions/condition/autosave/", data)
    result = json.loads(response.content)
    page = Condition.objects.get()
    assert result["saved"] is True
    assert result["created"] == {
        "change": f"/admin/conditions/condition/{page.pk}/change/",
        "autosave": f"/admin/conditions/condition/{page.pk}/autosave/",
        "preview": f"/admin/conditions/condition/{page.pk}/live-preview/",
        "citekeys": "/admin/conditions/condition/citekeys/",
        "treatment": "/admin/conditions/condition/treatment/0/",
    }
    assert result["rows"]["key_points"] == [page.key_points.get().pk]
    newest = Version.objects.get_for_object(page).select_related("revision__user").get()
    assert (newest.revision.comment, newest.revision.user) == (AUTOSAVE_COMMENT, editor)
    assert result["edit_token"] == str(newest.pk)
    assert workflow.state(page) == workflow.State.DRAFT
    assert LogEntry.objects.get(object_id=str(page.pk)).is_addition()


def test_a_new_page_that_cannot_be_saved_yet_is_not_autosaved(signed_in, editor):
    data = page_data(title="", summary="")
    response = signed_in.post("/admin/conditions/condition/autosave/", data)
    assert json.loads(response.content) == {"saved": False, "errors": 2}
    assert not Condition.objects.exists()
    assert signed_in.get("/admin/conditions/condition/autosave/").status_code == 405


def test_only_those_who_may_add_pages_autosave_a_new_one(client, physician_user):
    assert client.login(username=physician_user.username, password=PASSWORD)
    assert client.post("/admin/conditions/condition/autosave/", page_data()).status_code == 403
    assert not Condition.objects.exists()
