"""RV-7: the communication guidelines for messages a seller or a brand writes to a buyer.

A brand must not try to influence reviews (SPEC §3, RV-7; seeds 000 and 001: "ne doivent pas
demander à ce que des commentaires négatifs soient supprimés ou que des commentaires positifs
soient publiés", "żądania usunięcia negatywnych opinii lub publikowania pozytywnych"), and no
seller may offer anything for seller feedback (seed 002: "Ne jamais offrir un remboursement pour
supprimer les commentaires négatifs du vendeur"). :func:`assess_message` reads the free text of a
"contact the customer" message (``reviews``) or of a seller's buyer–seller message
(``messaging``) and says whether it may be sent:

- REFUSED: asking to remove (``remove_review``) or change (``change_review``) a review; asking for
  a positive review, rating or feedback or for a number of stars (``positive_review_request``);
  offering a refund, discount, gift, free product... in exchange for a review or for changing or
  removing one (``review_incentive``), or for seller feedback (``feedback_incentive``); asking
  only satisfied buyers to post, or unhappy ones to contact the seller first or not to post a
  negative review (``conditional_review``);
- FLAGGED (sent, but marketplace staff look at it): a plain "please leave a review"
  (``review_request``; the marketplace's own review request does that, FB-11), and any of the
  above when a negation stands just before it ("we are not asking you to change your review");
- OK: everything else — answering, apologising, offering a refund or a replacement to solve a
  problem, shipping news, thanks, a neutral request for seller feedback, and (seed 002) asking a
  buyer whose problem was solved to remove negative *seller feedback*, with nothing offered.

The module is pure: a string in, an :class:`Assessment` out; no models, no database.

How it reads. The text is *folded* (case, accents and width ignored, "ł" as "l", hyphens as
spaces, runs of spaces as one) and cut into sentences at ``. ! ? ; …`` and line breaks. In each
sentence it looks for an *act* on a review or on seller feedback: a verb of the language's lists
("remove", "supprimer", "usunąć"...), then at most five small words (articles, possessives,
"negative", "5 star"...: ``gap`` below), then the object ("review", "avis", "opinię"...); or the
object followed by a passive ("your review be removed", "commentaires soient supprimés",
"opinia zostanie usunięta"). An incentive counts only in the sentence of the act and with a link
word ("if", "once", "in exchange", "si", "contre", "jeśli", "w zamian"...): "Sorry about the
kettle. We will refund you." stays OK. Every check is a regular expression with bounded
repetitions over the folded text, so the time is linear in the length of the message.

The keyword lists (``_KEYWORDS``) use a small notation, compiled by :func:`_phrase_body`: a
space is any whitespace, ``*`` ends a word stem ("supprim*" matches "supprimez", "supprimés"),
``(a|b)`` is a choice, ``?`` makes the previous character or group optional and ``'`` may be left
out. Entries may carry accents and hyphens; they are folded like the text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    """RV-7: what becomes of a seller-written message."""

    OK = "ok", _("OK")
    FLAGGED = "flagged", _("Flagged for review")  # sent, but marketplace staff look at it
    REFUSED = "refused", _("Refused")


_SEVERITY = {Verdict.OK.value: 0, Verdict.FLAGGED.value: 1, Verdict.REFUSED.value: 2}


@dataclass(frozen=True)
class Breach:
    """One thing in a message that breaks the communication guidelines (RV-7)."""

    code: str  # see _EXPLANATIONS
    verdict: str  # a Verdict value
    explanation: str  # shown to the seller; a lazy translation, str() it to store it
    evidence: str  # the matched text, as the seller wrote it


@dataclass(frozen=True)
class Assessment:
    """RV-7: the verdict on a message and the breaches behind it."""

    verdict: str  # the worst verdict of the breaches, or Verdict.OK
    breaches: tuple[Breach, ...]

    @property
    def allowed(self) -> bool:
        """Whether the message may be sent (OK or FLAGGED)."""
        return self.verdict != Verdict.REFUSED


# ---- Breach codes and what the seller is told ------------------------------------------------

REMOVE_REVIEW = "remove_review"
CHANGE_REVIEW = "change_review"
POSITIVE_REVIEW_REQUEST = "positive_review_request"
REVIEW_INCENTIVE = "review_incentive"
CONDITIONAL_REVIEW = "conditional_review"
FEEDBACK_INCENTIVE = "feedback_incentive"
REVIEW_REQUEST = "review_request"

_EXPLANATIONS = {
    REMOVE_REVIEW: _(
        "Do not ask the buyer to remove a review. Solve the problem the review describes; "
        "whether the review stays is the buyer's decision alone."
    ),
    CHANGE_REVIEW: _(
        "Do not ask the buyer to change or update a review, even once the problem is solved. "
        "Solve the problem; whether to edit the review is the buyer's decision alone."
    ),
    POSITIVE_REVIEW_REQUEST: _(
        "Do not ask for a positive review, rating or feedback, or for a number of stars. Buyers "
        "must be free to rate as they see fit."
    ),
    REVIEW_INCENTIVE: _(
        "Do not offer a refund, discount, gift, free product or any other reward in exchange for "
        "a review, or for changing or removing one. You may offer a refund or a replacement to "
        "solve the problem, without linking it to a review."
    ),
    CONDITIONAL_REVIEW: _(
        "Do not ask only satisfied buyers to post a review or feedback, nor ask unhappy buyers to "
        "contact you first or not to post a negative one. Help every buyer the same way and let "
        "them rate freely."
    ),
    FEEDBACK_INCENTIVE: _(
        "Never offer a refund, compensation or any other reward for leaving, changing or removing "
        "seller feedback. Solve the problem first; you may then ask the buyer whether they would "
        "remove negative feedback, with nothing offered in return."
    ),
    REVIEW_REQUEST: _(
        "Product reviews are requested with the marketplace's review request, not in a free-text "
        "message. Your message will be sent, but marketplace staff will look at it."
    ),
}

# ---- Text preparation ------------------------------------------------------------------------

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
        "-": " ",  # "5-star", "laissez-nous", "e-mail": the words on both sides count
        "\u2010": " ",
        "\u2011": " ",
    }
)
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


@functools.lru_cache(maxsize=8192)
def _fold_char(ch: str) -> str:
    if ch in _LINE_BREAKS:
        return "\n"
    if ch.isspace():
        return " "
    category = unicodedata.category(ch)
    if category == "Cf":  # zero-width space, soft hyphen, bidi marks...
        return ""
    if category == "Cc":  # NUL and the other control characters
        return " "
    decomposed = unicodedata.normalize("NFKD", ch.casefold().translate(_ASCII_SPELLINGS))
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " " if folded.isspace() else folded  # compatibility spaces become plain ones


def _fold(text: str) -> str:
    """Case-, accent- and width-insensitive form of a keyword entry."""
    return re.sub(r" {2,}", " ", "".join(_fold_char(ch) for ch in text))


def _fold_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded message, whitespace runs made one space (or one line break), and for each of
    its characters the index of the original one, so that evidence is quoted as written."""
    parts: list[str] = []
    positions: list[int] = []
    last = " "
    for index, ch in enumerate(text):
        folded = _fold_char(ch)
        if not folded:
            continue
        if folded in (" ", "\n"):
            if last == "\n" or (last == " " and folded == " "):
                continue
            if last == " " and parts:  # a line break after a space replaces it
                parts[-1] = "\n"
                last = "\n"
                continue
        parts.append(folded)
        positions.extend([index] * len(folded))
        last = folded[-1]
    return "".join(parts), positions


