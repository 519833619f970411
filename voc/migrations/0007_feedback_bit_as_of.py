"""VC-3, SC-4: a past week counts "item not as described" feedback removed or struck through
only later, so the feedback bit of ``experience_sources`` (0006) now says "look" for every such
feedback, whatever its removal. The triggers of 0006 take the new condition; lines of orders
whose feedback was written already removed or struck through get the bit."""

from django.db import migrations

# As 0006's ``SOURCES``, with the feedback's new condition.
SOURCES = {
    1: ("sellercx_return", "order_id", "true"),
    2: ("sellercx_refund", "order_id", "true"),
    4: ("sellercx_customerservicecontact", "order_id", "true"),
    8: ("reviews_review", "verified_order_id", "{row}.verified_order_id IS NOT NULL"),
    16: ("feedback_feedback", "order_id", "{row}.item_as_described = false"),
}
BEFORE = (
    "{row}.item_as_described = false AND {row}.removed_at IS NULL"
    " AND {row}.struck_through_at IS NULL"
)


def order_bits(order: str, sources: dict) -> str:
    probes = []
    for bit, (table, key, condition) in sources.items():
        found = f"SELECT 1 FROM {table} s WHERE s.{key} = {order}"  # noqa: S608
        probes.append(
            f"(CASE WHEN EXISTS ({found} AND {condition.format(row='s')}) THEN {bit} ELSE 0 END)"
        )
    return " + ".join(probes)


def functions(sources: dict) -> str:
    feedback = sources[16][2]
    return f"""
CREATE OR REPLACE FUNCTION voc_orderline_experience_sources() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.experience_sources := {order_bits("NEW.order_id", sources)};
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION voc_feedback_feedback_marks_lines() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE sellercx_orderline l SET experience_sources = l.experience_sources | 16
    FROM (SELECT DISTINCT n.order_id AS order_id FROM new_rows n
          WHERE {feedback.format(row="n")}) n
    WHERE l.order_id = n.order_id AND l.experience_sources & 16 = 0;
    RETURN NULL;
END $$;
"""  # noqa: S608 - our own fragments


# A few thousand lines at most: only feedback written already removed or struck through lacks
# the bit, and "not as described" is a few % of all feedback.
FILL_SQL = """
UPDATE sellercx_orderline l SET experience_sources = l.experience_sources | 16
FROM feedback_feedback f
WHERE f.item_as_described = false AND l.order_id = f.order_id
  AND l.experience_sources & 16 = 0
"""


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("voc", "0006_order_line_experience_sources"),
        ("feedback", "0008_received_at"),
    ]

    operations = [
        migrations.RunSQL(
            functions(SOURCES), functions({**SOURCES, 16: (*SOURCES[16][:2], BEFORE)})
        ),
        migrations.RunSQL(FILL_SQL, migrations.RunSQL.noop),
    ]
