"""RV-7: the communication guidelines for seller-written messages (sellercx.guidelines).

Pure functions: no database. Cases per breach code in English, French and Polish (Polish also
without diacritics), legitimate messages that must stay OK, the aggregation of verdicts, and
hypothesis properties (never raises; an incentive for removing a review always refuses; text
without the words of reviews and feedback is never refused).
"""

from __future__ import annotations

import re
import time
import unicodedata

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from sellercx.guidelines import (
    Assessment,
    Breach,
    Verdict,
    assess_message,
)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _codes(assessment: Assessment) -> set[str]:
    return {breach.code for breach in assessment.breaches}


# ---- Each breach code, per language ------------------------------------------------------------

REFUSED_CASES = [
    # remove_review
    ("en", "Could you please remove your review?", "remove_review"),
    ("en", "We kindly ask you to delete the negative 1-star review.", "remove_review"),
    ("en", "Is it possible to have your review removed?", "remove_review"),
    ("en", "Would you consider taking down your review now?", "remove_review"),
    ("fr", "Pourriez-vous supprimer votre avis négatif ?", "remove_review"),
    ("fr", "Merci de retirer votre commentaire.", "remove_review"),
    ("fr", "Nous souhaitons que les commentaires négatifs soient supprimés.", "remove_review"),
    ("fr-CA", "Pouvez-vous effacer l'évaluation que vous avez laissée?", "remove_review"),
    ("pl", "Prosimy o usunięcie negatywnej opinii.", "remove_review"),
    ("pl", "Czy mógłby Pan usunąć swoją recenzję?", "remove_review"),
    ("pl", "Bardzo prosimy usuń tę opinię.", "remove_review"),
    # change_review
    ("en", "Could you update your review now that it's fixed?", "change_review"),
    ("en", "Please consider revising your rating.", "change_review"),
    ("en", "Would you mind changing the review?", "change_review"),
    (
        "fr",
        "Pourriez-vous modifier votre avis maintenant que le problème est réglé ?",
        "change_review",
    ),
    ("fr", "Merci de mettre à jour votre commentaire.", "change_review"),
    ("pl", "Czy mógłby Pan zmienić ocenę teraz, gdy problem został rozwiązany?", "change_review"),
    ("pl", "Prosimy o zaktualizowanie opinii.", "change_review"),
    # positive_review_request
    ("en", "Please leave us a 5-star review", "positive_review_request"),
    ("en", "We would love it if you gave us five stars!", "positive_review_request"),
    ("en", "Please write a positive review of the kettle.", "positive_review_request"),
    ("en", "We hope you will leave positive feedback.", "positive_review_request"),
    ("fr", "Merci de nous laisser un avis 5 étoiles.", "positive_review_request"),
    ("fr", "N'hésitez pas à publier un commentaire positif.", "positive_review_request"),
    ("fr", "Nous espérons recevoir une bonne note.", "positive_review_request"),
    ("pl", "Prosimy o wystawienie opinii 5 gwiazdek.", "positive_review_request"),
    ("pl", "Liczymy na pozytywną opinię o produkcie.", "positive_review_request"),
    ("pl", "Prosimy o wystawienie pozytywnej recenzji.", "positive_review_request"),
    # review_incentive
    ("en", "We will refund you if you remove your review", "review_incentive"),
    ("en", "Update your review and we'll send you a free gift.", "review_incentive"),
    ("en", "You get a $20 gift card for a review.", "review_incentive"),
    ("en", "Leave a review to receive a 10% discount on your next order.", "review_incentive"),
    ("en", "Leave a review and get 10% off", "review_incentive"),
    ("fr", "Nous vous rembourserons si vous supprimez votre avis.", "review_incentive"),
    ("fr", "Un bon d'achat de 10 € vous sera offert contre un avis.", "review_incentive"),
    ("fr", "Modifiez votre commentaire et nous vous enverrons un cadeau.", "review_incentive"),
    ("pl", "Zwrócimy pieniądze, jeśli usuniesz swoją opinię.", "review_incentive"),
    ("pl", "W zamian za zmianę oceny otrzymasz kod rabatowy.", "review_incentive"),
    ("pl", "Dostaniesz prezent za wystawienie opinii.", "review_incentive"),
    # conditional_review
    ("en", "If you are happy please leave a review, if not contact us first", "conditional_review"),
    ("en", "If you enjoyed the product, a review would mean a lot.", "conditional_review"),
    ("en", "Please contact us before leaving a review.", "conditional_review"),
    ("en", "Happy with your purchase? Leave us a review!", "conditional_review"),
    ("en", "Please don't leave a negative review, we can fix it.", "conditional_review"),
    (
        "fr",
        "Si vous êtes satisfait, laissez un avis ; sinon, contactez-nous d'abord.",
        "conditional_review",
    ),
    ("fr", "Avant de laisser un avis, contactez-nous.", "conditional_review"),
    ("fr", "Merci de ne pas laisser d'avis négatif.", "conditional_review"),
    ("pl", "Jeśli jest Pan zadowolony, prosimy o wystawienie opinii.", "conditional_review"),
    ("pl", "Prosimy o kontakt przed wystawieniem opinii.", "conditional_review"),
    ("pl", "Zadowolony z zakupu? Zostaw nam opinię!", "conditional_review"),
    # feedback_incentive
    ("en", "We will refund your order if you remove the negative feedback.", "feedback_incentive"),
    ("en", "Remove your seller feedback and we'll give you a discount.", "feedback_incentive"),
    (
        "fr",
        "Nous vous rembourserons si vous retirez votre commentaire sur le vendeur.",
        "feedback_incentive",
    ),
    ("fr", "Un cadeau vous attend si vous supprimez votre rétroaction.", "feedback_incentive"),
    ("pl", "Zwrócimy pieniądze, jeśli usuniesz opinię o sprzedawcy.", "feedback_incentive"),
    ("pl", "Otrzymasz rabat w zamian za usunięcie opinii o sprzedawcy.", "feedback_incentive"),
]


