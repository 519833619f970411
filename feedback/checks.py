"""FB-7: the automatic checks that decide clear removal requests at once.

A seller may ask the marketplace to remove a feedback that breaks the guidelines (SPEC §2, FB-7)
on one of five grounds: (a) the entire comment is a product review, (b) promotional content for
other sellers or sites, (c) personally identifiable information, (d) obscene or abusive language,
(e) on an order fulfilled by the marketplace, a complaint about the fulfilment. Clear cases are
decided here, at once; for everything else :func:`automatic_decision` returns ``None`` and the
request waits in the moderation queue for marketplace staff.

The module is pure: plain strings in, a :class:`Finding` (or ``None``) out; no models, no
database. When in doubt it answers ``None``: a person looks rather than a rule guessing. In
particular a comment that mixes a product review with remarks on the seller is never removed
automatically (FB-7 a), and nothing is declined automatically except a fulfilment complaint on an
order the seller fulfilled (FB-7 e only applies to marketplace-fulfilled orders).

Comments are compared *folded*: case-folded, compatibility-decomposed (NFKD) with the combining
marks stripped, invisible format characters (zero-width spaces, soft hyphens) dropped, and
ł/œ/æ/ß/ø spelled in ASCII. So "JAKOŚĆ", "jakość" and "jakosc" are the same word, and "abîmé"
matches "abime".

The keyword lists (``_KEYWORDS``) are written in a small notation, compiled by
:func:`_phrase_pattern`: a space is any whitespace, ``*`` ends a word stem ("deliver*" matches
"delivery", "delivered"), ``(a|b)`` is a choice, ``?`` makes the previous character or group
optional, ``'`` may be left out ("didn't" also matches "didnt"), and `` ~ `` allows up to three
other words in between, none of them a negation ("arrived ~ damaged" matches "arrived badly
damaged" but not "arrived not damaged"). Entries may carry accents; they are folded too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class Ground(models.TextChoices):
    """FB-7 (a)–(e): why the seller asks for the removal."""

    PRODUCT_REVIEW = "product_review", _("The entire comment is a product review")
    PROMOTIONAL = "promotional", _("Promotional content for other sellers or sites")
    PERSONAL_INFO = "personal_info", _("Personally identifiable information")
    ABUSIVE = "abusive", _("Obscene or abusive language")
    FULFILMENT = "fulfilment", _("Fulfilment complaint on an order fulfilled by the marketplace")


class Decision(models.TextChoices):
    """FB-7: what becomes of a removal request."""

    REMOVED = "removed", _("Removed")
    STRUCK_THROUGH = "struck_through", _("Struck through")
    DECLINED = "declined", _("Declined")


STRIKE_THROUGH_LINE = _(
    "This item was fulfilled by the marketplace, and we take responsibility for this fulfilment "
    "experience"
)


@dataclass(frozen=True)
class Finding:
    """An automatic decision on a removal request (FB-7)."""

    decision: str  # a Decision value
    ground: str  # the Ground the finding is about (may differ from the one the seller chose)
    reason: str  # shown to the seller; a lazy translation, str() it to store it
    evidence: str = ""  # what the check found, for staff (may be "")


# ---- Kinds of contact details ----------------------------------------------------------------

EMAIL = "email"
PHONE = "phone"
URL = "url"

# ---- Reasons shown to the seller -------------------------------------------------------------

_REASON_EMAIL = _("The comment contains an e-mail address.")
_REASON_PHONE = _("The comment contains a phone number.")
_REASON_URL = _("The comment contains a web address (a link to another site).")
_REASON_ABUSIVE = _("The comment contains obscene or abusive language.")
_REASON_NOT_MARKETPLACE_FULFILLED = _(
    "Only orders fulfilled by the marketplace can have fulfilment complaints struck through; "
    "this order was fulfilled by you."
)
_REASON_STRUCK_THROUGH = format_lazy(
    _(
        "The comment is a complaint about a fulfilment the marketplace handled: it stays visible, "
        "struck through, with the line “{line}”, and no longer counts in your feedback rating."
    ),
    line=STRIKE_THROUGH_LINE,
)
_REASON_PRODUCT_REVIEW = _(
    "The entire comment is a product review, not about you as a seller; it does not belong in "
    "seller feedback."
)

# ---- Text preparation ------------------------------------------------------------------------

# Letters that NFKD does not decompose, spelled the way people type them without the key.
_ASCII_SPELLINGS = str.maketrans(
    {
        "ł": "l",
        "đ": "d",
        "ø": "o",
        "œ": "oe",
        "æ": "ae",
        "ß": "ss",
        "ı": "i",
        "\u2019": "'",  # right single quotation mark, the usual typographic apostrophe
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "´": "'",
    }
)


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if unicodedata.category(ch) == "Cf":  # zero-width space, soft hyphen, bidi marks...
        return ""
    decomposed = unicodedata.normalize("NFKD", ch.casefold().translate(_ASCII_SPELLINGS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _fold(text: str) -> str:
    """Case-, accent- and width-insensitive form of the text (see the module docstring)."""
    if text.isascii():
        return text.lower().translate(_ASCII_SPELLINGS)
    return "".join(_fold_char(ch) for ch in text)


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text, and for each of its characters the index of the original one, so that
    what a rule found can be quoted from the comment as the buyer wrote it."""
    parts: list[str] = []
    positions: list[int] = []
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        parts.append(folded)
        positions.extend([index] * len(folded))
    return "".join(parts), positions


def _original(text: str, positions: list[int], start: int, end: int) -> str:
    if start >= end:
        return ""
    return text[positions[start] : positions[end - 1] + 1].strip()


