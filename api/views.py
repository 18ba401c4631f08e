"""The partner API: thin views over conditions.selectors (what is live) and the renderings
stored when pages were published (api.representations).

Every answer comes from the read model and the workflow's records; none reads a draft. A page's
JSON and its list entry were rendered when it went live: a detail is the stored bytes with the
site's origin filled in. Authentication and the rate limit are the partners app's DRF classes,
set as the defaults in settings.REST_FRAMEWORK.
"""

import json
from functools import cache as memoize
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.views import APIView

from api import (
    evidence,
    infobutton,
    manifest,
    medlineplus,
    paging,
    rate_headers,
    representations,
    watermark,
)
from api.admission import admitted
from api.errors import PROBLEM_TYPES, problem
from api.http import detail_etag, hashed_json_answer, json_answer
from api.pagination import PublishedOrderCursor
from api.schema import CACHEABLE, IN_LANGUAGE, responses
from api.serializers import (
    AtomLookupQuerySerializer,
    CodeLookupQuerySerializer,
    CodeLookupSerializer,
    ConditionDetailSerializer,
    ConditionFilterSerializer,
    HistorySerializer,
    ManifestSerializer,
    TreatmentDetailSerializer,
    TreatmentListSerializer,
    UpdatedSinceSerializer,
    WithdrawalListSerializer,
)
from api.standard_schemas import ref
from conditions import lookup, selectors
from conditions.models import Condition
from partners import lookup_access
from partners.authentication import API_KEY_HEADER, partner_of
from publishing import renderings
from publishing.page_cache import last_modified, memory_pages, stored_answer
from reviews.history import publications_of
from tovani.http import public
from tovani.replay import replay_while
from tovani.site_url import ORIGIN_PLACEHOLDER, site_origin

# What a parameter the view never sees means when it does: a value the wrapper that handles it
# (translations.partners' lang) could not serve, left for the view to refuse.
_UNKNOWN = {"lang": 'Give "en" or "es": the languages pages are published in.'}


