"""API-4: a token bucket per token (or user, or address) and per operation.

Each operation has a rate (requests per second, refilled continuously) and a burst (the
bucket's size), from ``SELLERCX_API_RATES``. A throttled call gets 429 with ``Retry-After``;
every call carries ``x-amzn-RateLimit-Limit`` with the operation's rate.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

RATE_HEADER = "x-amzn-RateLimit-Limit"


def operation_rate(scope: str) -> tuple[float, float]:
    rates = settings.SELLERCX_API_RATES
    rate, burst = rates.get(scope) or rates["default"]
    return float(rate), float(burst)


class TokenBucketThrottle(BaseThrottle):
    def __init__(self) -> None:
        self._wait: float | None = None

    def identity(self, request) -> str:
        token = getattr(request, "auth", None)
        if token is not None and getattr(token, "pk", None):
            return f"token:{token.pk}"
        if request.user and request.user.is_authenticated and request.user.pk:
            return f"user:{request.user.pk}"
        return f"ip:{self.get_ident(request)}"

    def allow_request(self, request, view) -> bool:
        scope = getattr(view, "throttle_scope", None) or "default"
        rate, burst = operation_rate(scope)
        request._request.sellercx_rate_limit = rate
        key = f"sellercx:bucket:{scope}:{self.identity(request)}"
        now = time.time()
        tokens, stamp = cache.get(key, (burst, now))
        tokens = min(burst, tokens + (now - stamp) * rate)
        if tokens < 1:
            self._wait = (1 - tokens) / rate
            cache.set(key, (tokens, now), timeout=int(burst / rate) + 60)
            return False
        cache.set(key, (tokens - 1, now), timeout=int(burst / rate) + 60)
        return True

    def wait(self) -> float | None:
        return self._wait
