"""FB-7(d): the starter list of abusive words, which staff then edit in the admin.

The words are copied here (not imported) so that this migration loads the same rows forever.
"""

from django.db import migrations

WORDS = {
    "en": (
        'fuck*',
        'motherfuck*',
        'shit',
        'shitty',
        'bullshit',
        'asshole',
        'arsehole',
        'bastard*',
        'bitch*',
        'cunt*',
        'dickhead',
        'wanker',
        'twat',
        'piss off',
        'scumbag',
        'moron',
    ),
    "fr": (
        'putain',
        'pute',
        'fils de pute',
        'salope',
        'salaud',
        'connard',
        'connasse',
        'conasse',
        'enculé*',
        'merde',
        'merdique',
        'enfoiré*',
        'ta gueule',
        'va te faire foutre',
        'nique ta mère',
        'pétasse',
    ),
    "pl": (
        'kurw*',
        'chuj*',
        'huj*',
        'pierdol*',
        'spierdal*',
        'wypierdal*',
        'jeban*',
        'jebać',
        'pojeb*',
        'zjeb*',
        'skurw*',
        'pizd*',
        'kutas*',
        'gówno',
        'gówniany',
        'dupek',
        'debil',
    ),
}


def load(apps, schema_editor):
    AbusiveWord = apps.get_model("feedback", "AbusiveWord")
    AbusiveWord.objects.bulk_create(
        [AbusiveWord(language=lang, word=word) for lang, words in WORDS.items() for word in words],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
