import re

from django.conf import settings
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination

from tovani.site_url import absolute_url

# ASCII digits only: str.isdigit() admits "²" and other digits int() refuses or misreads.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}")


class PublishedOrderCursor(CursorPagination):
    """Pages in the order they were published, oldest first.

    The cursor holds a publication time, not an offset: pages published or withdrawn while a
    partner walks the list neither shift nor repeat what it has seen, and a page republished
    meanwhile comes again at the end. A partner can store the last cursor and resume.
    """

    ordering = ("published_at", "pk")
    page_size_query_param = "page_size"
    max_page_size = 100
    invalid_cursor_message = "The cursor is not valid: start again from the first page."

    def __init__(self):
        self.page_size = settings.API_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        page = super().paginate_queryset(queryset, request, view)
        # Links on the site's origin, never on whatever Host the request named.
        self.base_url = absolute_url(request.get_full_path(), request)
        return page

    def decode_cursor(self, request):
        """The cursor asked for; one that is not ours, or names no real moment, is a 400."""
        try:
            cursor = super().decode_cursor(request)
            position = cursor.position if cursor is not None else None
            if position is not None and parse_datetime(position) is None:
                raise ValueError(position)
        except (NotFound, ValueError, TypeError, OverflowError):
            invalid = {self.cursor_query_param: [self.invalid_cursor_message]}
            raise ValidationError(invalid) from None
        return cursor

    def get_page_size(self, request):
        """The page_size asked for, or the default; a value out of range is a 400, not ignored."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not _WHOLE_NUMBER.fullmatch(raw) or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]}
            )
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
                parameter["description"] = f"Pages per answer, 1 to {self.max_page_size}."
        return parameters
