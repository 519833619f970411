"""Web security plumbing (issue #9): who is calling from where, for lockouts and the audit log.

The audit context is the request's client IP address and, for an API call, the token used. The
middleware sets it for the length of a request and the API authentication adds the token, so
services record both without every signature carrying them.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, replace

from django.conf import settings


@dataclass(frozen=True)
class AuditContext:
    ip: str | None = None
    token_id: int | None = None
    token_name: str = ""


_EMPTY = AuditContext()
_context: ContextVar[AuditContext] = ContextVar("sellercx_audit_context", default=_EMPTY)  # noqa: B039


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or with ``SELLERCX_PROXY_COUNT`` trusted proxies in front, the address the
    outermost of them saw (the proxies append to X-Forwarded-For, so earlier entries are the
    client's to forge)."""
    count = getattr(settings, "SELLERCX_PROXY_COUNT", 0)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None


def axes_username(request, credentials) -> str:
    """Lockouts count per e-mail address whatever its case: ``A@x.com`` is ``a@x.com``."""
    username = (credentials or {}).get("username")
    if username is None and request is not None:
        username = request.POST.get("username", "")
    return (username or "").strip().lower()


def audit_context() -> AuditContext:
    return _context.get()


def begin_request(request):
    """Called by the middleware; returns the token to pass to :func:`end_request`."""
    return _context.set(AuditContext(ip=client_ip(request)))


def end_request(reset_token) -> None:
    _context.reset(reset_token)


def set_api_token(token) -> None:
    """The API authentication names the token an API call acts with."""
    _context.set(replace(_context.get(), token_id=token.pk, token_name=token.name))


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: a translated page, HTTP 429."""
    from django.shortcuts import render

    cooloff = settings.AXES_COOLOFF_TIME
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }
    return render(request, "registration/locked_out.html", context, status=429)