def _for_contact_search(text: str) -> str:
    """Invisible characters dropped and compatibility forms unified (NFKC): full-width
    "ｗｗｗ．ｓｈｏｐ．ｃｏｍ" or "＠" hide nothing."""
    visible = "".join(ch for ch in text if ch.isascii() or unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", visible)


def _language_codes(language: str) -> tuple[str, ...]:
    """The keyword lists to use: the language's own ("fr-CA" uses "fr"), or all when unknown."""
    code = re.split(r"[-_]", (language or "").strip().lower(), maxsplit=1)[0]
    return (code,) if code in _KEYWORDS else tuple(_KEYWORDS)


# ---- Contact details: e-mail addresses, URLs, phone numbers (FB-7 b, c) ------------------------

# Top-level domains recognised in a bare "name.tld". Two-letter TLDs that are also everyday words
# ("de", "es", "it", "be", "me", "to", "us", "co") are left out: a missing space after a full stop
# ("bon produit.de plus...") must not read as a web address.
_TLDS = (
    "co.uk",
    "org.uk",
    "com.pl",
    "com.au",
    "com",
    "net",
    "org",
    "info",
    "biz",
    "io",
    "fr",
    "pl",
    "ca",
    "eu",
    "nl",
    "ch",
    "uk",
    "shop",
    "store",
    "online",
    "site",
)
_TLD = "(?:" + "|".join(re.escape(t) for t in sorted(_TLDS, key=len, reverse=True)) + ")"
_LABEL = r"[^\W_](?:[\w-]{0,61}[^\W_])?"  # one part of a host name

_EMAIL_RE = re.compile(
    rf"(?<![\w.%+-])[\w.%+-]{{1,64}}@(?:{_LABEL}\.)+[^\W\d_]{{2,24}}(?![\w-])", re.IGNORECASE
)

# "john at example dot com", "john [at] example [dot] com", "jean arobase exemple point fr",
# "jan małpa przyklad kropka pl", "john @ example . com".
_SPELLED_AT = r"(?:at|arobase|ma[łl]pa)"
_SPELLED_DOT = r"(?:dot|point|kropka)"
_OBF_AT = (
    rf"(?P<at>\s*[\[({{]\s*(?:{_SPELLED_AT}|@)\s*[\])}}]\s*"
    rf"|\s+{_SPELLED_AT}\s+|\s+@\s*|\s*@\s+)"
)
_OBF_DOT = rf"(?:\s*[\[({{]\s*(?:{_SPELLED_DOT}|\.)\s*[\])}}]\s*|\s+{_SPELLED_DOT}\s+|\s*\.\s*)"
_OBFUSCATED_EMAIL_RE = re.compile(
    rf"(?<![\w.+-])[\w.+-]{{1,64}}{_OBF_AT}"
    rf"[^\W_][\w-]{{0,62}}(?:{_OBF_DOT}[^\W_][\w-]{{0,62}}){{0,4}}?{_OBF_DOT}{_TLD}(?![\w-])",
    re.IGNORECASE,
)
_UNAMBIGUOUS_OBFUSCATION_RE = re.compile(
    rf"[\[({{@]|\s(?:arobase|ma[łl]pa|{_SPELLED_DOT})\s", re.IGNORECASE
)

_URL_WITH_SCHEME_RE = re.compile(r"(?<!\w)(?:https?|ftp)://[^\s<>\"'`]+", re.IGNORECASE)
_URL_WWW_RE = re.compile(r"(?<![\w.@/-])www\d{0,3}\.[^\W_][^\s<>\"'`]*", re.IGNORECASE)
_BARE_DOMAIN_RE = re.compile(
    rf"(?<![\w.@/-])(?P<host>(?:{_LABEL}\.)+){_TLD}(?![\w-])(?:/[^\s<>\"'`]*)?", re.IGNORECASE
)
_URL_TRAILING_PUNCTUATION = ".,;:!?)]}»”\"'"

# Phone numbers: formats written out, so that order ids (113-1234567-1234567), prices
# (19.99, 1 299 zł), dates (12/03/2026) and quantities do not match.
_PHONE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    # +33 6 12 34 56 78, +48 601 234 567, +1 (555) 123-4567, +44 (0)20 7946 0958, 0048 601...
    ("international", re.compile(r"(?:\+|(?<!\d)00)\s?[1-9][\d .\-()]{6,24}\d")),
    # (555) 123-4567, 555-123-4567, 555.123.4567, 1-555-123-4567
    (
        "local",
        re.compile(
            r"(?:(?<!\d)1[ .\-]?)?(?:\([2-9]\d{2}\)[ .\-]?|(?<!\d)[2-9]\d{2}[ .\-])\d{3}[ .\-]\d{4}"
        ),
    ),
    # 06 12 34 56 78, 06.12.34.56.78, 0612345678 (France)
    ("local", re.compile(r"(?<!\d)0[1-9](?:[ .\-]?\d{2}){4}")),
    # 020 7946 0958, 07700 900123, 0800 123 4567 (trunk prefix 0, 10 or 11 digits)
    ("local", re.compile(r"(?<!\d)0\d{2,4}[ .\-]\d{3,8}(?:[ .\-]\d{3,4})?")),
    # 601 234 567, 601-234-567 (Polish mobile; the same separator twice)
    ("local", re.compile(r"(?<!\d)[4-8]\d{2}([ \-])\d{3}\1\d{3}")),
    # 22 123 45 67, (22) 123-45-67 (Polish landline)
    ("local", re.compile(r"(?:\(\d{2}\)|(?<!\d)\d{2})[ \-]\d{3}[ \-]\d{2}[ \-]\d{2}")),
)
# A number right after "call me", "tél :", "zadzwoń na"... may be written without separators.
_PHONE_CUE_RE = re.compile(
    r"(?<!\w)(?:tel|t[ée]l[ée]phone|phone|mobile|cell|call|ring|whatsapp|sms|text me|appel\w*"
    r"|joindre|joignable|portable|zadzwo[nń]\w*|dzwo[nń]\w*|telefon\w*|kom|kom[oó]rk\w*)\.?"
    r"(?:\s*[:\-]?\s*(?:me|us|at|on|au|na|moi|nous|le|la|mi|do|pod|number|num[ée]ro|numer|nr)"
    r"\b\.?){0,3}\s*[:\-]?\s*(?P<number>\+?\d[\d .\-]{7,18}\d)",
    re.IGNORECASE,
)
_ORDER_WORD_BEFORE_RE = re.compile(
    r"(?<!\w)(?:order|commande|zam[oó]wieni\w*|tracking|suivi|colis|przesy[lł]k\w*|paczk\w*"
    r"|facture|invoice|faktur\w*|r[ée]f[ée]rence|r[ée]f|sku|asin|ean|isbn|upc|id)\W{0,3}"
    r"(?:(?:no|nr|n°|number|num[ée]ro|numer|id)\W{0,3})?$",
    re.IGNORECASE,
)
_NUMBER_BEFORE_RE = re.compile(r"\d[ .\-/,]?$")  # the candidate continues a longer number
_NUMBER_AFTER_RE = re.compile(r"[.\-/,]?\d")
_GROUP_AFTER_RE = re.compile(r"[ .\-]\d{2}")
_CURRENCY_BEFORE_RE = re.compile(r"[$€£¥]\s?$")
_UNIT_AFTER_RE = re.compile(
    r"\s?(?:zł|zl|pln|eur|euros?|€|\$|usd|cad|gbp|£|chf|%|ml|cl|kg|mg|mm|cm|km|mah|gb|mb"
    r"|pcs|pieces|szt|sztuk|units?)(?!\w)",
    re.IGNORECASE,
)


