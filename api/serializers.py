"""The shapes of the API's answers, read from live publications' stored documents.

Output serializers only: the API never writes. Each one reads a plain dict (a part of a
document, or the dicts built in api.representations), so the answers say exactly what the public
page says. HTML passes the one sanitizer again on the way out, as it does in the public templates.
"""

from datetime import UTC

from django.core.exceptions import ValidationError as ModelValidationError
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api import infobutton
from api.evidence import EvidenceSerializer
from conditions import lookup
from conditions.codes import CodeSystem
from conditions.models import IndicationStatus, LineOfTherapy, TreatmentKind
from tovani.sanitizer import sanitize_html


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details, with the API's code (and parameters) as extension members."""

    type = serializers.URLField(
        help_text="A page saying what the code means and what to do; about:blank for others."
    )
    title = serializers.CharField(help_text="The kind of problem, the same for every occurrence.")
    status = serializers.IntegerField(min_value=400, max_value=599, help_text="The HTTP status.")
    detail = serializers.CharField(help_text="What went wrong this time, in a sentence.")
    instance = serializers.CharField(help_text="The path that was asked for.")
    code = serializers.CharField(
        help_text="A stable code: invalid, not_authenticated, authentication_failed, not_found, "
        "throttled, service_unavailable, …"
    )
    parameters = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For invalid parameters: the messages for each parameter.",
    )


class SanitizedHTMLField(serializers.CharField):
    def to_representation(self, value):
        return sanitize_html(value)


class RichTextSerializer(serializers.Serializer):
    html = SanitizedHTMLField(help_text="Sanitized HTML, citations linked as superscripts.")
    text = serializers.CharField(help_text="The same text, plain; citations as [1].")


class CodeSerializer(serializers.Serializer):
    system = serializers.ChoiceField(choices=CodeSystem.choices)
    code = serializers.CharField()
    qualifier = serializers.CharField(help_text="Shown in brackets after the code; may be empty.")
    lookup_only = serializers.BooleanField(
        default=False,
        help_text="Not shown in the page's codes line: a code partners' systems find the page by.",
    )


class IndicationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=IndicationStatus.choices)
    label = serializers.CharField()


class PhysicianSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="As signed: “Ben Soffer”.")
    credentials = serializers.CharField(help_text="As signed: “DO”.")
    signature = serializers.CharField(help_text="“Dr. Ben Soffer, DO”.")


class LastReviewedSerializer(serializers.Serializer):
    date = serializers.DateField(help_text="The day the physician signed off this content.")
    reviewed_at = serializers.DateTimeField(default_timezone=UTC)
    physician = PhysicianSerializer()


class ReviewSerializer(LastReviewedSerializer):
    meaning = serializers.CharField(help_text="What the signature attests.")
    stamp = serializers.CharField(help_text="The stamp as the public page shows it.")
    reviewer_url = serializers.URLField(help_text="The reviewer's public profile.")
    first_published = serializers.DateTimeField(
        default_timezone=UTC, help_text="When the page was first published."
    )
    last_updated = serializers.DateTimeField(
        default_timezone=UTC, help_text="When this version was published."
    )
    next_review_due = serializers.DateField(
        help_text="The day this review expires: the page is reviewed again by then."
    )
    evidence_reviewed_through = serializers.RegexField(
        r"^\d{4}-\d{2}$",
        allow_null=True,
        help_text="YYYY-MM: the month up to which the evidence was reviewed, as signed; "
        "null when the page does not state it.",
    )
    change_summary = serializers.CharField(
        allow_blank=True, help_text="What changed in this version, as the physician approved it."
    )
    clinically_significant = serializers.BooleanField(
        help_text="The change altered clinical advice, not only wording."
    )


class StoredManifestEntrySerializer(serializers.Serializer):
    """What a manifest entry says of its publication: rendered once, when it is published."""

    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The public page.")
    api_url = serializers.URLField(help_text="This page's whole document in the API.")
    digest = serializers.CharField(
        help_text="sha256 of the published document: it changes exactly when the content does."
    )
    publication_id = serializers.IntegerField(
        min_value=1, help_text="The live publication: a new one each time the page is published."
    )
    first_published = serializers.DateTimeField(
        default_timezone=UTC, help_text="When the page was first published."
    )
    last_published = serializers.DateTimeField(
        default_timezone=UTC, help_text="When the live version was published."
    )
    last_reviewed = LastReviewedSerializer(help_text="The sign-off of the live version.")
    next_review_due = serializers.DateField(
        help_text="The day the live version's review expires: the page is reviewed again by then."
    )