@pytest.mark.parametrize(("language", "text", "code"), REFUSED_CASES)
def test_rv7_refuses_review_manipulation(language, text, code):
    assessment = assess_message(text, language=language)
    assert assessment.verdict == Verdict.REFUSED, assessment
    assert not assessment.allowed
    assert code in _codes(assessment), assessment


@pytest.mark.parametrize(
    ("language", "text", "code"), [case for case in REFUSED_CASES if case[0] == "pl"]
)
def test_rv7_polish_without_diacritics(language, text, code):
    assessment = assess_message(_strip_accents(text), language=language)
    assert assessment.verdict == Verdict.REFUSED, assessment
    assert code in _codes(assessment)


@pytest.mark.parametrize(
    ("language", "text", "code"), [case for case in REFUSED_CASES if case[0].startswith("fr")]
)
def test_rv7_french_without_accents_and_in_capitals(language, text, code):
    assessment = assess_message(_strip_accents(text).upper(), language=language)
    assert code in _codes(assessment), assessment


@pytest.mark.parametrize(
    "text",
    [
        "Feel free to leave a review about the product",
        "Please take a moment to write a review.",
        "Don't forget to rate the product!",
        "N'hésitez pas à laisser un avis sur le produit.",
        "Notez-nous sur la page du produit.",
        "Zachęcamy do wystawienia opinii o produkcie.",
        "Nie zapomnij dodać recenzji!",
        "Prosimy o ocenę produktu.",
    ],
)
def test_rv7_plain_review_request_is_flagged(text):
    assessment = assess_message(text)
    assert assessment.verdict == Verdict.FLAGGED, assessment
    assert assessment.allowed
    assert _codes(assessment) == {"review_request"}


# ---- Legitimate messages stay OK ---------------------------------------------------------------