def _original(text: str, positions: list[int], start: int, end: int) -> str:
    if start >= end or not positions:
        return ""
    return text[positions[start] : positions[min(end, len(positions)) - 1] + 1].strip()


def _language_codes(language: str) -> tuple[str, ...]:
    """The keyword lists to use: the language's own ("fr-CA" uses "fr") and always English; all
    of them for an empty or unknown language."""
    code = re.split(r"[-_]", (language or "").strip().lower(), maxsplit=1)[0]
    if code not in _KEYWORDS:
        return tuple(_KEYWORDS)
    return (code,) if code == "en" else (code, "en")


# ---- Keyword lists ---------------------------------------------------------------------------
#
# Per language:
#   review      what a product review or rating is called ("review", "avis", "opinia"...);
#   feedback    what seller feedback is called; tried before "review", so "commentaire du
#               vendeur" and "opinia o sprzedawcy" are feedback, not reviews;
#   gap         small words allowed between a verb and its object (articles, possessives,
#               "us", adjectives such as "negative" or "5 star");
#   auxiliary   and, between an object and a passive, the auxiliaries of a request ("be",
#               "could", "soient", "zostać"), not of a statement ("was", "a été", "została");
#   remove, change, leave   verbs (and their nouns: "removal of", "suppression de",
#               "usunięcie") acting on the object that follows;
#   removed, changed        passives following the object ("review be removed");
#   rate        phrases that ask for a rating on their own ("rate us", "notez-nous", "oceń nas");
#   reward      link words that put a reward in front of an object ("a gift card for your
#               review", "w zamian za opinię");
#   positive    what makes a rating positive, in the act ("a positive review", "5 star");
#   positive_after  the same, in the few words after it ("un avis positif", "with 5 stars");
#   negative    what makes it negative ("negative", "1 star"...);
#   incentive   refunds, discounts, gifts, free products, money;
#   link        words that make a condition or an exchange ("if", "once", "si", "jeśli"...);
#   satisfied   a condition on the buyer being happy ("if you are satisfied");
#   contact_first   diverting the unhappy buyer ("contact us first", "avant de laisser un avis");
#   asking      what asks (for the stars-without-a-verb check: "please", "we would love");
#   thanks      thanking, so that "thank you for your 5-star review" is not a request;
#   sorry       apologising: "for", "pour", "za" after thanks or apologies link nothing;
#   negation    words that turn a request around ("not", "pas", "nie");
#   not_negation    phrases with a negation that still ask ("don't hesitate", "n'hésitez pas").

_KEYWORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "review": (
            "reviews?",
            "product reviews?",
            "customer reviews?",
            "(star )?ratings?",
            "stars?",
            "testimonials?",
        ),
        "feedback": (
            "(seller |negative |positive |neutral )?feedbacks?( rating| comment)?",
            "seller (ratings?|reviews?)",
        ),
        "gap": (
            "a",
            "an",
            "the",
            "your",
            "yours",
            "this",
            "that",
            "these",
            "those",
            "us",
            "me",
            "some",
            "any",
            "of",
            "for",
            "it",
            "just",
            "quick",
            "short",
            "honest",
            "kind",
            "nice",
            "new",
            "updated",
            "old",
            "previous",
            "recent",
            "last",
            "latest",
            "earlier",
            "product",
            "customer",
            "written",
            "posted",
            "negative",
            "positive",
            "good",
            "great",
            "excellent",
            "glowing",
            "better",
            "higher",
            "bad",
            "poor",
            "low",
            "lower",
            "critical",
            "harsh",
            "unfair",
            "unfavou?rable",
            "favou?rable",
            "\\d+",
            "one",
            "two",
            "three",
            "four",
            "five",
            "stars?",
        ),
        "auxiliary": (
            "be",
            "get",
            "can",
            "could",
            "would",
            "might",
            "please",
            "kindly",
            "to",
            "also",
            "possibly",
        ),
        "remove": (
            "remov(e|es|ing)",
            "delet(e|es|ing)",
            "tak(e|ing) down",
            "withdraw(ing)?",
            "retract(ing)?",
            "eras(e|ing)",
            "get rid of",
            "(removal|deletion|withdrawal|retraction) of",
        ),
        "change": (
            "chang(e|es|ing)",
            "updat(e|es|ing)",
            "edit(s|ing)?",
            "revis(e|es|ing)",
            "amend(s|ing)?",
            "modify(ing)?",
            "reconsider(ing)?",
            "revisit(ing)?",
            "rais(e|ing)",
            "upgrad(e|ing)",
            "bump(ing)? up",
            "adjust(ing)?",
            "turn(ing)?",
            "(change|update|revision|amendment|edit) (of|to)",
        ),
        "leave": (
            "leav(e|ing)",
            "writ(e|ing)",
            "post(ing)?",
            "giv(e|ing)",
            "gave",
            "submit(ting)?",
            "shar(e|ing)",
            "add(ing)?",
            "drop(ping)?",
            "put(ting)? up",
            "(ask|asking|request|requesting) (you )?for",
        ),
        "removed": (
            "removed",
            "deleted",
            "taken down",
            "withdrawn",
            "retracted",
            "erased",
        ),
        "changed": (
            "changed",
            "updated",
            "edited",
            "revised",
            "amended",
            "modified",
            "raised",
            "improved",
            "upgraded",
            "bumped up",
        ),
        "rate": (
            "rat(e|ing) (us|it|them|the (product|item|seller|order|purchase)|our (product|shop"
            "|store|service)|your (purchase|experience|order))",
        ),
        "reward": (
            "for",
            "in exchange for",
            "in return for",
            "against",
        ),
        "positive": (
            "positive",
            "good",
            "great",
            "excellent",
            "glowing",
            "favou?rable",
            "perfect",
            "better",
            "higher",
            "top",
            "rave",
            "raving",
            "(4|5|four|five) (stars?|out of 5)",
            "full (marks|stars)",
        ),
        "positive_after": ("(with |of )?(4|5|four|five) stars?", "full marks"),
        "negative": (
            "negative",
            "bad",
            "poor",
            "low",
            "critical",
            "harsh",
            "unfavou?rable",
            "(1|2|one|two) stars?",
        ),
        "five_stars": (
            "(5|five) stars",
            "(5|five) star (review|rating|feedback)s?",
            "(positive|good|great|glowing|favou?rable) (review|rating|feedback)s?",
        ),
        "incentive": (
            "refund*",
            "reimburs*",
            "money back",
            "cash ?back",
            "discount*",
            "coupon*",
            "vouchers?",
            "promo(tional)? codes?",
            "gift*",
            "free (gift|product|item|unit|sample|replacement|shipping|delivery|one|copy|of charge)",
            "for free",
            "at no (extra )?(cost|charge)",
            "(store|account) credit",
            "compensat*",
            "rewards?",
            "bonus",
            "replac(e|ement|ing)",
            "(another|a new) (one|item|unit) (for free|free|at no cost)",
            "pay you",
            "\\d+ ?(%|percent)( off)?",
            "[$€£] ?\\d+",
            "\\d+ ?([$€£]|zl|pln|eur|euros?|usd|cad|gbp|dollars?)",
        ),
        "link": (
            "if",
            "once",
            "when",
            "after",
            "as soon as",
            "provided",
            "in exchange",
            "in return",
            "for",
            "so that",
            "unless",
            "upon",
            "then",
            "and (we|you|i|get|receive|claim|earn|enjoy)",
            "to (get|receive|obtain|claim|earn)",
        ),
        "satisfied": (
            "if you('re| are| were| feel| have been)? (really |very |completely |fully |totally"
            " |100% |truly )?(happy|satisfied|pleased|delighted|content|thrilled)",
            "if you (enjoy|enjoyed|love|loved|like|liked|are enjoying|are loving)",
            "if (everything|all) (is|was|went|arrived) (ok|okay|fine|good|well|great|perfect)",
            "if (you had|you have had) an? (good|great|positive|pleasant) experience",
            "if the (product|item|order) (met|meets|exceeded|exceeds) your expectations",
            "(only )?if satisfied",
        ),
        "satisfied_question": (
            "(are you |were you )?(happy|satisfied|pleased|delighted) with (your|the) (purchase"
            "|order|product|item)s? ?\\?",
            "(do you |did you )?(love|like|enjoy) (your|the) (purchase|order|product|item) ?\\?",
        ),
        "contact_first": (
            "(contact|email|message|write to|reach out to|get in touch with|talk to|tell) (us|me)"
            " (first|before|instead)",
            "before (leaving|writing|posting|giving|submitting)",
            "instead of (leaving|writing|posting|giving)",
            "rather than (leaving|writing|posting|giving)",
        ),
        "asking": (
            "please",
            "kindly",
            "would",
            "could",
            "hope",
            "love",
            "appreciate",
            "consider",
            "ask",
            "request",
            "let",
            "mind",
            "grateful",
            "want",
            "need",
            "deserve",
        ),
        "thanks": ("thank*", "thx"),
        "sorry": ("sorry", "apolog*"),
        "negation": (
            "not",
            "no",
            "never",
            "without",
            "neither",
            "nor",
            "cannot",
            "(do|does|did|is|are|was|were|wo|ca|could|would|should|need|must|have|has|had)n't",
        ),
        "not_negation": (
            "(do not|don't|never) (forget|hesitate)",
            "(not|never) hesitate",
            "no hesitation",
        ),
    },
    "fr": {
        "review": (
            "avis",
            "commentaires?( client)?s?",
            "evaluations?",
            "critiques?",
            "notes?",
            "etoiles?",
            "temoignages?",
        ),
        "feedback": (
            "(commentaires?|evaluations?|avis|notes?) (du|sur le|sur les|au|pour le|pour les|sur"
            " notre|sur nous en tant que|de|des) (vendeurs?|boutique|magasin)",
            "(commentaires?|evaluations?) vendeurs?",
            "retroactions?",
            "feedbacks?",
        ),
        "gap": (
            "le",
            "la",
            "les",
            "un",
            "une",
            "des",
            "du",
            "de",
            "votre",
            "vos",
            "ton",
            "ta",
            "tes",
            "ce",
            "cet",
            "cette",
            "ces",
            "mon",
            "ma",
            "notre",
            "nos",
            "nous",
            "moi",
            "me",
            "vous",
            "leur",
            "petit",
            "petite",
            "nouvel",
            "nouveau",
            "nouvelle",
            "dernier",
            "derniere",
            "negatif",
            "negative",
            "negatifs",
            "negatives",
            "mauvais",
            "mauvaise",
            "mauvaises",
            "positif",
            "positive",
            "positifs",
            "positives",
            "bon",
            "bonne",
            "bons",
            "bonnes",
            "meilleur",
            "meilleure",
            "excellent",
            "excellente",
            "sincere",
            "honnete",
            "client",
            "\\d+",
            "cinq",
            "une",
            "etoiles?",
            "sur",
            "a",
            "nouveau",
        ),
        "auxiliary": (
            "soit",
            "soient",
            "etre",
            "puisse",
            "puissent",
            "pourrait",
            "pourraient",
            "se",
            "faire",
        ),
        "remove": (
            "supprim*",
            "retir(er|ez|iez|erez|eriez|ant)",
            "enlev*",
            "effac*",
            "suppression (de|d'|des|du)",
            "retrait (de|d'|des|du)",
        ),
        "change": (
            "modifi*",
            "chang(er|ez|iez|erez|eriez|eant)",
            "(mettre|mettez|mettiez|mise) a jour",
            "revoir",
            "revoyez",
            "revis*",
            "reconsider*",
            "amelior*",
            "augment*",
            "remont*",
            "corrig*",
            "modification (de|d'|des|du)",
        ),
        "leave": (
            "laiss(er|ez|iez|erez|eriez|ant)",
            "ecri(re|vez|viez)",
            "redig(er|ez|iez)",
            "publi(er|ez|iez|cation)",
            "donn(er|ez|iez)",
            "partag(er|ez|iez)",
            "post(er|ez|iez)",
            "depos(er|ez|iez)",
            "mettre",
            "mettez",
            "attribu(er|ez)",
            "demand(er|ons|e)( vous| de vous)?",
        ),
        "removed": (
            "supprime(e|s|es)?",
            "retire(e|s|es)?",
            "enleve(e|s|es)?",
            "efface(e|s|es)?",
        ),
        "changed": (
            "modifie(e|s|es)?",
            "change(e|s|es)?",
            "mise? a jour",
            "revue?s?",
            "revise(e|s|es)?",
            "corrige(e|s|es)?",
            "ameliore(e|s|es)?",
        ),
        "rate": (
            "(notez|evaluez|noter|evaluer) (nous|le produit|l'article|notre (produit|boutique"
            "|service)|votre achat|votre experience)",
        ),
        "reward": (
            "pour",
            "contre",
            "en echange (de|d'|du|des)",
            "en contrepartie (de|d'|du|des)",
            "en retour (de|d'|du|des)",
        ),
        "positive": (
            "positi(f|fs|ve|ves)",
            "bon",
            "bonne",
            "bons",
            "bonnes",
            "excellent*",
            "elogieu*",
            "favorable*",
            "parfait*",
            "meilleur*",
            "(4|5|quatre|cinq) etoiles?",
            "la note maximale",
        ),
        "positive_after": (
            "positi(f|fs|ve|ves)",
            "elogieu*",
            "favorable*",
            "excellent*",
            "parfait*",
            "(4|5|quatre|cinq) etoiles?",
        ),
        "negative": (
            "negati(f|fs|ve|ves)",
            "mauvais*",
            "defavorable*",
            "(1|2|une|deux) etoiles?",
        ),
        "five_stars": (
            "(5|cinq) etoiles",
            "(avis|commentaires?|evaluations?|notes?) (positi(f|fs|ve|ves)|elogieu\\w*|favorables?"
            "|(5|cinq) etoiles)",
            "(bon|bonne|bons|bonnes|excellent|excellente|meilleure?) (avis|commentaires?"
            "|evaluations?|notes?)",
        ),
        "incentive": (
            "rembours*",
            "remises?",
            "reductions?",
            "rabais",
            "bons? (d'achat|de reduction|cadeau)",
            "coupons?",
            "codes? promo*",
            "cadeau*",
            "cartes? cadeau",
            "gratuit*",
            "offert*",
            "dedommag*",
            "compens*",
            "recompens*",
            "remplac*",
            "\\d+ ?%",
            "[$€£] ?\\d+",
            "\\d+ ?([$€£]|zl|pln|eur|euros?|dollars?)",
        ),
        "link": (
            "si",
            "s'il",
            "s'ils",
            "des que",
            "une fois",
            "lorsque",
            "lorsqu'",
            "quand",
            "apres",
            "en echange",
            "en contrepartie",
            "en retour",
            "contre",
            "pour",
            "a condition",
            "afin (de|d') (recevoir|obtenir|beneficier)",
            "et (nous|vous|on|recevez|obtenez|profitez)",
            "puis",
        ),
        "satisfied": (
            "si vous (etes|etiez|avez ete|vous sentez) (tres |pleinement |entierement |bien"
            " |totalement )?(satisfait|content|heureu|ravi|comble|enchante)\\w*",
            "si vous (avez|aviez) (aime|apprecie|adore)",
            "si (le produit|l'article|votre achat|votre commande|il|elle|cela|ca) vous (plait"
            "|a plu|convient|satisfait|a satisfait)",
            "si tout (s'est|est|va|c'est)? ?(bien|tres bien)? ?(passe|ok|parfait|en ordre|bien)",
            "si satisfait",
        ),
        "satisfied_question": (
            "(etes vous )?(satisfait|content|ravi|heureu)\\w* (de|par) (votre|l'|le|la) ?(achat"
            "|commande|produit|article) ?\\?",
            "(le produit|l'article|votre achat) vous (plait|a plu) ?\\?",
        ),
        "contact_first": (
            "(contactez|ecrivez|contacter|ecrire)( nous| moi)? (d'abord|avant|en premier"
            "|plutot|au prealable)",
            "avant (de|d') (laisser|publier|ecrire|donner|poster|rediger|attribuer)",
            "(au lieu|plutot que) (de|d') (laisser|publier|ecrire|donner|poster|rediger)",
        ),
        "asking": (
            "merci de",
            "pourriez",
            "pourrais",
            "pouvez",
            "voudriez",
            "voulez",
            "svp",
            "s'il vous plait",
            "s'il te plait",
            "esper*",
            "aimerions",
            "aimerais",
            "apprecierions",
            "apprecierais",
            "serions",
            "serais",
            "invit*",
            "demand*",
            "hesitez",
            "souhait*",
            "comptons",
        ),
        "thanks": ("merci", "remerci*"),
        "sorry": ("desole*", "excus*", "pardon"),
        "negation": (
            "ne",
            "n'",
            "pas",
            "jamais",
            "sans",
            "aucun",
            "aucune",
            "ni",
            "nullement",
        ),
        "not_negation": (
            "n'(hesite|hesitez|oublie|oubliez|oubliez) pas",
            "ne (pas )?(hesite|hesitez|oublie|oubliez|oubliez) pas",
            "sans (hesiter|hesitation|faute)",
        ),
    },
    "pl": {
        "review": (
            "opini*",
            "recenzj*",
            "ocen(a|y|e|ie|a|ami|om|ach)",
            "ocenk*",
            "gwiazd*",
            "komentarz*",
        ),
        "feedback": (
            "(opini*|ocen*|komentarz*) (o |na temat |dla )?(sprzedawc*|sklep*)",
            "informacj* zwrotn*",
            "feedback*",
        ),
        "gap": (
            "swoj*",
            "swa",
            "swe",
            "tw*",
            "pan",
            "pana",
            "pani",
            "panstwa",
            "wasz*",
            "ta",
            "te",
            "tej",
            "ten",
            "tego",
            "tych",
            "ja",
            "jego",
            "jej",
            "ich",
            "nam",
            "mi",
            "na",
            "sie",
            "nasz*",
            "krotk*",
            "szczer*",
            "now*",
            "ostatni*",
            "wczesniejsz*",
            "wystawion*",
            "dodan*",
            "napisan*",
            "negatywn*",
            "krytyczn*",
            "zl(a|ej|e|ych|y)",
            "slab*",
            "nisk*",
            "pozytywn*",
            "dobr*",
            "lepsz*",
            "wyzsz*",
            "swietn*",
            "pochlebn*",
            "\\d+",
            "jedn*",
            "piec",
            "pieciu",
            "gwiazdk*",
            "jednogwiazdkow*",
            "pieciogwiazdkow*",
            "produkt*",
            "klient*",
        ),
        "auxiliary": (
            "zostac",
            "byc",
            "by",
            "bylaby",
            "moglaby",
            "mogla",
            "moglyby",
            "mogl",
            "moze",
            "moga",
            "prosze",
            "prosimy",
        ),
        "remove": (
            "usun*",
            "usuw*",
            "skasow*",
            "wycof*",
            "sciagn*",
        ),
        "change": (
            "zmien*",
            "zmian(a|e|y|ie|a)",
            "zaktualizow*",
            "aktualizacj*",
            "aktualizow*",
            "edytow*",
            "edycj*",
            "popraw*",
            "podnies*",
            "podniesieni*",
            "podwyzsz*",
            "zrewid*",
            "przemysl*",
            "skorygow*",
        ),
        "leave": (
            "zostaw*",
            "wystaw*",
            "napis(ac|z|zcie|anie|ania|aniu)",
            "pisa(c|nie|nia)",
            "doda(c|j|jcie|nie|nia|niu)",
            "opublikow*",
            "publikow*",
            "podziel(ic|enie|enia)? sie",
            "podzielcie sie",
            "podziel sie",
            "przyzna(c|j|nie)",
            "dac",
            "daj",
            "dajcie",
            "(prosimy|prosze|prosba|prosbe|zachecamy|zachecam|liczymy) (o|do|na)",
        ),
        "removed": (
            "usunie(ta|ty|te|tych|to)",
            "skasowan*",
            "wycofan*",
            "zdjet*",
        ),
        "changed": (
            "zmienion*",
            "zaktualizowan*",
            "edytowan*",
            "poprawion*",
            "podniesion*",
            "skorygowan*",
        ),
        "rate": (
            "ocen(ic|cie)? (nas|produkt*|zakup|towar|sklep|nasz*|zamowieni*)",
            "wystaw(ic|cie|ienie|ienia)? (nam )?ocen*",
        ),
        "reward": (
            "za",
            "w zamian za",
            "w podziece za",
        ),
        "positive": (
            "pozytywn*",
            "dobr*",
            "swietn*",
            "doskonal*",
            "pochlebn*",
            "wysok*",
            "najwyzsz*",
            "maksymaln*",
            "lepsz*",
            "(4|5|cztery|piec|pieciu) gwiazd*",
            "pieciogwiazdkow*",
            "5 gwiazdkow*",
        ),
        "positive_after": (
            "pozytywn*",
            "pochlebn*",
            "(4|5|cztery|piec|pieciu) gwiazd*",
            "pieciogwiazdkow*",
            "5 gwiazdkow*",
        ),
        "negative": (
            "negatywn*",
            "krytyczn*",
            "zl(a|ej|e|ych|y)",
            "slab*",
            "nisk*",
            "nieprzychyln*",
            "(1|2|jedn\\w*|dwie) gwiazd*",
            "jednogwiazdkow*",
        ),
        "five_stars": (
            "(5|piec|pieciu) gwiazdek",
            "(pieciogwiazdkow\\w*|5 gwiazdkow\\w*) (opini\\w*|ocen\\w*|recenzj\\w*)",
            "(pozytywn\\w*|dobr\\w*|swietn\\w*|pochlebn\\w*|najwyzsz\\w*|maksymaln\\w*)"
            " (opini\\w*|ocen\\w*|recenzj\\w*|komentarz\\w*)",
        ),
        "incentive": (
            "zwrot* (pieniedzy|kosztow|srodkow|platnosci|naleznosci|ceny|za)",
            "zwroc(imy|e|ic|ony|ona|one)",
            "oddamy pieniadze",
            "rabat*",
            "znizk*",
            "kupon*",
            "kod* rabatow*",
            "bon* (podarunkow|zakupow|rabatow|upominkow)*",
            "prezent*",
            "upomin*",
            "gratis*",
            "za darmo",
            "darmow*",
            "bezplatn*",
            "rekompensat*",
            "nagrod*",
            "upust*",
            "wymian*",
            "nowy egzemplarz",
            "\\d+ ?%",
            "[$€£] ?\\d+",
            "\\d+ ?([$€£]|zl|pln|eur|euro|dolar\\w*)",
        ),
        "link": (
            "jesli",
            "jezeli",
            "gdy",
            "gdyby",
            "kiedy",
            "po",
            "w zamian",
            "za",
            "pod warunkiem",
            "a (my|otrzyma\\w*|dostanie\\w*)",
            "i (otrzyma\\w*|dostanie\\w*|zwrocimy|wyslemy|odbierz|zyskaj)",
            "aby",
            "zeby",
            "wtedy",
            "o ile",
        ),
        "satisfied": (
            "(jesli|jezeli|gdy|o ile|skoro|kiedy) (pan |pani |panstwo |pan\\/pani )?(jest |jestes"
            " |jestescie |jestem |byl |byla |byles |bylas |bedzie |bedziesz |sa |beda )?(pan |pani"
            " |panstwo )?(w pelni |bardzo |calkowicie )?zadowolon\\w*",
            "(jesli|jezeli|gdy|o ile|skoro) (produkt |zakup |towar |zamowienie )?(sie )?(panu |pani"
            " |tobie |ci |panstwu )?(podoba|spodoba|spodobal|podobal)\\w*",
            "(jesli|jezeli|gdy|o ile|skoro) wszystko (jest |bylo |poszlo )?(ok|w porzadku|dobrze)",
        ),
        "satisfied_question": (
            "(czy )?(jest pan |jest pani |jestes )?zadowolon\\w* z (zakupu|produktu|zamowienia"
            "|towaru) ?\\?",
            "(czy )?(produkt|zakup|towar) (sie )?(podoba|spodobal)\\w* ?\\?",
        ),
        "contact_first": (
            "(skontaktuj|skontaktujcie|napisz|napiszcie|zadzwon)( sie)?( z nami)? (najpierw"
            "|wczesniej|przed|zamiast)",
            "najpierw (sie )?(z nami )?(skontaktuj|napisz|kontakt)\\w*",
            "przed (wystawieniem|napisaniem|dodaniem|zostawieniem|opublikowaniem)",
            "zamiast (wystawiac|wystawic|wystawienia|pisac|napisac|dodawac|dodac|zostawiac"
            "|zostawic)",
        ),
        "asking": (
            "prosimy",
            "prosze",
            "prosba",
            "prosbe",
            "bylibysmy",
            "bylbym",
            "bylabym",
            "mamy nadzieje",
            "liczymy",
            "zachecamy",
            "czy (mogl|moglby|moglaby|mozesz|moze|mogliby)\\w*",
            "zalezy nam",
            "chcielibysmy",
        ),
        "thanks": ("dziek*",),
        "sorry": ("przeprasz*", "wybacz*"),
        "negation": (
            "nie",
            "bez",
            "nigdy",
            "ani",
            "zadn*",
        ),
        "not_negation": (
            "nie (zapomnij|zapomnijcie|zapominaj|wahaj|wahajcie|krepuj|krepujcie)\\w*",
        ),
    },
}

