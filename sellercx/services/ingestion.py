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

from django.db import connection, transaction
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


def lock_external_ids(kind: str, marketplace: Marketplace, external_ids: Iterable[str]) -> None:
    """API-6 under concurrency: a batch holds, to the end of its transaction, a lock on each
    of the marketplace's ids it writes, taken in one order, so identical batches sent at once
    run one after the other: the later sees the earlier's rows as stored (200, created 0)
    instead of tripping a unique constraint (500). Batches that share no id never wait."""
    keys = sorted({f"{kind}:{marketplace.pk}:{external_id}" for external_id in external_ids})
    if not keys:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(k)) FROM "
            "(SELECT hashtextextended(key, 0) AS k FROM unnest(%s::text[]) AS key ORDER BY 1) s",
            [keys],
        )


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
    if not rows:
        return IngestResult()
    problems = _Problems("orders")
    _duplicates(problems, rows)
    lock_external_ids("order", marketplace, (row["external_id"] for row in rows))

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
    ids = _upsert_orders(marketplace, rows, buyers)
    if existing:  # the lines of a resent order replace its earlier ones
        OrderLine.objects.filter(order__in=[ids[e] for e in existing]).delete()
    lines = [
        (
            row["seller_id"],
            ids[row["external_id"]],
            offers[(row["seller_id"], line["sku"])][0],
            line["quantity"],
            line["unit_price"],
        )
        for row in rows
        for line in row["lines"]
    ]
    with connection.cursor() as cursor:
        cursor.execute(LINES_SQL, [list(column) for column in zip(*lines, strict=True)])
    return IngestResult(
        received=len(rows), created=len(rows) - len(existing), updated=len(existing)
    )


# One statement for the whole batch, its values passed as one array per column: Django's
# bulk_create would build and bind 12 parameters per order (issue #8: ingestion throughput).
ORDERS_SQL = """
INSERT INTO sellercx_order
    (seller_id, marketplace_id, buyer_id, external_id, status, fulfilment_channel, purchased_at,
     promised_delivery_at, delivered_at, fully_delivered_at, total, do_not_solicit)
SELECT u.seller_id, %s, u.buyer_id, u.external_id, u.status, u.channel, u.purchased_at,
       u.promised_at, u.delivered_at, u.fully_delivered_at, u.total, false
FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[], %s::timestamptz[],
            %s::timestamptz[], %s::timestamptz[], %s::timestamptz[], %s::numeric[])
     AS u(seller_id, buyer_id, external_id, status, channel, purchased_at, promised_at,
          delivered_at, fully_delivered_at, total)
ON CONFLICT (marketplace_id, external_id) DO UPDATE
   SET buyer_id = EXCLUDED.buyer_id,
       status = EXCLUDED.status,
       fulfilment_channel = EXCLUDED.fulfilment_channel,
       purchased_at = EXCLUDED.purchased_at,
       promised_delivery_at = EXCLUDED.promised_delivery_at,
       delivered_at = EXCLUDED.delivered_at,
       fully_delivered_at = EXCLUDED.fully_delivered_at,
       total = EXCLUDED.total
RETURNING external_id, id
"""

LINES_SQL = """
INSERT INTO sellercx_orderline (seller_id, order_id, offer_id, quantity, unit_price)
SELECT * FROM unnest(%s::bigint[], %s::bigint[], %s::bigint[], %s::int[], %s::numeric[])
"""


def _upsert_orders(marketplace: Marketplace, rows: list[dict], buyers: dict) -> dict[str, int]:
    """{order id at the marketplace: our id} after upserting the batch's orders."""
    columns = [
        (
            row["seller_id"],
            buyers[row["buyer_id"]],
            row["external_id"],
            row["status"],
            row["fulfilment_channel"],
            row["purchased_at"],
            row.get("promised_delivery_at"),
            row.get("delivered_at"),
            row.get("fully_delivered_at"),
            sum((line["unit_price"] * line["quantity"] for line in row["lines"]), Decimal("0")),
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.execute(ORDERS_SQL, [marketplace.pk, *(list(c) for c in zip(*columns, strict=True))])
        return dict(cursor.fetchall())


BUYERS_SQL = """
WITH wanted AS (
    SELECT * FROM unnest(%s::text[], %s::text[]) AS w(external_id, alias)
), created AS (
    INSERT INTO sellercx_buyer
        (marketplace_id, external_id, alias, opted_out_of_solicitations, created_at)
    SELECT %s, external_id, alias, false, now() FROM wanted
    ON CONFLICT (marketplace_id, external_id) DO NOTHING
    RETURNING external_id, id
)
SELECT external_id, id FROM created
UNION ALL
SELECT b.external_id, b.id FROM sellercx_buyer b
WHERE b.marketplace_id = %s AND b.external_id = ANY(%s::text[])
"""


def ensure_buyers(marketplace: Marketplace, external_ids: set[str]) -> dict[str, int]:
    """{marketplace buyer id: our id}, creating the buyers seen for the first time: one
    statement, plus one more only when another batch created some of them at the same time
    (then the statement's snapshot predates their rows)."""
    wanted = sorted(external_ids)
    if not wanted:
        return {}
    aliases = [buyer_alias(marketplace, b) for b in wanted]
    with connection.cursor() as cursor:
        cursor.execute(BUYERS_SQL, [wanted, aliases, marketplace.pk, marketplace.pk, wanted])
        found = dict(cursor.fetchall())
    missing = [b for b in wanted if b not in found]
    if missing:
        found.update(
            Buyer.objects.filter(marketplace=marketplace, external_id__in=missing).values_list(
                "external_id", "id"
            )
        )
    return found


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
    # Columns that, with the marketplace, hold the marketplace's ids apart from ours (API-6).
    scope: tuple[tuple[str, str], ...] = ()

    @transaction.atomic
    def __call__(self, *, marketplace: Marketplace, rows: list[dict]) -> IngestResult:
        problems = _Problems(self.collection)
        _duplicates(problems, rows)
        lock_external_ids(self.collection, marketplace, (row["external_id"] for row in rows))

        orders = {
            ext: (pk, seller)
            for ext, pk, seller in Order.objects.filter(
                marketplace=marketplace, external_id__in={row["order_id"] for row in rows}
            ).values_list("external_id", "id", "seller_id")
        }
        existing = dict(
            self.model.objects.filter(
                marketplace=marketplace,
                external_id__in=[row["external_id"] for row in rows],
                **dict(self.scope),
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
                    **dict(self.scope),
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
            unique_fields=["marketplace", *dict(self.scope), "external_id"],
            update_fields=update_fields,
        )
        return IngestResult(
            received=len(rows), created=len(rows) - len(existing), updated=len(existing)
        )


INGESTERS: dict[str, Callable[..., IngestResult]] = {
    "orders": ingest_orders,
    "returns": EventIngester(Return, "returns", ("quantity",), offer=True, reason=True),
    "refunds": EventIngester(
        Refund,
        "refunds",
        ("amount", "status"),
        offer=True,
        reason=True,
        scope=(("origin", Refund.Origin.MARKETPLACE),),
    ),
    "claims": EventIngester(AtoZClaim, "claims", ("amount", "status"), reason=True),
    "chargebacks": EventIngester(Chargeback, "chargebacks", ("amount", "status")),
    "contacts": EventIngester(CustomerServiceContact, "contacts", (), offer=True, reason=True),
}


def ingest(*, kind: str, marketplace: Marketplace, rows: list[dict]) -> IngestResult:
    """Store one validated batch of ``kind`` for ``marketplace``."""
    return INGESTERS[kind](marketplace=marketplace, rows=rows)