def _valid_phone(text: str, start: int, end: int, *, international: bool) -> tuple[int, int] | None:
    """(start, end) of a phone number at text[start:end], or None when it is something else."""
    number = text[start:end]
    digits = re.sub(r"\D", "", number)
    if international:
        # Greedy matching may glue a following number on: drop trailing groups.
        while len(digits.removeprefix("00")) > 15 and " " in number:
            number = re.sub(r"[^\d)]+$", "", number.rsplit(" ", 1)[0])
            digits = re.sub(r"\D", "", number)
        end = start + len(number)
        if not 8 <= len(digits.removeprefix("00")) <= 15:
            return None
        if number.count("(") != number.count(")") or re.search(r"[ .\-]{2,}|\(\(", number):
            return None
    else:
        if not 9 <= len(digits) <= 15:
            return None
        groups = re.findall(r"\d+", number)
        if len(groups) >= 3 and all(group.endswith("00") for group in groups[1:]):
            return None  # "500 600 700": quantities, not a number to call
        if _ORDER_WORD_BEFORE_RE.search(text, max(0, start - 40), start):
            return None  # "order no. 601-234-567"
        if _GROUP_AFTER_RE.match(text, end):
            return None  # part of a longer series of numbers
    before = text[max(0, start - 40) : start]
    if before and (before[-1].isalnum() or before[-1] in "_+#/@"):
        return None
    if _NUMBER_BEFORE_RE.search(before) or _CURRENCY_BEFORE_RE.search(before):
        return None
    if _NUMBER_AFTER_RE.match(text, end) or _UNIT_AFTER_RE.match(text, end):
        return None
    if end < len(text) and (text[end].isalnum() or text[end] == "_"):
        return None
    return start, end


def _phone_spans(text: str) -> Iterator[tuple[int, int]]:
    for kind, pattern in _PHONE_PATTERNS:
        for match in pattern.finditer(text):
            span = _valid_phone(
                text, match.start(), match.end(), international=kind == "international"
            )
            if span:
                yield span
    for match in _PHONE_CUE_RE.finditer(text):
        start, end = match.span("number")
        span = _valid_phone(text, start, end, international=text[start] == "+")
        if span:
            yield span


def _url_spans(text: str) -> Iterator[tuple[int, int]]:
    for pattern in (_URL_WITH_SCHEME_RE, _URL_WWW_RE, _BARE_DOMAIN_RE):
        for match in pattern.finditer(text):
            if pattern is _BARE_DOMAIN_RE and not any(c.isalpha() for c in match["host"]):
                continue  # "3.com" is not a site anyone advertises; "19.99" never gets here
            found = match.group(0).rstrip(_URL_TRAILING_PUNCTUATION)
            yield match.start(), match.start() + len(found)


def _email_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _EMAIL_RE.finditer(text):
        yield match.span()
    for match in _OBFUSCATED_EMAIL_RE.finditer(text):
        # "john at example dot com" is an address; "bought it at example.com" is a web site.
        if _UNAMBIGUOUS_OBFUSCATION_RE.search(match.group(0)[match.start("at") - match.start() :]):
            yield match.span()


def find_contact_details(text: str) -> list[tuple[str, str]]:
    """FB-7 (b, c): [(kind, matched text)] for the e-mail addresses ("email"), phone numbers
    ("phone") and web addresses or domains ("url") in the text, in text order.

    E-mail addresses are also found spelled out ("john at example dot com"); web addresses with
    http(s)://, www. or as a bare domain with a common TLD (not "e.g.", "etc." or "19.99"); phone
    numbers in the usual international and local formats, not order ids, prices, dates or
    quantities. Where two findings overlap the address wins (a number inside a URL is the URL).
    """
    clean = _for_contact_search(text or "")
    found: list[tuple[int, int, str]] = []
    for kind, spans in (
        (EMAIL, _email_spans(clean)),
        (URL, _url_spans(clean)),
        (PHONE, _phone_spans(clean)),
    ):
        # Within a kind, longest first: "1-555-123-4567" rather than "555-123-4567".
        for start, end in sorted(spans, key=lambda span: (span[0] - span[1], span[0])):
            if all(end <= s or start >= e for s, e, _kind in found):
                found.append((start, end, kind))
    return [(kind, clean[start:end]) for start, end, kind in sorted(found)]


# ---- Listed obscene or abusive words (FB-7 d) --------------------------------------------------

_OBFUSCATING_SEPARATORS = r"[.*_\-]"


def _letters_pattern(word: str) -> str:
    """Each run of a letter may be repeated ("shiiit"); other characters are literal."""
    parts = []
    for run in re.finditer(r"(.)\1*", word):
        ch, count = run.group(1), len(run.group(0))
        if ch.isalpha():
            parts.append(re.escape(ch) + ("+" if count == 1 else f"{{{count},}}"))
        else:
            parts.append(re.escape(run.group(0)))
    return "".join(parts)


@functools.lru_cache(maxsize=4096)
def _listed_word_pattern(entry: str) -> re.Pattern[str] | None:
    """How a listed word or phrase is searched for in a folded comment.

    Case and accents are ignored; the word must stand on its own (listed "ass" does not match
    "class"); letters may be repeated ("fuuuck"); a single word may be spelled out with the same
    separator between every letter ("s.h.i.t", "s*h*i*t", and for 4+ letters "f u c k"); the
    words of a phrase may be separated by any whitespace. An entry ending in "*" matches any word
    beginning with it ("kurw*": kurwa, kurwy...), useful for inflected languages.
    """
    folded = _fold(entry).strip()
    stem = folded.endswith("*")
    words = folded.rstrip("*").split()
    if not words:
        return None
    alternatives = [r"[\s_\-]+".join(_letters_pattern(word) for word in words)]
    if len(words) == 1 and words[0].isalpha() and len(words[0]) >= 3:
        separator = r"[.*_\- ]" if len(words[0]) >= 4 else _OBFUSCATING_SEPARATORS
        letters = [re.escape(ch) for ch in words[0]]
        alternatives.append(letters[0] + f"({separator})" + r"\1".join(letters[1:]))
    tail = r"\w*" if stem else ""
    return re.compile(rf"(?<![^\W_])(?:{'|'.join(alternatives)}){tail}(?![^\W_])")


def find_listed_words(text: str, words: Iterable[str]) -> list[str]:
    """FB-7 (d): the listed obscene or abusive words and phrases present in the text, as listed.

    See :func:`_listed_word_pattern` for how an entry matches (case- and accent-insensitive, on
    word boundaries, through repeated letters and "s.h.i.t"-style spelling; "*" at the end of an
    entry matches word endings).
    """
    folded = _fold(text or "")
    present: list[str] = []
    for word in words or ():
        entry = (word or "").strip()
        pattern = _listed_word_pattern(entry) if entry else None
        if pattern is not None and entry not in present and pattern.search(folded):
            present.append(entry)
    return present


# ---- Keyword lists: fulfilment, the seller, the product (FB-7 a, e) ----------------------------
#
# Per language:
#   fulfilment  phrases that are a fulfilment complaint on their own ("never arrived");
#   logistics   what fulfilment is about (delivery, parcel, courier, packaging...) and
#   trouble     what goes wrong with it (late, damaged, crushed, lost...): both in the same
#               clause make a complaint ("the box was crushed");
#   seller      words about the seller, the service or the delivery (FB-7 a: not a product review);
#   product     words about the product itself (quality, size, works, battery, colour, taste...);
#   not_fulfilment  what else a buyer may wait for or not receive (a refund, a reply, money): a
#               clause naming one is about the seller, not the fulfilment;
#   clause_breaks  conjunctions that separate two remarks ("fast delivery but poor quality").
# A match preceded by a negation within three words does not count ("no damage", "pas de
# retard", "nie była uszkodzona").

