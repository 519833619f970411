"""API-3: cursor pagination with ``pageSize`` (max 100) and an opaque ``nextToken``."""

from __future__ import annotations

import json
from base64 import urlsafe_b64decode, urlsafe_b64encode
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import DataError, transaction
from django.db.models import F, OrderBy, Q
from django.utils.translation import gettext as _
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from sellercx.errors import InvalidInput


@dataclass(frozen=True)
class SortKey:
    name: str
    descending: bool
    nullable: bool

    def order(self) -> OrderBy:
        """Nulls last both ways; a column that cannot be null is ordered plainly, so the
        index that serves the list (``-purchased_at``: PostgreSQL's ``DESC NULLS FIRST``)
        still serves it, with no sort of the seller's rows."""
        expression = F(self.name)
        if not self.nullable:
            return expression.desc() if self.descending else expression.asc()
        if self.descending:
            return expression.desc(nulls_last=True)
        return expression.asc(nulls_last=True)

    def beyond(self, value, *, inclusive: bool = False) -> Q:
        lookup = ("lt" if self.descending else "gt") + ("e" if inclusive else "")
        return Q(**{f"{self.name}__{lookup}": value})


def sort_keys(model, ordering) -> list[SortKey]:
    """The keys of each ordering term, the id last (the same way as the last term) when the
    ordering does not end with it: every row has one place."""
    keys = [
        SortKey(term.lstrip("-"), term.startswith("-"), _nullable(model, term.lstrip("-")))
        for term in ordering
    ]
    if not keys or keys[-1].name not in ("id", "pk"):
        keys.append(SortKey("id", keys[-1].descending if keys else True, nullable=False))
    return keys


def _nullable(model, name: str) -> bool:
    """Whether ``name`` (a field, or a path through relations) can be null; an annotation or
    a many-valued path is assumed to."""
    if name in ("id", "pk"):
        return False
    opts = model._meta
    try:
        for part in name.split("__"):
            field = opts.get_field(part)
            if field.null or field.many_to_many or field.one_to_many:
                return True
            if field.is_relation:
                opts = field.related_model._meta
    except FieldDoesNotExist:
        return True
    return False


def after(keys: list[SortKey], values: list) -> Q:
    """The rows after ``values`` in the order of ``keys``, nulls last in both directions. The
    first key's bound is also stated on its own (``purchased_at <= v AND (…)``), so the
    index the list is read from starts at the position instead of scanning to it."""
    condition = _after(keys, values)
    first, value = keys[0], values[0]
    if len(keys) > 1 and value is not None and not first.nullable:
        condition &= first.beyond(value, inclusive=True)
    return condition


def _after(keys: list[SortKey], values: list) -> Q:
    key, value = keys[0], values[0]
    if len(keys) == 1:  # the id: never null
        return key.beyond(value)
    rest = _after(keys[1:], values[1:])
    if value is None:  # among the nulls, the last ones: only nulls after it
        return Q(**{f"{key.name}__isnull": True}) & rest
    condition = key.beyond(value) | (Q(**{key.name: value}) & rest)
    if key.nullable:
        condition |= Q(**{f"{key.name}__isnull": True})
    return condition


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
        keys = sort_keys(queryset.model, self.get_ordering(request, queryset, view))
        names = [key.name for key in keys]
        # The keys ride along with the rows: the next token costs no query of its own.
        aliases = [f"page_key_{index}" for index in range(len(keys))]
        queryset = queryset.annotate(
            **{alias: F(name) for alias, name in zip(aliases, names, strict=True)}
        ).order_by(*(key.order() for key in keys))
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            rows = list(queryset[: self.page_size + 1])
        else:
            # Read in a savepoint: a position its columns cannot hold is refused by PostgreSQL
            # (a DataError), and the request's transaction must stay sound.
            position = self.decode_position(raw, names)
            try:
                with transaction.atomic():
                    rows = list(queryset.filter(after(keys, position))[: self.page_size + 1])
            except (ValueError, TypeError, OverflowError, ValidationError, DataError):
                raise InvalidInput(_("nextToken is not valid."), details="nextToken") from None
        if len(rows) > self.page_size:
            rows = rows[: self.page_size]
            last = rows[-1]
            values = [
                last[alias] if isinstance(last, dict) else getattr(last, alias) for alias in aliases
            ]
            self.next_token = encode_position(names, values)
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
