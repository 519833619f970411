"""Request plumbing for the dashboard and the API."""

from __future__ import annotations

import logging
import re

from django.utils.translation import gettext as _

from .api.throttling import RATE_HEADER

logger = logging.getLogger("sellercx.request")

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


ALL_MARKETPLACES = "ALL"


def _seller_id(request) -> int | None:
    user = getattr(request, "user", None)
    return getattr(user, "seller_id", None) if user is not None and user.is_authenticated else None


def resolve_marketplace(request) -> str | None:
    """UX-2: the marketplace the seller is looking at, a code or ``None`` for "All marketplaces".

    The URL's ``?marketplace=`` (a code of the account, or ``all``) wins and is remembered, in the
    session and on the user (they land there next time); without one, the session's; on a new
    session, the user's last choice; else the account's main marketplace (most orders).
    """
    from .models import User
    from .selectors import main_marketplace, seller_marketplaces

    seller_id = _seller_id(request)
    session = getattr(request, "session", None)
    if seller_id is None or session is None:
        return None
    chosen = request.GET.get("marketplace")
    if chosen is not None:
        code = chosen.strip().upper()
        if code in ("", ALL_MARKETPLACES):
            code = ALL_MARKETPLACES
        elif not (
            MARKETPLACE_CODE.fullmatch(code)
            and seller_marketplaces(seller=seller_id).filter(code=code).exists()
        ):
            code = None  # not one of the account's: the page shows where the seller was
        if code is not None:
            if session.get(MARKETPLACE_SESSION_KEY) != code:
                session[MARKETPLACE_SESSION_KEY] = code
            if request.user.last_marketplace != code:
                request.user.last_marketplace = code
                User.objects.filter(pk=request.user.pk).update(last_marketplace=code)
    code = session.get(MARKETPLACE_SESSION_KEY) or request.user.last_marketplace
    if not code:
        main = main_marketplace(seller_id=seller_id)
        code = main.code if main is not None else ALL_MARKETPLACES
        session[MARKETPLACE_SESSION_KEY] = code
    return None if code == ALL_MARKETPLACES else code


class CurrentMarketplaceMiddleware:
    """The marketplace the seller is looking at (FB-10: figures are per marketplace; UX-2: always
    explicit): ``request.marketplace_code``, ``None`` meaning "All marketplaces" chosen. Also
    stamps the API's rate-limit header (API-4) on every API response.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.marketplace_code = None
        if not request.path.startswith(("/api/", "/static/", "/admin/")):
            request.marketplace_code = resolve_marketplace(request)
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


class StatementDeadlineMiddleware:
    """A page whose query PostgreSQL cancelled at the web's deadline answers 503 with a page
    that says so (and ``Retry-After``), not the "unexpected error" of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.shortcuts import render

        from .api.errors import took_too_long_message
        from .errors import RETRY_AFTER_DEADLINE, is_statement_timeout

        if not is_statement_timeout(exception):
            return None
        logger.warning("%s %s stopped at the statement deadline", request.method, request.path)
        context = {"title": _("This took too long"), "message": took_too_long_message()}
        response = render(request, "errors/error.html", context, status=503)
        response["Retry-After"] = str(RETRY_AFTER_DEADLINE)
        return response