# ---- Compiling the lists ---------------------------------------------------------------------

_PHRASE_PIECE_RE = re.compile(r"\\.|\s+|[()|?*+']|[^\s()|?*+'\\]+")
_MAX_GAP_WORDS = 5
_NEGATION_WINDOW = 4  # words before an act where a negation turns it around
_CLAUSE_START_RE = re.compile(r"[,:()\[\]\u2013\u2014\"«»“”]")


def _phrase_body(entry: str) -> str:
    """Regular expression for one keyword entry, in the notation of the module docstring.

    Backslash escapes (``\\d``, ``\\w``, ``\\?``) and ``[...]`` character classes pass
    through; everything else is literal."""
    parts: list[str] = []
    previous = ""
    for piece in _PHRASE_PIECE_RE.findall(_fold(entry).strip()):
        if piece.startswith("\\"):
            parts.append(piece)
        elif piece.isspace():
            parts.append(r"\s*" if previous == "'" else r"\s+")  # "d' abord"
        elif piece == "(":
            parts.append("(?:")
        elif piece == "?" and previous.isspace():
            parts[-1] = r"\s*"  # "cash ?back": the space may be left out
        elif piece in ")|?+":
            parts.append(piece)
        elif piece == "*":
            parts.append("*" if previous == ")" else r"\w*")
        elif piece == "'":
            parts.append("'?")
        else:
            parts.append(_literal(piece))
        previous = piece
    return "".join(parts)