class ManifestEntrySerializer(StoredManifestEntrySerializer):
    evidence = EvidenceSerializer(help_text="Where the evidence the page cites stands.")


class ManifestSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    results = ManifestEntrySerializer(many=True, help_text="Every live page, by slug.")


class ConditionSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The public page.")
    api_url = serializers.URLField(help_text="This page's whole document in the API.")
    codes = CodeSerializer(many=True)
    summary = serializers.CharField(help_text="One or two plain sentences.")
    regulatory_notice = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="The page's regulatory status notice: show it wherever the summary is shown.",
    )
    clinic_indication = IndicationSerializer()
    last_reviewed = LastReviewedSerializer()
    published_at = serializers.DateTimeField(default_timezone=UTC)
    digest = serializers.CharField(
        help_text="sha256 of the published document: it changes exactly when the content does."
    )
    publication_id = serializers.IntegerField(
        help_text="The live publication: a new one at each publish (the manifest's and the "
        "webhooks' publication_id)."
    )


class KeyPointSerializer(RichTextSerializer):
    citations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), help_text="Reference numbers cited."
    )


class ComparisonSerializer(RichTextSerializer):
    name = serializers.CharField(help_text="The related condition: “OCD”.")
    related_slug = serializers.CharField(
        allow_blank=True, help_text="The related condition's page, when it has one; else empty."
    )


class TreatmentEntrySerializer(RichTextSerializer):
    name = serializers.CharField()
    slug = serializers.SlugField()
    kind = serializers.ChoiceField(choices=TreatmentKind.choices)
    summary = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="What the treatment is, as every page listing it says (the treatment's own "
        "summary); the text below is what it means for this condition.",
    )
    line = serializers.ChoiceField(choices=LineOfTherapy.choices)
    line_label = serializers.CharField()


class TreatmentGroupSerializer(serializers.Serializer):
    line = serializers.ChoiceField(choices=LineOfTherapy.choices, help_text="Line of therapy.")
    heading = serializers.CharField()
    treatments = TreatmentEntrySerializer(many=True)


class ClinicFitSerializer(RichTextSerializer):
    status = serializers.ChoiceField(choices=IndicationStatus.choices)
    status_label = serializers.CharField()


class FAQSerializer(RichTextSerializer):
    question = serializers.CharField()


class ReferenceSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, help_text="As cited in the text.")
    citekey = serializers.CharField()
    authors = serializers.ListField(child=serializers.CharField())
    short_authors = serializers.CharField()
    kind = serializers.CharField(
        required=False, help_text="article, book, chapter, thesis or web (a web page)."
    )
    et_al = serializers.BooleanField(
        required=False, help_text="The source names only the first authors: cite them with et al."
    )
    title = serializers.CharField()
    journal = serializers.CharField(allow_blank=True, help_text="Journal articles only.")
    book_title = serializers.CharField(required=False, allow_blank=True)
    publisher = serializers.CharField(
        required=False, allow_blank=True, help_text="Publisher, university, or a web page's site."
    )
    url = serializers.CharField(required=False, allow_blank=True)
    accessed = serializers.CharField(
        required=False, allow_blank=True, help_text="ISO date a web page was read."
    )
    year = serializers.IntegerField()
    volume = serializers.CharField(allow_blank=True)
    issue = serializers.CharField(allow_blank=True)
    pages = serializers.CharField(allow_blank=True)
    pmid = serializers.CharField(allow_blank=True, help_text="PubMed ID, digits; may be empty.")
    doi = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)
    pubmed_url = serializers.CharField(allow_blank=True)
    doi_url = serializers.CharField(allow_blank=True)
    formatted = serializers.CharField(help_text="AMA 11th edition citation.")


