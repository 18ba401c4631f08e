"""Machine translation is a hook, never a shortcut: its segments are marked machine and the page
cannot be submitted until a person has edited or confirmed each one."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reviews import workflow
from tests.conftest import PASSWORD
from tests.translating import SPANISH, english_page, spanish_physician, translator_user
from translations import editing
from translations.errors import TranslationError
from translations.models import Origin


class FakeLibreTranslate(BaseHTTPRequestHandler):
    """A LibreTranslate server on 127.0.0.1 answering from a small Spanish glossary."""

    requests: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append(body)
        answer = json.dumps({"translatedText": machine_spanish(body["q"])}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def machine_spanish(english: str) -> str:
    glossary = {
        "Test Condition": SPANISH["title"],
        "The usual dose is 0.5 mg/kg over 40 minutes [@murrough2013].": SPANISH["key_point"],
        "About 24 hours in 40% of patients.": "Alrededor de 24 horas en 40% de pacientes.",
    }
    return glossary.get(english, f"[ES] {english}")


@pytest.fixture
def machine(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.TRANSLATION_MACHINE_BACKEND = "translations.machine.LibreTranslate"
    settings.TRANSLATION_MACHINE_URL = f"http://127.0.0.1:{server.server_port}"
    FakeLibreTranslate.requests = []
    yield FakeLibreTranslate
    server.shutdown()
    server.server_close()


@pytest.fixture
def translator(db):
    return translator_user()


@pytest.fixture
def drafted(editor, physician_user, publisher, translator, machine):
    translation = editing.start_translation(
        english_page(editor, physician_user, publisher), "es", translator
    )
    editing.machine_draft(translation, translator)
    return translation


def test_the_machine_fills_every_segment_marked_machine_and_unchecked(drafted, machine):
    """Each segment went to the server from English to Spanish and came back marked."""
    assert {(r["source"], r["target"]) for r in machine.requests} == {("en", "es")}
    segments = list(drafted.ordered_segments())
    assert all(s.origin == Origin.MACHINE and s.unchecked_machine for s in segments)
    assert drafted.segments.get(label="Title").text == SPANISH["title"]


def test_a_page_with_an_unchecked_machine_segment_cannot_be_submitted(drafted, translator):
    """Submitting names the unchecked machine segment."""
    for segment in drafted.ordered_segments():
        if segment.label != "Answer 1":
            editing.confirm_segment(segment, translator)
    with pytest.raises(
        workflow.WorkflowError,
        match="“Answer 1” is a machine translation no person has edited or confirmed",
    ):
        workflow.submit_for_review(drafted, translator)
    with pytest.raises(workflow.WorkflowError):
        workflow.sign_off(drafted, spanish_physician(), PASSWORD)


def test_confirmed_and_edited_machine_segments_let_the_page_be_submitted(drafted, translator):
    """A person's confirmation or edit clears the mark; then review can begin."""
    for segment in drafted.ordered_segments():
        if segment.label == "Answer 1":
            editing.write_segment(segment, SPANISH["faq_answer"], translator)
        else:
            editing.confirm_segment(segment, translator)
    answer = drafted.segments.get(label="Answer 1")
    assert answer.origin == Origin.PERSON
    assert not answer.unchecked_machine
    assert drafted.segments.get(label="Title").origin == Origin.MACHINE
    workflow.submit_for_review(drafted, translator)


def test_without_a_backend_there_is_no_machine_draft(editor, physician_user, publisher, translator):
    """The hook is off unless configured."""
    translation = editing.start_translation(
        english_page(editor, physician_user, publisher), "es", translator
    )
    with pytest.raises(TranslationError, match="No machine translator is configured"):
        editing.machine_draft(translation, translator)


def test_a_machine_translator_that_does_not_answer_changes_nothing(
    editor, physician_user, publisher, translator, settings
):
    """A closed port is a clear refusal, not an empty translation."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeLibreTranslate)
    port = server.server_port
    server.server_close()
    settings.TRANSLATION_MACHINE_BACKEND = "translations.machine.LibreTranslate"
    settings.TRANSLATION_MACHINE_URL = f"http://127.0.0.1:{port}"
    translation = editing.start_translation(
        english_page(editor, physician_user, publisher), "es", translator
    )
    with pytest.raises(TranslationError, match="did not answer"):
        editing.machine_draft(translation, translator)
    assert all(s.is_missing for s in translation.ordered_segments())
