"""The catalogue of performance metrics (PM-1 … PM-4) and the one status rule (PM-5).

Each metric has a unit, a condition against its target, the admin-editable target and "at
risk" margin (``policies``), and the window it covers. The status rule exists once, in Python
(``status_of``) and as the identical SQL ``CASE`` the recompute writes (``status_sql``); a
property test holds them equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from feedback.policies import NEGATIVE_RATE_WARNING
from messaging.policies import RESPONSE_TIME_TARGET
from sellercx import policy

from . import policies


class Metric(models.TextChoices):
    ODR_MERCHANT = "odr_merchant", _("Order defect rate, merchant fulfilled")
    ODR_MARKETPLACE = "odr_marketplace", _("Order defect rate, fulfilled by the marketplace")
    NEGATIVE_FEEDBACK = "negative_feedback_rate", _("Negative feedback rate")
    POSITIVE_FEEDBACK = "positive_feedback", _("Positive feedback")
    AVERAGE_RATING = "average_rating", _("Average feedback rating")
    FEEDBACK_COUNT = "feedback_count", _("Feedback count")
    FEEDBACK_SCORE = "feedback_score", _("Feedback score points")
    CS_RATING = "cs_rating", _("Customer-service rating")
    RESPONSE_TIME = "response_time", _("Contact response time")


class Status(models.TextChoices):
    GOOD = "good", _("Good")
    AT_RISK = "at_risk", _("At risk")
    FAILING = "failing", _("Failing")
    NONE = "none", _("No data")


# The OpenAPI schema's name for the statuses (settings' ENUM_NAME_OVERRIDES).
STATUS_CHOICES = Status.choices


class Condition(models.TextChoices):
    BELOW = "lt", _("below")  # the value must stay below the target (ODR < 1%)
    AT_LEAST = "gte", _("at least")  # the value must reach the target (≥ 90% on time)
    NONE = "", _("no target")  # informational (PM-3: never used to rank)


# The order a seller reads them in, and the worst first when statuses are compared.
STATUS_SEVERITY = {Status.FAILING: 3, Status.AT_RISK: 2, Status.GOOD: 1, Status.NONE: 0}
STATUS_COLOURS = {
    Status.FAILING: "red",
    Status.AT_RISK: "yellow",
    Status.GOOD: "green",
    Status.NONE: "grey",
}
ODR_METRICS = (Metric.ODR_MERCHANT, Metric.ODR_MARKETPLACE)
DEFECT_KINDS = ("negative_feedback", "claim", "chargeback")
DEFECT_LABELS = {
    "negative_feedback": _("Negative feedback"),
    "claim": _("A-to-z claim"),
    "chargeback": _("Chargeback"),
}

FEEDBACK_WINDOW_DAYS = 90  # PM-2 negative rate (FB-9) and PM-3 score points
FEEDBACK_YEAR_DAYS = 365  # PM-2 positive share, average and count (FB-8's 365 days)
RESPONSE_WINDOW_DAYS = 90  # PM-4, MS-5's longest window
CS_WINDOW_DAYS = 28  # CS-3
# CS-6 bands: below 6.0 is red (failing), 6.0–7.9 yellow (at risk), 8.0 and above green.
CS_TARGET = Decimal("6.0")
CS_AT_RISK_MARGIN = Decimal("2.0")


@dataclass(frozen=True)
class Definition:
    metric: Metric
    unit: str  # rate (0..1, shown in %), stars, count, points, score (out of 10)
    condition: Condition
    help: str
    target: policy.Policy | Decimal | None = None
    margin: policy.Policy | Decimal | None = None
    percent: bool = False  # the policies hold percent; values are fractions
    # Decimals a value is shown with: the ODR's "at risk" line (0.75%) needs two.
    places: int = 1
    # CS-8: shown with its own band words, never counted toward the overall status.
    informational: bool = False

    @property
    def label(self) -> str:
        return self.metric.label


DEFINITIONS: dict[Metric, Definition] = {
    d.metric: d
    for d in (
        Definition(
            Metric.ODR_MERCHANT,
            "rate",
            Condition.BELOW,
            _(
                "Orders you fulfilled with at least one defect (negative feedback, A-to-z "
                "claim, chargeback) ÷ those orders, over 60 days of order dates ending 14 "
                "days ago. An order with several defects counts once; cancelled orders do "
                "not count."
            ),
            policies.ODR_TARGET,
            policies.ODR_AT_RISK_MARGIN,
            percent=True,
            places=2,
        ),
        Definition(
            Metric.ODR_MARKETPLACE,
            "rate",
            Condition.BELOW,
            _(
                "The same for orders fulfilled by the marketplace: orders with at least one "
                "defect ÷ orders, over 60 days of order dates ending 14 days ago."
            ),
            policies.ODR_TARGET,
            policies.ODR_AT_RISK_MARGIN,
            percent=True,
            places=2,
        ),
        Definition(
            Metric.NEGATIVE_FEEDBACK,
            "rate",
            Condition.BELOW,
            _(
                "Feedback of 1 or 2 stars ÷ all feedback left in the last 90 days; removed "
                "or struck-through feedback does not count."
            ),
            NEGATIVE_RATE_WARNING,
            policies.NEGATIVE_AT_RISK_MARGIN,
            percent=True,
        ),
        Definition(
            Metric.POSITIVE_FEEDBACK,
            "rate",
            Condition.AT_LEAST,
            _(
                "Feedback of 4 or 5 stars ÷ all feedback left in the last 365 days (neutral "
                "counts in the total, not as positive)."
            ),
            policies.POSITIVE_TARGET,
            policies.POSITIVE_AT_RISK_MARGIN,
            percent=True,
        ),
        Definition(
            Metric.AVERAGE_RATING,
            "stars",
            Condition.AT_LEAST,
            _("The average stars of the feedback left in the last 365 days."),
            policies.RATING_TARGET,
            policies.RATING_AT_RISK_MARGIN,
        ),
        Definition(
            Metric.FEEDBACK_COUNT,
            "count",
            Condition.NONE,
            _("How many feedback buyers left in the last 365 days (removed ones excluded)."),
        ),
        Definition(
            Metric.FEEDBACK_SCORE,
            "points",
            Condition.NONE,
            _(
                "Over 90 days of orders: +100 for each order with no defect, −500 for each "
                "order with 1–2 star feedback. An indicator only, never used to rank."
            ),
        ),
        Definition(
            Metric.CS_RATING,
            "score",
            Condition.AT_LEAST,
            _(
                "10 × the share of conversations whose latest answer to “Did this resolve your "
                "issue?” is yes, over the 4 weeks before the latest weekly rating with enough "
                "answers. Below 6.0 needs attention, 6.0–7.9 needs improvement."
            ),
            CS_TARGET,
            CS_AT_RISK_MARGIN,
            informational=True,
        ),
        Definition(
            Metric.RESPONSE_TIME,
            "rate",
            Condition.AT_LEAST,
            _(
                "Buyer messages answered within 24 hours ÷ buyer messages due, over the last "
                "90 days (“no response needed” ones excluded)."
            ),
            RESPONSE_TIME_TARGET,
            policies.RESPONSE_AT_RISK_MARGIN,
            percent=True,
        ),
    )
}


# PM-1: an order's defects as of a moment, one flag per kind (an order counts once however
# many it has). The drill-down (``selectors.defect_flags``) states the same conditions in the
# ORM; a test holds them equal.
# ``{sellers}``: the order's seller is one of them. PostgreSQL may hash a subquery once for all
# rows; bounded to the chunk's sellers, it reads their defects, not every seller's (at 10
# chunks that was 10 reads of the whole feedback table: benchmarks, issue #8).
DEFECTS_SQL = """
    EXISTS (SELECT 1 FROM feedback_feedback f
            WHERE f.order_id = {order} AND f.seller_id = ANY({sellers})
              AND f.rating <= 2 AND f.left_at < {as_of} AND f.received_at < {as_of}
              AND (f.removed_at IS NULL OR f.removed_at >= {as_of})
              AND (f.struck_through_at IS NULL OR f.struck_through_at >= {as_of}))
        AS negative_feedback,
    EXISTS (SELECT 1 FROM sellercx_atozclaim c
            WHERE c.order_id = {order} AND c.seller_id = ANY({sellers})
              AND c.status <> 'withdrawn' AND c.occurred_at < {as_of}
              AND c.received_at < {as_of})
        AS claim,
    EXISTS (SELECT 1 FROM sellercx_chargeback b
            WHERE b.order_id = {order} AND b.seller_id = ANY({sellers})
              AND b.occurred_at < {as_of} AND b.received_at < {as_of})
        AS chargeback"""


def windows(day: date) -> dict[str, tuple[date, date]]:
    """The half-open ``[first day, end day)`` windows of the snapshot of ``day`` (UTC): PM-1's
    60 days of order dates ending 14 days ago (both policies), 90 and 365 days of feedback,
    90 days of messages, CS-3's 4 weeks."""
    length, lag = policy.values(policies.ODR_WINDOW_DAYS, policies.ODR_LAG_DAYS).values()
    odr_end = day - timedelta(days=int(lag))
    return {
        "odr": (odr_end - timedelta(days=int(length)), odr_end),
        "fb90": (day - timedelta(days=FEEDBACK_WINDOW_DAYS), day),
        "fb365": (day - timedelta(days=FEEDBACK_YEAR_DAYS), day),
        "response": (day - timedelta(days=RESPONSE_WINDOW_DAYS), day),
        "cs": (day - timedelta(days=CS_WINDOW_DAYS), day),
    }


