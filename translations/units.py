"""The units a page is translated in: the document's own parts, as the editor typed them.

Each unit has a stable key (a part's row, never its position, so reordering or adding a FAQ
makes no other unit stale), a label a translator reads, its place in the published document
(path) and whether it is Markdown (rendered as the English is) or plain text.
"""

from dataclasses import asdict, dataclass

from conditions.documents import _ordered_treatments, regulatory_notice
from conditions.models import Condition
from editorial.models import EditorialPage, sections

MARKDOWN = "markdown"
PLAIN = "plain"


@dataclass(frozen=True)
class Unit:
    key: str
    label: str
    path: list
    format: str
    text: str

    def as_dict(self) -> dict:
        return asdict(self)


def units_of(page) -> list[Unit]:
    """The translatable units of an English page's current content, in reading order."""
    if isinstance(page, Condition):
        return [unit for unit in _condition_units(page) if unit.text.strip()]
    if isinstance(page, EditorialPage):
        return [unit for unit in _statement_units(page) if unit.text.strip()]
    raise TypeError(f"{type(page).__name__} pages are not translated.")


def _condition_units(condition):
    condition = Condition.objects.with_parts().get(pk=condition.pk)
    yield Unit("title", "Title", ["title"], PLAIN, condition.title)
    yield Unit("page_label", "Page label", ["page_label"], PLAIN, condition.page_label)
    yield Unit("summary", "Summary", ["summary"], PLAIN, condition.summary.strip())
    for n, point in enumerate(condition.key_points.all()):
        yield Unit(
            f"key_point:{point.pk}", f"Key point {n + 1}", ["key_points", n], MARKDOWN, point.text
        )
    yield Unit(
        "clinical_definition",
        "Clinical definition",
        ["clinical_definition"],
        MARKDOWN,
        condition.clinical_definition,
    )
    for n, comparison in enumerate(condition.comparisons.all()):
        label = f"Comparison with {comparison.name}"
        yield Unit(
            f"comparison:{comparison.pk}:name",
            f"{label} (name)",
            ["comparisons", n, "name"],
            PLAIN,
            comparison.name,
        )
        yield Unit(
            f"comparison:{comparison.pk}", label, ["comparisons", n], MARKDOWN, comparison.text
        )
    # Where each treatment sits in the document: its group (in order of first appearance) and
    # its place within the group, as conditions.documents builds them.
    groups: dict[str, int] = {}
    for item in _ordered_treatments(condition):
        group = list(groups).index(item.line_of_therapy) if item.line_of_therapy in groups else None
        if group is None:
            group = len(groups)
            groups[item.line_of_therapy] = 0
        within = groups[item.line_of_therapy]
        groups[item.line_of_therapy] += 1
        yield Unit(
            f"treatment:{item.pk}",
            f"Treatment: {item.treatment.name}",
            ["treatment_groups", group, "treatments", within],
            MARKDOWN,
            item.description,
        )
    for name, label in [
        ("standard_treatments_fail", "When standard treatments fail"),
        ("ketamine_fit", "Where ketamine fits"),
        ("clinic_fit", "Where this fits with the clinic"),
    ]:
        yield Unit(name, label, [name], MARKDOWN, getattr(condition, name))
    for n, faq in enumerate(condition.faqs.all()):
        yield Unit(
            f"faq:{faq.pk}:question",
            f"Question {n + 1}",
            ["faqs", n, "question"],
            PLAIN,
            faq.question.strip(),
        )
        yield Unit(f"faq:{faq.pk}:answer", f"Answer {n + 1}", ["faqs", n], MARKDOWN, faq.answer)
    yield Unit(
        "regulatory_notice",
        "Regulatory notice",
        ["regulatory_notice"],
        PLAIN,
        regulatory_notice(condition),
    )


def _statement_units(page):
    yield Unit("title", "Title", ["title"], PLAIN, page.title.strip())
    yield Unit("summary", "Summary", ["summary"], PLAIN, page.summary.strip())
    for n, (heading, text) in enumerate(sections(page.body)):
        # Keyed by position: a statement's sections have no rows of their own.
        if heading:
            yield Unit(
                f"section:{n}:heading",
                f"Section {n + 1} heading",
                ["sections", n, "heading"],
                PLAIN,
                heading,
            )
        yield Unit(f"section:{n}", f"Section {n + 1}", ["sections", n], MARKDOWN, text)
