"""The one document builder for condition pages, and the source a physician signs.

build_condition_document() turns a condition's draft rows into plain, deterministic JSON data:
Markdown rendered and sanitized, citations numbered by first appearance, references formatted.
Preview, review diff, publication, public page and API all read this one document.

build_condition_source() gathers what that document is made from, as typed: the Markdown
sources, the structured fields, and the fields of every cited reference and listed treatment.
Its digest is what a physician signs, so an upgrade of Markdown or the sanitizer changes no
approval, while anything an editor can change that a reader would see does.
"""

from django.conf import settings

from conditions.choices import LineOfTherapy, TreatmentKind
from references.citations import CitationNumbering, citekeys_in
from references.formatting import reference_entry
from references.models import Reference
from tovani.read_once import once, sharing
from tovani.rendering import markdown_to_text, render_markdown

DOCUMENT_SCHEMA = 2
SOURCE_SCHEMA = 1

TREATMENT_GROUP_HEADINGS = {
    LineOfTherapy.FIRST_LINE: "First-line treatments",
    LineOfTherapy.ESCALATION: "Escalation treatments",
    LineOfTherapy.SPECIALIST: "Specialist treatments",
    LineOfTherapy.INVESTIGATIONAL: "Investigational treatments",
}
_LINE_RANK = {line: rank for rank, line in enumerate(LineOfTherapy.values)}


def with_parts(condition):
    """The page as stored, with its parts; read once on a screen that only reads
    (tovani.read_once), so its digest, document and comment anchors share one read."""
    model = type(condition)
    return once(
        ("with_parts", model, condition.pk),
        lambda: model.objects.with_parts().get(pk=condition.pk),
    )


def seed_with_parts(condition):
    """On a screen that only reads: condition, its parts prefetched, is what with_parts gives."""
    once(("with_parts", type(condition), condition.pk), lambda: condition)


def shown_rows(condition, accessor):
    """The page's rows of one part as with_parts read them, or None when it did not."""
    stored = with_parts(condition)
    if accessor not in getattr(stored, "_prefetched_objects_cache", {}):
        return None
    return getattr(stored, accessor).all()


def attached_references(condition) -> list:
    """The references attached to the page, by citekey; once a screen, like with_parts."""
    return once(
        ("attached_references", type(condition), condition.pk),
        lambda: _attached_references(condition),
    )


def _attached_references(condition) -> list:
    # The change screen reads them with the page, for its form (conditions.admin).
    shown = shown_rows(condition, "references") if sharing() else None
    return list(shown if shown is not None else condition.references.order_by("citekey"))


def cited_references(cited, attached=None) -> list:
    """The library's references with these citekeys, in citekey order (the database's
    collation: the source digest lists them so); once a screen, like with_parts.

    attached: the page's attached references in that order, when already read; if they hold
    every cited key they are the answer (a citekey names one reference), else the library is
    asked."""
    keys = frozenset(cited)
    return once(("cited_references", keys), lambda: _cited_references(keys, attached))


def _cited_references(keys, attached) -> list:
    found = [ref for ref in attached or [] if ref.citekey in keys]
    if attached is not None and len(found) == len(keys):
        return found
    return list(Reference.objects.with_citekeys(keys).order_by("citekey"))


def cited_references_of(condition, cited) -> list:
    """cited_references(cited), from the page's attached references when the change screen
    read them with the page (saving a page attaches what it cites)."""
    attached = shown_rows(condition, "references") if sharing() else None
    return cited_references(cited, attached)


def build_condition_document(condition) -> dict:
    condition = with_parts(condition)
    sources = markdown_sources(condition)
    cited = {key for source in sources for key in citekeys_in(source)}
    library = {ref.citekey: ref for ref in cited_references_of(condition, cited)}
    numbering = CitationNumbering(library)
    rich = _RichText(numbering)

    # Built in reading order: that order numbers the citations.
    document = {
        "schema": DOCUMENT_SCHEMA,
        "kind": "condition",
        "slug": condition.slug,
        "title": condition.title,
        "page_label": condition.page_label,
        "codes": [_code(code) for code in condition.codes.all()],
        "codes_line": " / ".join(
            code.display for code in condition.codes.all() if not code.lookup_only
        ),
        "summary": condition.summary.strip(),
        "search_phrases": [p.phrase.strip() for p in condition.search_phrases.all()],
        "key_points": [
            {**rich(point.text), "citations": numbering.numbers_in(point.text)}
            for point in condition.key_points.all()
        ],
        "clinical_definition": rich(condition.clinical_definition, tables=True),
        "comparisons": [_comparison(c, rich) for c in condition.comparisons.all()],
        "treatment_groups": _treatment_groups(condition, rich),
        "standard_treatments_fail": rich(condition.standard_treatments_fail, tables=True),
        "ketamine_fit": rich(condition.ketamine_fit, tables=True),
        "clinic_fit": {
            "status": condition.clinic_indication_status,
            "status_label": condition.get_clinic_indication_status_display(),
            **rich(condition.clinic_fit, tables=True),
        },
        "faqs": [
            {"question": faq.question.strip(), **rich(faq.answer)} for faq in condition.faqs.all()
        ],
        "regulatory_notice": regulatory_notice(condition),
    }
    document["references"] = [
        reference_entry(library[key], number) for key, number in numbering.numbers.items()
    ]
    document["unresolved_citations"] = sorted(numbering.unknown)
    for entry in document["references"]:
        entry["cited_at"] = numbering.anchors(entry["number"])
    # Only when set, so that pages signed before the field existed keep their digest.
    if condition.evidence_reviewed_through:
        document["evidence_reviewed_through"] = f"{condition.evidence_reviewed_through:%Y-%m}"
    return document