_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "fulfilment": (
            "never (arrived|came|showed up|turned up|got here|got delivered|was delivered"
            "|been delivered|received|delivered)",
            "never got (it|them|my|the|this|an?|any)",
            "did(n't| not) (arrive|come|get here|show up|turn up|get delivered|receive|get it"
            "|get them|get my|get the)",
            "(has|have|had)(n't| not) (yet )?(arrived|come|been delivered|been received|received"
            "|shown up|turned up)",
            "(not|never) (yet )?(received|delivered|arrived)",
            "still waiting (for|on) (it|them|delivery|(my|the|this) (order|parcel|package|item"
            "|delivery|shipment))",
            "(arrived|came|delivered|shipped|dispatched|turned up|showed up|got here|received)"
            " ~ (late|delayed|damaged|broken|crushed|smashed|squashed|dented|cracked|torn|ripped"
            "|wet|soaked|opened|open|leaking|leaked|shattered|in pieces|in bits|scratched)",
            "(late|delayed|slow|lost|missing|wrong) (delivery|arrival|shipping|shipment|dispatch"
            "|parcel|package|order|item|product|article)",
            "(day|days|week|weeks|month|months) late",
            "took ~ (days|weeks|week|month|months|forever|ages) to (arrive|come|ship|be shipped"
            "|be delivered|deliver|get here|be dispatched|dispatch)",
            "(damaged|broken|crushed|smashed|dented|lost|stolen) (in|during|by|from) (the )?"
            "(transit|shipping|shipment|delivery|post|mail|courier|carrier|warehouse|postman"
            "|driver)",
            "(shipping|transit|delivery|warehouse|courier|carrier|packing) (damage|damaged|error"
            "|mistake)",
            "(sent|received|got|shipped|delivered|given) ~ (wrong|different|incorrect) (item"
            "|product|one|thing|model|colou?r|size|book|order|article|parcel|package|version)",
            "not what i (ordered|paid for|bought)",
            "(items?|parts?|pieces?) (was |were )?missing from (the |my )?(box|parcel|package"
            "|order|delivery)",
            "empty (box|parcel|package|envelope)",
            "(poorly|badly|terribly|carelessly|inadequately|barely|not|cheaply|horribly) (packed"
            "|packaged|wrapped|protected|boxed)",
            "(no|poor|bad|terrible|awful|inadequate|insufficient|flimsy|cheap|horrible|zero)"
            " (packaging|packing|protection|bubble wrap|padding)",
            "(poor|bad|terrible|awful|horrible|appalling|slow|shocking) (delivery|shipping"
            "|courier|postage|dispatch|fulfil*|fulfill*)",
            "(delivery|shipping|packaging|packing|courier|dispatch) (was |is |were )?(very |really"
            " |so |extremely )?(poor|bad|terrible|awful|horrible|appalling|shocking|slow|rubbish"
            "|a joke|a nightmare|a disaster)",
            "lost (in the post|in transit|in the mail|by (the )?(courier|carrier|post office"
            "|postman|driver|warehouse))",
            "(parcel|package|order|shipment|delivery) (was |got |has been )?(lost|stolen"
            "|misdelivered)",
            "(left|thrown|dumped) (outside in the rain|in the rain|over the fence|in the bin)",
            "delivered to (the |a )?wrong (address|house|person|door)",
        ),
        "logistics": (
            "deliver*",
            "shipping",
            "shipped",
            "shipment*",
            "dispatch*",
            "postage",
            "postal",
            "post office",
            "courier*",
            "postman",
            "mailman",
            "ups",
            "fedex",
            "dhl",
            "usps",
            "royal mail",
            "evri",
            "hermes",
            "dpd",
            "parcel*",
            "package",
            "packages",
            "packaging",
            "packing",
            "packed",
            "box",
            "boxes",
            "envelope*",
            "warehouse*",
            "fulfil*",
            "fulfill*",
            "arriv*",
            "transit",
            "tracking",
        ),
        "trouble": (
            "late",
            "delay*",
            "slow",
            "slowly",
            "damage*",
            "broken",
            "crushed",
            "smashed",
            "squashed",
            "dented",
            "torn",
            "ripped",
            "wet",
            "soaked",
            "opened",
            "missing",
            "lost",
            "stolen",
            "wrong",
            "mishandled",
        ),
        "seller": (
            "seller*",
            "vendor*",
            "merchant*",
            "supplier*",
            "shop",
            "store",
            "company",
            "business",
            "customer (service|support|care)",
            "service",
            "support",
            "communicat*",
            "contact*",
            "repl*",
            "respon*",
            "answer*",
            "refund*",
            "return*",
            "exchang*",
            "dispatch*",
            "ship",
            "shipp*",
            "shipment*",
            "deliver*",
            "postage",
            "packag*",
            "packing",
            "packed",
            "parcel*",
            "arriv*",
            "on time",
            "prompt*",
            "received",
            "receive",
            "sent",
            "send*",
            "thank*",
            "transaction*",
            "describ*",
            "description*",
            "pictur*",
            "photo*",
            "listing*",
            "advertis*",
            "as shown",
            "order",
            "orders",
            "(buy|buying|bought|order|ordering|purchase|purchasing|shop|shopping) ~ again",
            "(buy|bought|purchase|purchased|order|ordered) from",
            "scam*",
            "fake*",
            "counterfeit*",
            "knock(-| )?off*",
            "rip(-| )?off*",
            "fraud*",
            "e-?mail*",
            "messag*",
            "wrote",
            "a+",
            "aa+",
            "aaa+",
            "helpful",
            "unhelpful",
            "friendly",
            "polite",
            "impolite",
            "rude",
            "courteous",
            "professional*",
            "unprofessional",
            "honest",
            "dishonest",
            "efficient*",
            "deal* with",
            "dealing",
            "ignor*",
            "cancel*",
            "price*",
            "pricing",
            "overpriced",
            "expensive",
            "came ~ (quick*|fast|early|promptly|on time|day|days|week|weeks)",
            "got (it|them) ~ (quick*|fast|early|promptly|on time|day|days|week|weeks)",
        ),
        "product": (
            "product*",
            "item*",
            "quality",
            "size*",
            "sizing",
            "fit",
            "fits",
            "fitted",
            "fitting",
            "small*",
            "large*",
            "big*",
            "tight*",
            "loose*",
            "tiny",
            "work",
            "works",
            "working",
            "worked",
            "broke",
            "broken",
            "breaks",
            "batter(y|ies)",
            "charg*",
            "colou?r*",
            "tast*",
            "flavou?r*",
            "smell*",
            "material*",
            "fabric*",
            "sound",
            "screen*",
            "comf*",
            "uncomfortable",
            "cheap*",
            "flimsy",
            "sturdy",
            "durable",
            "design*",
            "instructions",
            "assembly",
            "easy to (use|assemble|install|clean)",
            "useless",
            "leak*",
            "noisy",
            "loud",
            "heavy",
            "lightweight",
            "weight",
            "textur*",
            "wash*",
            "shrank",
            "shrunk",
            "faded",
            "stitch*",
            "zip*",
            "button*",
            "strap*",
            "lasted",
            "fell apart",
            "falls apart",
            "waste of money",
            "junk",
            "rubbish",
            "garbage",
            "(poorly|well|badly|cheaply) made",
            "soft",
            "delicious",
            "tasty",
            "disgusting",
            "runs (small|large|big)",
            "too (small|big|large|tight|short|long|loose)",
        ),
        "not_fulfilment": (
            "refund*",
            "repl(y|ies|ied)",
            "respon*",
            "answer*",
            "messag*",
            "e-?mail*",
            "money",
            "invoice*",
            "receipt",
            "credit",
            "voucher*",
            "compensation",
            "update*",
            "call*",
        ),
        "clause_breaks": (
            "but",
            "however",
            "although",
            "though",
            "except",
            "and",
            "whereas",
            "while",
            "plus",
        ),
    },
    "fr": {
        "fulfilment": (
            "(jamais|pas|toujours pas|non|rien) (reçu*|arrivé*|livré*|parvenu*)",
            "(arrivé*|reçu*|livrée*|parvenu*|expédié*|envoyé*) ~ (en retard|tard|abîmé*|endommagé*"
            "|cassé*|écrasé*|cabossé*|ouvert*|déchiré*|mouillé*|détérioré*|brisé*|fissuré*"
            "|en morceaux|en miettes|défoncé*|éventré*|rayé*)",
            # "livré" folds to "livre" (a book): only the unambiguous phrases use it.
            "(livré|livrés|livrée|livrées) (en retard|trop tard|avec retard)",
            "retard* (de |d'|à la |dans la )?(livraison|expédition|envoi|l'envoi|acheminement)",
            "délai* ~ (trop long*|très long*|pas respecté*|non respecté*|dépassé*)",
            "(livraison|expédition|envoi|colis|commande) (très |trop |bien |beaucoup )?(en retard"
            "|tardive*|lente*|retardée*)",
            "(jours|semaines|mois|jour|semaine) de retard",
            "(abîmé*|endommagé*|cassé*|écrasé*|détérioré*|brisé*|perdu*|volé*) (pendant|lors"
            "|durant|par|dans|au cours) ~ (transport|livraison|expédition|acheminement"
            "|transporteur|livreur|poste|entrepôt)",
            "(reçu*|envoyé*|livrée*|expédié*) ~ (mauvais|mauvaise|autre|différent*) (article"
            "|produit|modèle|taille|couleur|coloris|référence|colis|objet)",
            "(mauvais|mauvaise) (article|produit|modèle|taille|couleur|coloris|référence|colis)"
            " (reçu*|envoyé*|livré*|expédié*)",
            "(pas|non) (le bon|la bonne|les bons|les bonnes) (article*|produit*|modèle*|taille*"
            "|couleur*|référence*|colis|commande*|objet*)",
            "pas (ce|celui|celle) que j'ai commandé*",
            "erreur* (de |d'|dans la |dans l'|lors de la )(commande|article|colis|envoi|expédition"
            "|préparation|livraison)",
            "(mal|pas assez|insuffisamment|très mal|n'importe comment) (emballé*|protégé*"
            "|conditionné*|préparé*|empaqueté*)",
            "(sans |aucun |aucune |pas d')(emballage|protection|calage)",
            "(mauvais|mauvaise|horrible|nul|nulle|médiocre|catastrophique|lamentable|déplorable)"
            " (emballage|livraison|expédition|transporteur|livreur|conditionnement)",
            "(emballage|livraison|expédition|transporteur|livreur|conditionnement) (est |était "
            "|a été |très |trop |vraiment )*(mauvais*|horrible|nul*|médiocre|catastrophique"
            "|lamentable|déplorable|lente*|bâclé*|insuffisant*|inexistant*)",
            "(colis|paquet|commande|envoi) (perdu*|égaré*|volé*|jamais arrivé*|jamais livré*"
            "|jamais reçu*)",
            "perdu* par ~ (transporteur|poste|livreur)",
            "(livré*|déposé*|laissé*) ~ (mauvaise adresse|sous la pluie)",
            "(j'attends|attends|attend) toujours (mon|ma|le|la) (colis|commande|livraison|article"
            "|produit|paquet)",
            "toujours en attente (du|de mon|de ma|de la) (colis|commande|livraison)",
        ),
        "logistics": (
            "livraison*",
            "livreur*",
            "livrée*",
            "livrés",
            "expédi*",
            "envoi*",
            "colis",
            "paquet*",
            "carton*",
            "emballage*",
            "emballé*",
            "enveloppe*",
            "transporteur*",
            "la poste",
            "colissimo",
            "chronopost",
            "mondial relay",
            "point relais",
            "relais colis",
            "dpd",
            "gls",
            "ups",
            "dhl",
            "entrepôt*",
            "arrivé*",
            "acheminement",
        ),
        "trouble": (
            "retard*",
            "tard",
            "tardi*",
            "lent",
            "lente",
            "lents",
            "lentes",
            "lenteur",
            "abîm*",
            "endommag*",
            "cassé*",
            "écrasé*",
            "cabossé*",
            "déchiré*",
            "ouvert*",
            "mouillé*",
            "détérioré*",
            "défoncé*",
            "éventré*",
            "perdu*",
            "égaré*",
            "manquant*",
            "erreur*",
        ),
        "seller": (
            "vendeu*",
            "marchand*",
            "fournisseur*",
            "boutique*",
            "magasin*",
            "société",
            "entreprise",
            "service*",
            "sav",
            "communic*",
            "contact*",
            "répon*",
            "répond*",
            "rembours*",
            "retour*",
            "échang*",
            "envoi*",
            "envoy*",
            "expédi*",
            "livr*",
            "colis",
            "emballage*",
            "emballé*",
            "paquet*",
            "arriv*",
            "reçu*",
            "à temps",
            "dans les temps",
            "délai*",
            "merci*",
            "remerci*",
            "transaction*",
            "conforme*",
            "description*",
            "descriptif*",
            "annonce*",
            "photo*",
            "commande*",
            "rachet*",
            "rachèt*",
            "recommanderai",
            "arnaque*",
            "escroc*",
            "contrefaçon*",
            "e-?mail*",
            "mail*",
            "message*",
            "courriel*",
            "aimable*",
            "sympa*",
            "poli",
            "polie",
            "impoli*",
            "professionnel*",
            "sérieu*",
            "honnête*",
            "malhonnête*",
            "réactif*",
            "réactivité",
            "à l'écoute",
            "annul*",
            "ignor*",
            "prix",
            "cher",
            "chère",
        ),
        "product": (
            "produit*",
            "article*",
            "qualité*",
            "taille*",
            "petit*",
            "grand*",
            "serré*",
            "fonctionn*",
            "marche",
            "marchait",
            "panne*",
            "cass*",
            "batterie*",
            "pile*",
            "charge*",
            "chargeur*",
            "couleur*",
            "coloris",
            "goût*",
            "saveur*",
            "odeur*",
            "matière*",
            "tissu*",
            "(le|du) son",
            "sonore",
            "écran*",
            "confortable*",
            "inconfortable*",
            "solide*",
            "fragile*",
            "design",
            "montage",
            "notice",
            "facile à",
            "utilisation",
            "inutile",
            "fuit",
            "fuite*",
            "bruyant*",
            "bruit*",
            "lourd*",
            "léger*",
            "légère*",
            "lavage",
            "rétréci*",
            "décoloré*",
            "déteint",
            "durable*",
            "s'use",
            "usé*",
            "joli*",
            "beau",
            "belle",
            "moche",
            "délicieu*",
        ),
        "not_fulfilment": (
            "rembours*",
            "répon*",
            "message*",
            "e-?mail*",
            "mail*",
            "courriel*",
            "argent",
            "facture*",
            "nouvelles",
            "geste commercial",
        ),
        "clause_breaks": (
            "mais",
            "cependant",
            "pourtant",
            "sauf",
            "et",
            "néanmoins",
            "toutefois",
            "par contre",
            "en revanche",
            "alors que",
            "tandis que",
        ),
    },
    "pl": {
        "fulfilment": (
            "nie (dotarł*|doszł*|doszedł|przyszł*|przyszedł|dostał*|otrzymał*|dostarczon*"
            "|dostarczył*|odebrał*|dojechał*)",
            "(nadal|wciąż|dalej|do dziś|do dzisiaj|jeszcze) (nie ma|brak|czekam na) ~ (paczk*"
            "|przesył*|zamówieni*|towar*)",
            "(dotarł*|doszł*|doszedł|przyszł*|przyszedł|dostarczon*|dostarczył*|przyjechał*"
            "|otrzymał*|dostał*) ~ (uszkodz*|zniszcz*|rozbit*|połaman*|złaman*|pognieci*"
            "|zgniecion*|otwart*|rozerwan*|podart*|mokr*|zalan*|spóźnion*|z opóźnieniem"
            "|po terminie|po czasie|późno|za późno|w kawałkach|pęknięt*|porysowan*|stłuczon*"
            "|potłuczon*)",
            "(uszkodz*|zniszcz*|rozbit*|połaman*|zgubion*|zagubion*|stłuczon*|potłuczon*) (w"
            "|podczas|przez|przy) ~ (transpor*|przesył*|wysył*|dostaw*|kurier*|magazyn*|poczt*"
            "|poczc*|przewoźni*)",
            "(opóźnien*|opóźnion*|spóźnion*|spóźnił*|opóźnił*) ~ (dostaw*|przesył*|wysył*|paczk*"
            "|zamówieni*|kurier*)",
            "(dostaw*|przesył*|wysył*|paczk*|zamówieni*|kurier*) ~ (opóźnion*|spóźnion*|spóźnił*"
            "|opóźnił*|z opóźnieniem|po terminie|po czasie|za późno)",
            "(przysłan*|wysłan*|wysłał*|dostał*|otrzymał*|przyszedł|przyszł*) ~ (inny|inna|inne"
            "|innego|niewłaściw*|błędn*|zły|zła|złe|złego|nie ten|nie ta|nie to) (produkt*|towar*"
            "|rozmiar*|kolor*|model*|przedmiot*|artykuł*)",
            "nie to co (zamówił*|zamawiał*)",
            "nie ten (produkt|towar|model|przedmiot|artykuł)",
            "pomylon* (zamówieni*|produkt*|towar*|paczk*|przesył*)",
            "pomyłk* (w|przy) (zamówieni*|wysył*|pakowani*|kompletacj*)",
            "(źle|słabo|fatalnie|tragicznie|byle jak|niedbale|kiepsko|marnie) (zapakowan*"
            "|spakowan*|zabezpieczon*|opakowan*)",
            "(brak|bez) (zabezpieczeni*|folii|folia bąbelkow*|wypełniacz*)",
            "(paczk*|przesył*|zamówieni*) (zaginęł*|zgubion*|zagubion*|zniknęł*|zaginion*"
            "|skradzion*)",
            "(czekał*|czekam|czekać) ~ na (paczk*|przesył*|zamówieni*|dostaw*|towar*|kurier*)",
            "(szła|szło|szedł|szły|idzie) ~ (tygodni*|miesiąc*|długo|wieki|wieczność)",
            "(długo|bardzo długo|wieki) (szła|szło|szedł|szły|jechał*)",
        ),
        "logistics": (
            "dostaw*",
            "dostarcz*",
            "przesył*",
            "paczk*",
            "paczc*",
            "paczuszk*",
            "wysył*",
            "wysłan*",
            "kurier*",
            "przewoźni*",
            "inpost",
            "paczkomat*",
            "poczt*",
            "poczc*",
            "transpor*",
            "dpd",
            "dhl",
            "ups",
            "gls",
            "opakowan*",
            "zapakowan*",
            "pudeł*",
            "pudełk*",
            "karton*",
            "kopert*",
            "magazyn*",
            "dotarł*",
            "doszł*",
            "przyszł*",
        ),
        "trouble": (
            "opóźni*",
            "spóźni*",
            "późno",
            "uszkodz*",
            "zniszcz*",
            "rozbit*",
            "połaman*",
            "pognieci*",
            "zgniec*",
            "rozerwan*",
            "podart*",
            "mokr*",
            "zalan*",
            "otwart*",
            "zgubion*",
            "zagubion*",
            "zaginęł*",
            "zaginion*",
            "brakow*",
            "brakuje",
            "niekompletn*",
            "pomyl*",
            "pomyłk*",
            "stłuczon*",
            "potłuczon*",
        ),
        "seller": (
            "sprzedaw*",
            "sprzedając*",
            "sklep*",
            "firma",
            "firmy",
            "firmie",
            "firmę",
            "firmą",
            "obsług*",
            "kontakt*",
            "komunikacj*",
            "odpis*",
            "odpowi*",
            "zwrot*",
            "zwróc*",
            "wymian*",
            "wymieni*",
            "reklamacj*",
            "wysył*",
            "wysłan*",
            "wysłał*",
            "dostaw*",
            "dostarcz*",
            "przesył*",
            "paczk*",
            "paczc*",
            "kurier*",
            "zapakowan*",
            "opakowan*",
            "doszł*",
            "doszedł",
            "dotarł*",
            "przyszł*",
            "przyszedł",
            "otrzymał*",
            "dostał*",
            "na czas",
            "w terminie",
            "dziękuj*",
            "dzięki",
            "transakcj*",
            "zgodn* z opisem",
            "opis*",
            "zdjęci*",
            "aukcj*",
            "ogłoszeni*",
            "ofert*",
            "zamówi*",
            "zamawia*",
            "nigdy więcej",
            "więcej (nie )?(kupię|zamówię)",
            "oszust*",
            "oszuka*",
            "podróbk*",
            "podrób*",
            "wiadomoś*",
            "e-?mail*",
            "mail*",
            "miły",
            "miła",
            "miło",
            "uprzejm*",
            "profesjonaln*",
            "nieprofesjonaln*",
            "rzetel*",
            "uczciw*",
            "nieuczciw*",
            "sprawn*",
            "anulow*",
            "ignor*",
            "cena",
            "ceny",
            "cenie",
            "cenę",
            "ceną",
            "cenowo",
            "drogi",
            "drogo",
        ),
        "product": (
            "produkt*",
            "towar*",
            "jakość",
            "jakości",
            "jakością",
            "rozmiar*",
            "pasuj*",
            "za mał*",
            "za duż*",
            "mały",
            "mała",
            "małe",
            "duży",
            "duża",
            "duże",
            "działa*",
            "przestał*",
            "zepsu*",
            "popsu*",
            "bateri*",
            "akumulator*",
            "ładowa*",
            "ładowark*",
            "kolor*",
            "smak*",
            "zapach*",
            "śmierdzi",
            "materiał*",
            "tkanin*",
            "dźwięk*",
            "ekran*",
            "wygodn*",
            "niewygodn*",
            "solidn*",
            "tandet*",
            "trwał*",
            "wytrzymał*",
            "łatwy w",
            "instrukcj*",
            "ciężk*",
            "lekk*",
            "prani*",
            "sprał*",
            "rozpadł*",
            "pękł*",
            "pęka",
            "cieknie",
            "przecieka",
            "głośn*",
            "brzydk*",
            "ładn*",
            "bubel",
            "szmelc",
            "chłam",
            "smaczn*",
            "pyszn*",
            "miękk*",
            "tward*",
        ),
        "not_fulfilment": (
            "zwrot*",
            "odpowi*",
            "odpis*",
            "wiadomoś*",
            "e-?mail*",
            "mail*",
            "pieni*",
            "faktur*",
            "kontakt*",
        ),
        "clause_breaks": (
            "ale",
            "lecz",
            "jednak",
            "natomiast",
            "i",
            "oraz",
            "a",
            "chociaż",
            "choć",
            "tylko",
        ),
    },
}