def _literal(piece: str) -> str:
    """A run of ordinary characters; ``[...]`` character classes stay classes."""
    out: list[str] = []
    for chunk in re.split(r"(\[[^\]]*\])", piece):
        if chunk.startswith("[") and chunk.endswith("]"):
            out.append("[" + re.escape(chunk[1:-1]) + "]")
        elif chunk:
            out.append(re.escape(_fold(chunk)))
    return "".join(out)


def _alternation(entries: Iterable[str]) -> str:
    # Longest first, so that "free of charge" is tried before "free".
    bodies = sorted((_phrase_body(entry) for entry in entries), key=len, reverse=True)
    return "(?:" + "|".join(bodies) + ")"


def _compile(entries: Iterable[str]) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){_alternation(entries)}(?!\w)")


@dataclass(frozen=True)
class _Rules:
    """One language's keyword lists, compiled."""

    obj: re.Pattern[str]
    acts: tuple[tuple[str, re.Pattern[str]], ...]  # (kind, pattern with groups fb / rv)
    positive: re.Pattern[str]
    positive_after: re.Pattern[str]
    negative: re.Pattern[str]
    five_stars: re.Pattern[str]
    incentive: re.Pattern[str]
    link: re.Pattern[str]
    satisfied: re.Pattern[str]
    satisfied_question: re.Pattern[str]
    contact_first: re.Pattern[str]
    asking: re.Pattern[str]
    thanks: re.Pattern[str]
    courtesy: re.Pattern[str]  # thanks or apologies
    negation: re.Pattern[str]
    not_negation: re.Pattern[str]