def build_condition_source(condition) -> dict:
    """Everything the document shows, before rendering: the content a physician signs."""
    condition = with_parts(condition)
    cited = {key for source in markdown_sources(condition) for key in citekeys_in(source)}
    return {
        "schema": SOURCE_SCHEMA,
        "kind": "condition",
        **{name: getattr(condition, name) for name in _SOURCE_FIELDS},
        "regulatory_notice": regulatory_notice(condition),
        **_later_page_fields(condition),
        "codes": [_code(code) for code in condition.codes.all()],
        "search_phrases": [p.phrase for p in condition.search_phrases.all()],
        "key_points": [point.text for point in condition.key_points.all()],
        "comparisons": [
            {
                "name": c.name,
                "related_slug": c.related_condition.slug if c.related_condition else "",
                "text": c.text,
            }
            for c in condition.comparisons.all()
        ],
        "treatments": [_treatment_source(item) for item in _ordered_treatments(condition)],
        "faqs": [{"question": f.question, "answer": f.answer} for f in condition.faqs.all()],
        "references": [_reference_source(ref) for ref in cited_references_of(condition, cited)],
    }


def _later_page_fields(condition) -> dict:
    # Added after pages were first signed: part of the source only once set (see below).
    through = condition.evidence_reviewed_through
    return {"evidence_reviewed_through": f"{through:%Y-%m}"} if through else {}


