"""The demo's Spanish OCD page: translated for the demo, signed by a fictional physician who
reviews in Spanish, live at /es/conditions/treatment-resistant-ocd/ after load_demo."""

from django.core.management import call_command

from reviews import workflow
from tests.pagetext import visible_text
from translations.demo import load_spanish_demo

URL = "/es/conditions/treatment-resistant-ocd/"


def test_the_demo_loads_a_signed_spanish_ocd_page(client, demo, settings):
    """Every segment translated, signed by the Spanish-reading demo physician, published."""
    settings.DEBUG = True
    translation = load_spanish_demo()
    assert all(not s.is_missing and not s.is_stale for s in translation.ordered_segments())
    live = workflow.live_publication(translation)
    assert live.sign_off.physician.languages == "es"
    assert live.sign_off.physician.user != translation.translator
    text = visible_text(client.get(URL).content.decode())
    assert "TOC resistente al tratamiento" in text
    # The demo reviewer's profile asks for the feminine honorific in Spanish stamps.
    assert "Revisado por Dra. Elena Demo Vargas, MD" in text
    assert live.sign_off.signature == "Dr. Elena Demo Vargas, MD"


def test_loading_the_demo_twice_publishes_the_spanish_page_once(demo, settings):
    """Idempotent, as load_demo is."""
    settings.DEBUG = True
    first = workflow.live_publication(load_spanish_demo())
    second = workflow.live_publication(load_spanish_demo())
    assert first == second


def test_the_load_demo_command_names_the_spanish_page(db, settings, capsys):
    """A newcomer's first command says where the Spanish page is."""
    settings.DEBUG = True
    call_command("load_demo")
    assert "Spanish page /es/conditions/treatment-resistant-ocd/" in capsys.readouterr().out