def targets() -> dict[str, tuple[Decimal | None, Decimal | None, str]]:
    """Each metric's (target, at-risk margin, condition) in the metric's unit, reading every
    policy in one query."""
    declared = [
        p
        for d in DEFINITIONS.values()
        for p in (d.target, d.margin)
        if isinstance(p, policy.Policy)
    ]
    stored = policy.values(*declared)

    def read(item, percent: bool) -> Decimal | None:
        if item is None:
            return None
        value = stored[item.key] if isinstance(item, policy.Policy) else item
        return value / 100 if percent else value

    return {
        d.metric.value: (read(d.target, d.percent), read(d.margin, d.percent), d.condition.value)
        for d in DEFINITIONS.values()
    }


def status_of(
    value: Decimal | None, target: Decimal | None, margin: Decimal | None, condition: str
) -> str:
    """PM-5: failing when beyond the target, at risk when within the margin of it, good
    otherwise; none without data or without a target."""
    if value is None or target is None or condition == Condition.NONE:
        return Status.NONE
    margin = margin or Decimal(0)
    if condition == Condition.BELOW:
        if value >= target:
            return Status.FAILING
        return Status.AT_RISK if value >= target - margin else Status.GOOD
    if value < target:
        return Status.FAILING
    return Status.AT_RISK if value < target + margin else Status.GOOD


