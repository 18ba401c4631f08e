"""The partner API: thin views over api.library (what is live) and api.representations.

Every answer comes from live publications' stored documents and their sign-offs; none reads a
draft. Authentication, the rate limit and usage counting are the partners app's DRF classes,
set as the defaults in settings.REST_FRAMEWORK.
"""

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.generics import ListAPIView
from rest_framework.views import APIView

from api import library, representations
from api.http import detail_etag, hashed_json_answer, json_answer
from api.pagination import PublishedOrderCursor
from api.schema import CACHEABLE, responses
from api.serializers import (
    ConditionDetailSerializer,
    ConditionFilterSerializer,
    ConditionSummarySerializer,
    HistorySerializer,
    TreatmentDetailSerializer,
    TreatmentListSerializer,
    UpdatedSinceSerializer,
    WithdrawalListSerializer,
)
from reviews.models import Publication

INVALID_CURSOR = "The cursor is not valid: start again from the first page."


class StrictQuery:
    """Validates the query string: a parameter the endpoint does not know is a 400.

    A misspelt filter (update_since) must not quietly answer the whole library.
    """

    query_serializer = None
    paging_parameters = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        known = {*self.paging_parameters}
        if self.query_serializer is not None:
            known |= set(self.query_serializer().fields)
        unknown = sorted(set(request.query_params) - known)
        if unknown:
            raise ValidationError(
                {name: ["This endpoint has no such parameter."] for name in unknown}
            )

    def query(self) -> dict:
        """The validated query parameters, or a 400 with the reasons."""
        if self.query_serializer is None:
            return {}
        # A plain dict, not the QueryDict: DRF reads a blank form value as absent, an API must not.
        serializer = self.query_serializer(data=self.request.query_params.dict())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ConditionList(StrictQuery, ListAPIView):
    serializer_class = ConditionSummarySerializer
    pagination_class = PublishedOrderCursor
    query_serializer = ConditionFilterSerializer
    paging_parameters = ("cursor", "page_size")

    def get_queryset(self):
        return library.live_conditions()

    def filter_queryset(self, queryset):
        return library.filter_conditions(queryset, **self.query())

    @extend_schema(
        operation_id="conditions_list",
        summary="Published condition pages",
        parameters=[ConditionFilterSerializer, *CACHEABLE],
        responses=responses(ConditionSummarySerializer(many=True), not_found=INVALID_CURSOR),
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        entries = representations.condition_summaries(page, representations.Links(request))
        data = self.get_paginated_response(entries).data
        return hashed_json_answer(request, data, last_modified=library.library_changed_at())


class ConditionDetail(StrictQuery, APIView):
    @extend_schema(
        operation_id="conditions_retrieve",
        summary="A published condition page, whole",
        parameters=CACHEABLE,
        responses=responses(ConditionDetailSerializer),
    )
    def get(self, request, slug):
        try:
            publication = library.live_condition(slug)
        except Publication.DoesNotExist:
            raise Http404("No page is published at this address.") from None
        links = representations.Links(request)
        return json_answer(
            request,
            etag=detail_etag(publication),
            last_modified=publication.published_at,
            body=lambda: representations.condition_detail_json(publication, links),
        )


class ConditionHistory(StrictQuery, APIView):
    @extend_schema(
        operation_id="conditions_history",
        summary="Every publication of a page, with its reviewer and change summary",
        parameters=CACHEABLE,
        responses=responses(HistorySerializer),
    )
    def get(self, request, slug):
        try:
            publication = library.live_condition(slug)
        except Publication.DoesNotExist:
            raise Http404("No page is published at this address.") from None
        links = representations.Links(request)
        entries = [representations.history_entry(p, links) for p in library.history(publication)]
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
        links = representations.Links(request)
        entries = [representations.treatment(t, links) for t in library.live_treatments()]
        data = TreatmentListSerializer({"count": len(entries), "results": entries}).data
        return hashed_json_answer(request, data, last_modified=library.library_changed_at())


class TreatmentDetail(StrictQuery, APIView):
    @extend_schema(
        operation_id="treatments_retrieve",
        summary="A treatment and the published pages that use it",
        parameters=CACHEABLE,
        responses=responses(TreatmentDetailSerializer, not_found="No published page uses it."),
    )
    def get(self, request, slug):
        found = library.live_treatment(slug)
        if found is None:
            raise Http404("No published page uses this treatment.")
        entry = representations.treatment(found, representations.Links(request))
        data = TreatmentDetailSerializer(entry).data
        return hashed_json_answer(request, data, last_modified=library.library_changed_at())


class WithdrawnList(StrictQuery, APIView):
    query_serializer = UpdatedSinceSerializer

    @extend_schema(
        operation_id="withdrawn_list",
        summary="Addresses no longer published",
        description=(
            "Pages unpublished, or moved to another address, and not published again at theirs. "
            "Sync with the same updated_since as the condition list and take these down."
        ),
        parameters=[UpdatedSinceSerializer, *CACHEABLE],
        responses=responses(WithdrawalListSerializer, not_found=None),
    )
    def get(self, request):
        since = self.query().get("updated_since")
        entries = [representations.withdrawal(w) for w in library.withdrawn_pages(since=since)]
        data = WithdrawalListSerializer({"count": len(entries), "results": entries}).data
        return hashed_json_answer(request, data, last_modified=library.library_changed_at())
