"""FB-7: the automatic checks on removal requests. Pure functions: no database."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from feedback.abusive_words import DEFAULT_WORDS
from feedback.checks import (
    STRIKE_THROUGH_LINE,
    Decision,
    Finding,
    Ground,
    automatic_decision,
    find_contact_details,
    find_listed_words,
    is_fulfilment_complaint,
    is_only_a_product_review,
    mentions_the_seller,
)

ALL_DEFAULT_WORDS = [word for words in DEFAULT_WORDS.values() for word in words]
PROPERTY_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def decide(text, *, ground=Ground.PERSONAL_INFO, language="en", fba=False, words=()):
    return automatic_decision(
        text=text,
        ground=ground,
        language=language,
        marketplace_fulfilled=fba,
        abusive_words=words,
    )


def kinds(text):
    return [kind for kind, _found in find_contact_details(text)]


# ---- Contact details ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Write to john.doe@example.com for a cheaper one", "john.doe@example.com"),
        ("Écrivez-moi : marie-claire+avis@orange.fr !", "marie-claire+avis@orange.fr"),
        ("Mój adres: jan_kowalski@poczta.onet.pl.", "jan_kowalski@poczta.onet.pl"),
        ("MAIL: SHOUTY@EXAMPLE.COM", "SHOUTY@EXAMPLE.COM"),
        ("Full-width ｊｏｈｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", "john@example.com"),
    ],
)
def test_fb7_email_address_is_found(text, expected):
    assert find_contact_details(text) == [("email", expected)]


@pytest.mark.parametrize(
    "text",
    [
        "contact john at example dot com for a refund",
        "john [at] example [dot] com",
        "john(at)example(dot)co(dot)uk",
        "john @ example . com",
        "écrivez à jean arobase exemple point fr",
        "pisz: jan małpa przyklad kropka pl",
        "pisz: jan malpa przyklad kropka pl",
    ],
)
def test_fb7_spelled_out_email_address_is_found(text):
    assert kinds(text) == ["email"]


def test_fb7_at_a_web_site_is_a_url_not_an_email():
    assert find_contact_details("I bought the same at bestdeals.com") == [("url", "bestdeals.com")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # English
        ("Call me on (555) 123-4567 and I'll explain", "(555) 123-4567"),
        ("my number is 555-123-4567", "555-123-4567"),
        ("ring 555.123.4567 after 6", "555.123.4567"),
        ("1-555-123-4567 is the number", "1-555-123-4567"),
        ("Call +1 (555) 123-4567", "+1 (555) 123-4567"),
        ("UK office 020 7946 0958", "020 7946 0958"),
        ("text me 07700 900123", "07700 900123"),
        ("Call +44 (0)20 7946 0958", "+44 (0)20 7946 0958"),
        ("call 5551234567", "5551234567"),
        # French
        ("Appelez-moi au +33 6 12 34 56 78 pour un geste", "+33 6 12 34 56 78"),
        ("Mon portable : 06 12 34 56 78.", "06 12 34 56 78"),
        ("tel 06.12.34.56.78", "06.12.34.56.78"),
        ("joignable au 0612345678", "0612345678"),
        ("0033 6 12 34 56 78", "0033 6 12 34 56 78"),
        # Polish
        ("Zadzwoń: +48 601 234 567", "+48 601 234 567"),
        ("mój numer 601-234-567, pozdrawiam", "601-234-567"),
        ("tel. 601 234 567", "601 234 567"),
        ("biuro (22) 123-45-67", "(22) 123-45-67"),
        ("zadzwoń na 601234567", "601234567"),
        ("0048 601 234 567", "0048 601 234 567"),
    ],
)
def test_fb7_phone_number_is_found(text, expected):
    assert find_contact_details(text) == [("phone", expected)]


@pytest.mark.parametrize(
    "text",
    [
        # order ids and references
        "Order 113-1234567-1234567 arrived late",
        "Commande n° 405-7654321-1234567 jamais reçue",
        "Zamówienie 113-1234567-1234567 nie dotarło",
        "order no. 601-234-567 was wrong",
        "tracking 0612345678 shows nothing",
        "ISBN 978-2-07-036822-8",
        # prices
        "Paid 19.99 for this",
        "Prix 1 299,00 €, trop cher",
        "Kosztował 1 299 zł",
        "Cena 1 599 999 999 zł? Żart",
        "It was $1,299.99",
        "paid € 601 234 567 in total",
        # dates and times
        "Delivered on 12/03/2026 at 10:30",
        "Livré le 12.03.2026",
        "Dostawa 2026-03-12",
        "12 03 2026",
        # quantities and sizes
        "I ordered 3 units, 2 boxes and 12 pieces",
        "Pack sizes 500 600 700 ml",
        "sizes 38 40 42 44 46",
        "250 500 750 ml bottles",
        "2 x 500 g",
        "A 100% cotton shirt, 40 cm long",
        "rated 5 5 5 5 5",
    ],
)
def test_fb7_numbers_that_are_not_phone_numbers_are_ignored(text):
    assert find_contact_details(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cheaper on https://www.bestdeals.com/item?id=3.", "https://www.bestdeals.com/item?id=3"),
        ("see http://bit.ly/abc", "http://bit.ly/abc"),
        ("Allez sur www.promo-discount.fr !", "www.promo-discount.fr"),
        ("Visit WWW.SHOP.COM", "WWW.SHOP.COM"),
        ("buy at bestdeals.com instead", "bestdeals.com"),
        ("moins cher sur supermarche.fr", "supermarche.fr"),
        ("taniej na okazje.pl", "okazje.pl"),
        ("try discount.ca", "discount.ca"),
        ("deals.net / deals.org", "deals.net"),
        ("cool-gadgets.io", "cool-gadgets.io"),
        ("gadgets.shop has it", "gadgets.shop"),
        ("sklep.eu", "sklep.eu"),
        ("great-deals.co.uk", "great-deals.co.uk"),
        ("sklep.com.pl", "sklep.com.pl"),
        ("bestdeals.com/sale", "bestdeals.com/sale"),
    ],
)
def test_fb7_web_address_is_found(text, expected):
    assert find_contact_details(text)[0] == ("url", expected)


@pytest.mark.parametrize(
    "text",
    [
        "Small sizes, e.g. for kids, i.e. not for adults, etc.",
        "Rozmiary np. S, M, L itd. tj. dla dzieci",
        "Petites tailles, p.ex. pour enfants, etc.",
        "It cost 19.99, version 2.0, 3.5 stars, 1.com",
        "photo.jpg and file.pdf",
        "Great product.It works",
        "Super produit.de bonne qualité",
        "Nice.Very nice",
        "Mr.Smith and Dr.Who",
    ],
)
def test_fb7_abbreviations_decimals_and_missing_spaces_are_not_web_addresses(text):
    assert find_contact_details(text) == []


def test_fb7_contact_details_are_listed_in_text_order_without_overlap():
    text = "see https://x.com/call/0612345678 or mail a@b.fr or call 06 12 34 56 78"
    assert find_contact_details(text) == [
        ("url", "https://x.com/call/0612345678"),
        ("email", "a@b.fr"),
        ("phone", "06 12 34 56 78"),
    ]


def test_fb7_invisible_characters_do_not_hide_an_address():
    assert kinds("best\u200bdeals.com") == ["url"]
    assert kinds("john\u00ad@example.com") == ["email"]


# ---- Listed words ------------------------------------------------------------------------------


def test_fb7_listed_word_ignores_case_and_accents():
    assert find_listed_words("Quel ENCULÉ ce livreur", ["enculé"]) == ["enculé"]
    assert find_listed_words("quel encule", ["enculé"]) == ["enculé"]
    assert find_listed_words("To GÓWNO", ["gówno"]) == ["gówno"]
    assert find_listed_words("to gowno", ["gówno"]) == ["gówno"]
    assert find_listed_words("Spierdalaj", ["spierdal*"]) == ["spierdal*"]


def test_fb7_listed_word_only_matches_whole_words():
    words = ["ass", "cunt*", "shit"]
    assert find_listed_words("A class act, shiitake mushrooms, Scunthorpe", words) == []
    assert find_listed_words("passive assistance, assessment", words) == []
    assert find_listed_words("what an ass", words) == ["ass"]


def test_fb7_listed_phrase_matches_any_whitespace():
    words = ["va te faire foutre", "piss off"]
    assert find_listed_words("va  te\nfaire\tfoutre", words) == ["va te faire foutre"]
    assert find_listed_words("PISS   OFF", words) == ["piss off"]
    assert find_listed_words("va te faire", words) == []


@pytest.mark.parametrize(
    "text",
    ["s.h.i.t", "s*h*i*t", "S-H-I-T", "shiiiiit", "sshhiitt", "s_h_i_t", "s h i t"],
)
def test_fb7_obfuscated_listed_word_is_found(text):
    assert find_listed_words(f"what a {text} seller", ["shit"]) == ["shit"]


def test_fb7_obfuscation_needs_the_same_separator_between_every_letter():
    assert find_listed_words("s.h-i*t", ["shit"]) == []
    assert find_listed_words("a s s", ["ass"]) == []  # too short to spell out with spaces
    assert find_listed_words("a.s.s", ["ass"]) == ["ass"]


def test_fb7_stem_entry_matches_inflections_only_from_the_start_of_a_word():
    assert find_listed_words("Kurwy! kurwą", ["kurw*"]) == ["kurw*"]
    assert find_listed_words("skurwysyn", ["kurw*"]) == []
    assert find_listed_words("FUCKING slow", ["fuck*"]) == ["fuck*"]
    assert find_listed_words("f.u.c.k this", ["fuck*"]) == ["fuck*"]


def test_fb7_listed_words_are_returned_once_each_as_listed():
    assert find_listed_words("merde merde MERDE putain", ["merde", "putain", "salope"]) == [
        "merde",
        "putain",
    ]
    assert find_listed_words("merde", ["", "  ", "*"]) == []


@pytest.mark.parametrize("language", ["en", "fr", "pl"])
def test_fb7_default_word_lists_are_short_and_each_entry_matches_itself(language):
    words = DEFAULT_WORDS[language]
    assert 10 <= len(words) <= 20
    assert len(set(words)) == len(words)
    for word in words:
        assert find_listed_words(f"Le vendeur: {word.rstrip('*')}!", [word]) == [word]


@pytest.mark.parametrize(
    "text",
    [
        "The parcel arrived late and the box was crushed. Class act, assistance was great.",
        "Pros and cons: good value. Shiitake mushrooms, Scunthorpe, passionate, cocktail.",
        "Livraison en retard, colis abîmé, le con... contenu était bon. Pain bâtard délicieux.",
        "Un produit nickel, niquel, computer, disputé, réputé. Connecté et rapide.",
        "Paczka spóźniona, kurier miły. Karma dla suki i psa. Debilitating pain? No.",
        "Świetny produkt, polecam. Kutno to miasto, dupleks, pizza, kutia i debata.",
    ],
)
def test_fb7_default_words_do_not_flag_ordinary_comments(text):
    assert find_listed_words(text, ALL_DEFAULT_WORDS) == []


# ---- Fulfilment complaints (FB-7 e) --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The package never arrived.",
        "Still hasn't arrived after a month",
        "It didn't arrive",
        "Arrived two weeks late.",
        "Delivery was very late",
        "Took three weeks to arrive",
        "The box was crushed and the item inside broken",
        "Arrived damaged",
        "Damaged in transit",
        "They sent the wrong item.",
        "Received a completely different product",
        "Poorly packaged, no bubble wrap",
        "Terrible packaging",
        "Lost in the post",
        "The courier left it in the rain, parcel soaked",
        "Not what I ordered",
    ],
)
def test_fb7_fulfilment_complaint_en(text):
    assert is_fulfilment_complaint(text, "en")


@pytest.mark.parametrize(
    "text",
    [
        "Colis jamais reçu.",
        "Je n'ai toujours pas reçu ma commande",
        "Livraison en retard de 10 jours",
        "Le colis est arrivé complètement écrasé",
        "Mal emballé, produit abîmé",
        "Carton déchiré, produit rayé",
        "On m'a envoyé un autre article",
        "Pas le bon modèle",
        "Erreur d'expédition",
        "Aucun emballage, pas d'emballage du tout",
        "Emballage vraiment médiocre",
        "Abîmé pendant le transport",
        "Trois semaines de retard",
        "Colis perdu par le transporteur",
    ],
)
def test_fb7_fulfilment_complaint_fr(text):
    assert is_fulfilment_complaint(text, "fr")


@pytest.mark.parametrize(
    "text",
    [
        "Paczka nie dotarła.",
        "Paczka nie dotarla",
        "Przesyłka dotarła uszkodzona",
        "Przesylka dotarla uszkodzona",
        "Źle zapakowane, karton zgnieciony",
        "Zle zapakowane",
        "Kurier spóźnił się 3 dni",
        "Dostałem inny produkt",
        "Dostalem inny produkt",
        "Uszkodzone w transporcie",
        "Paczka zaginęła",
        "Wciąż czekam na paczkę",
        "Przesyłka szła trzy tygodnie",
    ],
)
def test_fb7_fulfilment_complaint_pl(text):
    assert is_fulfilment_complaint(text, "pl")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Arrived on time, works great", "en"),
        ("Not late at all, great", "en"),
        ("The parcel was not late", "en"),
        ("Delivery wasn't slow at all", "en"),
        ("No damage to the box", "en"),
        ("Fast delivery but poor quality", "en"),
        ("Fast delivery, poor quality", "en"),
        ("Broke after a week.", "en"),
        ("Too late to return it, stopped working", "en"),
        ("Still waiting for my refund", "en"),
        ("The seller never answered", "en"),
        ("Pas de retard, très bien", "fr"),
        ("Livraison rapide mais mauvaise qualité", "fr"),
        ("Le colis n'était pas abîmé", "fr"),
        ("Produit cassé au bout d'une semaine", "fr"),
        ("Paczka nie była uszkodzona, super", "pl"),
        ("Przesyłka dotarła nie uszkodzona", "pl"),
        ("Szybka wysyłka ale produkt słaby", "pl"),
        ("Przestał działać po tygodniu", "pl"),
        # waiting for the seller, not for the parcel
        ("I never received a reply from the seller", "en"),
        ("Refund never arrived", "en"),
        ("Je n'ai jamais reçu de réponse du vendeur", "fr"),
        ("Nie dostałem zwrotu pieniędzy", "pl"),
        # "livré" folds to "livre", a book
        ("Le livre est abîmé", "fr"),
        ("", "en"),
    ],
)
def test_fb7_not_a_fulfilment_complaint(text, language):
    assert not is_fulfilment_complaint(text, language)


@pytest.mark.parametrize("language", ["", "de", "xx", None])
def test_fb7_unknown_language_uses_all_lists(language):
    assert is_fulfilment_complaint("Paczka nie dotarła", language)
    assert is_fulfilment_complaint("Colis jamais reçu", language)
    assert is_fulfilment_complaint("Never arrived", language)


def test_fb7_regional_language_codes_use_the_base_language():
    assert is_fulfilment_complaint("Colis jamais reçu", "fr-CA")
    assert is_fulfilment_complaint("Colis jamais reçu", "FR_ca")
    assert not is_fulfilment_complaint("Colis jamais reçu", "pl")


# ---- The seller, the product (FB-7 a) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Seller never answered my emails", "en"),
        ("Great customer service", "en"),
        ("Fast shipping", "en"),
        ("Refund took ages", "en"),
        ("Not as described", "en"),
        ("Would buy again", "en"),
        ("Le vendeur ne répond pas", "fr"),
        ("Remboursement rapide", "fr"),
        ("Livraison rapide", "fr"),
        ("Merci !", "fr"),
        ("Sprzedawca nie odpisuje", "pl"),
        ("The seller never answered", "fr"),  # English is always checked too
        ("Szybka wysyłka", "pl"),
        ("Zgodny z opisem", "pl"),
        ("Polecam sprzedawcę", "pl"),
        ("Fast shipping, dziękuję", "pl"),
    ],
)
def test_fb7_mentions_the_seller(text, language):
    assert mentions_the_seller(text, language)


def test_fb7_seller_words_of_another_language_than_english_are_not_used():
    assert not mentions_the_seller("Sprzedawca nie odpisuje", "fr")
    assert mentions_the_seller("Sprzedawca nie odpisuje", "xx")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Terrible quality, broke after two days.", "en"),
        ("Too small, the colour is ugly", "en"),
        ("Poor quality", "en"),
        ("The battery dies in an hour and the screen scratches easily", "en"),
        ("Produit de mauvaise qualité, la batterie ne tient pas", "fr"),
        ("Taille trop petite, tissu qui gratte", "fr"),
        ("Słaba jakość, bateria trzyma krótko", "pl"),
        ("Slaba jakosc, rozmiar za maly", "pl"),
        ("Smak okropny, za słodki", "pl"),
    ],
)
def test_fb7_product_only_comment_is_a_product_review(text, language):
    assert is_only_a_product_review(text, language)
    assert not mentions_the_seller(text, language)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Great product, fast shipping", "en"),
        ("Battery lasts a day. Seller never answered my emails.", "en"),
        ("Cheap quality and the seller refused a refund", "en"),
        ("Poor quality, not as described", "en"),
        ("Fake, poor quality", "en"),
        ("Vendeur au top, produit cassé", "fr"),
        ("Produit nul, livraison rapide", "fr"),
        ("Produkt ok, sprzedawca nie odpisuje", "pl"),
        ("Słaba jakość, szybka wysyłka", "pl"),
        ("Very helpful, the lamp is dim", "en"),
        ("Came in 2 days, great quality", "en"),
        ("Overpriced and poor quality", "en"),
        ("AAA+ great quality", "en"),
        ("Vendeur sérieux, taille parfaite", "fr"),
        ("Szybko i sprawnie, jakość super", "pl"),
        ("Cena ok, jakość słaba", "pl"),
    ],
)
def test_fb7a_mixed_comment_is_not_only_a_product_review(text, language):
    assert not is_only_a_product_review(text, language)


@pytest.mark.parametrize("text", ["", "   ", "Bad", "Rubbish", "Nul", "Don't buy this", "👎👎👎"])
def test_fb7_short_or_unclear_comment_is_not_a_product_review(text):
    assert not is_only_a_product_review(text, "en")


# ---- The decision ------------------------------------------------------------------------------


@pytest.mark.parametrize("ground", Ground.values)
def test_fb7_phone_number_is_removed_at_once(ground):
    finding = decide("Terrible. Call me on +33 6 12 34 56 78", ground=ground, language="fr")
    assert finding == Finding(
        decision=Decision.REMOVED,
        ground=Ground.PERSONAL_INFO,
        reason=finding.reason,
        evidence="+33 6 12 34 56 78",
    )
    assert str(finding.reason) == "The comment contains a phone number."


def test_fb7_email_address_is_removed_as_personal_information():
    finding = decide("Contactez jean.dupont@exemple.fr", ground=Ground.ABUSIVE, language="fr")
    assert (finding.decision, finding.ground) == (Decision.REMOVED, Ground.PERSONAL_INFO)
    assert finding.evidence == "jean.dupont@exemple.fr"
    assert "e-mail" in str(finding.reason)


def test_fb7_web_address_is_removed_as_promotional():
    finding = decide("Taniej na www.okazje.pl", ground=Ground.PRODUCT_REVIEW, language="pl")
    assert (finding.decision, finding.ground) == (Decision.REMOVED, Ground.PROMOTIONAL)
    assert finding.evidence == "www.okazje.pl"


def test_fb7_with_both_kinds_the_ground_the_seller_chose_is_quoted():
    text = "Buy at bestdeals.com or mail me at a@b.com"
    assert decide(text, ground=Ground.PROMOTIONAL).ground == Ground.PROMOTIONAL
    assert decide(text, ground=Ground.PERSONAL_INFO).ground == Ground.PERSONAL_INFO
    assert decide(text, ground=Ground.ABUSIVE).ground == Ground.PERSONAL_INFO


def test_fb7_listed_abusive_word_is_removed_at_once():
    finding = decide(
        "Quel vendeur de MERDE", ground=Ground.ABUSIVE, language="fr", words=DEFAULT_WORDS["fr"]
    )
    assert finding == Finding(Decision.REMOVED, Ground.ABUSIVE, finding.reason, "merde")
    assert "abusive" in str(finding.reason)


def test_fb7_abusive_word_is_removed_whatever_ground_was_chosen():
    finding = decide("f.u.c.k this", ground=Ground.PRODUCT_REVIEW, words=DEFAULT_WORDS["en"])
    assert (finding.decision, finding.ground) == (Decision.REMOVED, Ground.ABUSIVE)


def test_fb7_contact_details_are_checked_before_words():
    finding = decide("shit seller, call 555-123-4567", ground=Ground.ABUSIVE, words=["shit"])
    assert finding.ground == Ground.PERSONAL_INFO


def test_fb7_fulfilment_ground_on_merchant_fulfilled_order_is_declined():
    finding = decide("Never arrived", ground=Ground.FULFILMENT, fba=False)
    assert finding.decision == Decision.DECLINED
    assert finding.ground == Ground.FULFILMENT
    assert str(finding.reason) == (
        "Only orders fulfilled by the marketplace can have fulfilment complaints struck "
        "through; this order was fulfilled by you."
    )


def test_fb7_fulfilment_ground_is_declined_even_without_a_complaint_when_merchant_fulfilled():
    assert decide("Great", ground=Ground.FULFILMENT, fba=False).decision == Decision.DECLINED


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The package arrived two weeks late", "en"),
        ("Colis arrivé écrasé", "fr"),
        ("Paczka nie dotarła", "pl"),
    ],
)
def test_fb7_fulfilment_complaint_on_marketplace_fulfilled_order_is_struck_through(text, language):
    finding = decide(text, ground=Ground.FULFILMENT, language=language, fba=True)
    assert finding.decision == Decision.STRUCK_THROUGH
    assert finding.ground == Ground.FULFILMENT
    assert finding.evidence and finding.evidence.lower() in text.lower()


def test_fb7_struck_through_reason_quotes_the_standard_line():
    finding = decide("Never arrived", ground=Ground.FULFILMENT, fba=True)
    assert str(STRIKE_THROUGH_LINE) in str(finding.reason)
    assert str(STRIKE_THROUGH_LINE) == (
        "This item was fulfilled by the marketplace, and we take responsibility for this "
        "fulfilment experience"
    )


@pytest.mark.parametrize(
    "ground", [Ground.PRODUCT_REVIEW, Ground.PROMOTIONAL, Ground.PERSONAL_INFO, Ground.ABUSIVE]
)
def test_fb7_marketplace_fulfilled_complaint_is_struck_through_whatever_the_ground(ground):
    finding = decide("The box was crushed, item broken", ground=ground, fba=True)
    assert (finding.decision, finding.ground) == (Decision.STRUCK_THROUGH, Ground.FULFILMENT)


def test_fb7_fulfilment_ground_without_a_complaint_goes_to_staff():
    assert decide("Not happy at all", ground=Ground.FULFILMENT, fba=True) is None


def test_fb7_merchant_fulfilled_complaint_on_another_ground_goes_to_staff():
    assert decide("Arrived late", ground=Ground.ABUSIVE, fba=False) is None
    # A delivery remark is about the seller, so not a product-only review either.
    assert decide("Arrived late", ground=Ground.PRODUCT_REVIEW, fba=False) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Terrible quality, broke after two days.", "en"),
        ("Taille trop petite, tissu qui gratte", "fr"),
        ("Słaba jakość, bateria trzyma krótko", "pl"),
    ],
)
def test_fb7_product_only_comment_is_removed(text, language):
    finding = decide(text, ground=Ground.PRODUCT_REVIEW, language=language)
    assert (finding.decision, finding.ground) == (Decision.REMOVED, Ground.PRODUCT_REVIEW)
    assert "product review" in str(finding.reason)


def test_fb7_product_only_comment_on_another_ground_goes_to_staff():
    assert decide("Terrible quality, broke after two days.", ground=Ground.ABUSIVE) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Poor quality and the seller never answered", "en"),
        ("Produit nul, vendeur injoignable", "fr"),
        ("Słaba jakość, sprzedawca nie odpisuje", "pl"),
    ],
)
def test_fb7a_mixed_comment_is_not_removed_automatically_nor_declined(text, language):
    assert decide(text, ground=Ground.PRODUCT_REVIEW, language=language, fba=True) is None
    assert decide(text, ground=Ground.PRODUCT_REVIEW, language=language, fba=False) is None


@pytest.mark.parametrize(
    ("text", "ground"),
    [
        ("The seller was rude", Ground.ABUSIVE),
        ("Worst seller ever", Ground.PROMOTIONAL),
        ("Mr Smith was unhelpful", Ground.PERSONAL_INFO),
        ("Meh", Ground.PRODUCT_REVIEW),
        ("", Ground.PRODUCT_REVIEW),
    ],
)
def test_fb7_nothing_clear_goes_to_staff(text, ground):
    assert decide(text, ground=ground, fba=True, words=DEFAULT_WORDS["en"]) is None


def test_fb7_unknown_ground_is_a_programming_error():
    with pytest.raises(ValueError, match="ground"):
        decide("whatever", ground="spam")


def test_fb7_findings_are_immutable():
    finding = decide("call 555-123-4567")
    with pytest.raises(AttributeError):
        finding.decision = Decision.DECLINED


# ---- Properties ---------------------------------------------------------------------------------

SPELLED_OUT_SEPARATORS = {"at", "dot", "arobase", "point", "małpa", "malpa", "kropka"}
letters_and_spaces = st.text(
    alphabet=st.one_of(st.characters(categories=["L"]), st.just(" ")), max_size=200
)


@PROPERTY_SETTINGS
@given(letters_and_spaces)
def test_fb7_property_letters_and_spaces_have_no_contact_details(text):
    assume(not SPELLED_OUT_SEPARATORS & {word.casefold() for word in text.split()})
    assert find_contact_details(text) == []


@PROPERTY_SETTINGS
@given(
    text=st.text(max_size=200),
    cut=st.integers(min_value=0, max_value=200),
    ground=st.sampled_from(Ground.values),
    fba=st.booleans(),
    language=st.sampled_from(["en", "fr", "pl", "de", ""]),
)
def test_fb7_property_an_email_address_anywhere_is_removed(text, cut, ground, fba, language):
    cut = min(cut, len(text))
    commented = f"{text[:cut]} john.doe@example.com {text[cut:]}"
    finding = decide(commented, ground=ground, language=language, fba=fba)
    assert finding.decision == Decision.REMOVED
    assert finding.ground in (Ground.PERSONAL_INFO, Ground.PROMOTIONAL)


@PROPERTY_SETTINGS
@given(
    text=st.one_of(
        st.text(max_size=300),
        st.text(alphabet=st.sampled_from("aé 0123456789.-+@()ł\x00😀\u200b/:,"), max_size=300),
    ),
    ground=st.sampled_from(Ground.values),
    fba=st.booleans(),
    language=st.sampled_from(["en", "fr", "pl", "de", "", "fr-CA"]),
)
def test_fb7_property_automatic_decision_never_raises(text, ground, fba, language):
    finding = automatic_decision(
        text=text,
        ground=ground,
        language=language,
        marketplace_fulfilled=fba,
        abusive_words=ALL_DEFAULT_WORDS,
    )
    assert finding is None or isinstance(finding, Finding)
    if finding is not None:
        assert finding.decision in Decision.values
        assert finding.ground in Ground.values
        assert str(finding.reason)
        assert isinstance(finding.evidence, str)


@PROPERTY_SETTINGS
@given(
    word=st.sampled_from(ALL_DEFAULT_WORDS),
    before=st.text(alphabet=string.ascii_letters + " ", max_size=30),
    after=st.text(alphabet=string.ascii_letters + " ", max_size=30),
    shout=st.booleans(),
)
def test_fb7_property_a_listed_word_is_found_in_any_case(word, before, after, shout):
    written = word.rstrip("*")
    written = written.upper() if shout else written.title()
    assert word in find_listed_words(f"{before} {written}, {after}", ALL_DEFAULT_WORDS)


@PROPERTY_SETTINGS
@given(
    number=st.sampled_from(
        [
            "+33 6 12 34 56 78",
            "06 12 34 56 78",
            "(555) 123-4567",
            "555-123-4567",
            "+48 601 234 567",
            "601-234-567",
            "+1 555 123 4567",
        ]
    ),
    before=st.lists(st.sampled_from(["call", "me", "on", "appelez", "au", "zadzwoń", "na"])),
    after=st.lists(st.sampled_from(["please", "merci", "dzięki", "today", "asap"])),
)
def test_fb7_property_written_out_phone_numbers_are_found(number, before, after):
    text = " ".join([*before, number, *after])
    assert find_contact_details(text) == [("phone", number)]
