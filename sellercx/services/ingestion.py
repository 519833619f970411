"""API-6: what the storefront sends — orders and their post-order events — stored in batches.

Each batch is validated whole against the database in a fixed number of queries, then upserted
on the marketplace's own ids: a row sent twice is stored once (and updated if it changed). A
batch with any bad row stores nothing and reports every bad row, so an integrator fixes and
resends it; the resend is safe because ingestion is idempotent.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from sellercx.errors import InvalidInput
from sellercx.models import (
    AtoZClaim,
    Buyer,
    Chargeback,
    CustomerServiceContact,
    Marketplace,
    Offer,
    Order,
    OrderEvent,
    OrderLine,
    ReasonCode,
    Refund,
    Return,
    SellerMarketplace,
)


@dataclass
class IngestResult:
    received: int = 0
    created: int = 0
    updated: int = 0


@dataclass
class _Problems:
    """Bad rows of a batch, each with the path of the field at fault (``orders[3].sku``)."""

    collection: str
    items: list[dict] = field(default_factory=list)

    def add(self, row: int, path: str, message: str) -> None:
        self.items.append({"field": f"{self.collection}[{row}].{path}", "message": message})

    def raise_if_any(self) -> None:
        if self.items:
            raise InvalidInput(
                _("%(count)d row(s) of the batch were refused; nothing was stored.")
                % {"count": len({p["field"].split("]")[0] for p in self.items})},
                details=self.items,
            )


def _duplicates(problems: _Problems, rows: list[dict], key: str = "external_id") -> None:
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if row[key] in seen:
            problems.add(index, "id", _("This id appears twice in the batch."))
        seen.add(row[key])


def _offers_by_sku(marketplace: Marketplace, pairs: Iterable[tuple[int, str]]) -> dict:
    """{(seller_id, sku): (offer_id, fulfilment_channel)} for the given pairs, one query."""
    pairs = set(pairs)
    if not pairs:
        return {}
    sellers = {seller for seller, _ in pairs}
    skus = {sku for _, sku in pairs}
    rows = Offer.objects.filter(
        marketplace=marketplace, seller_id__in=sellers, sku__in=skus
    ).values_list("seller_id", "sku", "id", "fulfilment_channel")
    return {(s, sku): (pk, channel) for s, sku, pk, channel in rows if (s, sku) in pairs}


@transaction.atomic
def ingest_orders(*, marketplace: Marketplace, rows: list[dict]) -> IngestResult:
    """Upsert orders with their lines; lines of a resent order replace the earlier ones."""
    problems = _Problems("orders")
    _duplicates(problems, rows)

    seller_ids = {row["seller_id"] for row in rows}
    selling_here = set(
        SellerMarketplace.objects.filter(
            marketplace=marketplace, seller_id__in=seller_ids
        ).values_list("seller_id", flat=True)
    )
    existing = dict(
        Order.objects.filter(
            marketplace=marketplace, external_id__in=[row["external_id"] for row in rows]
        ).values_list("external_id", "seller_id")
    )
    offers = _offers_by_sku(
        marketplace, ((row["seller_id"], line["sku"]) for row in rows for line in row["lines"])
    )

    for index, row in enumerate(rows):
        if row["seller_id"] not in selling_here:
            problems.add(index, "sellerId", _("This seller does not sell in this marketplace."))
            continue
        owner = existing.get(row["external_id"])
        if owner is not None and owner != row["seller_id"]:
            problems.add(index, "sellerId", _("An order cannot change its seller of record."))
        skus = [line["sku"] for line in row["lines"]]
        if len(set(skus)) != len(skus):
            problems.add(index, "lines", _("Each SKU may appear once per order."))
        for n, sku in enumerate(skus):
            if (row["seller_id"], sku) not in offers:
                problems.add(index, f"lines[{n}].sku", _("No offer with this SKU for this seller."))
        delivered, fully = row.get("delivered_at"), row.get("fully_delivered_at")
        if delivered and delivered < row["purchased_at"]:
            problems.add(index, "deliveredAt", _("Delivery cannot precede the purchase."))
        if fully and (not delivered or fully < delivered):
            problems.add(
                index, "fullyDeliveredAt", _("The last delivery cannot precede the first.")
            )
    problems.raise_if_any()

    buyers = ensure_buyers(marketplace, {row["buyer_id"] for row in rows})

    orders = [
        Order(
            seller_id=row["seller_id"],
            marketplace=marketplace,
            buyer_id=buyers[row["buyer_id"]],
            external_id=row["external_id"],
            status=row["status"],
            fulfilment_channel=row["fulfilment_channel"],
            purchased_at=row["purchased_at"],
            promised_delivery_at=row.get("promised_delivery_at"),
            delivered_at=row.get("delivered_at"),
            fully_delivered_at=row.get("fully_delivered_at"),
            total=sum(
                (line["unit_price"] * line["quantity"] for line in row["lines"]), Decimal("0")
            ),
        )
        for row in rows
    ]
    Order.objects.bulk_create(
        orders,
        update_conflicts=True,
        unique_fields=["marketplace", "external_id"],
        update_fields=[
            "buyer",
            "status",
            "fulfilment_channel",
            "purchased_at",
            "promised_delivery_at",
            "delivered_at",
            "fully_delivered_at",
            "total",
        ],
    )
    OrderLine.objects.filter(order__in=[o.pk for o in orders]).delete()
    OrderLine.objects.bulk_create(
        OrderLine(
            seller_id=row["seller_id"],
            order_id=order.pk,
            offer_id=offers[(row["seller_id"], line["sku"])][0],
            quantity=line["quantity"],
            unit_price=line["unit_price"],
        )
        for row, order in zip(rows, orders, strict=True)
        for line in row["lines"]
    )
    return IngestResult(
        received=len(rows), created=len(rows) - len(existing), updated=len(existing)
    )


def ensure_buyers(marketplace: Marketplace, external_ids: set[str]) -> dict[str, int]:
    """{marketplace buyer id: our id}, creating the buyers seen for the first time. Two
    queries, whatever the number of buyers."""
    Buyer.objects.bulk_create(
        [
            Buyer(marketplace=marketplace, external_id=b, alias=buyer_alias(marketplace, b))
            for b in external_ids
        ],
        ignore_conflicts=True,
    )
    return dict(
        Buyer.objects.filter(marketplace=marketplace, external_id__in=external_ids).values_list(
            "external_id", "id"
        )
    )


def buyer_alias(marketplace: Marketplace, external_id: str) -> str:
    """A stable pseudonym: sellers see "Buyer 3F9K2A", never a name."""
    from hashlib import blake2b

    digest = blake2b(f"{marketplace.code}:{external_id}".encode(), digest_size=4).hexdigest()
    return f"Buyer {digest.upper()}"


@dataclass(frozen=True)
class EventIngester:
    """How one kind of post-order event is stored: which row keys map to which columns."""

    model: type[OrderEvent]
    collection: str
    fields: tuple[str, ...]
    offer: bool = False  # rows may name the offer by SKU
    reason: bool = False  # rows may carry a reason code

    @transaction.atomic
    def __call__(self, *, marketplace: Marketplace, rows: list[dict]) -> IngestResult:
        problems = _Problems(self.collection)
        _duplicates(problems, rows)

        orders = {
            ext: (pk, seller)
            for ext, pk, seller in Order.objects.filter(
                marketplace=marketplace, external_id__in={row["order_id"] for row in rows}
            ).values_list("external_id", "id", "seller_id")
        }
        existing = dict(
            self.model.objects.filter(
                marketplace=marketplace, external_id__in=[row["external_id"] for row in rows]
            ).values_list("external_id", "order_id")
        )
        offers = (
            _offers_by_sku(
                marketplace,
                (
                    (orders[row["order_id"]][1], row["sku"])
                    for row in rows
                    if row.get("sku") and row["order_id"] in orders
                ),
            )
            if self.offer
            else {}
        )
        reasons = (
            dict(
                ReasonCode.objects.filter(
                    code__in={row["reason_code"] for row in rows if row.get("reason_code")}
                ).values_list("code", "id")
            )
            if self.reason
            else {}
        )

        for index, row in enumerate(rows):
            order = orders.get(row["order_id"])
            if order is None:
                problems.add(index, "orderId", _("No such order in this marketplace."))
                continue
            if row["external_id"] in existing and existing[row["external_id"]] != order[0]:
                problems.add(index, "orderId", _("This id was already used for another order."))
            if self.offer and row.get("sku") and (order[1], row["sku"]) not in offers:
                problems.add(index, "sku", _("No offer with this SKU for the order's seller."))
            if self.reason and row.get("reason_code") and row["reason_code"] not in reasons:
                problems.add(index, "reasonCode", _("Unknown reason code."))
        problems.raise_if_any()

        objects = []
        for row in rows:
            order_id, seller_id = orders[row["order_id"]]
            values = {name: row[name] for name in self.fields if name in row}
            if self.offer:
                offer = offers.get((seller_id, row.get("sku")))
                values["offer_id"] = offer[0] if offer else None
            if self.reason:
                values["reason_id"] = reasons.get(row.get("reason_code"))
            objects.append(
                self.model(
                    seller_id=seller_id,
                    marketplace=marketplace,
                    order_id=order_id,
                    external_id=row["external_id"],
                    occurred_at=row["occurred_at"],
                    comment=row.get("comment", ""),
                    **values,
                )
            )
        update_fields = ["occurred_at", "comment", *self.fields]
        if self.offer:
            update_fields.append("offer")
        if self.reason:
            update_fields.append("reason")
        self.model.objects.bulk_create(
            objects,
            update_conflicts=True,
            unique_fields=["marketplace", "external_id"],
            update_fields=update_fields,
        )
        return IngestResult(
            received=len(rows), created=len(rows) - len(existing), updated=len(existing)
        )


INGESTERS: dict[str, Callable[..., IngestResult]] = {
    "orders": ingest_orders,
    "returns": EventIngester(Return, "returns", ("quantity",), offer=True, reason=True),
    "refunds": EventIngester(Refund, "refunds", ("amount", "status"), offer=True, reason=True),
    "claims": EventIngester(AtoZClaim, "claims", ("amount", "status"), reason=True),
    "chargebacks": EventIngester(Chargeback, "chargebacks", ("amount", "status")),
    "contacts": EventIngester(CustomerServiceContact, "contacts", (), offer=True, reason=True),
}


def ingest(*, kind: str, marketplace: Marketplace, rows: list[dict]) -> IngestResult:
    """Store one validated batch of ``kind`` for ``marketplace``."""
    return INGESTERS[kind](marketplace=marketplace, rows=rows)