# Negations, all languages (folded): a match right after one of these does not count, and the
# " ~ " gap of a phrase never skips one.
_NEGATION = (
    r"(?:not|no|never|without|hardly|nothing|zero|pas|sans|aucune?|jamais|ni|rien|nie|bez|ani"
    r"|nic|zadn\w*|(?:is|are|was|were|do|does|did|has|have|had|ca|could|would|should|wo|must"
    r"|need)n'?t)"
)
_NEGATION_RE = re.compile(_NEGATION)
_GAP = rf"\s+(?:(?!{_NEGATION}\b)[\w']+\s+){{0,3}}"
_PHRASE_PIECE_RE = re.compile(r"\s*~\s*|\s+|[()|?*']|[^\s()|?*'~]+")


def _phrase_pattern(entry: str) -> str:
    """Regular expression for one keyword entry, in the notation of the module docstring."""
    parts: list[str] = []
    previous = ""
    for piece in _PHRASE_PIECE_RE.findall(_fold(entry).strip()):
        if piece.strip() == "~":
            parts.append(_GAP)
        elif piece.isspace():
            parts.append(r"\s*" if previous == "'" else r"\s+")  # "pas d' emballage"
        elif piece == "(":
            parts.append("(?:")
        elif piece in ")|?":
            parts.append(piece)
        elif piece == "*":
            parts.append("*" if previous == ")" else r"\w*")  # "(very |so )*" repeats the group
        elif piece == "'":
            parts.append("'?")
        else:
            parts.append(re.escape(piece))
        previous = piece
    return rf"(?<!\w)(?:{''.join(parts)})(?!\w)"


