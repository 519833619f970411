"""The Customer reviews page as a seller uses it (issue #19): the switcher's marketplace, named
in the page's links; "Contact the customer" returns where the seller was; star labels in the
reader's language and plural forms."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from reviews.filters import STARS
from reviews.models import CustomerContact
from tests.factories import MarketplaceFactory

from .factories import bought_review, represented_brand

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)
REVIEWS = reverse("reviews:list")


@pytest.fixture(autouse=True)
def _fixed_clock():
    with time_machine.travel(T0, tick=False):
        yield


@pytest.fixture
def brand(seller):
    return represented_brand(seller, name="Northwind")


def review(seller, marketplace, brand, **kwargs):
    kwargs.setdefault("purchased_at", T0 - timedelta(days=20))
    kwargs.setdefault("posted_at", T0 - timedelta(days=5))
    return bought_review(seller, marketplace, brand, **kwargs)


def test_ux2_the_list_shows_the_switchers_marketplace_and_names_it_in_its_links(
    client, user, seller, marketplace, brand
):
    pl = MarketplaceFactory(code="PL")
    seller.sellermarketplace_set.create(marketplace=pl)
    french = review(seller, marketplace, brand)
    polish = review(seller, pl, brand)
    client.force_login(user)
    assert [r.pk for r in client.get(REVIEWS, {"marketplace": "PL"}).context["page"]] == [polish.pk]
    page = client.get(REVIEWS)  # from the menu: the remembered choice, PL
    assert [r.pk for r in page.context["page"]] == [polish.pk]
    html = page.content.decode()
    assert "?marketplace=PL&amp;sort=stars" in html  # sorting keeps it
    # One control for the marketplace, the switcher; the filters carry it along.
    assert '<input type="hidden" name="marketplace" value="PL">' in html
    assert 'href="?marketplace=PL" hx-boost="false">Clear</a>' in html
    every = client.get(REVIEWS, {"marketplace": "all"})
    assert {r.pk for r in every.context["page"]} == {french.pk, polish.pk}


def test_ux2_contact_the_customer_returns_to_the_same_filters_and_page(
    client, user, seller, marketplace, brand
):
    one_star = review(seller, marketplace, brand, rating=1)
    here = f"{REVIEWS}?marketplace=FR&stars=1&page=1"
    client.force_login(user)
    answer = client.post(
        reverse("reviews:contact", args=[one_star.pk]),
        {"reason": "courtesy_refund", "next": here},
    )
    assert answer.status_code == 302 and answer.url == here
    assert CustomerContact.objects.get().review == one_star


def test_ux2_contact_never_sends_the_seller_off_the_site(client, user, seller, marketplace, brand):
    one_star = review(seller, marketplace, brand, rating=1)
    client.force_login(user)
    answer = client.post(
        reverse("reviews:contact", args=[one_star.pk]),
        {"reason": "customer_service", "next": "//evil.example/"},
    )
    assert answer.status_code == 302 and answer.url == REVIEWS


def test_ux2_the_contact_form_names_the_page_to_return_to(client, user, seller, marketplace, brand):
    review(seller, marketplace, brand, rating=2)
    client.force_login(user)
    html = client.get(REVIEWS, {"marketplace": "FR", "stars": "2"}).content.decode()
    here = "/dashboard/reviews/?marketplace=FR&amp;stars=2"
    assert f'<input type="hidden" name="next" value="{here}">' in html


@pytest.mark.parametrize("language", ["en", "fr", "pl"])
def test_ux3_star_filter_labels_are_plural_words_in_the_readers_language(language):
    with translation.override(language):
        labels = [str(label) for _value, label in STARS]
        expected = [
            translation.ngettext("%(n)d star", "%(n)d stars", n) % {"n": n} for n in (5, 4, 3, 2, 1)
        ]
    assert labels == expected
    assert all(isinstance(label, Promise) for _value, label in STARS)


def test_ux3_the_page_draws_the_star_labels_in_the_readers_language(
    client, user, seller, marketplace, brand
):
    review(seller, marketplace, brand)
    client.force_login(user)
    html = client.get(REVIEWS, {"marketplace": "FR"}, HTTP_ACCEPT_LANGUAGE="pl").content.decode()
    with translation.override("pl"):
        five = translation.ngettext("%(n)d star", "%(n)d stars", 5) % {"n": 5}
    assert f"> {five}</label>" in html