def _compile_rules(keywords: dict[str, tuple[str, ...]]) -> _Rules:
    feedback = _alternation(keywords["feedback"])
    review = _alternation(keywords["review"])
    gap_words = _alternation(keywords["gap"])
    # A small word then a space, or an elided article stuck to the next word ("l'avis").
    gap = rf"(?:{gap_words}\s+|(?:l|d|qu|s|n|m|t)'\s*){{0,{_MAX_GAP_WORDS}}}"
    obj = rf"(?:(?P<fb>{feedback})|(?P<rv>{review}))"

    def verb_then_object(kind: str) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w)(?:{_alternation(keywords[kind])})\s+{gap}{obj}(?!\w)")

    # Between an object and its passive, also the auxiliaries of a request ("could your review
    # be removed", "soient supprimés"), not those of a statement ("your review was removed").
    passive_gap = rf"(?:{_alternation((*keywords['gap'], *keywords['auxiliary']))}\s+){{0,4}}"

    def object_then_passive(kind: str) -> re.Pattern[str]:
        return re.compile(rf"(?<!\w){obj}\s+{passive_gap}(?:{_alternation(keywords[kind])})(?!\w)")

    acts = (
        ("remove", verb_then_object("remove")),
        ("remove", object_then_passive("removed")),
        ("change", verb_then_object("change")),
        ("change", object_then_passive("changed")),
        ("leave", verb_then_object("leave")),
        ("leave", re.compile(rf"(?<!\w)(?P<rv>{_alternation(keywords['rate'])})(?!\w)")),
        ("reward", verb_then_object("reward")),
    )
    return _Rules(
        obj=re.compile(rf"(?<!\w){obj}(?!\w)"),
        acts=acts,
        positive=_compile(keywords["positive"]),
        positive_after=_compile(keywords["positive_after"]),
        negative=_compile(keywords["negative"]),
        five_stars=_compile(keywords["five_stars"]),
        incentive=_compile(keywords["incentive"]),
        link=_compile(keywords["link"]),
        satisfied=_compile(keywords["satisfied"]),
        # A question mark is not a word character: no (?!\w) needed after it.
        satisfied_question=re.compile(rf"(?<!\w){_alternation(keywords['satisfied_question'])}"),
        contact_first=_compile(keywords["contact_first"]),
        asking=_compile(keywords["asking"]),
        thanks=_compile(keywords["thanks"]),
        courtesy=_compile((*keywords["thanks"], *keywords["sorry"])),
        negation=re.compile(rf"(?:{_alternation(keywords['negation'])}|n'\w*)"),
        not_negation=_compile(keywords["not_negation"]),
    )


