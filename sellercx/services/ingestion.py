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
from django.db.models import Min
from django.utils.translation import gettext as _

from sellercx.errors import InvalidInput, RuleViolation
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
    """Bad rows of a batch, each with the path of the field at fault (``orders[3].sku``).

    A row a rule refuses (API-8: a time out of order) carries the rule's code; the batch is a
    422 when every problem is such a refusal, else a 400 that still names each with its code."""

    collection: str
    items: list[dict] = field(default_factory=list)

    def add(self, row: int, path: str, message: str, *, code: str | None = None) -> None:
        item = {"field": f"{self.collection}[{row}].{path}", "message": message}
        if code:
            item["code"] = code
        self.items.append(item)

    def out_of_order(self, row: int, path: str, message: str) -> None:
        """API-8: a time that cannot be, given the times it follows."""
        self.add(row, path, message, code=RuleViolation.code)

    def raise_if_any(self) -> None:
        if self.items:
            refused = all("code" in p for p in self.items)
            raise (RuleViolation if refused else InvalidInput)(
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
    stored = {
        values[0]: values[1:]
        for values in Order.objects.filter(
            marketplace=marketplace, external_id__in=[row["external_id"] for row in rows]
        ).values_list("external_id", "id", "seller_id", "purchased_at", *ORDER_FACTS)
    }
    existing = {external_id: values[:3] for external_id, values in stored.items()}
    offers = _offers_by_sku(
        marketplace, ((row["seller_id"], line["sku"]) for row in rows for line in row["lines"])
    )

    for index, row in enumerate(rows):
        if row["seller_id"] not in selling_here:
            problems.add(index, "sellerId", _("This seller does not sell in this marketplace."))
            continue
        known = existing.get(row["external_id"])
        if known is not None and known[1] != row["seller_id"]:
            problems.add(index, "sellerId", _("An order cannot change its seller of record."))
        skus = [line["sku"] for line in row["lines"]]
        if len(set(skus)) != len(skus):
            problems.add(index, "lines", _("Each SKU may appear once per order."))
        for n, sku in enumerate(skus):
            if (row["seller_id"], sku) not in offers:
                problems.add(index, f"lines[{n}].sku", _("No offer with this SKU for this seller."))
        _check_order_times(problems, index, row)
    _check_events_follow_purchase(problems, rows, existing)
    problems.raise_if_any()

    def lines_of(row: dict) -> list[tuple]:
        return sorted(
            (offers[(row["seller_id"], line["sku"])][0], line["quantity"], line["unit_price"])
            for line in row["lines"]
        )

    changed = _changed_orders(rows, stored, lines_of)
    changed_ids = {row["external_id"] for row in changed}
    written = [r for r in rows if r["external_id"] not in stored or r["external_id"] in changed_ids]
    if not written:
        return IngestResult(received=len(rows))
    buyers = ensure_buyers(marketplace, {row["buyer_id"] for row in written})
    ids = _upsert_orders(marketplace, written, buyers)
    if changed:  # the lines of a resent order replace its earlier ones
        OrderLine.objects.filter(order__in=[ids[row["external_id"]] for row in changed]).delete()
    lines = [
        (row["seller_id"], ids[row["external_id"]], *line)
        for row in written
        for line in lines_of(row)
    ]
    with connection.cursor() as cursor:
        cursor.execute(LINES_SQL, [list(column) for column in zip(*lines, strict=True)])
    return IngestResult(
        received=len(rows), created=len(written) - len(changed), updated=len(changed)
    )


# What a resent order may change, beside its lines; a resend that changes none of it, nor
# the lines, writes nothing and counts as neither created nor updated.
ORDER_FACTS = (
    "buyer__external_id",
    "status",
    "fulfilment_channel",
    "promised_delivery_at",
    "delivered_at",
    "fully_delivered_at",
)


def _changed_orders(rows: list[dict], stored: dict, lines_of: Callable) -> list[dict]:
    """The rows of already-stored orders that differ from what is stored: one query for the
    stored lines, and none when the batch holds only new orders."""
    resent = [row for row in rows if row["external_id"] in stored]
    if not resent:
        return []
    stored_lines: dict[int, list] = {}
    for order_id, *line in (
        OrderLine.objects.filter(order__in=[stored[row["external_id"]][0] for row in resent])
        .order_by()
        .values_list("order_id", "offer_id", "quantity", "unit_price")
    ):
        stored_lines.setdefault(order_id, []).append(tuple(line))

    def facts(row: dict) -> tuple:
        return (
            row["purchased_at"],
            row["buyer_id"],
            row["status"],
            row["fulfilment_channel"],
            *(row.get(name) for name in ORDER_FACTS[3:]),
        )

    return [
        row
        for row in resent
        if facts(row) != stored[row["external_id"]][2:]
        or lines_of(row) != sorted(stored_lines.get(stored[row["external_id"]][0], []))
    ]


def _check_order_times(problems: _Problems, index: int, row: dict) -> None:
    """API-8: an order is promised and delivered after its purchase, in that order."""
    purchased = row["purchased_at"]
    promised, delivered = row.get("promised_delivery_at"), row.get("delivered_at")
    fully = row.get("fully_delivered_at")
    if promised and promised < purchased:
        problems.out_of_order(
            index, "promisedDeliveryAt", _("The promised delivery cannot precede the purchase.")
        )
    if delivered and delivered < purchased:
        problems.out_of_order(index, "deliveredAt", _("Delivery cannot precede the purchase."))
    if fully and not delivered:
        problems.add(
            index, "fullyDeliveredAt", _("A last delivery needs a first one (deliveredAt).")
        )
    elif fully and fully < delivered:
        problems.out_of_order(
            index, "fullyDeliveredAt", _("The last delivery cannot precede the first.")
        )


# The post-order events of an order, by their time: a resent order may not move its purchase
# after any of them (API-8).
EVENT_MODELS = (Return, Refund, AtoZClaim, Chargeback, CustomerServiceContact)


def _check_events_follow_purchase(problems: _Problems, rows: list[dict], existing: dict) -> None:
    """API-8 for a resent order whose purchase moves later: none of its events may then
    precede it. One query, and only when such an order is in the batch."""
    moved = {
        existing[row["external_id"]][0]: (index, row["purchased_at"])
        for index, row in enumerate(rows)
        if row["external_id"] in existing and row["purchased_at"] > existing[row["external_id"]][2]
    }
    if not moved:
        return
    first_events = [
        model.objects.filter(order_id__in=moved)
        .values("order_id")
        .annotate(first=Min("occurred_at"))
        .values_list("order_id", "first")
        for model in EVENT_MODELS
    ]
    first_events = first_events[0].union(*first_events[1:], all=True)
    for order_id, first in first_events:
        index, purchased = moved[order_id]
        if first < purchased:
            problems.out_of_order(
                index,
                "purchaseDate",
                _("The order has events from %(date)s, before this purchase date.")
                % {"date": first.isoformat()},
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
            ext: (pk, seller, purchased_at)
            for ext, pk, seller, purchased_at in Order.objects.filter(
                marketplace=marketplace, external_id__in={row["order_id"] for row in rows}
            ).values_list("external_id", "id", "seller_id", "purchased_at")
        }
        columns = self.columns
        stored = {
            values[0]: values[1:]
            for values in self.model.objects.filter(
                marketplace=marketplace,
                external_id__in=[row["external_id"] for row in rows],
                **dict(self.scope),
            ).values_list("external_id", *columns)
        }
        existing = {external_id: values[0] for external_id, values in stored.items()}
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
            if row["occurred_at"] < order[2]:
                problems.out_of_order(
                    index,
                    "date",
                    _("This date precedes the order's purchase (%(date)s).")
                    % {"date": order[2].isoformat()},
                )
        problems.raise_if_any()

        objects = []
        for row in rows:
            order_id, seller_id, _purchased = orders[row["order_id"]]
            values = {name: row[name] for name in self.fields if name in row}
            if self.offer:
                offer = offers.get((seller_id, row.get("sku")))
                values["offer_id"] = offer[0] if offer else None
            if self.reason:
                values["reason_id"] = reasons.get(row.get("reason_code"))
            event = self.model(
                seller_id=seller_id,
                marketplace=marketplace,
                order_id=order_id,
                external_id=row["external_id"],
                occurred_at=row["occurred_at"],
                comment=row.get("comment", ""),
                **values,
                **dict(self.scope),
            )
            known = stored.get(row["external_id"])
            if known is None or known != tuple(getattr(event, c) for c in columns):
                objects.append(event)
        updated = sum(1 for event in objects if event.external_id in stored)
        if not objects:
            return IngestResult(received=len(rows))
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
        return IngestResult(received=len(rows), created=len(objects) - updated, updated=updated)

    @property
    def columns(self) -> tuple[str, ...]:
        """The stored values a resend is compared with (the order first)."""
        return (
            "order_id",
            "occurred_at",
            "comment",
            *self.fields,
            *(("offer_id",) if self.offer else ()),
            *(("reason_id",) if self.reason else ()),
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
