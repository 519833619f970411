"""VC-5, VC-6: the Wilson interval and the status rule (pure functions, hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from voc.models import CXStatus
from voc.rules import Thresholds, cx_status, wilson


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # Published Wilson 95% intervals (z = 1.96), e.g. Newcombe (1998), Table I;
        # Brown, Cai & DasGupta (2001).
        (0, 10, 0.0, 0.2775),
        (5, 10, 0.2366, 0.7634),
        (1, 100, 0.0018, 0.0545),
        (10, 10, 0.7225, 1.0),
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
    ],
)
def test_vc5_wilson_bounds_match_published_values(k, n, low, high):
    lo, hi = wilson(k, n, 1.96)
    assert lo == pytest.approx(low, abs=1e-4)
    assert hi == pytest.approx(high, abs=1e-4)


def test_vc5_wilson_needs_orders():
    with pytest.raises(ValueError):
        wilson(0, 0)


@given(n=st.integers(1, 10_000), data=st.data())
def test_vc5_wilson_bounds_hold_the_rate(n, data):
    k = data.draw(st.integers(0, n))
    lo, hi = wilson(k, n)
    assert 0 <= lo <= k / n + 1e-12 and k / n - 1e-12 <= hi <= 1


@given(n=st.integers(1, 2_000), data=st.data())
def test_vc5_more_orders_narrow_the_interval(n, data):
    k = data.draw(st.integers(0, n))
    lo, hi = wilson(k, n)
    lo2, hi2 = wilson(2 * k, 2 * n)
    assert hi2 - lo2 < hi - lo


# How far a status is from "like the others", and on which side.
EXTREMENESS = {
    CXStatus.EXCELLENT: -1,
    CXStatus.GOOD: 0,
    CXStatus.FAIR: 0,
    CXStatus.INSUFFICIENT: 0,
    CXStatus.POOR: 1,
    CXStatus.VERY_POOR: 2,
}


@given(
    k=st.integers(0, 200),
    extra=st.integers(0, 400),
    factor=st.integers(2, 20),
    peer_ncx=st.integers(0, 500),
    peer_extra=st.integers(1, 5_000),
)
def test_vc5_vc6_fewer_orders_never_give_a_more_extreme_status(
    k, extra, factor, peer_ncx, peer_extra
):
    """At the same rate, an offer with fewer orders is never further from "like the others"
    than one with more orders (a few orders never produce an extreme status)."""
    n = k + extra
    if n == 0:
        return
    peers = {"peer_ncx_orders": peer_ncx, "peer_orders": peer_ncx + peer_extra}
    few = EXTREMENESS[cx_status(ncx_orders=k, orders=n, **peers)]
    many = EXTREMENESS[cx_status(ncx_orders=k * factor, orders=n * factor, **peers)]
    assert abs(few) <= abs(many)
    assert few * many >= 0  # never on the other side


@given(n=st.integers(1, 1_000), data=st.data())
def test_vc5_an_offer_at_the_peer_rate_is_good(n, data):
    k = data.draw(st.integers(0, n))
    assert cx_status(ncx_orders=k, orders=n, peer_ncx_orders=3 * k, peer_orders=3 * n) in (
        CXStatus.GOOD,
        CXStatus.EXCELLENT,
    )


def test_vc5_rule_thresholds():
    peers = {"peer_ncx_orders": 50, "peer_orders": 1000}  # 5%
    assert cx_status(ncx_orders=2, orders=1000, **peers) == CXStatus.EXCELLENT
    assert cx_status(ncx_orders=1, orders=20, **peers) == CXStatus.GOOD
    assert cx_status(ncx_orders=3, orders=40, **peers) == CXStatus.FAIR
    assert cx_status(ncx_orders=20, orders=200, **peers) == CXStatus.POOR
    assert cx_status(ncx_orders=50, orders=200, **peers) == CXStatus.VERY_POOR


def test_vc6_too_few_ncx_orders_is_insufficient_feedback():
    peers = {"peer_ncx_orders": 1, "peer_orders": 1000}
    assert cx_status(ncx_orders=4, orders=10, **peers) == CXStatus.INSUFFICIENT
    assert cx_status(ncx_orders=5, orders=10, **peers) == CXStatus.VERY_POOR
    stricter = Thresholds(min_ncx_orders=6)
    assert cx_status(ncx_orders=5, orders=10, thresholds=stricter, **peers) == CXStatus.INSUFFICIENT


def test_vc7_no_orders_no_status():
    assert cx_status(ncx_orders=0, orders=0, peer_ncx_orders=5, peer_orders=100) == ""