_RULES = {language: _compile_rules(keywords) for language, keywords in _KEYWORDS.items()}

# Sentences end at . ! ? ; … and line breaks; a full stop between digits ("4.5 stars") does not
# end one. The question mark stays with its sentence ("Happy with your purchase?").
_SENTENCE_END_RE = re.compile(r"(?<!\d)\.|\.(?!\d)|[!?;\n\u2026\u3002\uff01\uff1f]")
_WORD_RE = re.compile(r"[\w']+")


def _sentences(folded: str) -> Iterator[tuple[int, str]]:
    """(offset, sentence) for each sentence of the folded message, end mark included."""
    start = 0
    for end_mark in _SENTENCE_END_RE.finditer(folded):
        yield start, folded[start : end_mark.end()]
        start = end_mark.end()
    if start < len(folded):
        yield start, folded[start:]


# ---- Reading one sentence --------------------------------------------------------------------


@dataclass(frozen=True)
class _Act:
    """A verb acting on a review or on seller feedback, found in one sentence."""

    kind: str  # "remove", "change", "leave" or "reward"
    feedback: bool  # the object is seller feedback, not a review
    start: int
    end: int
    negated: bool
    positive: bool  # "5 stars", "positive"... in or just after the act
    negative: bool  # "negative", "1 star"... in or just after the act


_LOOK_BEHIND = 200  # characters before an act that may hold its negation


def _clause_before(sentence: str, at: int) -> str:
    """The end of the clause that ``at`` is in, up to ``at`` (bounded, so linear overall)."""
    window = sentence[max(0, at - _LOOK_BEHIND) : at]
    cut = max((m.end() for m in _CLAUSE_START_RE.finditer(window)), default=0)
    return window[cut:]


def _words_after(sentence: str, at: int, count: int = 4) -> str:
    """The first few words after ``at``, in its clause."""
    window = sentence[at : at + 80]
    cut = _CLAUSE_START_RE.search(window)
    return " ".join(_WORD_RE.findall(window[: cut.start()] if cut else window)[:count])


def _negated(sentence: str, at: int, rules: tuple[_Rules, ...]) -> bool:
    """Whether a negation stands among the few words before position ``at`` of its clause;
    "don't hesitate", "n'oubliez pas", "nie zapomnij" do not count."""
    before = _clause_before(sentence, at)
    for language in rules:
        before = language.not_negation.sub(" ", before)
    words = _WORD_RE.findall(before)[-_NEGATION_WINDOW:]
    return any(language.negation.fullmatch(word) for word in words for language in rules)


def _after_courtesy(sentence: str, at: int, rules: tuple[_Rules, ...]) -> bool:
    """Whether thanks or an apology come just before ``at`` ("thank you for", "merci pour",
    "przepraszamy za")."""
    words = " ".join(_WORD_RE.findall(sentence[max(0, at - 40) : at])[-3:])
    return any(language.courtesy.search(words) for language in rules)


def _acts(sentence: str, rules: tuple[_Rules, ...]) -> list[_Act]:
    found: list[_Act] = []
    for language in rules:
        for kind, pattern in language.acts:
            for match in pattern.finditer(sentence):
                start, end = match.span()
                if kind == "reward" and _after_courtesy(sentence, start, rules):
                    continue  # "thank you for your review", "merci pour votre avis"
                if kind == "change" and re.match(r"chang\w* d'\s*avis", match.group(0)):
                    continue  # "changer d'avis": to change one's mind
                act, after = match.group(0), _words_after(sentence, end)
                found.append(
                    _Act(
                        kind=kind,
                        feedback=match.groupdict().get("fb") is not None,
                        start=start,
                        end=end,
                        negated=_negated(sentence, start, rules),
                        positive=any(
                            r.positive.search(act) or r.positive_after.search(after) for r in rules
                        ),
                        negative=any(r.negative.search(f"{act} {after}") for r in rules),
                    )
                )
    return found


def _first(patterns: Iterable[re.Pattern[str]], sentence: str) -> re.Match[str] | None:
    matches = [m for m in (p.search(sentence) for p in patterns) if m]
    return min(matches, key=lambda m: m.start()) if matches else None


def _has_link(sentence: str, rules: tuple[_Rules, ...]) -> bool:
    """A word making a condition or an exchange; "for", "pour", "za" after thanks or an apology
    do not count ("thanks for your patience", "sorry for the delay")."""
    for language in rules:
        for match in language.link.finditer(sentence):
            word = match.group(0)
            if word in ("for", "pour", "za") and _after_courtesy(sentence, match.start(), rules):
                continue
            return True
    return False


@dataclass(frozen=True)
class _Found:
    code: str
    verdict: str
    start: int  # in the folded message
    end: int


