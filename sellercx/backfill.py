"""Backfills for migrations on big tables: one UPDATE per range of ids, each committed on its
own, so a migration never holds a table's locks for the length of the whole fill (issue #8: on
the `large` bench, 15 million order lines).

A migration using it sets ``atomic = False`` and builds its indexes with
``AddIndexConcurrently``: writers keep going while it runs, and the triggers it installed first
keep the rows they write right.
"""

from __future__ import annotations

import sys

from django.db import connection, migrations

BATCH = 100_000


def batched_update(table: str, sql: str, batch: int = BATCH):
    """A ``RunPython`` operation running ``sql`` (an UPDATE of ``table``, aliased ``t``,
    restricted by ``t.id >= %(lo)s AND t.id < %(hi)s``) over the table's ids, in ranges."""

    def forwards(apps, schema_editor):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min(id), max(id) FROM {table}")  # noqa: S608
            low, high = cursor.fetchone()
            if low is None:
                return
            total = high - low + 1
            for start in range(low, high + 1, batch):
                cursor.execute(sql, {"lo": start, "hi": start + batch})
                if total > batch:
                    done = min(start + batch - low, total)
                    print(f"  {table}: {done:,} of {total:,} ids", file=sys.stderr)

    return migrations.RunPython(forwards, migrations.RunPython.noop, elidable=True)
