"""The weekly recompute updates every offer's current status (#8). With half of each page left
free, the new version of a row fits on its page: a heap-only update that writes no index entry
when the status is unchanged, which is most weeks. New pages get the free space at once; the
pages already there as the table is rewritten by updates and vacuum, with no lock."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("voc", "0003_derived_keys_unchecked")]

    operations = [
        migrations.RunSQL(
            "ALTER TABLE voc_offercxstatus SET (fillfactor = 50)",
            "ALTER TABLE voc_offercxstatus RESET (fillfactor)",
        ),
    ]