def _span(*items: tuple[int, int] | re.Match[str] | _Act | None) -> tuple[int, int]:
    spans = []
    for item in items:
        if item is None:
            continue
        if isinstance(item, _Act):
            spans.append((item.start, item.end))
        elif isinstance(item, tuple):
            spans.append(item)
        else:
            spans.append(item.span())
    return min(s for s, _e in spans), max(e for _s, e in spans)


def _assess_sentence(sentence: str, rules: tuple[_Rules, ...]) -> tuple[list[_Found], bool]:
    """The breaches of one sentence (offsets within it), and whether it asks for a review or
    feedback (for the conditions spread over two sentences, see :func:`assess_message`)."""
    acts = _acts(sentence, rules)
    found: list[_Found] = []

    def add(code: str, verdict: str, span: tuple[int, int]) -> None:
        found.append(_Found(code, verdict, *span))

    # Incentives: a reward in the sentence of an act, with a word making it an exchange.
    incentive = _first((r.incentive for r in rules), sentence)
    if incentive:
        affirmed = [a for a in acts if not a.negated]
        exchange = _has_link(sentence, rules) or any(a.kind == "reward" for a in affirmed)
        for feedback, code in ((False, REVIEW_INCENTIVE), (True, FEEDBACK_INCENTIVE)):
            tied = [a for a in affirmed if a.feedback == feedback]
            if exchange and tied:
                add(code, Verdict.REFUSED, _span(incentive, tied[0]))
    paid_review = any(f.code == REVIEW_INCENTIVE for f in found)

    # Conditions: only satisfied buyers should post; unhappy ones should write first.
    mention = _first((r.obj for r in rules), sentence)
    requests = [a for a in acts if a.kind == "leave"]
    satisfied = _first((r.satisfied for r in rules), sentence)
    contact_first = _first((r.contact_first for r in rules), sentence)
    if satisfied and (mention or requests):
        add(CONDITIONAL_REVIEW, Verdict.REFUSED, _span(satisfied, mention, *requests[:1]))
    elif contact_first and mention:
        add(CONDITIONAL_REVIEW, Verdict.REFUSED, _span(contact_first, mention))
    else:
        held_back = [a for a in requests if a.negated and a.negative and not a.positive]
        if held_back:  # "please don't leave a negative review"
            add(CONDITIONAL_REVIEW, Verdict.REFUSED, _span(held_back[0]))

    # Acts on reviews: removing or changing one; asking for a positive one, or for one at all.
    if not paid_review:
        for kind, code in (("remove", REMOVE_REVIEW), ("change", CHANGE_REVIEW)):
            on_reviews = [a for a in acts if a.kind == kind and not a.feedback]
            if on_reviews:
                verdict = Verdict.FLAGGED if all(a.negated for a in on_reviews) else Verdict.REFUSED
                add(code, verdict, _span(on_reviews[0]))
        positive = [a for a in acts if a.kind in ("leave", "change") and a.positive]
        if positive:
            verdict = Verdict.FLAGGED if all(a.negated for a in positive) else Verdict.REFUSED
            add(POSITIVE_REVIEW_REQUEST, verdict, _span(positive[0]))
        else:
            stars = _first((r.five_stars for r in rules), sentence)
            if (
                stars
                and any(r.asking.search(sentence) for r in rules)
                and not any(r.thanks.search(sentence) for r in rules)
                and not _negated(sentence, stars.start(), rules)
            ):  # "we would love 5 stars", "prosimy o pozytywną opinię"
                add(POSITIVE_REVIEW_REQUEST, Verdict.REFUSED, stars.span())
        review_requests = [a for a in requests if not a.feedback]
        if review_requests and not found:
            add(REVIEW_REQUEST, Verdict.FLAGGED, _span(review_requests[0]))
    return found, bool(requests)


# ---- The assessment --------------------------------------------------------------------------


def _worst(verdicts: Iterable[str]) -> str:
    return max(verdicts, key=lambda verdict: _SEVERITY[verdict], default=Verdict.OK)


def assess_message(text: str, *, language: str = "") -> Assessment:
    """RV-7: whether a message a seller or brand writes to a buyer follows the communication
    guidelines, with each breach, what to do instead, and the words that broke them.

    ``language`` is the message's language, "en", "fr" or "pl" ("fr-CA" uses "fr"); English is
    always checked too, and an empty or unknown language uses every list. Polish and French are
    read with or without their accents.

    REFUSED: asking to remove or change a review, or for a positive one or a number of stars;
    offering anything for a review or for seller feedback; asking only satisfied buyers to post
    or unhappy ones to contact the seller first. FLAGGED: a plain request for a review, or any of
    the above with a negation just before it ("we are not asking you to change your review").
    OK otherwise; asking for seller feedback, or asking a buyer whose problem was solved to
    remove negative feedback, is allowed (seed 002) as long as nothing is offered for it.

    The verdict is the worst of the breaches. Never raises on a string; runs in linear time.
    """
    text = text if isinstance(text, str) else str(text or "")
    rules = tuple(_RULES[code] for code in _language_codes(language))
    folded, positions = _fold_with_positions(text)

    found: list[_Found] = []
    asks_for_review = False
    for offset, sentence in _sentences(folded):
        sentence_found, asks = _assess_sentence(sentence, rules)
        asks_for_review = asks_for_review or asks
        found.extend(
            _Found(f.code, f.verdict, offset + f.start, offset + f.end) for f in sentence_found
        )

    # A condition and a request in two sentences: "Happy with your purchase? Leave us a
    # review!", "Please leave a review. If anything is wrong, contact us first."
    if asks_for_review and not any(f.code == CONDITIONAL_REVIEW for f in found):
        prompt = _first(
            (p for r in rules for p in (r.satisfied_question, r.contact_first, r.satisfied)),
            folded,
        )
        if prompt:
            found.append(_Found(CONDITIONAL_REVIEW, Verdict.REFUSED, *prompt.span()))
            found = [f for f in found if f.code != REVIEW_REQUEST]

    breaches = tuple(
        Breach(
            code=f.code,
            verdict=Verdict(f.verdict).value,
            explanation=_EXPLANATIONS[f.code],
            evidence=_original(text, positions, f.start, f.end),
        )
        for f in sorted(found, key=lambda f: (f.start, -_SEVERITY[f.verdict]))
    )
    return Assessment(verdict=Verdict(_worst(b.verdict for b in breaches)).value, breaches=breaches)
