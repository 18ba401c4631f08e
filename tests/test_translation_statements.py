"""An editorial statement in Spanish, end to end: a translator starts it from the admin's start
screen, translates each segment, a physician who reads Spanish signs it, a publisher publishes
it; readers find it at /es/about/editorial-policy/ in Spanish, and the English statement names
it as its hreflang alternate and offers "Leer en español"."""

import reversion

from editorial.models import EditorialPage
from reviews import workflow
from tests.conftest import PASSWORD
from tests.pagetext import visible_text
from tests.translating import spanish_physician, translator_user
from translations import editing
from translations.models import Translation

ENGLISH = "/about/editorial-policy/"
SPANISH = "/es/about/editorial-policy/"
START = "/admin/translations/translation/start/"
IN_SPANISH = {
    "Title": "Política editorial",
    "Summary": "Cómo escribimos y revisamos las páginas.",
    "Section 1 heading": "Revisión",
    "Section 1": "Un médico firma cada página antes de publicarla.",
    "Section 2 heading": "Traducciones",
    "Section 2": "Un médico que lee español revisa cada traducción.",
}


def statement(editor, physician_user, publisher):
    with reversion.create_revision():
        reversion.set_user(editor)
        page = EditorialPage.objects.create(
            slug="editorial-policy",
            title="Editorial policy",
            summary="How we write and review pages.",
            body="## Review\n\nA physician signs every page before it is published.\n\n"
            "## Translations\n\nA physician who reads Spanish reviews every translation.",
        )
    workflow.sign_off(page, physician_user, PASSWORD)
    workflow.publish(page, publisher)
    return page


def test_an_editorial_statement_is_translated_signed_and_published_in_spanish(
    client, editor, physician_user, publisher
):
    english = statement(editor, physician_user, publisher)
    assert client.get(SPANISH).status_code == 404

    translator = translator_user()
    client.force_login(translator)
    form = client.get(START).context["form"]
    (choice,) = [
        value for value, title in form.fields["english"].choices if title == "Editorial policy"
    ]
    assert client.post(START, {"english": choice, "language": "es"}).status_code == 302
    translation = Translation.objects.get(english_id=english.pk)
    assert translation.public_path == SPANISH
    assert [s.label for s in translation.ordered_segments()] == list(IN_SPANISH)
    for segment in translation.ordered_segments():
        editing.write_segment(segment, IN_SPANISH[segment.label], translator)
    workflow.submit_for_review(translation, translator)
    workflow.sign_off(translation, spanish_physician(), PASSWORD)
    workflow.publish(translation, publisher)

    response = client.get(SPANISH)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert '<html lang="es">' in html
    text = visible_text(html)
    assert "Política editorial" in text
    assert "Un médico que lee español revisa cada traducción." in text
    assert "Revisado por Dr. Lucía García Demo, MD el " in text
    assert f'<link rel="alternate" hreflang="en" href="http://testserver{ENGLISH}">' in html

    english_html = client.get(ENGLISH).content.decode()
    assert f'<link rel="alternate" hreflang="es" href="http://testserver{SPANISH}">' in english_html
    assert f'<a href="{SPANISH}" hreflang="es" lang="es">Leer en español</a>' in english_html
    assert '<html lang="en">' in english_html

    # Found by the Spanish search, not in the Spanish index of conditions.
    found = visible_text(client.get("/es/search/", {"q": "traducción"}).content.decode())
    assert "Política editorial" in found
    index, footer = client.get("/es/conditions/").content.decode().split('class="site-footer"')
    assert f'href="{SPANISH}"' not in index
    assert f'<a href="{SPANISH}">Política editorial</a>' in footer  # the footer's statement
