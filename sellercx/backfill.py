"""Operations for migrations on big tables (issue #8: on the `large` bench, 15 million order
lines). Backfills run one UPDATE per range of ids, each committed on its own, so a migration
never holds a table's locks for the length of the whole fill; a foreign key's own index is
dropped concurrently when a composite index that leads with its column takes its place.

A migration using it sets ``atomic = False`` and builds its indexes with
``AddIndexConcurrently``: writers keep going while it runs, and the triggers it installed first
keep the rows they write right.
"""

from __future__ import annotations

import sys

from django.db import connection, migrations, models

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


# A table's plain, whole-table, single-column indexes of one column.
_PLAIN_INDEXES = """
SELECT c.relname FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE i.indrelid = %s::regclass AND i.indnatts = 1 AND i.indpred IS NULL
  AND NOT i.indisunique AND a.attname = %s
"""


def unindexed_foreign_key(
    app_label: str, model_name: str, name: str, field, *, keep: tuple[str, ...] = ()
) -> migrations.SeparateDatabaseAndState:
    """The foreign key ``name`` loses its own index (``field``: the key as it now is, with
    ``db_index=False``) to an index of the model's ``Meta`` that leads with its column, which
    the migration adds first (``keep``: its name, when it is on that column alone). Dropped
    concurrently, so writers keep going (``atomic = False``); built again, concurrently,
    backwards."""
    column = f"{name}_id"

    def found(apps, schema_editor) -> tuple[str, list[str]]:
        table = apps.get_model(app_label, model_name)._meta.db_table
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(_PLAIN_INDEXES, [table, column])
            return table, [row[0] for row in cursor.fetchall() if row[0] not in keep]

    def forwards(apps, schema_editor) -> None:
        for index in found(apps, schema_editor)[1]:
            schema_editor.execute(
                f"DROP INDEX CONCURRENTLY IF EXISTS {schema_editor.quote_name(index)}"
            )

    def backwards(apps, schema_editor) -> None:
        table, indexes = found(apps, schema_editor)
        if not indexes:
            index = schema_editor.quote_name(f"{table}_{column}_idx"[:63])
            schema_editor.execute(f"CREATE INDEX CONCURRENTLY {index} ON {table} ({column})")

    return migrations.SeparateDatabaseAndState(
        database_operations=[migrations.RunPython(forwards, backwards)],
        state_operations=[migrations.AlterField(model_name=model_name, name=name, field=field)],
    )


def replaced_index(model_name: str, index: models.Index) -> list:
    """``index`` takes the place of the model's index of the same name (new ``INCLUDE``
    columns or condition): built concurrently under a temporary name, the old one dropped
    concurrently, then renamed, so the table is never without it (``atomic = False``)."""
    from django.contrib.postgres.operations import AddIndexConcurrently, RemoveIndexConcurrently

    building = index.clone()
    building.name = f"{index.name[:25]}_next"
    return [
        AddIndexConcurrently(model_name=model_name, index=building),
        RemoveIndexConcurrently(model_name=model_name, name=index.name),
        migrations.RenameIndex(model_name=model_name, new_name=index.name, old_name=building.name),
    ]
