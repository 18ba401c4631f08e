"""The page an editor writes in the editor's browser tests, and a counter of the work it takes.

The Treatment-Resistant Depression page: 3 codes, 3 search phrases, 4 key points, a definition,
2 comparisons, 3 treatments, 3 FAQs and 3 references. The counter records what the editor does:
clicks (and picks in a list), screens (full page loads) and the seconds it all takes.
"""

import time

from conditions.models import Treatment, TreatmentKind
from tests.conftest import make_reference

TITLE = "Treatment-Resistant Depression"
SLUG = "treatment-resistant-depression"
SUMMARY = "Depression that has not lifted after two adequate antidepressant trials."
CODES = [
    ("ICD-10-CM", "F33.2", "refractory"),
    ("ICD-11", "6A71", ""),
    ("DSM-5", "296.33", ""),
]
PHRASES = ["ketamine for depression", "depression that won't go away", "TRD treatment"]
KEY_POINTS = [
    "About a third of people with depression do not respond to two antidepressants [@rush2006].",
    "Ketamine can lift symptoms within hours [@murrough2013].",
    "Esketamine nasal spray is approved for TRD [@daly2018].",
    "Psychotherapy stays part of every plan.",
]
DEFINITION = "Major depression that has not responded to two adequate trials [@rush2006]."
COMPARISONS = [
    ("Bipolar depression", "Mood swings to mania call for mood stabilisers first."),
    ("Persistent depressive disorder", "Milder symptoms lasting two years or more."),
]
TREATMENTS = [
    ("Esketamine", "first_line", "Given in the clinic twice a week at first [@daly2018]."),
    ("Electroconvulsive therapy", "escalation", "The most effective option when others fail."),
    ("Ketamine infusion", "specialist", "Six infusions over two to three weeks [@murrough2013]."),
]
FAQS = [
    ("How fast does ketamine work?", "Often within a day [@murrough2013]."),
    ("Is esketamine the same as ketamine?", "It is one of ketamine's two mirror-image forms."),
    ("Do I stop my antidepressant?", "No: it is usually continued."),
]
REFERENCES = {
    "rush2006": (
        "Rush AJ, Trivedi MH, Wisniewski SR",
        "Acute and longer-term outcomes in "
        "depressed outpatients requiring one or several treatment steps",
        2006,
    ),
    "murrough2013": (
        "Murrough JW, Iosifescu DV, Chang LC",
        "Antidepressant efficacy of ketamine in treatment-resistant major depression",
        2013,
    ),
    "daly2018": (
        "Daly EJ, Singh JB, Fedgchin M",
        "Efficacy and safety of intranasal esketamine adjunctive to oral antidepressant therapy",
        2018,
    ),
}
# The near miss the editor types first: the reference's key is lower case.
MISTYPED_KEY = "Murrough2013"


def library():
    """The references and treatments the page uses, already in the library."""
    for citekey, (authors, title, year) in REFERENCES.items():
        make_reference(citekey, authors=authors, title=title, year=year)
    for name, _, _ in TREATMENTS:
        Treatment.objects.create(
            name=name,
            slug=name.lower().replace(" ", "-"),
            kind=TreatmentKind.MEDICATION,
            summary=f"{name}: what it is, in a sentence.",
        )


class Effort:
    """Counts an editor's clicks and screens on one Playwright page, and the time taken."""

    def __init__(self, page):
        self.page = page
        self.clicks = 0
        self.screens = 0
        self.started = time.monotonic()
        page.on("framenavigated", self._screen)

    def _screen(self, frame):
        if frame == self.page.main_frame:
            self.screens += 1

    def click(self, target, **kwargs):
        self.clicks += 1
        locator = self.page.locator(target) if isinstance(target, str) else target
        locator.click(**kwargs)

    def select(self, selector, value):
        self.clicks += 1
        self.page.select_option(selector, value)

    @property
    def seconds(self):
        return round(time.monotonic() - self.started, 1)

    def report(self):
        return {"clicks": self.clicks, "screens": self.screens, "seconds": self.seconds}
