"""UX-2: the marketplace is always explicit. A seller lands on their main marketplace (most
orders) or the one they chose last; "All marketplaces" is a choice named in the URL like any
other; links name the marketplace; an action returns where the seller was. Also the one-line
log of an expected 403/404."""

from __future__ import annotations

import logging

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from sellercx.context_processors import navigation_for
from sellercx.logs import ExpectedClientErrorFilter
from sellercx.models import User
from sellercx.selectors import chosen_marketplace, main_marketplace
from sellercx.views import redirect_back
from tests.factories import MarketplaceFactory, OfferFactory, SellerAccountFactory, order_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_marketplaces(seller, marketplace):
    """Northwind sells in CA, FR and PL; PL has the most orders, CA is first by code."""
    ca, pl = MarketplaceFactory(code="CA"), MarketplaceFactory(code="PL")
    seller.marketplaces.add(ca, pl)
    order_of(OfferFactory(seller=seller, marketplace=marketplace))
    offer = OfferFactory(seller=seller, marketplace=pl)
    for _ in range(3):
        order_of(offer)
    return ca, marketplace, pl


def test_ux2_the_main_marketplace_has_the_most_orders(seller, three_marketplaces):
    assert main_marketplace(seller_id=seller.pk).code == "PL"
    assert chosen_marketplace(seller_id=seller.pk, code=None).code == "PL"
    assert chosen_marketplace(seller_id=seller.pk, code="FR").code == "FR"
    # not one of the account's: its main marketplace, never another account's
    assert chosen_marketplace(seller_id=seller.pk, code="US").code == "PL"


def test_ux2_without_orders_the_first_by_code(marketplace):
    seller = SellerAccountFactory(marketplaces=[MarketplaceFactory(code="PL"), marketplace])
    assert main_marketplace(seller_id=seller.pk).code == "FR"
    assert main_marketplace(seller_id=SellerAccountFactory(marketplaces=[]).pk) is None


def test_ux2_a_seller_lands_on_the_main_marketplace(client, user, three_marketplaces):
    client.force_login(user)
    page = client.get(reverse("dashboard:orders"))
    assert page.wsgi_request.marketplace_code == "PL"
    assert {o.marketplace.code for o in page.context["page"]} == {"PL"}
    assert b'data-marketplace="PL"' in page.content
    assert b'<option value="PL" selected>' in page.content


def test_ux2_the_choice_sticks_and_is_where_the_seller_lands_next_time(
    client, user, three_marketplaces
):
    client.force_login(user)
    client.get(reverse("dashboard:home"), {"marketplace": "fr"})
    assert client.get(reverse("dashboard:orders")).wsgi_request.marketplace_code == "FR"
    user.refresh_from_db()
    assert user.last_marketplace == "FR"

    client.logout()
    client.force_login(User.objects.get(pk=user.pk))  # a new session
    assert client.get(reverse("dashboard:orders")).wsgi_request.marketplace_code == "FR"

    client.get(reverse("dashboard:home"), {"marketplace": "all"})
    page = client.get(reverse("dashboard:orders"))
    assert page.wsgi_request.marketplace_code is None
    assert len(page.context["page"]) == 4
    assert b'<option value="all" selected>' in page.content
    assert User.objects.get(pk=user.pk).last_marketplace == "ALL"


def test_ux2_a_code_the_account_does_not_sell_in_changes_nothing(client, user, three_marketplaces):
    client.force_login(user)
    client.get(reverse("dashboard:home"), {"marketplace": "FR"})
    for code in ("US", "XYZ", "f"):
        page = client.get(reverse("dashboard:home"), {"marketplace": code})
        assert page.status_code == 200
        assert page.wsgi_request.marketplace_code == "FR"


def test_ux2_navigation_links_name_the_marketplace(user, three_marketplaces):
    links = {item["name"]: item["url"] for item in navigation_for(user, "PL")}
    assert links["dashboard:orders"] == reverse("dashboard:orders") + "?marketplace=PL"
    links = {item["name"]: item["url"] for item in navigation_for(user, None)}
    assert links["feedback:manager"] == reverse("feedback:manager") + "?marketplace=all"


def test_rv3_customer_reviews_is_in_the_menu_only_for_a_brand_representative(user):
    from tests.reviews.factories import represented_brand

    assert "reviews:list" not in {item["name"] for item in navigation_for(user)}
    represented_brand(user.seller, name="Northwind")
    assert "reviews:list" in {item["name"] for item in navigation_for(user)}


def test_ux2_redirect_back_follows_only_a_local_next():
    factory = RequestFactory()
    for target, expected in [
        ("/dashboard/orders/?marketplace=FR&page=3", "/dashboard/orders/?marketplace=FR&page=3"),
        ("https://evil.example/", reverse("dashboard:orders")),
        ("//evil.example/", reverse("dashboard:orders")),
        ("javascript:alert(1)", reverse("dashboard:orders")),
        ("", reverse("dashboard:orders")),
    ]:
        request = factory.post("/x/", {"next": target})
        assert redirect_back(request, "dashboard:orders")["Location"] == expected


def test_ux3_marketplace_names_in_the_readers_language(three_marketplaces):
    ca, fr, pl = three_marketplaces
    with translation.override("pl"):
        assert (fr.display_name, pl.display_name) == ("Francja", "Polska")
        assert str(ca) == "Kanada (CA)"
    with translation.override("fr"):
        assert (pl.display_name, ca.display_name) == ("Pologne", "Canada")
    assert MarketplaceFactory(code="ZZ", name="Zedland").display_name == "Zedland"


@pytest.fixture
def base_request_logging():
    """The base settings' filter on ``django.request`` (the test settings log plainly)."""
    from sellercx.settings import base

    assert "client_errors" in base.LOGGING["loggers"]["django.request"]["filters"]
    logger, expected = logging.getLogger("django.request"), ExpectedClientErrorFilter()
    logger.addFilter(expected)
    yield
    logger.removeFilter(expected)


def test_an_expected_404_or_403_is_one_log_line(
    client, user, stranger, caplog, base_request_logging
):
    theirs = order_of(OfferFactory(seller=stranger.seller))
    client.force_login(user)
    user.users_access = 0
    user.save()
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("dashboard:order", args=[theirs.pk])).status_code == 404
        assert client.get(reverse("dashboard:users")).status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert [r.getMessage().split(":")[0] for r in records] == [
        "Not Found",
        "Forbidden (Permission denied)",
    ]
    assert all(r.exc_info is None for r in records)
