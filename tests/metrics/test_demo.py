"""The demo (``make run``): 90 days of snapshots; Cedar & Pine fails the ODR target, Summit
Gear is at risk, Northwind is good (PM-1, PM-5). Full scale: the statuses depend on volume."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from metrics.definitions import ODR_METRICS, worst
from metrics.models import MetricSnapshot
from sellercx import periods

pytestmark = pytest.mark.django_db


def test_pm5_demo_backfills_90_days_with_a_failing_and_an_at_risk_odr():
    call_command("seed_demo", "--quiet", stdout=io.StringIO(), stderr=io.StringIO())
    days = MetricSnapshot.objects.values_list("day", flat=True).distinct()
    assert len(days) == 90 and max(days) == periods.today()
    latest = MetricSnapshot.objects.filter(day=periods.today(), metric__in=ODR_METRICS)
    odr = {}
    for name, status in latest.values_list("seller__name", "status"):
        odr.setdefault(name, []).append(status)
    assert worst(odr["Cedar & Pine Trading Co."]) == "failing"
    assert worst(odr["Summit Gear Supply"]) == "at_risk"
    assert worst(odr["Northwind Outfitters"]) == "good"