@dataclass(frozen=True)
class _Rules:
    """One language's keyword lists, compiled."""

    fulfilment: re.Pattern[str]
    logistics: re.Pattern[str]
    trouble: re.Pattern[str]
    seller: re.Pattern[str]
    product: re.Pattern[str]
    not_fulfilment: re.Pattern[str]
    clause_breaks: re.Pattern[str]


def _compile(entries: Iterable[str]) -> re.Pattern[str]:
    return re.compile("|".join(_phrase_pattern(entry) for entry in entries))


def _compile_rules(keywords: dict[str, tuple[str, ...]]) -> _Rules:
    breaks = "|".join(re.escape(_fold(word)) for word in keywords["clause_breaks"])
    return _Rules(
        fulfilment=_compile(keywords["fulfilment"]),
        logistics=_compile(keywords["logistics"]),
        trouble=_compile(keywords["trouble"]),
        seller=_compile(keywords["seller"]),
        product=_compile(keywords["product"]),
        not_fulfilment=_compile(keywords["not_fulfilment"]),
        clause_breaks=re.compile(rf"[.!?;,:()\[\]\n\r\t/\u2013\u2014]+|\s(?:{breaks})\s"),
    )


_RULES = {language: _compile_rules(keywords) for language, keywords in _KEYWORDS.items()}


