"""Request plumbing for the dashboard and the API."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .api.throttling import RATE_HEADER

MARKETPLACE_SESSION_KEY = "sellercx_marketplace"
MARKETPLACE_CODE = re.compile(r"[A-Za-z]{2}")
NUL = "\x00"


def _has_nul(querydict) -> bool:
    return any(
        NUL in key or any(NUL in value for value in values) for key, values in querydict.lists()
    )


class RejectNulMiddleware:
    """PostgreSQL cannot store NUL (``\\x00``) in text: a NUL in the path, the query string or a
    submitted form answers 400 at once, never a 500 further down (issue #9). JSON bodies are
    checked by the API's parser, every other text field by its form or serializer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        is_api = request.path.startswith("/api/")
        if (
            NUL in request.path_info
            or _has_nul(request.GET)
            or (not is_api and request.method == "POST" and _has_nul(request.POST))
        ):
            from .views import bad_request_response

            return bad_request_response(request, _("NUL characters are not accepted."))
        return self.get_response(request)


class CurrentMarketplaceMiddleware:
    """The marketplace the seller is looking at (FB-10: figures are per marketplace).

    Chosen with the switcher (``?marketplace=FR`` on any page) and remembered in the session;
    ``request.marketplace_code`` is ``None`` for "all marketplaces". Also stamps the API's
    rate-limit header (API-4) on every API response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            chosen = request.GET.get("marketplace")
            if chosen is not None and hasattr(request, "session"):
                # Only a two-letter code is remembered: anything else means "all marketplaces".
                code = chosen.upper() if MARKETPLACE_CODE.fullmatch(chosen) else None
                request.session[MARKETPLACE_SESSION_KEY] = code
            session = getattr(request, "session", None)
            request.marketplace_code = session.get(MARKETPLACE_SESSION_KEY) if session else None
        response = self.get_response(request)
        rate = getattr(request, "sellercx_rate_limit", None)
        if rate is not None:
            response[RATE_HEADER] = f"{rate:g}"
        return response


class AuditContextMiddleware:
    """Remembers the client's IP address (and the API token, once authenticated) for the
    length of the request, for the audit log the services write."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from . import security

        reset = security.begin_request(request)
        try:
            return self.get_response(request)
        finally:
            security.end_request(reset)
