"""API-3: cursor pagination with ``pageSize`` (max 100) and an opaque ``nextToken``."""

from __future__ import annotations

import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import DataError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from sellercx.errors import InvalidInput


def sort_keys(ordering) -> list[tuple[str, bool]]:
    """(name, descending) of each ordering term, the id last (the same way as the last term)
    when the ordering does not end with it: every row has one place."""
    keys = [(term.lstrip("-"), term.startswith("-")) for term in ordering]
    if not keys or keys[-1][0] not in ("id", "pk"):
        keys.append(("id", keys[-1][1] if keys else True))
    return keys


def after(keys: list[tuple[str, bool]], values: list) -> Q:
    """The rows after ``values`` in the order of ``keys``, nulls last in both directions."""
    (name, descending), value = keys[0], values[0]
    if len(keys) == 1:  # the id: never null
        return Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
    rest = after(keys[1:], values[1:])
    if value is None:  # among the nulls, the last ones: only nulls after it
        return Q(**{f"{name}__isnull": True}) & rest
    beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
    return beyond | Q(**{f"{name}__isnull": True}) | (Q(**{name: value}) & rest)


def _plain(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def encode_position(names: list[str], values) -> str:
    token = json.dumps({"k": names, "v": [_plain(v) for v in values]}, separators=(",", ":"))
    return urlsafe_b64encode(token.encode()).decode("ascii").rstrip("=")


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
        """API-3, keyset paging: the page after the last row's values of every sort key and
        its id, so rows of equal value are never skipped nor repeated, however many (#20: the
        offset-based cursor lost rows past 1,000 ties). Nulls sort last both ways. A token
        altered to a position its keys cannot hold, or written for another sort, is a 400; the
        page is read in a savepoint so a refused value leaves the request's transaction sound."""
        self.request = request
        self.page_size = self.get_page_size(request)
        self.next_token = None
        keys = sort_keys(self.get_ordering(request, queryset, view))
        names = [name for name, _ in keys]
        # The keys ride along with the rows: the next token costs no query of its own.
        aliases = [f"page_key_{index}" for index in range(len(keys))]
        queryset = queryset.annotate(
            **{alias: F(name) for alias, name in zip(aliases, names, strict=True)}
        ).order_by(
            *(
                F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
                for name, descending in keys
            )
        )
        raw = request.query_params.get(self.cursor_query_param)
        try:
            with transaction.atomic():
                if raw is not None:
                    queryset = queryset.filter(after(keys, self.decode_position(raw, names)))
                rows = list(queryset[: self.page_size + 1])
                if len(rows) > self.page_size:
                    rows = rows[: self.page_size]
                    last = rows[-1]
                    values = [
                        last[alias] if isinstance(last, dict) else getattr(last, alias)
                        for alias in aliases
                    ]
                    self.next_token = encode_position(names, values)
        except (ValueError, TypeError, OverflowError, ValidationError, DataError):
            if raw is None:
                raise
            raise InvalidInput(_("nextToken is not valid."), details="nextToken") from None
        return rows

    def decode_position(self, raw: str, names: list[str]) -> list:
        try:
            token = json.loads(urlsafe_b64decode(raw.encode("ascii") + b"=="))
            if token["k"] == names and len(token["v"]) == len(names):
                return token["v"]
        except (ValueError, TypeError, KeyError, UnicodeError):
            pass
        raise InvalidInput(_("nextToken is not valid."), details="nextToken")

    def get_next_link(self) -> str | None:
        return self.next_token

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
