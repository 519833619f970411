"""API-2: every API error, whoever raises it, is ``{"errors": [{code, message, details}]}``."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from sellercx.errors import RETRY_AFTER_DEADLINE, ApplicationError, is_statement_timeout

logger = logging.getLogger("sellercx.api")


class PayloadTooLarge(exceptions.APIException):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (the API's parser reads past Django's check)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def too_large_message() -> str:
    from django.template.defaultfilters import filesizeformat

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return _("The request body is too large: at most %(size)s.") % {"size": filesizeformat(limit)}


def took_too_long_message() -> str:
    return _(
        "The request took too long and was stopped. Try again in a moment, or ask for less "
        "(a narrower filter or period)."
    )


# DRF exception -> SP-API style code.
CODES = {
    PayloadTooLarge: "PayloadTooLarge",
    exceptions.ParseError: "InvalidInput",
    exceptions.ValidationError: "InvalidInput",
    exceptions.AuthenticationFailed: "Unauthenticated",
    exceptions.NotAuthenticated: "Unauthenticated",
    exceptions.PermissionDenied: "Unauthorized",
    exceptions.NotFound: "NotFound",
    exceptions.MethodNotAllowed: "MethodNotAllowed",
    exceptions.NotAcceptable: "NotAcceptable",
    exceptions.UnsupportedMediaType: "UnsupportedMediaType",
    exceptions.Throttled: "QuotaExceeded",
}


def error(code: str, message: str, details: str = "") -> dict:
    return {"code": code, "message": str(message), "details": str(details)}


def envelope(*errors: dict) -> dict:
    return {"errors": list(errors)}


def camel(name: str) -> str:
    head, *rest = str(name).split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _flatten(detail, path: str = "") -> list[tuple[str, str]]:
    """DRF's nested error detail as (field path, message) pairs: ``orders[2].lines[0].sku``."""
    if isinstance(detail, dict):
        pairs = []
        for key, value in detail.items():
            if isinstance(key, int) or str(key).isdigit():  # a row of a list
                pairs += _flatten(value, f"{path}[{key}]")
                continue
            name = "" if key == "non_field_errors" else camel(key)
            pairs += _flatten(value, f"{path}.{name}" if path and name else (name or path))
        return pairs
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [(path, str(item)) for item in detail]
        pairs = []
        for index, item in enumerate(detail):
            if item:
                pairs += _flatten(item, f"{path}[{index}]")
        return pairs
    return [(path, str(detail))]


def exception_handler(exc: Exception, context: dict) -> Response:
    headers: dict[str, str] = {}
    if isinstance(exc, ApplicationError):
        if isinstance(exc.details, list):
            errors = [
                error(item.get("code", exc.code), item["message"], item["field"])
                for item in exc.details
            ]
        else:
            errors = [error(exc.code, exc.message, exc.details or "")]
        return Response(envelope(*errors), status=exc.status_code)
    if isinstance(exc, RequestDataTooBig):
        # Django's DATA_UPLOAD_MAX_MEMORY_SIZE, raised when DRF reads the body: was a 500 (#9).
        exc = PayloadTooLarge(too_large_message())
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(_("The request could not be read."))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if is_statement_timeout(exc):
        logger.warning("API request stopped at the statement deadline: %s", exc)
        return Response(
            envelope(error("ServiceUnavailable", took_too_long_message())),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": str(RETRY_AFTER_DEADLINE)},
        )
    if not isinstance(exc, exceptions.APIException):
        logger.exception("Unhandled API error", exc_info=exc)
        return Response(
            envelope(error("InternalFailure", "An unexpected error occurred; it was logged.")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    code = next((c for cls, c in CODES.items() if isinstance(exc, cls)), "InternalFailure")
    if isinstance(exc, exceptions.ValidationError):
        errors = [error(code, message, path) for path, message in _flatten(exc.detail)]
    else:
        errors = [error(code, exc.detail if isinstance(exc.detail, str) else str(exc.detail))]
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(max(1, int(exc.wait + 0.999)))
    return Response(envelope(*errors), status=exc.status_code, headers=headers)


def json_error_response(status_code: int, code: str, message: str) -> JsonResponse:
    """For errors Django raises before DRF is reached (unknown URL, crash in middleware)."""
    return JsonResponse(envelope(error(code, message)), status=status_code)