class VerificationSerializer(serializers.Serializer):
    payload = serializers.CharField(
        help_text="The exact string the site signed: canonical JSON of slug, digest, the "
        'physician\'s signature line, signed at, published at and key id; with "version": 2, '
        "also source_digest and representation_digest, the sha256 hex of the RFC 8785 form of "
        "the detail without its verification member."
    )
    signature = serializers.CharField(help_text="Ed25519 signature of payload, base64url.")
    key_id = serializers.CharField(
        help_text="The kid of the public key in /.well-known/tovani-keys.json that verifies it."
    )


class HistoryEntrySerializer(serializers.Serializer):
    published_at = serializers.DateTimeField(default_timezone=UTC)
    title = serializers.CharField()
    digest = serializers.CharField()
    last_reviewed = LastReviewedSerializer()
    reviewer_url = serializers.URLField()
    change_summary = serializers.CharField(allow_blank=True)
    clinically_significant = serializers.BooleanField()
    verification = VerificationSerializer(
        help_text="The site's signature over this publication's record: its payload (first "
        "form) names slug, digest, the physician's signature line, signed at and published at."
    )


class HistorySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    count = serializers.IntegerField(min_value=1)
    results = HistoryEntrySerializer(many=True, help_text="Every publication, newest first.")


class ConditionDetailSerializer(serializers.Serializer):
    # Added when the detail is served, outside the JSON stored and signed at publish.
    evidence = EvidenceSerializer(
        required=False, help_text="Where the evidence the page cites stands, as of now."
    )
    slug = serializers.SlugField()
    title = serializers.CharField()
    url = serializers.URLField(help_text="The public page.")
    page_label = serializers.CharField()
    codes = CodeSerializer(many=True)
    codes_line = serializers.CharField(allow_blank=True)
    summary = serializers.CharField()
    search_phrases = serializers.ListField(child=serializers.CharField())
    key_points = KeyPointSerializer(many=True)
    clinical_definition = RichTextSerializer()
    comparisons = ComparisonSerializer(many=True)
    treatment_groups = TreatmentGroupSerializer(many=True)
    standard_treatments_fail = RichTextSerializer()
    ketamine_fit = RichTextSerializer()
    clinic_fit = ClinicFitSerializer()
    faqs = FAQSerializer(many=True)
    regulatory_notice = serializers.CharField(
        allow_blank=True,
        default="",
        help_text="The regulatory status the page states (such as an off-label use), as the "
        "physician signed it: show it with the page.",
    )
    references = ReferenceSerializer(many=True)
    review = ReviewSerializer()
    reading_grade = serializers.FloatField(
        allow_null=True,
        help_text="Flesch-Kincaid grade of the page's running text; null if too short to grade.",
    )
    published_at = serializers.DateTimeField(default_timezone=UTC)
    digest = serializers.CharField()
    publication_id = serializers.IntegerField(
        help_text="The live publication: a new one at each publish (the manifest's and the "
        "webhooks' publication_id)."
    )
    document_schema = serializers.IntegerField(help_text="Version of the document's shape.")
    verification = VerificationSerializer(
        help_text="The site's signature over this publication, for anyone to verify."
    )


class TreatmentUseSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The condition page.")
    title = serializers.CharField()
    url = serializers.URLField()
    api_url = serializers.URLField()
    line = serializers.ChoiceField(choices=LineOfTherapy.choices)
    line_label = serializers.CharField()


class TreatmentUseDetailSerializer(TreatmentUseSerializer):
    description = RichTextSerializer(help_text="What the treatment means for this condition.")


class TreatmentSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField(
        help_text="As the most recently reviewed live page presenting it names it; the same "
        "rule as the public treatment page."
    )
    kind = serializers.ChoiceField(choices=TreatmentKind.choices)
    summary = serializers.CharField(
        allow_blank=True, help_text="What the treatment is; the public treatment page's summary."
    )
    api_url = serializers.URLField()
    conditions = TreatmentUseSerializer(many=True)


class TreatmentDetailSerializer(TreatmentSerializer):
    conditions = TreatmentUseDetailSerializer(many=True)


class TreatmentListSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    results = TreatmentSerializer(many=True)


class MovedToSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = serializers.URLField(help_text="The public page at its new address.")
    api_url = serializers.URLField(help_text="The page's detail at its new address.")


class WithdrawalSerializer(serializers.Serializer):
    slug = serializers.SlugField(help_text="The address no longer published: take it down.")
    title = serializers.CharField(help_text="The title it had when last published.")
    withdrawn_at = serializers.DateTimeField(default_timezone=UTC)
    reason = serializers.ChoiceField(
        choices=[
            ("unpublished", "The page was unpublished."),
            ("moved", "The page is now published at another address."),
        ]
    )
    moved_to = MovedToSerializer(
        allow_null=True,
        help_text=(
            "Where a moved page lives now (the old address answers 301 there); null when it "
            "was unpublished, or moved and no longer live."
        ),
    )


class WithdrawalListSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0)
    results = WithdrawalSerializer(many=True)


@extend_schema_field({"type": "string", "maxLength": 200, "pattern": "^[^\\x00]*$"})
class SearchTextField(serializers.CharField):
    """Free text with no NUL (stored text cannot hold one). Empty is refused, as the schema's
    minLength says; text of only spaces searches for nothing in particular."""

    def run_validation(self, data=serializers.empty):
        if isinstance(data, str) and data and not data.strip():
            return ""
        return super().run_validation(data)


class UpdatedSinceSerializer(serializers.Serializer):
    updated_since = serializers.DateTimeField(
        required=False,
        default_timezone=UTC,
        help_text="ISO 8601; without an offset, UTC. Only what changed at or after this time.",
    )


class ConditionFilterSerializer(UpdatedSinceSerializer):
    code = serializers.RegexField(
        r"^(DSM-5|ICD-11|ICD-10-CM):[A-Za-z0-9.&/]+$",
        required=False,
        help_text="A clinical code as SYSTEM:CODE, for example ICD-11:6B20 or DSM-5:300.3.",
    )
    q = SearchTextField(
        required=False,
        max_length=200,
        help_text="Words to find, all of them, in title, summary, codes or search phrases.",
    )
    status = serializers.ChoiceField(
        choices=IndicationStatus.choices,
        required=False,
        help_text="The clinic's indication status.",
    )


class CodeLookupQuerySerializer(serializers.Serializer):
    """A code to look up: as system and code, or in HL7 Infobutton's URL form."""

    system = serializers.ChoiceField(
        choices=lookup.LookupSystem.choices,
        required=False,
        help_text="The code's system, by name. A DSM-5 code on a page is found by ICD-9-CM "
        "(300.3) and ICD-10-CM (F42.2) lookups too.",
    )
    code = serializers.CharField(
        required=False,
        max_length=60,
        help_text="The code, such as F42.2, 6B20 or 191736004; ICD-10-CM also without its dot.",
    )

    def get_fields(self):
        # Infobutton's names hold dots, which no Python attribute can.
        return {
            **super().get_fields(),
            infobutton.CODE_PARAMETER: serializers.CharField(
                source="infobutton_code",
                required=False,
                max_length=60,
                help_text="Infobutton form: the code (with mainSearchCriteria.v.cs).",
            ),
            infobutton.SYSTEM_PARAMETER: serializers.ChoiceField(
                source="infobutton_system",
                choices=[(oid, f"{oid}: {name}") for oid, name in infobutton.OIDS.items()],
                required=False,
                help_text="Infobutton form: the code system's OID. "
                + ", ".join(f"{oid} {name}" for oid, name in infobutton.OIDS.items())
                + ".",
            ),
            infobutton.NAME_PARAMETER: serializers.CharField(
                source="display_name",
                required=False,
                allow_blank=True,
                trim_whitespace=False,
                help_text="Infobutton form: the code's display name. Accepted, not used.",
            ),
            infobutton.RESPONSE_TYPE_PARAMETER: serializers.ChoiceField(
                source="response_type",
                choices=list(infobutton.RESPONSE_TYPES),
                required=False,
                help_text="text/xml or application/atom+xml: an Atom feed, as MedlinePlus "
                "Connect gives (the default of the Infobutton form), served as the type asked "
                "for; application/json: the same "
                'feed as MedlinePlus\'s JSON, {"feed": …} (the flat answer with shape=flat). '
                "Without it, the system and code form answers the flat JSON.",
            ),
            "shape": serializers.ChoiceField(
                choices=[
                    ("feed", "MedlinePlus's JSON form of the Atom feed"),
                    ("flat", "system, code, match, count and results"),
                ],
                required=False,
                help_text="With knowledgeResponseType=application/json: feed (the default) or "
                "flat.",
            ),
        }

    def validate(self, data):
        if data.keys() & {"system", "code"} and data.keys() & {
            "infobutton_code",
            "infobutton_system",
        }:
            raise serializers.ValidationError(
                {
                    "code": [
                        "Send system and code, or the mainSearchCriteria.v parameters: one form."
                    ]
                }
            )
        if data.keys() & {"infobutton_code", "infobutton_system"}:
            names = (infobutton.CODE_PARAMETER, infobutton.SYSTEM_PARAMETER)
            code, oid = data.get("infobutton_code"), data.get("infobutton_system")
            system = infobutton.OIDS.get(oid)
        else:
            names = ("code", "system")
            code, system = data.get("code"), data.get("system")
        if code is None:
            raise serializers.ValidationError({names[0]: ["Give the code to look up."]})
        if system is None:
            raise serializers.ValidationError({names[1]: ["Give the code's system."]})
        try:
            code = lookup.normalized(system, code)
        except ModelValidationError as error:
            raise serializers.ValidationError({names[0]: error.message_dict["code"]}) from None
        return {
            "system": system,
            "code": code,
            "answer": infobutton.answer_kind(data),
            "atom_type": infobutton.atom_type(data),
        }


