"""FB-7 (d): the starting list of obscene and abusive words, per marketplace language.

These are only the first rows: a data migration loads them into the abusive-word table, and from
then on marketplace staff edit the list in the admin. The automatic check
(:func:`feedback.checks.find_listed_words`) ignores case and accents, matches whole words only
("ass" would not match "class"), sees through repeated letters and "s.h.i.t"-style spelling, and
treats an entry ending in "*" as a word stem ("kurw*": kurwa, kurwy, kurwą...). A phrase matches
with any whitespace between its words.

Choosing entries: a listed word removes feedback at once, so leave out words that are also
ordinary words in the marketplace's languages. Examples kept off on purpose: French "con" (also
"pros and cons"), English "retard" (French for "delay", in every late-delivery complaint),
"prick" (a pin prick), "ass" (a donkey), Polish "suka" (a female dog, in pet-product feedback),
French "bâtard" (a bread), and stems such as "shit*" ("shitake" mushrooms) or "niqu*" ("niquel",
perfect).
"""

from __future__ import annotations

DEFAULT_WORDS: dict[str, tuple[str, ...]] = {
    "en": (
        "fuck*",
        "motherfuck*",
        "shit",
        "shitty",
        "bullshit",
        "asshole",
        "arsehole",
        "bastard*",
        "bitch*",
        "cunt*",
        "dickhead",
        "wanker",
        "twat",
        "piss off",
        "scumbag",
        "moron",
    ),
    "fr": (
        "putain",
        "pute",
        "fils de pute",
        "salope",
        "salaud",
        "connard",
        "connasse",
        "conasse",
        "enculé*",
        "merde",
        "merdique",
        "enfoiré*",
        "ta gueule",
        "va te faire foutre",
        "nique ta mère",
        "pétasse",
    ),
    "pl": (
        "kurw*",
        "chuj*",
        "huj*",
        "pierdol*",
        "spierdal*",
        "wypierdal*",
        "jeban*",
        "jebać",
        "pojeb*",
        "zjeb*",
        "skurw*",
        "pizd*",
        "kutas*",
        "gówno",
        "gówniany",
        "dupek",
        "debil",
    ),
}
