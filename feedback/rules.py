"""The fixed windows of seller feedback (SPEC §2), counted in whole UTC days.

"Until 90 days after the order date" means: on day 90 it is still allowed, on day 91 it is
not. Each window has one function, so the services, the pages and the API agree.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

FEEDBACK_WINDOW_DAYS = 90  # FB-3
BUYER_REMOVAL_DAYS = 60  # FB-5
SOLICIT_FROM_DAYS = 5  # FB-11
SOLICIT_UNTIL_DAYS = 30  # FB-11
REMOVAL_OVERDUE_DAYS = 3  # FB-7
BULK_REQUEST_MAX_DAYS = 366  # FB-11: the longest purchase-date range of one bulk request
SUMMARY_PERIODS = (30, 90, 365, None)  # FB-8; None is lifetime


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def days_between(start: datetime, end: datetime) -> int:
    return (utc_day(end) - utc_day(start)).days


def feedback_window_open(*, purchased_at: datetime, at: datetime) -> bool:
    """FB-3: feedback may be left until 90 days after the order date."""
    return 0 <= days_between(purchased_at, at) <= FEEDBACK_WINDOW_DAYS


def buyer_may_remove(*, left_at: datetime, at: datetime) -> bool:
    """FB-5: the buyer may remove their feedback within 60 days of leaving it."""
    return days_between(left_at, at) <= BUYER_REMOVAL_DAYS


def solicitation_window(
    *, delivered_at: datetime | None, fully_delivered_at: datetime | None
) -> tuple[date, date] | None:
    """FB-11: from 5 days after the first delivery to 30 days after the last, both included."""
    if delivered_at is None:
        return None
    last = fully_delivered_at or delivered_at
    return (
        utc_day(delivered_at) + timedelta(days=SOLICIT_FROM_DAYS),
        utc_day(last) + timedelta(days=SOLICIT_UNTIL_DAYS),
    )


def removal_overdue_since(now: datetime) -> datetime:
    """FB-7: a request with no decision after 3 days is overdue."""
    return now - timedelta(days=REMOVAL_OVERDUE_DAYS)


def removal_decision_expected_by(*, requested_at: datetime, review_days: int) -> date:
    """FB-7: the UTC day by which marketplace staff decide a request they review, the
    marketplace's review time (``policies.REMOVAL_REVIEW_DAYS``) after it was made."""
    return utc_day(requested_at) + timedelta(days=review_days)
