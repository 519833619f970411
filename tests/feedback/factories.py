"""Factories for seller feedback."""

from __future__ import annotations

import factory
from django.utils import timezone

from feedback.models import Feedback
from tests.factories import OfferFactory, order_of


class FeedbackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feedback

    order = factory.LazyFunction(lambda: order_of(OfferFactory()))
    seller = factory.LazyAttribute(lambda o: o.order.seller)
    marketplace = factory.LazyAttribute(lambda o: o.order.marketplace)
    buyer = factory.LazyAttribute(lambda o: o.order.buyer)
    external_id = factory.Sequence(lambda n: f"FB-{n:06d}")
    rating = 5
    comment = "Great seller, fast shipping."
    left_at = factory.LazyFunction(timezone.now)
    received_at = factory.LazyAttribute(lambda o: o.left_at)  # SC-4: arrived when left
