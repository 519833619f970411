"""API-4: a token bucket per token (or user, or address) and per operation.

Each operation has a rate (requests per second, refilled continuously) and a burst (the
bucket's size), from ``SELLERCX_API_RATES``. A throttled call gets 429 with ``Retry-After``;
every call carries ``x-amzn-RateLimit-Limit`` with the operation's rate.

On Redis (production) the bucket is taken in one Lua script, so concurrent calls on any number
of web processes never spend the same token twice; with Redis down the throttle fails open (the
API keeps serving, issue #9). On a local-memory cache (tests, development) a lock makes the
read-modify-write atomic within the process, which is all such a cache is shared by.
"""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

RATE_HEADER = "x-amzn-RateLimit-Limit"

# KEYS[1]: the bucket (a hash: t = tokens, s = stamp). ARGV: rate, burst, now, ttl.
# Returns {allowed (0/1), tokens left (a string: Lua numbers come back as integers)}.
BUCKET_SCRIPT = """
local rate, burst = tonumber(ARGV[1]), tonumber(ARGV[2])
local now, ttl = tonumber(ARGV[3]), tonumber(ARGV[4])
local state = redis.call('HMGET', KEYS[1], 't', 's')
local tokens, stamp = tonumber(state[1]), tonumber(state[2])
if tokens == nil or stamp == nil then tokens, stamp = burst, now end
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
local allowed = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
end
redis.call('HSET', KEYS[1], 't', tostring(tokens), 's', tostring(math.max(now, stamp)))
redis.call('EXPIRE', KEYS[1], ttl)
return {allowed, tostring(tokens)}
"""

_local_lock = threading.Lock()


def operation_rate(scope: str) -> tuple[float, float]:
    rates = settings.SELLERCX_API_RATES
    rate, burst = rates.get(scope) or rates["default"]
    return float(rate), float(burst)


def take_token(key: str, rate: float, burst: float) -> tuple[bool, float]:
    """Take one token from the bucket: (allowed, tokens left)."""
    now = time.time()
    ttl = int(burst / rate) + 60
    if hasattr(cache, "run_script"):
        result = cache.run_script(BUCKET_SCRIPT, key, [rate, burst, now, ttl])
        if result is None:  # Redis unreachable: fail open
            return True, burst
        return bool(int(result[0])), float(result[1])
    with _local_lock:
        tokens, stamp = cache.get(key, (burst, now))
        tokens = min(burst, tokens + max(0.0, now - stamp) * rate)
        allowed = tokens >= 1
        if allowed:
            tokens -= 1
        cache.set(key, (tokens, now), timeout=ttl)
    return allowed, tokens


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
        allowed, tokens = take_token(key, rate, burst)
        if not allowed:
            self._wait = (1 - tokens) / rate
        return allowed

    def wait(self) -> float | None:
        return self._wait