OK_CASES = [
    ("en", "Sorry about the broken kettle. We will refund you."),
    ("en", "We'll send you a discount code for your next order"),
    ("en", "Happy to help with anything else"),
    ("en", "Thank you for your order!"),
    ("en", "Your parcel was shipped today; the tracking number is in your account."),
    ("en", "Could you send us a photo of the damage and your order number?"),
    ("en", "We are sorry for the trouble and have issued a full refund."),
    ("en", "We'd appreciate your feedback on how we handled your order."),
    ("en", "We have refunded you. Could you please remove the negative feedback?"),
    ("en", "Thank you for your review, we have sent a replacement."),
    ("en", "Feel free to contact us if you have any questions."),
    ("en", "We will review your return request and update you within 24 hours."),
    ("en", "Please update your shipping address so we can send the replacement."),
    ("en", "Thanks for your patience, a new kettle is on its way for free."),
    ("en", "Your review was removed by the marketplace."),
    ("en", "Thanks for the 5 stars!"),
    ("en", "We aim to provide 5-star service to every customer."),
    ("en", "Remove the battery cover and replace the batteries."),
    ("en", "We'd like to offer you a 15% discount on your next purchase as an apology."),
    ("en", "If you are satisfied with the replacement, no further action is needed."),
    ("fr", "Désolés pour la bouilloire cassée. Nous allons vous rembourser."),
    ("fr", "Nous vous enverrons un code de réduction pour votre prochaine commande."),
    ("fr", "Merci pour votre commande !"),
    ("fr", "Pourriez-vous nous envoyer une photo du produit et votre numéro de commande ?"),
    ("fr", "Votre colis a été expédié aujourd'hui."),
    ("fr", "Si vous changez d'avis, vous pouvez retourner l'article sous 30 jours."),
    ("fr", "Merci pour votre avis, nous vous envoyons un remplacement."),
    ("fr", "N'hésitez pas à nous contacter pour toute question."),
    ("fr", "Au revoir et merci pour votre avis."),
    ("fr", "Nous avons supprimé l'article de votre commande."),
    ("fr", "Pourriez-vous nous en dire plus sur le problème mentionné dans votre avis ?"),
    ("fr-CA", "Nous sommes désolés et vous proposons un remboursement complet."),
    ("pl", "Przepraszamy za uszkodzony czajnik. Zwrócimy pieniądze."),
    ("pl", "Wyślemy Ci kod rabatowy na następne zamówienie."),
    ("pl", "Dziękujemy za zamówienie!"),
    ("pl", "Prosimy o przesłanie zdjęcia uszkodzenia i numeru zamówienia."),
    ("pl", "Paczka została dziś wysłana."),
    ("pl", "Dziękujemy za opinię, wyślemy nowy egzemplarz."),
    ("pl", "W razie pytań prosimy o kontakt."),
    ("pl", "Dziękujemy za pięć gwiazdek!"),
    ("pl", "Przeczytaliśmy Pana opinię i chcielibyśmy pomóc. Czy może Pan przesłać zdjęcie?"),
    ("pl", "Opinia została usunięta przez serwis."),
]


@pytest.mark.parametrize(("language", "text"), OK_CASES)
def test_rv7_legitimate_messages_stay_ok(language, text):
    assessment = assess_message(text, language=language)
    assert assessment.verdict == Verdict.OK, assessment
    assert assessment.breaches == ()
    assert assessment.allowed


@pytest.mark.parametrize("text", [text for _language, text in OK_CASES])
def test_rv7_legitimate_messages_stay_ok_with_every_list(text):
    assert assess_message(text, language="").verdict == Verdict.OK


@pytest.mark.parametrize(("language", "text"), [c for c in OK_CASES if c[0] == "pl"])
def test_rv7_legitimate_polish_without_diacritics_stays_ok(language, text):
    assert assess_message(_strip_accents(text), language=language).verdict == Verdict.OK


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "Now that the replacement arrived, would you consider removing your feedback?"),
        ("fr", "Le problème étant résolu, pourriez-vous retirer votre évaluation du vendeur ?"),
        ("pl", "Skoro problem został rozwiązany, czy mógłby Pan usunąć opinię o sprzedawcy?"),
    ],
)
def test_rv7_asking_to_remove_seller_feedback_without_incentive_is_allowed(language, text):
    # Seed 002: once the problem is solved, the seller may ask for negative feedback to be
    # removed — but never offer anything for it (feedback_incentive).
    assert assess_message(text, language=language).verdict == Verdict.OK


# ---- Negation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "We are not asking you to change your review."),
        ("en", "We don't want you to remove your review."),
        ("fr", "Nous ne vous demandons pas de modifier votre avis."),
        ("pl", "Nie prosimy o zmianę opinii."),
    ],
)
def test_rv7_a_negated_request_is_at_most_flagged(language, text):
    assessment = assess_message(text, language=language)
    assert assessment.verdict in (Verdict.OK, Verdict.FLAGGED), assessment


