"""People and pages for the translation tests: an English page with a FAQ and a dose, its
translator, and a physician who reviews in Spanish."""

import reversion

from conditions.models import FAQ, KeyPoint
from references.models import Reference
from reviews import workflow
from reviews.models import Physician
from tests.conftest import PASSWORD, make_condition, make_reference, make_user
from translations import editing

SPANISH = {
    "title": "Trastorno de prueba",
    "page_label": "Afección",
    "summary": "Una página que usan las pruebas.",
    "clinical_definition": "Una definición.",
    "key_point": "La dosis habitual es 0,5 mg/kg durante 40 minutos [@murrough2013].",
    "faq_question": "¿Cuánto dura el efecto?",
    "faq_answer": "Unas 24 horas en el 40% de los pacientes.",
    "faq2_question": "¿Es seguro?",
    "faq2_answer": "Se vigila la presión arterial.",
    "regulatory_notice": "Aviso regulatorio de la página.",
}


def spanish_physician(username="dra.garcia", name="Lucía García Demo", languages="es"):
    user = make_user(username, "Physicians")
    Physician.objects.create(user=user, display_name=name, credentials="MD", languages=languages)
    return user


def translator_user(username="tomas"):
    return make_user(username, "Translators")


def english_page(editor, physician_user, publisher, slug="test-condition"):
    """A published English page with a cited dose in a key point and two FAQs."""
    if not Reference.objects.filter(citekey="murrough2013").exists():
        make_reference("murrough2013", pmid="24091537")
    page = make_condition(
        editor,
        slug=slug,
        clinical_definition="A definition.",
        regulatory_notice="The page's regulatory notice.",
    )
    with reversion.create_revision():
        reversion.set_user(editor)
        KeyPoint.objects.create(
            condition=page,
            text="The usual dose is 0.5 mg/kg over 40 minutes [@murrough2013].",
            sort_order=1,
        )
        FAQ.objects.create(
            condition=page,
            question="How long does it last?",
            answer="About 24 hours in 40% of patients.",
            sort_order=1,
        )
        FAQ.objects.create(
            condition=page,
            question="Is it safe?",
            answer="Blood pressure is watched.",
            sort_order=2,
        )
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    return page


def spanish_text(segment) -> str:
    key = segment.key
    if key.startswith("key_point:"):
        return SPANISH["key_point"]
    if key.startswith("faq:"):
        name = "faq" if segment.label.endswith(" 1") else "faq2"
        return SPANISH[f"{name}_{key.rsplit(':', 1)[1]}"]
    return SPANISH[key]


def translate_all(translation, user):
    for segment in translation.ordered_segments():
        editing.write_segment(segment, spanish_text(segment), user)
    return translation


def translated_page(english, translator):
    translation = editing.start_translation(english, "es", translator)
    return translate_all(translation, translator)
