"""Building small libraries of published condition pages for the public-site tests."""

from conditions.models import FAQ, ClinicalCode, ConditionTreatment, SearchPhrase, Treatment
from reviews import workflow
from tests.conftest import PASSWORD, make_condition


def treatment(slug, name, kind="medication", summary=""):
    found, _ = Treatment.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": kind, "summary": summary}
    )
    return found


def publish_condition(
    people,
    slug,
    title,
    *,
    summary="A page used by the tests.",
    status="case_by_case",
    phrases=(),
    codes=(),
    faqs=(),
    treatments=(),
    **fields,
):
    """A condition with its parts, signed off and published through the workflow.

    people is (editor, physician_user, publisher); codes are (system, code, qualifier);
    faqs are (question, answer); treatments are (Treatment, line of therapy).
    """
    editor, physician_user, publisher = people
    condition = make_condition(
        editor, slug=slug, title=title, summary=summary, clinic_indication_status=status, **fields
    )
    for order, phrase in enumerate(phrases, start=1):
        SearchPhrase.objects.create(condition=condition, phrase=phrase, sort_order=order)
    for order, (system, code, qualifier) in enumerate(codes, start=1):
        ClinicalCode.objects.create(
            condition=condition, system=system, code=code, qualifier=qualifier, sort_order=order
        )
    for order, (question, answer) in enumerate(faqs, start=1):
        FAQ.objects.create(condition=condition, question=question, answer=answer, sort_order=order)
    for order, (item, line) in enumerate(treatments, start=1):
        ConditionTreatment.objects.create(
            condition=condition,
            treatment=item,
            line_of_therapy=line,
            description=f"{item.name} for {title}.",
            sort_order=order,
        )
    workflow.sign_off(condition, physician_user, PASSWORD)
    workflow.publish(condition, publisher)
    return condition


def publish_neighbours(people):
    """Pages that compete with the OCD page for the same words."""
    ketamine = treatment("ketamine-infusion", "Ketamine infusion", summary="Ketamine by IV.")
    publish_condition(
        people,
        "treatment-resistant-depression",
        "Treatment-Resistant Depression",
        summary="Depression that has not responded to two antidepressants; ketamine can help.",
        status="established",
        phrases=["does ketamine help depression", "treatment resistant depression options"],
        codes=[("ICD-11", "6A71", "")],
        faqs=[("Does ketamine help depression?", "Often, and quickly.")],
        treatments=[(ketamine, "escalation")],
    )
    publish_condition(
        people,
        "body-dysmorphic-disorder",
        "Body Dysmorphic Disorder",
        summary="Preoccupation with perceived flaws in appearance, related to OCD.",
        phrases=["BDD treatment"],
        codes=[("ICD-11", "6B21", "")],
    )
    publish_condition(
        people,
        "ptsd",
        "Post-Traumatic Stress Disorder",
        summary="Symptoms after trauma; ketamine is studied as a treatment.",
        status="established",
        phrases=["ketamine for PTSD"],
        codes=[("ICD-11", "6B40", "")],
        treatments=[(ketamine, "investigational")],
    )
