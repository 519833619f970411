"""The dashboard speaks French and Polish as well as English (LANGUAGES): every message of the
catalogues is translated, the compiled catalogues match their sources, and a page follows the
browser's language."""

from __future__ import annotations

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = [code for code, _ in settings.LANGUAGES if code != "en"]


def entries(language: str) -> list[dict]:
    """The entries of a .po file: flags, msgid, msgid_plural and msgstr[n], strings joined."""
    found, entry, key = [], {"flags": ""}, None
    for raw in (LOCALE / language / "LC_MESSAGES" / "django.po").read_text().splitlines():
        line = raw.strip()
        if not line:
            if "msgid" in entry:
                found.append(entry)
            entry, key = {"flags": ""}, None
        elif line.startswith("#,"):
            entry["flags"] += line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, text = line.partition(" ")
            entry[key] = ast.literal_eval(text)
    if "msgid" in entry:
        found.append(entry)
    return [e for e in found if e["msgid"]]  # not the header


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_a_guess(language):
    catalogue = entries(language)
    assert len(catalogue) > 900
    untranslated = [
        e["msgid"] for e in catalogue if not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert not untranslated
    assert not [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_matches_its_source(language):
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)
    for entry in entries(language):
        if "msgid_plural" not in entry and "msgctxt" not in entry:
            assert translations.gettext(entry["msgid"]) == entry["msgstr"], entry["msgid"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "heading"), [("fr", "Voix du client"), ("pl", "Głos klienta")]
)
def test_a_page_follows_the_browsers_language(client, user, language, heading):
    client.force_login(user)
    page = client.get(reverse("voc:dashboard"), HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200
    assert f"<h1>{heading}</h1>" in page.content.decode()