def status_sql(value: str, target: str, margin: str, condition: str) -> str:
    """``status_of`` as a SQL expression over the given column expressions."""
    return f"""CASE
        WHEN {value} IS NULL OR {target} IS NULL OR {condition} = '' THEN 'none'
        WHEN {condition} = 'lt' AND {value} >= {target} THEN 'failing'
        WHEN {condition} = 'lt' AND {value} >= {target} - coalesce({margin}, 0) THEN 'at_risk'
        WHEN {condition} = 'lt' THEN 'good'
        WHEN {value} < {target} THEN 'failing'
        WHEN {value} < {target} + coalesce({margin}, 0) THEN 'at_risk'
        ELSE 'good' END"""


def worst(statuses) -> str:
    """The most severe of some statuses (none when there is no data at all)."""
    return max(statuses, key=lambda s: STATUS_SEVERITY[Status(s)], default=Status.NONE)


def counts_toward_overall(metric: str) -> bool:
    """CS-8: an informational metric (the customer-service rating) never makes the account's
    overall status worse, whatever its own band."""
    return not DEFINITIONS[Metric(metric)].informational


def overall_status(statuses: Iterable[tuple[str, str]]) -> str:
    """The overall status of some ``(metric, status)`` pairs: the worst of the metrics that
    count (``counts_toward_overall``); none when none of them has data."""
    return worst(status for metric, status in statuses if counts_toward_overall(metric))
