"""PM-1, PM-5 properties (hypothesis): the recompute equals a naive per-order computation on
random data; 0 ≤ rate ≤ 1; one defect per order; removed or struck-through feedback never
counts; the SQL status rule is the Python one."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metrics.definitions import Metric, status_of, status_sql
from metrics.models import MetricSnapshot
from metrics.recomputes import recompute_metrics

from .helpers import AS_OF, DAY, chargeback, claim, feedback, order

pytestmark = pytest.mark.django_db

ODR_FIRST = AS_OF - timedelta(days=74)
ODR_END = AS_OF - timedelta(days=14)

defect = st.one_of(
    st.tuples(
        st.just("feedback"),
        st.integers(1, 5),  # stars
        st.sampled_from(["", "removed", "struck", "removed_later"]),
        st.integers(0, 80),  # days after the order it arrived
    ),
    st.tuples(
        st.just("claim"),
        st.sampled_from(["open", "granted", "denied", "withdrawn"]),
        st.just(""),
        st.integers(0, 80),
    ),
    st.tuples(st.just("chargeback"), st.just(0), st.just(""), st.integers(0, 80)),
)
an_order = st.tuples(
    st.integers(0, 95 * 24),  # hours before the day began
    st.sampled_from(["merchant", "marketplace"]),
    st.lists(defect, max_size=3),
)


def naive(orders: list[tuple]) -> dict[str, tuple[int, int]]:
    """PM-1 computed by hand, one order at a time."""
    result = {"merchant": [0, 0], "marketplace": [0, 0]}
    for purchased, channel, defects in orders:
        if not ODR_FIRST <= purchased < ODR_END:
            continue
        result[channel][1] += 1
        counted = False
        for kind, value, removal, days_after in defects:
            arrived = purchased + timedelta(days=days_after)
            if arrived >= AS_OF:
                continue
            if kind == "feedback":
                counted |= value <= 2 and removal in ("", "removed_later")
            elif kind == "claim":
                counted |= value != "withdrawn"
            else:
                counted = True
        result[channel][0] += 1 if counted else 0
    return {k: tuple(v) for k, v in result.items()}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(an_order, max_size=12))
def test_pm1_recompute_equals_naive_per_order_computation(seller, marketplace, drawn):
    with transaction.atomic():
        orders = []
        for hours, channel, defects in drawn:
            purchased = AS_OF - timedelta(hours=hours)
            made = order(seller, marketplace, purchased, channel=channel)
            kinds_seen = set()
            kept = []
            for kind, value, removal, days_after in defects:
                if kind == "feedback" and "feedback" in kinds_seen:
                    continue  # FB-2: one feedback per order
                kinds_seen.add(kind)
                kept.append((kind, value, removal, days_after))
                arrived = purchased + timedelta(days=days_after)
                if kind == "feedback":
                    extra = {}
                    if removal == "removed":
                        extra = {"removed_at": arrived, "removed_by": "buyer"}
                    elif removal == "removed_later":
                        extra = {"removed_at": AS_OF + timedelta(hours=1), "removed_by": "buyer"}
                    elif removal == "struck":
                        extra = {"struck_through_at": arrived}
                    feedback(made, arrived, rating=value, **extra)
                elif kind == "claim":
                    claim(made, arrived, status=value)
                else:
                    chargeback(made, arrived)
            orders.append((purchased, channel, kept))
        recompute_metrics(period=DAY, seller_ids=[seller.pk])
        expected = naive(orders)
        for channel, metric in (
            ("merchant", Metric.ODR_MERCHANT),
            ("marketplace", Metric.ODR_MARKETPLACE),
        ):
            row = MetricSnapshot.objects.get(seller=seller, metric=metric, day=DAY)
            assert (row.numerator, row.denominator) == expected[channel]
            # One defect per order: never more defective orders than orders, nor than kinds.
            assert row.numerator <= row.denominator
            assert row.numerator <= sum(row.breakdown.values())
            if row.denominator:
                assert Decimal(0) <= row.value <= Decimal(1)
            else:
                assert row.value is None
        transaction.set_rollback(True)


decimals = st.decimals(min_value=-2, max_value=12, places=3, allow_nan=False)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    value=st.one_of(st.none(), decimals),
    target=st.one_of(st.none(), decimals),
    margin=st.one_of(st.none(), st.decimals(min_value=0, max_value=3, places=3)),
    condition=st.sampled_from(["lt", "gte", ""]),
)
def test_pm5_status_rule_in_sql_is_the_python_rule(value, target, margin, condition):
    sql = "SELECT " + status_sql("%(v)s::numeric", "%(t)s::numeric", "%(m)s::numeric", "%(c)s")
    with connection.cursor() as cursor:
        cursor.execute(sql, {"v": value, "t": target, "m": margin, "c": condition})
        (in_sql,) = cursor.fetchone()
    assert in_sql == status_of(value, target, margin, condition)


def test_pm5_status_rule_examples():
    one = Decimal("0.01")
    quarter = Decimal("0.0025")
    assert status_of(Decimal("0.0100"), one, quarter, "lt") == "failing"
    assert status_of(Decimal("0.0075"), one, quarter, "lt") == "at_risk"
    assert status_of(Decimal("0.0074"), one, quarter, "lt") == "good"
    assert status_of(Decimal("0.89"), Decimal("0.9"), Decimal("0.05"), "gte") == "failing"
    assert status_of(Decimal("0.9"), Decimal("0.9"), Decimal("0.05"), "gte") == "at_risk"
    assert status_of(Decimal("0.95"), Decimal("0.9"), Decimal("0.05"), "gte") == "good"
    assert status_of(None, one, quarter, "lt") == "none"
    assert status_of(Decimal(3), None, None, "") == "none"


a_feedback = st.tuples(
    st.integers(1, 5),
    st.integers(0, 400),  # days before the day began
    st.sampled_from(["", "removed", "struck"]),
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(a_feedback, max_size=10))
def test_pm2_removed_or_struck_feedback_never_counts(seller, marketplace, drawn):
    with transaction.atomic():
        for stars, days, removal in drawn:
            left = AS_OF - timedelta(days=days, hours=2)  # removed an hour later, still before
            extra = {}
            if removal == "removed":
                extra = {"removed_at": left + timedelta(hours=1), "removed_by": "buyer"}
            elif removal == "struck":
                extra = {"struck_through_at": left + timedelta(hours=1)}
            feedback(order(seller, marketplace, left - timedelta(days=2)), left, stars, **extra)
        recompute_metrics(period=DAY, seller_ids=[seller.pk])
        counting = [(s, d) for s, d, removal in drawn if not removal]
        rows = {
            r.metric: r
            for r in MetricSnapshot.objects.filter(seller=seller, marketplace=marketplace, day=DAY)
        }
        recent = [s for s, d in counting if d < 90]
        year = [s for s, d in counting if d < 365]
        negative = rows[Metric.NEGATIVE_FEEDBACK]
        assert (negative.numerator, negative.denominator) == (
            sum(s <= 2 for s in recent),
            len(recent),
        )
        positive = rows[Metric.POSITIVE_FEEDBACK]
        assert (positive.numerator, positive.denominator) == (sum(s >= 4 for s in year), len(year))
        for row in (negative, positive):
            assert row.value is None or Decimal(0) <= row.value <= Decimal(1)
        transaction.set_rollback(True)
