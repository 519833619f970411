"""The common case of order ingestion, validated without DRF's field-by-field walk (issue #8).

DRF spent half of a batch's time validating 500 orders of a dozen fields each. ``orders(data,
currency)`` checks a batch of well-formed orders directly and returns the rows DRF's
``OrdersBatch`` would give; at the first value it is not sure of, it returns ``None`` and the
serializer validates the batch instead, so every error still comes from DRF, worded and placed
as before. It only ever accepts a subset of what DRF accepts: ``tests/core/test_fast_input.py``
checks, on generated batches, that whatever it accepts DRF accepts with the same rows.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from sellercx.models import FulfilmentChannel, Order

from .fields import InstantField

ORDER_KEYS = frozenset(
    {
        "order_id",
        "seller_id",
        "buyer_id",
        "status",
        "fulfilment_channel",
        "purchase_date",
        "promised_delivery_at",
        "delivered_at",
        "fully_delivered_at",
        "lines",
    }
)
REQUIRED_KEYS = frozenset(
    {"order_id", "seller_id", "buyer_id", "status", "fulfilment_channel", "purchase_date", "lines"}
)
LINE_KEYS = frozenset({"sku", "quantity", "unit_price"})
STATUSES = frozenset(Order.Status.values)
CHANNELS = frozenset(FulfilmentChannel.values)
MAX_LINES = 100  # OrderInput.lines
CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("1e10")


class NotSure(Exception):
    """A value the fast path leaves to DRF."""


def _text(value: Any, max_length: int) -> str:
    # DRF's CharField strips, refuses blank, NUL and surrogates: only plain text passes here.
    if (
        type(value) is not str
        or not 0 < len(value) <= max_length
        or value != value.strip()
        or "\x00" in value
        or not value.isprintable()
    ):
        raise NotSure
    return value


def _integer(value: Any, low: int, high: int | None = None) -> int:
    if type(value) is not int or value < low or (high is not None and value > high):
        raise NotSure
    return value


def _choice(value: Any, choices: frozenset[str]) -> str:
    if type(value) is not str or value not in choices:
        raise NotSure
    return value


def _money(value: Any, currency: str | None) -> Decimal:
    if type(value) is not dict or value.keys() != {"amount", "currency_code"}:
        raise NotSure
    amount = value["amount"]
    if type(amount) is not str or (currency and value["currency_code"] != currency):
        raise NotSure
    try:
        number = Decimal(amount)
    except InvalidOperation:
        raise NotSure from None
    if not number.is_finite() or number < 0 or number >= MAX_AMOUNT:
        raise NotSure
    return number.quantize(CENT)


def _instant(value: Any, field: InstantField):
    if type(value) is not str:
        raise NotSure
    try:
        return field.to_internal_value(value)
    except serializers.ValidationError:
        raise NotSure from None


def _line(line: Any, currency: str | None) -> dict:
    if type(line) is not dict or line.keys() != LINE_KEYS:
        raise NotSure
    return {
        "sku": _text(line["sku"], 40),
        "quantity": _integer(line["quantity"], 1, 10_000),
        "unit_price": _money(line["unit_price"], currency),
    }


class _Dates:
    """DRF's date fields, given the request's time zone once rather than looking it up for
    every date (a fifth of the fast path's time)."""

    def __init__(self) -> None:
        zone = timezone.get_current_timezone()
        self.past = InstantField(default_timezone=zone)
        self.any_time = InstantField(past=False, default_timezone=zone)


def _order(row: Any, currency: str | None, dates: _Dates) -> dict:
    if type(row) is not dict or not REQUIRED_KEYS <= row.keys() <= ORDER_KEYS:
        raise NotSure
    lines = row["lines"]
    if type(lines) is not list or not 0 < len(lines) <= MAX_LINES:
        raise NotSure
    order = {
        "external_id": _text(row["order_id"], 64),
        "seller_id": _integer(row["seller_id"], 1),
        "buyer_id": _text(row["buyer_id"], 64),
        "status": _choice(row["status"], STATUSES),
        "fulfilment_channel": _choice(row["fulfilment_channel"], CHANNELS),
        "purchased_at": _instant(row["purchase_date"], dates.past),
    }
    for key, field in (
        ("promised_delivery_at", dates.any_time),
        ("delivered_at", dates.past),
        ("fully_delivered_at", dates.past),
    ):
        if key in row:
            order[key] = None if row[key] is None else _instant(row[key], field)
    order["lines"] = [_line(line, currency) for line in lines]
    return order


def orders(data: Any, currency: str | None) -> list[dict] | None:
    """The batch's validated orders, or ``None``: then DRF validates it (and reports errors)."""
    if type(data) is not dict or data.keys() != {"orders"}:
        return None
    rows = data["orders"]
    if type(rows) is not list or not 0 < len(rows) <= settings.SELLERCX_MAX_BATCH:
        return None
    try:
        dates = _Dates()
        return [_order(row, currency, dates) for row in rows]
    except NotSure:
        return None
