"""VC-3: each order line's ``experience_sources`` (sellercx 0013) holds one bit for each source
of negative experiences that has a row on the line's order, kept by triggers, so the recompute
looks a source up only for the window's orders that have rows in it (#8: five index probes
for every order of a chunk before).

- A line takes its order's bits when written, or moved to another order.
- A source row sets its bit on its order's lines when written, or moved to another order, or
  when it starts to count (feedback "not as described", still shown). A statement's rows set
  theirs at once, through its transition table, as ``sellercx_order_redated`` does the dates.
- A bit is never cleared: it says "look", the recompute reads what counts from the sources.
  Returns, refunds and contacts set it whatever their reason (a reason code may move between
  categories) and reviews whatever their stars (the threshold is a setting, VC-3).

Existing lines are filled in batches of ids once the triggers are in place.
"""

from django.db import migrations

from sellercx.backfill import batched_update

# Bit: (table, its order key, when a row of it can count). As ``voc.recomputes.SOURCE_BITS``.
SOURCES = {
    1: ("sellercx_return", "order_id", "true"),
    2: ("sellercx_refund", "order_id", "true"),
    4: ("sellercx_customerservicecontact", "order_id", "true"),
    8: ("reviews_review", "verified_order_id", "{row}.verified_order_id IS NOT NULL"),
    16: (
        "feedback_feedback",
        "order_id",
        "{row}.item_as_described = false AND {row}.removed_at IS NULL"
        " AND {row}.struck_through_at IS NULL",
    ),
}


def order_bits(order: str) -> str:
    """The bits of the order whose key is the SQL expression ``order``: one index probe per
    source (each source's own index on the order, partial where its condition is)."""
    return " + ".join(
        f"(CASE WHEN EXISTS (SELECT 1 FROM {table} s WHERE s.{key} = {order}"
        f" AND {condition.format(row='s')}) THEN {bit} ELSE 0 END)"
        for bit, (table, key, condition) in SOURCES.items()
    )


LINE_TRIGGER = f"""
CREATE OR REPLACE FUNCTION voc_orderline_experience_sources() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.experience_sources := {order_bits("NEW.order_id")};
    RETURN NEW;
END $$;

CREATE TRIGGER voc_orderline_experience_sources BEFORE INSERT OR UPDATE OF order_id
    ON sellercx_orderline FOR EACH ROW EXECUTE FUNCTION voc_orderline_experience_sources();
"""


def source_triggers(bit: int, table: str, key: str, condition: str) -> str:
    function = f"voc_{table}_marks_lines"
    return f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sellercx_orderline l SET experience_sources = l.experience_sources | {bit}
    FROM (SELECT DISTINCT n.{key} AS order_id FROM new_rows n
          WHERE {condition.format(row="n")}) n
    WHERE l.order_id = n.order_id AND l.experience_sources & {bit} = 0;
    RETURN NULL;
END $$;

CREATE TRIGGER voc_marks_lines_inserted AFTER INSERT ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
CREATE TRIGGER voc_marks_lines_updated AFTER UPDATE ON {table}
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""


TRIGGERS_SQL = LINE_TRIGGER + "".join(
    source_triggers(bit, *source) for bit, source in SOURCES.items()
)

DROP_SQL = "".join(
    f"""
DROP TRIGGER IF EXISTS voc_marks_lines_inserted ON {table};
DROP TRIGGER IF EXISTS voc_marks_lines_updated ON {table};
DROP FUNCTION IF EXISTS voc_{table}_marks_lines();
"""
    for table, _, _ in SOURCES.values()
) + """
DROP TRIGGER IF EXISTS voc_orderline_experience_sources ON sellercx_orderline;
DROP FUNCTION IF EXISTS voc_orderline_experience_sources();
"""

# Only the lines whose bits differ are written: most orders have no source row.
FILL_SQL = f"""
UPDATE sellercx_orderline t SET experience_sources = b.bits
FROM (SELECT l.id, {order_bits("l.order_id")} AS bits
      FROM sellercx_orderline l WHERE l.id >= %(lo)s AND l.id < %(hi)s) b
WHERE t.id = b.id AND t.experience_sources <> b.bits
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("sellercx", "0013_orderline_voc_columns"),
        ("reviews", "0003_review_verified_order_cover"),
        ("feedback", "0007_feedback_not_as_described"),
        ("voc", "0005_history_without_seller_index"),
    ]

    operations = [
        migrations.RunSQL(TRIGGERS_SQL, DROP_SQL),
        batched_update("sellercx_orderline", FILL_SQL),
    ]
