"""FB-7(d): the starter list of abusive words, which staff then edit in the admin."""

from django.db import migrations


def load(apps, schema_editor):
    from feedback.abusive_words import DEFAULT_WORDS

    AbusiveWord = apps.get_model("feedback", "AbusiveWord")
    AbusiveWord.objects.bulk_create(
        [
            AbusiveWord(language=language, word=word)
            for language, words in DEFAULT_WORDS.items()
            for word in words
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