class StrictQuery:
    """Validates the query string: a parameter the endpoint does not know is a 400.

    A misspelt filter (update_since) must not quietly answer the whole library.
    """

    query_serializer = None
    paging_parameters = ()
    # Names of parameters a standard makes clients send that the endpoint accepts and ignores.
    ignored_prefixes = ()

    def perform_content_negotiation(self, request, force=False):
        # The API speaks JSON only, whatever Accept says: no header parsing per request.
        return _JSON, _JSON.media_type

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        unknown = sorted(
            name
            for name in set(request.query_params) - _known_parameters(type(self))
            if not name.startswith(self.ignored_prefixes)
        )
        if unknown:
            raise ValidationError(
                {
                    name: [_UNKNOWN.get(name, "This endpoint has no such parameter.")]
                    for name in unknown
                }
            )
        # Two values for one name: taking either would answer something not asked for.
        repeated = sorted(n for n, v in request.query_params.lists() if len(v) > 1)
        if repeated:
            raise ValidationError({name: ["Give this parameter once."] for name in repeated})

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        standing = getattr(request, "address_standing", None)  # a keyless lookup's
        return rate_headers.add(response, request.auth, standing)

    def query(self) -> dict:
        """The validated query parameters, or a 400 with the reasons."""
        filters = set(self.request.query_params) - set(self.paging_parameters)
        if self.query_serializer is None or not filters:
            return {}
        # A plain dict, not the QueryDict: DRF reads a blank form value as absent, an API must not.
        serializer = self.query_serializer(data=self.request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


_JSON = JSONRenderer()


@memoize
def _known_parameters(view) -> frozenset:
    fields = view.query_serializer().fields if view.query_serializer else {}
    return frozenset([*view.paging_parameters, *fields])


class ConditionList(StrictQuery, APIView):
    query_serializer = ConditionFilterSerializer
    paging_parameters = ("cursor", "page_size")
    pagination_class = PublishedOrderCursor

    @extend_schema(
        operation_id="conditions_list",
        summary="Published condition pages",
        parameters=[
            ConditionFilterSerializer,
            *paging.PAGING_PARAMETERS,
            *CACHEABLE,
            paging.LINK_HEADER,
            watermark.SCHEMA_HEADER,
        ],
        responses=responses(paging.ConditionPageSerializer, not_found=None),
    )
    def get(self, request):
        # The answer depends only on the live set (its stamp) and the query: a process keeps
        # the answers it gave until the next publish or unpublish reaches it.
        stamp = selectors.library_stamp(Condition)
        origin = site_origin(request)
        key = ("api list", origin, settings.API_CACHE_VERSION, str(stamp), request.GET.urlencode())
        answer = memory_pages.get(key)
        if answer is None:
            body, links = self.page(request)
            answer = body.replace(ORIGIN_PLACEHOLDER, origin).encode(), links
            memory_pages.set(key, answer)
        response = hashed_json_answer(request, body=answer[0], last_modified=stamp.changed_at)
        if answer[1]:
            response["Link"] = answer[1]
        watermark.add(response, stamp)
        return replay_while(response, str(stamp), _list_validator, _rate_headers)

    def page(self, request) -> tuple[str, str]:
        """One page of the list, joined from the list entries stored at publish, and its Link
        header."""
        entries = selectors.filter_entries(
            selectors.api_entries(representations.SUMMARY), **self.query()
        )
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(entries, request, self)
        next_url, previous_url = paginator.get_next_link(), paginator.get_previous_link()
        body = (
            f'{{"next":{json.dumps(next_url)},'
            f'"previous":{json.dumps(previous_url)},'
            f'"results":[{",".join(_stored_summary(entry) for entry in page)}]}}'
        )
        return body, paging.link_header(next_url, previous_url)


def _list_validator(request):
    """The live set's stamp a list answer was made under, when the request is admitted (and
    counted) as DRF admits it; the query is the replayed answer's own."""
    if admitted(request, ConditionList) is None:
        return None
    return str(selectors.library_stamp(Condition))


def _stored_summary(entry) -> str:
    if entry.stored is not None:
        return entry.stored
    # Not yet rendered under this API_CACHE_VERSION (the first list after a deploy).
    return renderings.stored(
        entry.publication_id,
        representations.SUMMARY,
        lambda: selectors.publication(entry.publication_id),
    )


class Manifest(StrictQuery, APIView):
    @extend_schema(
        operation_id="manifest",
        summary="Every live page in one answer, to reconcile a partner's copy",
        description=(
            "Slug, addresses, digest and live publication of every published page, with when "
            "it was first and last published, its last review and when the next is due. A "
            "page missing here is no longer published; a digest or publication_id that "
            "differs from the partner's copy means the page changed."
        ),
        parameters=[*IN_LANGUAGE, *CACHEABLE],
        responses=responses(ManifestSerializer, not_found=None),
    )
    def get(self, request):
        return manifest.answer(request)


class ConditionDetail(StrictQuery, APIView):
    """A page's JSON as stored at publish.

    The answer partners ask for most, so its usual case (a GET with a known key, within the
    rate limit, for a live page) is answered before DRF's request handling: the same checks, in
    the same order, from process memory and one shared-cache round trip at most. Anything else
    (no key, a bad key, a query string, a refusal, an unknown page) goes through DRF as usual,
    which answers errors in the API's shape.
    """

    @classmethod
    def as_view(cls, **initkwargs):
        through_drf = super().as_view(**initkwargs)

        def view(request, slug):
            return _stored_detail(request, slug) or through_drf(request, slug=slug)

        # DRF's marks, which the schema generator and the CSRF middleware read.
        view.cls, view.initkwargs, view.csrf_exempt = cls, initkwargs, True
        return view

    @extend_schema(
        operation_id="conditions_retrieve",
        summary="A published condition page, whole",
        parameters=[*IN_LANGUAGE, *CACHEABLE],
        responses=responses(ConditionDetailSerializer),
    )
    def get(self, request, slug):
        return _detail_answer(request, selectors.live_pointer_or_404(Condition, slug, _DETAIL))


_DETAIL = representations.DETAIL


def _detail_answer(request, pointer):
    """The live publication's stored JSON with its evidence, or 304: the same on either path."""
    member = evidence.detail_member(pointer.pk)
    return json_answer(
        request,
        etag=evidence.etag(detail_etag(pointer), member),
        last_modified=last_modified(pointer),
        body=lambda: evidence.with_member(stored_answer(request, pointer, _DETAIL), member),
    )


def _stored_detail(request, slug):
    """The detail answer when nothing about the request needs DRF, else None."""
    if request.method != "GET" or request.GET or API_KEY_HEADER not in request.headers:
        return None
    partner = admitted(request, ConditionDetail)
    if partner is None:
        return None  # DRF answers the refusal, with the decisions already made
    try:
        pointer = selectors.live_pointer_or_404(Condition, slug, _DETAIL)
    except Http404:
        return None
    # Named before the answer is made, so evidence changing meanwhile ends the replay.
    validator = _replayed_as(pointer)
    response = _detail_answer(request, pointer)
    response["Allow"] = _ALLOW
    rate_headers.add(response, partner)
    return replay_while(response, validator, _detail_validator(slug), _rate_headers)


def _replayed_as(pointer) -> tuple:
    """What the detail's answer is made from: the publication (its digest and signature), when
    its rendering was made, and the evidence version (the ETag's evidence member is made from
    the publication and that version)."""
    return (pointer.pk, pointer.rendered_at, evidence.version())


def _detail_validator(slug):
    """What _stored_detail's answer to a request would be made from: None when it would not
    answer (a refused key or rate, a page no longer live). The request is admitted, and counted,
    as _stored_detail admits it."""

    def still(request):
        # The query is the kept answer's own (tovani.replay keys on it).
        if admitted(request, ConditionDetail) is None:
            return None
        return _replayed_as(selectors.live_pointer_or_404(Condition, slug, _DETAIL))

    return still


def _rate_headers(request, response):
    return rate_headers.add(response, partner_of(request))


def _allowed_methods(view_class) -> str:
    view = view_class()
    view.setup(None)  # where Django gives a view with get() its head()
    return ", ".join(view.allowed_methods)


_ALLOW = _allowed_methods(ConditionDetail)


class ConditionHistory(StrictQuery, APIView):
    @extend_schema(
        operation_id="conditions_history",
        summary="Every publication of a page, with its reviewer and change summary",
        parameters=CACHEABLE,
        responses=responses(HistorySerializer),
    )
    def get(self, request, slug):
        pointer = selectors.live_pointer_or_404(Condition, slug, representations.DETAIL)
        publication = selectors.publication(pointer.pk)
        links = representations.Links(site_origin(request))
        entries = [representations.history_entry(p, links) for p in publications_of(publication)]
        data = HistorySerializer({"slug": slug, "count": len(entries), "results": entries}).data
        return hashed_json_answer(request, data, last_modified=publication.published_at)


class TreatmentList(StrictQuery, APIView):
    @extend_schema(
        operation_id="treatments_list",
        summary="Treatments used by published pages",
        parameters=CACHEABLE,
        responses=responses(TreatmentListSerializer, not_found=None),
    )
    def get(self, request):
        links = representations.Links(site_origin(request))
        entries = [representations.treatment(t, links) for t in selectors.treatments()]
        data = TreatmentListSerializer({"count": len(entries), "results": entries}).data
        return hashed_json_answer(request, data, last_modified=_changed_at())


class TreatmentDetail(StrictQuery, APIView):
    @extend_schema(
        operation_id="treatments_retrieve",
        summary="A treatment and the published pages that use it",
        parameters=CACHEABLE,
        responses=responses(TreatmentDetailSerializer, not_found="No published page uses it."),
    )
    def get(self, request, slug):
        found = selectors.treatment(slug)
        if found is None:
            raise Http404("No published page uses this treatment.")
        entry = representations.treatment(found, representations.Links(site_origin(request)))
        data = TreatmentDetailSerializer(entry).data
        return hashed_json_answer(request, data, last_modified=_changed_at())


class WithdrawnList(StrictQuery, APIView):
    query_serializer = UpdatedSinceSerializer

    @extend_schema(
        operation_id="withdrawn_list",
        summary="Addresses no longer published",
        description=(
            "Pages unpublished, or moved to another address, and not published again at theirs. "
            "Sync with the same updated_since as the condition list and take these down."
        ),
        parameters=[UpdatedSinceSerializer, *CACHEABLE, watermark.SCHEMA_HEADER],
        responses=responses(WithdrawalListSerializer, not_found=None),
    )
    def get(self, request):
        stamp = selectors.library_stamp(Condition)
        since = self.query().get("updated_since")
        links = representations.Links(site_origin(request))
        entries = [
            representations.withdrawal(w, links) for w in selectors.withdrawn_pages(since=since)
        ]
        data = WithdrawalListSerializer({"count": len(entries), "results": entries}).data
        response = hashed_json_answer(request, data, last_modified=stamp.changed_at)
        return watermark.add(response, stamp)


@extend_schema_field(ref("MedlinePlusFeed"))
class _FeedField(serializers.JSONField):
    pass


class MedlinePlusAnswerSerializer(serializers.Serializer):
    feed = _FeedField()


# One of two JSON shapes, told apart by their members (a client tries each): a generated client
# parses either.
LOOKUP_JSON = PolymorphicProxySerializer(
    component_name="LookupAnswer",
    serializers=[CodeLookupSerializer, MedlinePlusAnswerSerializer],
    resource_type_field_name=None,
)


def _lookup_responses() -> dict:
    answers = responses(CodeLookupSerializer, not_found=None)
    del answers[200]
    return {
        (200, infobutton.JSON): OpenApiResponse(
            LOOKUP_JSON,
            "The flat answer (CodeLookup: the system and code form, or shape=flat); with "
            "knowledgeResponseType=application/json, MedlinePlus's JSON form of the feed "
            '(MedlinePlusAnswer: {"feed": …}).',
        ),
        (200, infobutton.ATOM): OpenApiResponse(
            OpenApiTypes.STR,
            "An Atom feed as MedlinePlus Connect gives: the Infobutton form's default, or with "
            "knowledgeResponseType application/atom+xml.",
        ),
        (200, infobutton.XML): OpenApiResponse(
            OpenApiTypes.STR, "The Atom feed, with knowledgeResponseType text/xml."
        ),
        **answers,
    }


_KEY_PARAMETER = OpenApiParameter(
    lookup_access.KEY_PARAMETER,
    OpenApiTypes.STR,
    OpenApiParameter.QUERY,
    description="A partner's key, for an EHR configured with a URL template only. "
    "The code lookup only; never logged.",
)


class CodeLookup(StrictQuery, APIView):
    """Public, as the pages it finds: a key (header or api_key) is optional."""

    query_serializer = CodeLookupQuerySerializer
    ignored_prefixes = infobutton.CONTEXT_PREFIXES
    paging_parameters = (lookup_access.KEY_PARAMETER,)
    authentication_classes = [lookup_access.LookupKeyAuthentication]
    permission_classes = [AllowAny]  # public: counted per address without a key
    throttle_classes = [lookup_access.LookupRateThrottle]

    @extend_schema(
        operation_id="lookup",
        summary="Live pages for a clinical code, as an EHR's infobutton asks",
        description=(
            "Give system and code (`system=ICD-10-CM&code=F42.2`), or the HL7 Infobutton URL "
            "form (`mainSearchCriteria.v.c=F42.2&mainSearchCriteria.v.cs=2.16.840.1.113883.6.90`"
            "); Infobutton's other parameters of context are accepted, ignored and never "
            "repeated in the answer. Pages coded with the code itself answer; when none is, "
            "pages coded within it (F42 finds F42.2); when none is, pages of the nearest broader "
            "code, truncating it as MedlinePlus Connect does (F42.2 finds F42). Codes for lookup "
            "only count. A code no live page answers is an empty answer, not a 404. No key is "
            "needed (each client address has LOOKUP_ADDRESS_LIMIT requests a minute); a "
            "partner's key, in X-API-Key or as api_key, gives the partner's own limit."
        ),
        parameters=[
            CodeLookupQuerySerializer,
            _KEY_PARAMETER,
            *IN_LANGUAGE,
            *CACHEABLE,
        ],
        responses=_lookup_responses(),
    )
    def get(self, request):
        asked = self.query()
        if not asked:
            raise ValidationError(
                {
                    "code": [
                        "Give system and code, or mainSearchCriteria.v.c "
                        "and mainSearchCriteria.v.cs."
                    ]
                }
            )
        found = lookup.look_up(asked["system"], asked["code"])
        origin = site_origin(request)
        answer = representations.lookup_answer(found, representations.Links(origin))
        changed_at = _changed_at()
        if asked["answer"] == infobutton.FLAT:
            data = CodeLookupSerializer(answer).data
            return hashed_json_answer(request, data, last_modified=changed_at)
        feed = medlineplus.feed(
            answer,
            origin=origin,
            updated=medlineplus.z_time(changed_at),
            language=settings.LANGUAGE_CODE.split("-")[0],
        )
        if asked["answer"] == infobutton.JSON_FEED:
            body = medlineplus.as_json(feed)
            return hashed_json_answer(request, body=body, last_modified=changed_at)
        body = medlineplus.as_xml(feed)
        return hashed_json_answer(
            request, body=body, last_modified=changed_at, content_type=asked["atom_type"]
        )


_ATOM_ANSWER = OpenApiResponse(
    OpenApiTypes.STR,
    "An Atom feed as MedlinePlus Connect gives, as application/atom+xml, or text/xml when "
    "knowledgeResponseType asks for it.",
)


class CodeLookupAtom(CodeLookup):
    """The same lookup, always answered in Atom: one media type for one operation, so a client
    generated from the OpenAPI document reads it as text (the lookup's own operation may answer
    JSON or Atom, and such a client parses its answers as JSON)."""

    query_serializer = AtomLookupQuerySerializer

    @extend_schema(
        operation_id="lookup_atom",
        summary="The code lookup as an Atom feed only",
        description="The lookup's parameters and answer, always the Atom feed MedlinePlus "
        "Connect gives (shape is not taken). For clients generated from this document; an EHR "
        "may use either address.",
        parameters=[
            AtomLookupQuerySerializer,
            _KEY_PARAMETER,
            *IN_LANGUAGE,
            *CACHEABLE,
        ],
        responses={
            (200, infobutton.ATOM): _ATOM_ANSWER,
            (200, infobutton.XML): _ATOM_ANSWER,
            **{
                code: answer
                for code, answer in responses(None, not_found=None).items()
                if code != 200
            },
        },
    )
    def get(self, request):
        return super().get(request)

    def query(self) -> dict:
        asked = super().query()
        return {**asked, "answer": infobutton.ATOM_FEED} if asked else asked


def _changed_at():
    return selectors.library_stamp(Condition).changed_at


def documentation(view):
    """A page for people under /api/: GET and HEAD; any other method is a 405 problem."""

    @csrf_exempt
    @wraps(view)
    def answer(request, *args, **kwargs):
        if request.method not in _SAFE:
            response = problem(
                request, 405, "method_not_allowed", f'Method "{request.method}" not allowed.'
            )
            response["Allow"] = ", ".join(_SAFE)
            return response
        return view(request, *args, **kwargs)

    return answer


_SAFE = ("GET", "HEAD")


@documentation
def problem_types(request):
    """The page listing every problem code the API answers with."""
    return public(render(request, "api/problem_types.html", {"problem_types": PROBLEM_TYPES}))


@documentation
def problem_type(request, code):
    """What one problem code means and what to do about it: its type URI resolves here."""
    if code not in PROBLEM_TYPES:
        return problem(request, 404, "not_found", "The API gives no problem of this type.")
    context = {"code": code, "problem_type": PROBLEM_TYPES[code]}
    return public(render(request, "api/problem_type.html", context))