def test_rv7_dont_hesitate_is_not_a_negation():
    assessment = assess_message("Don't hesitate to update your review!", language="en")
    assert assessment.verdict == Verdict.REFUSED
    assert _codes(assessment) == {"change_review"}


# ---- Languages ---------------------------------------------------------------------------------


def test_rv7_english_is_always_checked():
    assert assess_message("Please remove your review.", language="pl").verdict == Verdict.REFUSED
    assert assess_message("Please remove your review.", language="fr-CA").verdict == "refused"


def test_rv7_language_lists_are_used_for_the_given_language_only():
    # "usuń opinię" is Polish: with French (and English) lists only, it is not read.
    assert assess_message("Usuń opinię.", language="fr").verdict == Verdict.OK
    assert assess_message("Usuń opinię.", language="pl").verdict == Verdict.REFUSED


@pytest.mark.parametrize("language", ["", "de", "xx-YY", "PL", "pl_PL", "fr-CA", None])
def test_rv7_unknown_or_regional_language_codes(language):
    assessment = assess_message("Usuń opinię, proszę.", language=language or "")
    if language in ("de", "xx-YY", "", None, "PL", "pl_PL"):
        assert assessment.verdict == Verdict.REFUSED  # all lists, or Polish
    else:
        assert assessment.verdict == Verdict.OK


# ---- Aggregation and the shape of the answer ---------------------------------------------------


def test_rv7_verdict_is_the_worst_of_the_breaches():
    text = (
        "Thank you for your order. Feel free to leave a review about the product. "
        "We will refund you if you remove your review."
    )
    assessment = assess_message(text, language="en")
    assert [b.verdict for b in assessment.breaches] == [Verdict.FLAGGED, Verdict.REFUSED]
    assert assessment.verdict == Verdict.REFUSED
    assert _codes(assessment) == {"review_request", "review_incentive"}


def test_rv7_only_flags_gives_flagged():
    text = "Feel free to leave a review. N'hésitez pas à laisser un avis."
    assessment = assess_message(text)
    assert assessment.verdict == Verdict.FLAGGED
    assert len(assessment.breaches) == 2


def test_rv7_each_offending_sentence_is_reported_with_its_evidence():
    text = "Please remove your review!\nAlso, could you change your rating?"
    assessment = assess_message(text, language="en")
    assert [(b.code, b.evidence) for b in assessment.breaches] == [
        ("remove_review", "remove your review"),
        ("change_review", "change your rating"),
    ]


def test_rv7_evidence_is_quoted_as_written():
    text = "Prosimy  USUNĄĆ   Pana   opinię, dziękujemy."
    (breach,) = assess_message(text, language="pl").breaches
    assert breach.evidence == "USUNĄĆ   Pana   opinię"


def test_rv7_breach_carries_a_translatable_explanation():
    (breach,) = assess_message("Please remove your review.").breaches
    assert isinstance(breach, Breach)
    assert "remove" in str(breach.explanation)
    assert breach.verdict == Verdict.REFUSED == "refused"


def test_rv7_incentive_takes_over_the_act_it_pays_for():
    assessment = assess_message("We will refund you once you delete your review.")
    assert _codes(assessment) == {"review_incentive"}


def test_rv7_refund_and_review_in_separate_sentences_are_not_an_exchange():
    assessment = assess_message("We have refunded you. Feel free to leave a review.")
    assert assessment.verdict == Verdict.FLAGGED
    assert _codes(assessment) == {"review_request"}


def test_rv7_empty_and_blank_messages_are_ok():
    for text in ("", "   ", "\n\n", "\x00"):
        assert assess_message(text) == Assessment(verdict=Verdict.OK, breaches=())


def test_rv7_verdict_choices():
    assert Verdict.values == ["ok", "flagged", "refused"]
    assert Assessment(verdict=Verdict.FLAGGED, breaches=()).allowed


# ---- Robustness --------------------------------------------------------------------------------


def test_rv7_emoji_nul_and_odd_unicode():
    text = "🙂\x00 Ｐｌｅａｓｅ ｒｅｍｏｖｅ your re\u200bview 🙏 \ud7ff \U0010ffff"
    assessment = assess_message(text, language="en")
    assert "remove_review" in _codes(assessment)


