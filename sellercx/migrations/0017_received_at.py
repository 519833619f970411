"""SC-4: when each order and post-order event first reached SellerCX, whatever its own date (a
storefront may deliver late or backfill), so a recompute of a past period counts only what had
arrived by its start. A resend keeps it (the ingestion's upserts never write it). An order's
lines carry its ``received_at``, copied by the triggers of 0005 like its date (its lines are
written again when it is resent). Existing rows are taken to have arrived when they happened;
the covering indexes the recomputes read them from are rebuilt with it, concurrently, once it
is filled."""

import django.db.models.functions.datetime
from django.db import migrations, models

from sellercx.backfill import batched_update, replaced_index

TRIGGERS_SQL = """
CREATE OR REPLACE FUNCTION sellercx_orderline_date() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT o.purchased_at, o.status = 'cancelled', o.received_at
    INTO NEW.purchased_at, NEW.order_cancelled, NEW.received_at
    FROM sellercx_order o WHERE o.id = NEW.order_id;
    NEW.order_cancelled := coalesce(NEW.order_cancelled, false);  -- no such order: its FK says
    NEW.received_at := coalesce(NEW.received_at, statement_timestamp());
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION sellercx_order_redated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sellercx_orderline l
    SET purchased_at = n.purchased_at, order_cancelled = n.status = 'cancelled',
        received_at = n.received_at
    FROM new_rows n
    WHERE l.order_id = n.id
      AND (l.purchased_at IS DISTINCT FROM n.purchased_at
           OR l.order_cancelled <> (n.status = 'cancelled')
           OR l.received_at <> n.received_at);
    RETURN NULL;
END $$;
"""

# As 0013 left them.
REVERSE_SQL = """
CREATE OR REPLACE FUNCTION sellercx_orderline_date() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    SELECT o.purchased_at, o.status = 'cancelled' INTO NEW.purchased_at, NEW.order_cancelled
    FROM sellercx_order o WHERE o.id = NEW.order_id;
    NEW.order_cancelled := coalesce(NEW.order_cancelled, false);  -- no such order: its FK says
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION sellercx_order_redated() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sellercx_orderline l
    SET purchased_at = n.purchased_at, order_cancelled = n.status = 'cancelled'
    FROM new_rows n
    WHERE l.order_id = n.id
      AND (l.purchased_at IS DISTINCT FROM n.purchased_at
           OR l.order_cancelled <> (n.status = 'cancelled'));
    RETURN NULL;
END $$;
"""

# The orders' lines follow through the trigger above.
FILL_ORDERS = """
UPDATE sellercx_order t SET received_at = t.purchased_at
WHERE t.id >= %(lo)s AND t.id < %(hi)s
"""

EVENTS = ["return", "refund", "atozclaim", "chargeback", "customerservicecontact"]


def received(model_name: str) -> migrations.AddField:
    return migrations.AddField(
        model_name=model_name,
        name="received_at",
        field=models.DateTimeField(
            db_default=django.db.models.functions.datetime.Now(),
            editable=False,
            verbose_name="order received" if model_name == "orderline" else "received",
        ),
    )


def fill_event(model_name: str):
    table = f"sellercx_{model_name}"
    return batched_update(
        table,
        f"UPDATE {table} t SET received_at = t.occurred_at"  # noqa: S608
        " WHERE t.id >= %(lo)s AND t.id < %(hi)s",
    )


def order_cover(prefix: str) -> models.Index:
    return models.Index(
        fields=["order"],
        include=("offer", "reason", "occurred_at", "received_at"),
        name=f"{prefix}_order_cover",
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sellercx", "0016_refund_origin"),
    ]

    operations = [
        *(received(name) for name in ["order", "orderline", *EVENTS]),
        migrations.RunSQL(TRIGGERS_SQL, REVERSE_SQL),
        batched_update("sellercx_order", FILL_ORDERS),
        *(fill_event(name) for name in EVENTS),
        *replaced_index(
            "order",
            models.Index(
                fields=["seller", "-purchased_at", "-id"],
                include=("marketplace", "fulfilment_channel", "status", "received_at"),
                name="order_seller_date_cover",
            ),
        ),
        *replaced_index(
            "orderline",
            models.Index(
                fields=["offer", "purchased_at"],
                include=("order", "experience_sources", "order_cancelled", "received_at"),
                name="order_line_offer_window",
            ),
        ),
        *replaced_index("return", order_cover("return")),
        *replaced_index("refund", order_cover("refund")),
        *replaced_index("customerservicecontact", order_cover("contact")),
    ]
