"""API-6, #8: the fast path of order ingestion accepts only what DRF accepts, with the same rows;
anything else goes to DRF, which reports the errors as before."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
import time_machine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sellercx.api import fastinput
from sellercx.api.serializers import batch_serializer

CURRENCY = "USD"


@pytest.fixture(autouse=True)
def _after_the_dates():
    """The orders below are of October 2026, and a date in the future is refused (#9): the
    tests run in the November after, whatever the machine's clock says."""
    with time_machine.travel(datetime(2026, 11, 2, 12, tzinfo=UTC), tick=False):
        yield


def drf(data) -> list | None:
    serializer = batch_serializer("orders")(data=data, context={"currency": CURRENCY})
    return serializer.validated_data["orders"] if serializer.is_valid() else None


def plain(value):
    """DRF's nested OrderedDicts as dicts, to compare."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def order(n: int = 1, **changes) -> dict:
    row = {
        "order_id": f"113-{n:07d}-0000001",
        "seller_id": 7,
        "buyer_id": "BUYER1",
        "status": "delivered",
        "fulfilment_channel": "merchant",
        "purchase_date": "2026-10-01T10:00:00Z",
        "delivered_at": "2026-10-03T10:00:00+02:00",
        "lines": [
            {
                "sku": "SKU-1",
                "quantity": 2,
                "unit_price": {"amount": "12.50", "currency_code": CURRENCY},
            }
        ],
    }
    row.update(changes)
    return row


def test_api6_a_well_formed_batch_takes_the_fast_path_with_drfs_rows():
    data = {"orders": [order(n) for n in range(500)]}
    rows = fastinput.orders(data, CURRENCY)
    assert rows is not None
    assert rows == plain(drf(data))
    assert rows[0]["lines"][0]["unit_price"] == Decimal("12.50")
    assert rows[0]["delivered_at"].isoformat() == "2026-10-03T08:00:00+00:00"


def test_api6_optional_dates_null_or_absent_as_drf_gives_them():
    data = {"orders": [order(promised_delivery_at=None, fully_delivered_at="2026-10-04")]}
    del data["orders"][0]["delivered_at"]
    assert fastinput.orders(data, CURRENCY) == plain(drf(data))


def test_api6_anything_unusual_goes_to_drf():
    unusual = [
        {"orders": []},
        {"orders": [order()], "extra": 1},
        {"orders": [order(order_id=" padded")]},
        {"orders": [order(seller_id="7")]},  # DRF takes it, as 7
        {"orders": [order(status="lost")]},
        {"orders": [order(lines=[])]},
        {"orders": [order(purchase_date="2999-01-01T00:00:00Z")]},
        {"orders": [order(colour="red")]},
    ]
    for data in unusual:
        assert fastinput.orders(data, CURRENCY) is None, data


TEXTS = st.one_of(
    st.sampled_from(["SKU-1", "BUYER1", "Ünïcode ✓", " x", "x ", "", "a\x00b", "a\tb", "\ud800"]),
    st.sampled_from(["é" * 40, "é" * 41, "x" * 64, "x" * 65]),
    st.text(max_size=70),
    st.integers(-3, 3),
    st.floats(allow_nan=True),
    st.booleans(),
    st.none(),
)
INTEGERS = st.one_of(
    st.integers(-2, 10_002), st.sampled_from([True, "1", "1.0", 1.0, 2.5, None, 10**20])
)
DATES = st.one_of(
    st.sampled_from(
        [
            "2026-10-01T10:00:00Z",
            "2026-10-01T10:00:00.123456+05:30",
            "2026-10-01T10:00:00",
            "2026-10-01",
            "2026-10-01 10:00",
            "1999-12-31T23:59:59Z",
            "2099-01-01T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "yesterday",
            "",
        ]
    ),
    st.none(),
    st.integers(),
)
AMOUNTS = st.one_of(
    st.sampled_from(
        [
            "12.50",
            "0",
            "-1",
            "-0",
            "1e10",
            "9999999999.994",
            "NaN",
            "Infinity",
            " 3.5 ",
            "1_000",
            "abc",
            "0.005",
            "0.015",
            "1E+2",
            "",
        ]  # fmt: skip
    ),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(-5, 5),
    st.floats(allow_nan=True),
    st.none(),
)
MONEY = st.one_of(
    st.fixed_dictionaries(
        {"amount": AMOUNTS, "currency_code": st.sampled_from([CURRENCY, "EUR", None])}
    ),
    st.fixed_dictionaries({"amount": AMOUNTS}),
    st.sampled_from(["12.50", None, [], {"amount": "1", "currency_code": CURRENCY, "x": 1}]),
)
LINE = st.one_of(
    st.fixed_dictionaries({"sku": TEXTS, "quantity": INTEGERS, "unit_price": MONEY}),
    st.fixed_dictionaries({"sku": TEXTS, "quantity": INTEGERS}),
    st.sampled_from([None, "line", []]),
)


FIELDS = {
    "order_id": TEXTS,
    "seller_id": INTEGERS,
    "buyer_id": TEXTS,
    "status": st.sampled_from(["delivered", "shipped", "cancelled", "lost", "", 1]),
    "fulfilment_channel": st.sampled_from(["merchant", "marketplace", "MERCHANT", None]),
    "purchase_date": DATES,
    "promised_delivery_at": DATES,
    "delivered_at": DATES,
    "fully_delivered_at": DATES,
    "lines": st.one_of(st.lists(LINE, max_size=3), st.none(), st.text(max_size=3)),
}


@st.composite
def rows(draw):
    """A well-formed order with up to two fields changed or dropped, or an unknown one added."""
    row = order(draw(st.integers(1, 10**6)))
    for key in draw(st.lists(st.sampled_from(sorted(FIELDS)), max_size=2, unique=True)):
        if draw(st.integers(0, 4)):
            row[key] = draw(FIELDS[key])
        else:
            row.pop(key, None)
    if draw(st.integers(0, 19)) == 0:
        row["unknown"] = 1
    return row


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    batch=st.lists(
        st.one_of(*[rows()] * 5, st.sampled_from([None, "order"])), min_size=1, max_size=3
    )
)
def test_api6_whatever_the_fast_path_accepts_drf_accepts_with_the_same_rows(batch):
    data = {"orders": batch}
    fast = fastinput.orders(data, CURRENCY)
    if fast is not None:
        assert fast == plain(drf(data))
