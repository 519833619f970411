"""The base of every API input: a key the serializer does not know is refused (issue #9).

A typo (``ratting``) or a field the API never took (``sellerId`` on a reply) would otherwise be
dropped silently; the caller gets 400 naming each unknown field (``details`` is its path).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .errors import camel


class InputSerializer(serializers.Serializer):
    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            known = {field.field_name for field in self._writable_fields}
            unknown = sorted(str(key) for key in data if key not in known)
            if unknown:
                raise serializers.ValidationError(
                    {
                        key: [_("Unknown field: %(name)s.") % {"name": camel(key)}]
                        for key in unknown
                    },
                    code="unknown",
                )
        return super().to_internal_value(data)


class BatchInput(InputSerializer):
    """``{"<rows>": [row, …]}``: every list of rows holds at most SELLERCX_MAX_BATCH rows, read
    per call (400 naming the limit above it)."""

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if isinstance(field, serializers.ListSerializer):
                field.max_length = settings.SELLERCX_MAX_BATCH
        return fields
