"""Request plumbing for the dashboard and the API."""

from __future__ import annotations

from .api.throttling import RATE_HEADER

MARKETPLACE_SESSION_KEY = "sellercx_marketplace"


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
                request.session[MARKETPLACE_SESSION_KEY] = chosen.upper()[:2] or None
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