def _clauses(folded: str, rules: _Rules) -> Iterator[tuple[int, str]]:
    """(offset, clause) for each remark of the comment."""
    start = 0
    for separator in rules.clause_breaks.finditer(folded):
        yield start, folded[start : separator.start()]
        start = separator.end()
    yield start, folded[start:]


def _negated(clause: str, at: int) -> bool:
    """Whether one of the three words before position ``at`` is a negation."""
    return any(_NEGATION_RE.fullmatch(word) for word in re.findall(r"[\w']+", clause[:at])[-3:])


def _first_affirmed(pattern: re.Pattern[str], clause: str) -> re.Match[str] | None:
    for match in pattern.finditer(clause):
        if not _negated(clause, match.start()):
            return match
    return None


def _fulfilment_complaint_span(folded: str, language: str) -> tuple[int, int] | None:
    """Where the folded comment complains about the fulfilment, or None."""
    for code in _language_codes(language):
        rules = _RULES[code]
        for offset, clause in _clauses(folded, rules):
            if rules.not_fulfilment.search(clause):
                continue  # "never received a refund", "pas reçu de réponse": about the seller
            strong = _first_affirmed(rules.fulfilment, clause)
            if strong:
                return offset + strong.start(), offset + strong.end()
            topic = rules.logistics.search(clause)
            trouble = _first_affirmed(rules.trouble, clause) if topic else None
            if topic and trouble:
                start, end = min(topic.start(), trouble.start()), max(topic.end(), trouble.end())
                return offset + start, offset + end
    return None


