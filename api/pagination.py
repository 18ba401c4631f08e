from django.conf import settings
from django.utils.dateparse import parse_datetime
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class PublishedOrderCursor(CursorPagination):
    """Pages in the order they were published, oldest first.

    The cursor holds a publication time, not an offset: pages published or withdrawn while a
    partner walks the list neither shift nor repeat what it has seen, and a page republished
    meanwhile comes again at the end. A partner can store the last cursor and resume.
    """

    ordering = ("published_at", "pk")
    page_size_query_param = "page_size"
    max_page_size = 100

    def __init__(self):
        self.page_size = settings.API_PAGE_SIZE

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        position = cursor.position if cursor is not None else None
        if position is not None and parse_datetime(position) is None:
            raise NotFound(self.invalid_cursor_message)
        return cursor
