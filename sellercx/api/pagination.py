"""API-3: cursor pagination with ``pageSize`` (max 100) and an opaque ``nextToken``."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from django.core.exceptions import ValidationError
from django.db import DataError, transaction
from django.utils.translation import gettext as _
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from sellercx.errors import InvalidInput


class NextTokenPagination(CursorPagination):
    cursor_query_param = "nextToken"
    page_size_query_param = "pageSize"
    page_size = 20
    max_page_size = 100
    ordering = "-id"

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= self.max_page_size:
            raise InvalidInput(
                _("pageSize must be a whole number from 1 to %(max)d.")
                % {"max": self.max_page_size},
                details="pageSize",
            )
        return int(raw)

    def get_ordering(self, request, queryset, view) -> tuple[str, ...]:
        """The view's ``sort`` filter (shared with the dashboard) decides, else the default."""
        sort = request.query_params.get("sort")
        filterset = getattr(view, "filterset_class", None)
        sort_filter = filterset.base_filters.get("sort") if filterset else None
        if sort and sort_filter is not None:
            descending = sort.startswith("-")
            field = sort_filter.param_map.get(sort.lstrip("-"))
            if field:
                return (f"-{field}" if descending else field, "-id" if descending else "id")
        ordering = getattr(view, "ordering", None) or self.ordering
        return (ordering,) if isinstance(ordering, str) else tuple(ordering)

    def paginate_queryset(self, queryset, request, view=None):
        """A token altered to a position its sort column cannot hold (``p=zz`` for a number,
        year 0 or 10000, a NUL byte, a number out of range) is bad input, not a 500 (#20): the
        page is read in a savepoint so a refused value leaves the request's transaction sound."""
        try:
            with transaction.atomic():
                return super().paginate_queryset(queryset, request, view)
        except (ValueError, TypeError, OverflowError, ValidationError, DataError):
            if request.query_params.get(self.cursor_query_param) is None:
                raise
            raise InvalidInput(_("nextToken is not valid."), details="nextToken") from None

    def decode_cursor(self, request):
        try:
            return super().decode_cursor(request)
        except Exception:  # DRF raises NotFound("Invalid cursor"); a bad token is bad input.
            raise InvalidInput(_("nextToken is not valid."), details="nextToken") from None

    def encode_cursor(self, cursor) -> str:
        url = super().encode_cursor(cursor)
        return parse_qs(urlparse(url).query)[self.cursor_query_param][0]

    def get_paginated_response(self, data) -> Response:
        return Response({"payload": data, "pagination": {"next_token": self.get_next_link()}})

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return {
            "type": "object",
            "required": ["payload", "pagination"],
            "properties": {
                "payload": schema,
                "pagination": {
                    "type": "object",
                    "properties": {
                        "nextToken": {
                            "type": "string",
                            "nullable": True,
                            "description": (
                                "Pass as nextToken to get the next page; null at the end."
                            ),
                        }
                    },
                },
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The token from the previous page's pagination.nextToken.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": (
                    f"Results per page, 1 to {self.max_page_size} (default {self.page_size})."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
