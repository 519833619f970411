"""API-1 for query strings: filters are spelled in camelCase (``?hasReply=true``) on the API
while the FilterSets, shared with the dashboard, keep Python names (``has_reply``)."""

from __future__ import annotations

import re

from django.http import QueryDict
from django_filters.rest_framework import DjangoFilterBackend

from .errors import camel


def camel_to_underscore(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


class CamelCaseFilterBackend(DjangoFilterBackend):
    def filter_queryset(self, request, queryset, view):
        # No query string, nothing to filter: a FilterSet with every filter empty returns the
        # queryset as it is, after building and validating a form (benchmarks, issue #8).
        if not request.query_params:
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        data = QueryDict(mutable=True)
        for key, values in request.query_params.lists():
            data.setlist(camel_to_underscore(key), values)
        kwargs["data"] = data
        return kwargs

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["name"] = camel(parameter["name"])
        return parameters