def _reference_source(ref) -> dict:
    source = {name: getattr(ref, name) for name in _REFERENCE_FIELDS}
    for name, unset in _LATER_REFERENCE_FIELDS.items():
        value = getattr(ref, name)
        if value != unset:
            source[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return source


# The fields the page shows, as stored, not as formatted: a new citation style is not a change
# of what was signed. A retraction is not shown; it blocks publishing on its own.
_REFERENCE_FIELDS = [
    "citekey",
    "authors",
    "title",
    "journal",
    "year",
    "volume",
    "issue",
    "pages",
    "pmid",
    "doi",
    "pmcid",
    "note",
]

# Fields references gained after pages were first signed, each with the value it has when unused.
# They join the source only when set, so a sign-off given before they existed still approves the
# same content, and setting one (a book's publisher, "et al.") is a change a physician must sign.
_LATER_REFERENCE_FIELDS = {
    "kind": "article",
    "et_al": False,
    "book_title": "",
    "editors": "",
    "edition": "",
    "publisher": "",
    "url": "",
    "accessed": None,
}


_SOURCE_FIELDS = [
    "slug",
    "title",
    "page_label",
    "summary",
    "clinical_definition",
    "standard_treatments_fail",
    "ketamine_fit",
    "clinic_indication_status",
    "clinic_fit",
]


def _treatment_source(item) -> dict:
    treatment = item.treatment
    return {
        "line": item.line_of_therapy,
        "description": item.description,
        "name": treatment.name,
        "slug": treatment.slug,
        "kind": treatment.kind,
        "summary": treatment.summary,
    }


def regulatory_notice(condition) -> str:
    """The page's own notice, or the site-wide one: part of what the physician signs."""
    return " ".join(condition.regulatory_notice.split()) or settings.DEFAULT_REGULATORY_NOTICE


def markdown_sources(condition) -> list[str]:
    """Every Markdown text of the page, in reading order."""
    return [
        *(point.text for point in condition.key_points.all()),
        condition.clinical_definition,
        *(comparison.text for comparison in condition.comparisons.all()),
        *(item.description for item in _ordered_treatments(condition)),
        condition.standard_treatments_fail,
        condition.ketamine_fit,
        condition.clinic_fit,
        *(faq.answer for faq in condition.faqs.all()),
    ]


# The long sections of a page: only these render Markdown pipe tables (Condition.clean() asks
# each table for a caption); in short texts a table would not fit, and stays text.
TABLE_SECTIONS = ("clinical_definition", "standard_treatments_fail", "ketamine_fit", "clinic_fit")


class _RichText:
    """Renders one Markdown text to sanitized HTML and plain text, numbering its citations."""

    def __init__(self, numbering: CitationNumbering):
        self.numbering = numbering

    def __call__(self, source: str, tables: bool = False) -> dict:
        source = (source or "").strip()
        return {
            "html": render_markdown(self.numbering.to_html(source), tables=tables),
            "text": markdown_to_text(self.numbering.to_text(source), tables=tables),
        }


def _code(code) -> dict:
    found = {"system": code.system, "code": code.code, "qualifier": code.qualifier}
    # Only when set, as the fields in _LATER_REFERENCE_FIELDS: pages signed before codes could
    # be for lookup only keep their digest; making a code one is a change the physician signs.
    if code.lookup_only:
        found["lookup_only"] = True
    return found


def _comparison(comparison, rich) -> dict:
    related = comparison.related_condition
    return {
        "name": comparison.name,
        "related_slug": related.slug if related else "",
        **rich(comparison.text),
    }


def _ordered_treatments(condition):
    items = list(condition.condition_treatments.all())
    return sorted(
        items, key=lambda item: (_LINE_RANK[item.line_of_therapy], item.sort_order, item.pk)
    )


def _treatment_groups(condition, rich) -> list[dict]:
    groups = {}
    for item in _ordered_treatments(condition):
        group = groups.setdefault(
            item.line_of_therapy,
            {
                "line": item.line_of_therapy,
                "heading": TREATMENT_GROUP_HEADINGS[item.line_of_therapy],
                "treatments": [],
            },
        )
        group["treatments"].append(
            {
                "name": item.treatment.name,
                "slug": item.treatment.slug,
                "kind": item.treatment.kind,
                "kind_label": item.treatment.get_kind_display(),
                "summary": item.treatment.summary.strip(),
                "line": item.line_of_therapy,
                "line_label": item.get_line_of_therapy_display(),
                **rich(item.description),
            }
        )
    return list(groups.values())


# The sections of review_outline() that are running text (not codes, phrases or references).
PROSE_SECTIONS = frozenset(
    [
        "Summary",
        "The short version",
        "Clinical definition",
        "How it differs from related conditions",
        "Treatments",
        "When standard treatments fail",
        "Where ketamine fits",
        "Where this fits with the clinic",
        "Frequently asked",
    ]
)


def review_outline(document: dict, shared: dict | None = None) -> list[tuple[str, list[str]]]:
    """The document as a reviewer reads it: each section's plain-text items, in page order.

    shared maps a treatment's slug to the number of other pages showing its summary, so the
    reviewer knows a summary is not this page's alone.
    """

    def text(*parts):
        return [part for part in parts if part]

    codes = [
        " ".join(filter(None, [code["system"], code["code"], code["qualifier"]]))
        + (" (for lookup only: not shown on the page)" if code.get("lookup_only") else "")
        for code in document["codes"]
    ]
    listed = [item for group in document["treatment_groups"] for item in group["treatments"]]
    treatments = [
        f"{item['line_label']} · {item['name']} ({_kind_label(item)}): {item['text']}"
        for item in listed
    ]
    clinic = document["clinic_fit"]
    return [
        ("Title", text(document["title"])),
        ("Page label", text(document["page_label"])),
        ("Codes", codes),
        ("Summary", text(document["summary"])),
        ("Common ways people search for this", list(document["search_phrases"])),
        ("The short version", [point["text"] for point in document["key_points"]]),
        ("Clinical definition", text(document["clinical_definition"]["text"])),
        (
            "How it differs from related conditions",
            [f"vs. {item['name']}: {item['text']}" for item in document["comparisons"]],
        ),
        ("Treatments", treatments),
        (SHARED_SUMMARIES, [_shared_summary(item, shared or {}) for item in listed]),
        ("When standard treatments fail", text(document["standard_treatments_fail"]["text"])),
        ("Where ketamine fits", text(document["ketamine_fit"]["text"])),
        ("Regulatory notice", text(document.get("regulatory_notice", ""))),
        ("Where this fits with the clinic", text(clinic["status_label"], clinic["text"])),
        ("Frequently asked", [f"{faq['question']} — {faq['text']}" for faq in document["faqs"]]),
        (
            "References",
            [_reference_item(ref) for ref in document["references"]],
        ),
        (
            "Unresolved citations",
            [f"@{key}" for key in document["unresolved_citations"]],
        ),
    ]


# The section of review_outline() holding the treatments' own summaries, which every page
# listing a treatment shows alike.
SHARED_SUMMARIES = "Treatment summaries (shared)"


def _kind_label(item) -> str:
    return item.get("kind_label") or TreatmentKind(item["kind"]).label


def _shared_summary(item, shared: dict) -> str:
    others = shared.get(item["slug"], 0)
    pages = "page" if others == 1 else "pages"
    return f"{item['name']} (shared with {others} other {pages}): {item.get('summary', '')}"


def _reference_item(ref) -> str:
    """A reference as cited, then what identifies it: its citekey, every author, its IDs."""
    ids = [f"{name} {ref[key]}" for key, name in _IDS if ref.get(key)]
    return " ".join(
        [
            *filter(None, [f"{ref['number']}.", ref["formatted"], ref["note"]]),
            f"(@{ref['citekey']}; authors: {', '.join(ref['authors'])}"
            + "".join(f"; {found}" for found in ids)
            + ")",
        ]
    )


_IDS = [("pmid", "PMID"), ("pmcid", "PMCID"), ("doi", "DOI")]
