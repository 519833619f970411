"""The VOC demo data: 26 weeks of history and Northwind's offers across the statuses."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from sellercx.demo import NORTHWIND_OWNER
from sellercx.models import User
from voc.models import OfferCXStatus, OfferCXWeek

pytestmark = pytest.mark.django_db


def test_demo_backfills_26_weeks_of_cx_status():
    call_command(
        "seed_demo", "--quiet", "--scale", "0.05", stdout=io.StringIO(), stderr=io.StringIO()
    )
    assert OfferCXWeek.objects.values("week_start").distinct().count() == 26
    seller_id = User.objects.get(email=NORTHWIND_OWNER).seller_id
    statuses = set(
        OfferCXStatus.objects.filter(seller_id=seller_id).values_list("status", flat=True)
    )
    assert {"very_poor", "poor", "excellent", "good"} <= statuses
    assert OfferCXStatus.objects.filter(
        seller_id=seller_id, offer__closure_reason="ncx", offer__status="closed", status="very_poor"
    ).exists()
