"""VC-5, VC-6: the Wilson interval and the status rule in Python, mirroring the recompute's SQL
operation for operation (both in IEEE double precision), so tests and the offer page's
explanation say exactly what the database decided."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from .models import CXStatus


@dataclass(frozen=True)
class Thresholds:
    z: float = 1.96
    min_ncx_orders: int = 5
    very_poor_multiple: float = 2.0

    @classmethod
    def current(cls) -> Thresholds:
        from sellercx import policy

        from .policies import CONFIDENCE_Z, MIN_NCX_ORDERS, VERY_POOR_MULTIPLE

        values = policy.values(CONFIDENCE_Z, MIN_NCX_ORDERS, VERY_POOR_MULTIPLE)
        return cls(
            z=float(values[CONFIDENCE_Z.key]),
            min_ncx_orders=int(values[MIN_NCX_ORDERS.key]),
            very_poor_multiple=float(values[VERY_POOR_MULTIPLE.key]),
        )


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval of ``k`` successes in ``n`` trials (n > 0)."""
    if n <= 0:
        raise ValueError("n must be positive")
    p = k / n
    z2 = z * z
    centre = p + z2 / (2 * n)
    spread = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    denominator = 1 + z2 / n
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


def cx_status(
    *,
    ncx_orders: int,
    orders: int,
    peer_ncx_orders: int,
    peer_orders: int,
    thresholds: Thresholds | None = None,
) -> str:
    """VC-5 … VC-7: the offer's status against similar offers ('' when there is none)."""
    t = thresholds or Thresholds()
    if orders <= 0 or peer_orders <= 0:  # VC-7; and nothing to compare with
        return ""
    rate = ncx_orders / orders
    peer = peer_ncx_orders / peer_orders
    low, high = wilson(ncx_orders, orders, t.z)
    if high < peer:
        return CXStatus.EXCELLENT
    if rate <= peer:
        return CXStatus.GOOD
    if low <= peer:
        return CXStatus.FAIR
    if ncx_orders < t.min_ncx_orders:  # VC-6
        return CXStatus.INSUFFICIENT
    if low > peer * t.very_poor_multiple:
        return CXStatus.VERY_POOR
    return CXStatus.POOR


def as_rate(value: float | None) -> Decimal | None:
    return None if value is None else round(Decimal(value), 6)