class AtomLookupQuerySerializer(CodeLookupQuerySerializer):
    """The lookup answered in Atom alone: knowledgeResponseType may name only Atom's types."""

    def get_fields(self):
        fields = super().get_fields()
        del fields["shape"]
        fields[infobutton.RESPONSE_TYPE_PARAMETER] = serializers.ChoiceField(
            source="response_type",
            choices=[infobutton.ATOM, infobutton.XML],
            required=False,
            help_text="application/atom+xml (the default) or text/xml: the answer's media type.",
        )
        return fields


class LookupCodeSerializer(serializers.Serializer):
    system = serializers.ChoiceField(choices=CodeSystem.choices)
    code = serializers.CharField()
    lookup_only = serializers.BooleanField(help_text="Not shown in the page's codes line.")


class LookupReviewSerializer(LastReviewedSerializer):
    stamp = serializers.CharField(help_text="The stamp as the public page shows it.")
    reviewer_url = serializers.URLField(help_text="The reviewer's public profile.")


class AttributionSerializer(serializers.Serializer):
    site_name = serializers.CharField(help_text="Name the library when showing the page.")
    url = serializers.URLField(help_text="Link to the public page.")
    text = serializers.CharField(help_text="A credit line: title, library, reviewer, address.")


class LookupResultSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField(help_text="One or two plain sentences.")
    url = serializers.URLField(help_text="The public page.")
    api_url = serializers.URLField(help_text="This page's whole document in the API.")
    matched_codes = LookupCodeSerializer(many=True, help_text="The page's codes that matched.")
    review = LookupReviewSerializer()
    published_at = serializers.DateTimeField(default_timezone=UTC)
    attribution = AttributionSerializer()


class CodeLookupSerializer(serializers.Serializer):
    system = serializers.ChoiceField(choices=lookup.LookupSystem.choices)
    code = serializers.CharField(help_text="The code looked up, as pages store it (F42.2).")
    match = serializers.ChoiceField(
        choices=[
            (lookup.EXACT, "Pages coded with the code itself."),
            (lookup.NARROWER, "None had it: pages coded within it (F42.2 for F42)."),
            (lookup.BROADER, "None had it or one within it: pages of the nearest broader code."),
        ],
        allow_null=True,
        help_text="How the results match; null when none does.",
    )
    count = serializers.IntegerField(min_value=0)
    results = LookupResultSerializer(many=True, help_text="Live pages, by title.")