def _fulfilment_evidence(text: str, language: str) -> str | None:
    """The part of the comment that is a fulfilment complaint, as written, or None."""
    folded, positions = _fold_with_positions(text)
    span = _fulfilment_complaint_span(folded, language)
    if span is None:
        return None
    return _original(text, positions, *span) or text.strip()


def is_fulfilment_complaint(text: str, language: str) -> bool:
    """FB-7 (e): the comment complains about delivery or fulfilment: late or never arrived,
    damaged in transit or in the warehouse, wrong item sent, packaging or preparation, the
    carrier.

    Keyword lists for "en", "fr" and "pl" (Polish with or without diacritics); an unknown
    language uses all of them. A phrase that says it on its own ("never arrived", "colis
    écrasé", "nie dotarła") counts, and so does a clause naming both the logistics and what went
    wrong ("the box was crushed"); a negation just before does not ("no damage", "pas de
    retard"). Remarks separated by "but", "mais", "ale"... are weighed separately, so "fast
    delivery but poor quality" is not a complaint about the delivery.
    """
    return _fulfilment_complaint_span(_fold(text or ""), language) is not None


def _seller_languages(language: str) -> tuple[str, ...]:
    codes = _language_codes(language)
    return codes if "en" in codes else (*codes, "en")


def mentions_the_seller(text: str, language: str) -> bool:
    """FB-7 (a): the comment talks about the seller or the service: the seller, the shop,
    customer service, communication, replies, refunds and returns, shipping and delivery, the
    description of the item, thanks, "would buy again", "scam"...

    The language's list is used together with the English one (buyers mix in English words);
    an unknown language uses all lists. Erring towards "yes" only sends a request to staff.
    """
    folded = _fold(text or "")
    return any(_RULES[code].seller.search(folded) for code in _seller_languages(language))


_MIN_WORDS = 2
_MIN_LETTERS = 8


def is_only_a_product_review(text: str, language: str) -> bool:
    """FB-7 (a): the *entire* comment is about the product (quality, size, works or broke,
    battery, colour, taste...) and says nothing about the seller, the service or the delivery.

    A comment that mixes a product review with remarks on the seller is not only a product
    review (False); so is an empty or very short comment, or one with no recognisable product
    remark (staff decide those).
    """
    folded = _fold(text or "")
    words = re.findall(r"[^\W\d_]+", folded)
    if len(words) < _MIN_WORDS or sum(len(word) for word in words) < _MIN_LETTERS:
        return False
    if mentions_the_seller(text, language) or is_fulfilment_complaint(text, language):
        return False
    return any(_RULES[code].product.search(folded) for code in _language_codes(language))


# ---- The decision ----------------------------------------------------------------------------


def _contact_finding(text: str, ground: str) -> Finding | None:
    """FB-7 (b, c): an e-mail address or phone number is personal information, a web address is
    promotional; when both are there, the one matching the seller's ground is quoted."""
    details = find_contact_details(text)
    if not details:
        return None
    personal = [(kind, found) for kind, found in details if kind in (EMAIL, PHONE)]
    links = [(kind, found) for kind, found in details if kind == URL]
    if links and (ground == Ground.PROMOTIONAL or not personal):
        return Finding(Decision.REMOVED, Ground.PROMOTIONAL, _REASON_URL, links[0][1])
    kind, found = personal[0]
    reason = _REASON_EMAIL if kind == EMAIL else _REASON_PHONE
    return Finding(Decision.REMOVED, Ground.PERSONAL_INFO, reason, found)


def _struck_through(evidence: str) -> Finding:
    return Finding(Decision.STRUCK_THROUGH, Ground.FULFILMENT, _REASON_STRUCK_THROUGH, evidence)


def automatic_decision(
    *,
    text: str,
    ground: str,
    language: str,
    marketplace_fulfilled: bool,
    abusive_words: Iterable[str],
) -> Finding | None:
    """FB-7: the decision that can be taken at once on a removal request, or None when the
    request must go to marketplace staff (the moderation queue).

    The first check that applies wins:

    1. contact details anywhere in the text: REMOVED, as personal information (e-mail address,
       phone number) or promotional content (web address), whatever ground the seller chose;
    2. a listed obscene or abusive word: REMOVED (abusive);
    3. ground "fulfilment": on an order the seller fulfilled, DECLINED (only marketplace-fulfilled
       orders qualify); on a marketplace-fulfilled order whose comment is a fulfilment complaint,
       STRUCK_THROUGH with the standard line; otherwise staff decide;
    4. a marketplace-fulfilled order whose comment is a fulfilment complaint, whatever the ground:
       STRUCK_THROUGH;
    5. ground "product review" and the entire comment is a product review: REMOVED; a comment
       that also mentions the seller goes to staff (never declined automatically);
    6. anything else goes to staff.

    Raises ValueError for a ground that is not a :class:`Ground` value.
    """
    if ground not in Ground.values:
        raise ValueError(f"Unknown removal ground: {ground!r}")
    text = text or ""
    finding = _contact_finding(text, ground)
    if finding:
        return finding
    words = find_listed_words(text, abusive_words or ())
    if words:
        return Finding(Decision.REMOVED, Ground.ABUSIVE, _REASON_ABUSIVE, ", ".join(words))
    if ground == Ground.FULFILMENT and not marketplace_fulfilled:
        return Finding(Decision.DECLINED, Ground.FULFILMENT, _REASON_NOT_MARKETPLACE_FULFILLED)
    complaint = _fulfilment_evidence(text, language) if marketplace_fulfilled else None
    if complaint:
        return _struck_through(complaint)
    if ground == Ground.PRODUCT_REVIEW and is_only_a_product_review(text, language):
        return Finding(Decision.REMOVED, Ground.PRODUCT_REVIEW, _REASON_PRODUCT_REVIEW)
    return None


# ---- Which grounds could apply -----------------------------------------------------------------


def applicable_grounds(
    *, rating: int, comment: str, marketplace_fulfilled: bool, arrived_late: bool
) -> list[str]:
    """FB-7: the grounds on which a removal request of this feedback could be granted, in the
    order of :class:`Ground`; empty when none could (the seller is then offered no request).

    * Removal is for negative and neutral feedback (1–3 stars), the feedback that counts against
      the seller; positive feedback that breaks a guideline is never worth removing (seeds, 002).
    * Grounds (a)–(d) are about what the comment says: without a comment, none applies.
    * Ground (e) needs an order fulfilled by the marketplace (on the seller's own fulfilment it
      is always declined) and a complaint: the comment, or the buyer's "not on time" answer.

    Whether the comment *does* break a guideline is for the checks and the staff to decide, not
    this list: a ground stays offered whenever it could be granted.
    """
    if rating > 3:
        return []
    has_comment = bool((comment or "").strip())
    grounds = []
    for ground in Ground:
        if ground == Ground.FULFILMENT:
            possible = marketplace_fulfilled and (has_comment or arrived_late)
        else:
            possible = has_comment
        if possible:
            grounds.append(ground.value)
    return grounds
