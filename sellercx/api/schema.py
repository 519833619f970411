"""OpenAPI (API-7): how our token authentication and our errors are described in the schema."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "sellercx.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": (
                "A seller-scoped token (made on the dashboard's API tokens page) or a "
                "marketplace-scoped integration token (made by marketplace staff in the admin)."
            ),
        }


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("e.g. InvalidInput, NotFound, QuotaExceeded"))
    message = serializers.CharField()
    details = serializers.CharField(help_text=_("The field's path for bad input, or empty"))


class ErrorsSerializer(serializers.Serializer):
    """API-2: every error of the API."""

    errors = ErrorSerializer(many=True)


# Every operation may answer these, always with the errors envelope (API-2).
ERRORS = {
    "400": _("Bad input: malformed JSON, wrong types, missing or unknown fields"),
    "401": _("No or invalid token"),
    "403": _("Not permitted: wrong kind of token, or missing user permission"),
    "404": _("No such object in the caller's account"),
    "429": _("Throttled; see Retry-After"),
}
# Writes may also answer these.
WRITE_ERRORS = {
    "409": _("Conflicts with what is stored"),
    "413": _("Body or batch too large"),
    "415": _("Not JSON"),
    "422": _("Refused by a business rule"),
}


class AutoSchema(SpectacularAutoSchema):
    """Documents the errors envelope for every error status an operation can answer, and that
    inputs refuse unknown fields (``additionalProperties: false``)."""

    def _map_basic_serializer(self, serializer, direction):
        from .inputs import InputSerializer

        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(serializer, InputSerializer):
            schema["additionalProperties"] = False
        return schema

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = dict(ERRORS)
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors.update(WRITE_ERRORS)
        for code, description in sorted(errors.items()):
            existing = (responses.get(code) or {}).get("description") or description
            responses[code] = self._get_response_for_code(
                OpenApiResponse(ErrorsSerializer, description=existing), code, direction=direction
            )
        return responses
