"""Time windows, all UTC and half-open ``[start, end)`` (STYLE: one function per window kind)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone


def today() -> date:
    return timezone.now().astimezone(UTC).date()


def week_start(day: date) -> date:
    """The Monday of the week holding ``day`` (CS-3: weeks start on Monday, UTC)."""
    return day - timedelta(days=day.weekday())


def at_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def days_before(end: date, days: int) -> tuple[datetime, datetime]:
    """``[end - days, end)`` as aware datetimes: e.g. CS-3's 28 days before a week start."""
    return at_midnight(end - timedelta(days=days)), at_midnight(end)


def periods_back(last: date, count: int, cadence: str) -> list[date]:
    """The ``count`` periods ending with ``last`` (oldest first): weeks or days."""
    step = timedelta(weeks=1) if cadence == "weekly" else timedelta(days=1)
    first = week_start(last) if cadence == "weekly" else last
    return [first - step * n for n in range(count - 1, -1, -1)]


def current_period(cadence: str, day: date | None = None) -> date:
    """The period a scheduled run computes: this week's Monday, or today."""
    day = day or today()
    return week_start(day) if cadence == "weekly" else day