def test_rv7_very_long_text_is_linear():
    chunk = "leave a review remove if you are happy 5 5 5 5 for for free refund "
    started = time.perf_counter()
    assess_message(chunk * 3000)  # ~200 000 characters in one sentence
    assess_message("a" * 200_000)
    assess_message(" " * 100_000 + "remove" + " " * 100_000 + "review")
    assess_message("1" * 100_000 + " %")
    assess_message("remove " * 30_000)
    assert time.perf_counter() - started < 20


# ---- Properties --------------------------------------------------------------------------------

_REMOVAL_FOR_INCENTIVE = st.sampled_from(
    [
        ("en", "We will refund you if you remove your review."),
        ("en", "You will receive a free gift once you delete the review."),
        ("fr", "Nous vous rembourserons si vous supprimez votre avis."),
        ("pl", "Zwrócimy pieniądze, jeśli usuniesz swoją opinię."),
        ("pl", "Zwrocimy pieniadze, jesli usuniesz swoja opinie."),
    ]
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(), language=st.sampled_from(["", "en", "fr", "pl", "fr-CA", "de"]))
def test_rv7_property_never_raises(text, language):
    assessment = assess_message(text, language=language)
    assert assessment.verdict in Verdict.values
    for breach in assessment.breaches:
        assert breach.evidence in text  # quoted as written
        assert breach.evidence.strip()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(text=st.text(max_size=200), sentence=_REMOVAL_FOR_INCENTIVE)
def test_rv7_property_incentive_for_removal_always_refuses(text, sentence):
    language, removal = sentence
    assume(assess_message(text, language=language).verdict == Verdict.OK)
    for message in (f"{text}\n{removal}", f"{removal}\n{text}"):
        assessment = assess_message(message, language=language)
        assert assessment.verdict == Verdict.REFUSED
        assert "review_incentive" in _codes(assessment)


_LEGITIMATE = st.sampled_from([text for _language, text in OK_CASES])


@settings(max_examples=100, deadline=None)
@given(parts=st.lists(_LEGITIMATE, min_size=1, max_size=5), sentence=_REMOVAL_FOR_INCENTIVE)
def test_rv7_property_legitimate_messages_plus_incentive_refuse(parts, sentence):
    assert assess_message(" ".join(parts)).verdict == Verdict.OK
    language, removal = sentence
    assessment = assess_message(" ".join([*parts, removal]), language=language)
    assert assessment.verdict == Verdict.REFUSED


# Every breach needs a review, a rating, stars or feedback to act on: text without any of these
# words can never be refused. The stems below cover the object lists of the three languages.
_OBJECT_STEMS = re.compile(
    r"review|rating|rate|star|feedback|testimonial|avis|comment|evaluat|critique|note|etoile"
    r"|temoignage|retroaction|opini|recenz|ocen|gwiazd|komentarz"
)


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="abcdefghijklmnopqrstuvwxyz      ", max_size=300))
def test_rv7_property_letters_and_spaces_refused_only_with_an_object_word(text):
    assessment = assess_message(text)
    if assessment.verdict != Verdict.OK:
        assert _OBJECT_STEMS.search(text), assessment


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="bcdfghjklmnpqstvwxz ", max_size=300))
def test_rv7_property_text_without_vowels_is_ok(text):
    assert assess_message(text).verdict == Verdict.OK


_SERVICE_WORDS = (
    "thank",
    "you",
    "for",
    "your",
    "order",
    "kettle",
    "sorry",
    "refund",
    "we",
    "will",
    "send",
    "a",
    "replacement",
    "tomorrow",
    "merci",
    "pour",
    "votre",
    "commande",
    "colis",
    "désolés",
    "remboursement",
    "dziękujemy",
    "za",
    "zamówienie",
    "paczka",
    "przepraszamy",
    "zwrot",
    "pieniędzy",
    "if",
    "si",
    "jeśli",
    "happy",
    "please",
)


@settings(max_examples=200, deadline=None)
@given(
    words=st.lists(
        st.sampled_from(_SERVICE_WORDS),
        max_size=40,
    )
)
def test_rv7_property_words_of_service_messages_are_never_refused(words):
    assert assess_message(" ".join(words)).verdict == Verdict.OK
