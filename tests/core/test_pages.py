"""The dashboard shell: sign-in, navigation, home, offers and orders lists, order page, user
permissions (AC-3), API tokens (AC-4), tenancy (AC-1) and query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sellercx.models import ApiToken, User
from sellercx.permissions import Access
from tests.factories import MarketplaceFactory, OfferFactory, UserFactory, order_of
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_pages_need_sign_in(client):
    for name in ("dashboard:home", "dashboard:offers", "dashboard:orders", "dashboard:users"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_login_page_signs_in_with_email(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": "pass-word-123"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")


def test_staff_without_account_are_sent_to_the_admin(client, staff):
    client.force_login(staff)
    assert client.get(reverse("dashboard:home"))["Location"] == reverse("admin:index")


def test_home_shows_counts_for_the_current_marketplace(signed_in, seller, marketplace):
    us = MarketplaceFactory(code="US")
    seller.marketplaces.add(us)
    order_of(OfferFactory(seller=seller, marketplace=marketplace))
    order_of(OfferFactory(seller=seller, marketplace=us))
    page = signed_in.get(reverse("dashboard:home"), {"marketplace": "all"})
    assert page.context["counts"] == {
        "offers": 2,
        "active_offers": 2,
        "orders": 2,
        "orders_30_days": 2,
        "marketplaces": 2,
    }
    assert len(page.context["recent_orders"]) == 2
    page = signed_in.get(reverse("dashboard:home"), {"marketplace": "US"})
    assert page.context["counts"]["orders"] == 1
    # the choice sticks for the next pages (FB-10: figures per marketplace)
    assert signed_in.get(reverse("dashboard:home")).context["counts"]["orders"] == 1


def test_offers_page_filters_sorts_and_pages(signed_in, seller, marketplace):
    for n in range(30):
        OfferFactory(seller=seller, marketplace=marketplace, sku=f"SKU-{n:02d}")
    page = signed_in.get(reverse("dashboard:offers"))
    assert page.status_code == 200
    assert len(page.context["page"].object_list) == 25
    assert page.context["page"].paginator.count == 30
    page = signed_in.get(reverse("dashboard:offers"), {"sort": "-sku", "page": 2})
    assert [o.sku for o in page.context["page"]] == [f"SKU-{n:02d}" for n in range(4, -1, -1)]
    page = signed_in.get(reverse("dashboard:offers"), {"q": "sku-07"})
    assert [o.sku for o in page.context["page"]] == ["SKU-07"]


def test_orders_page_and_order_detail(signed_in, seller, marketplace):
    order = order_of(OfferFactory(seller=seller, marketplace=marketplace))
    page = signed_in.get(reverse("dashboard:orders"))
    assert order.external_id in page.content.decode()
    detail = signed_in.get(reverse("dashboard:order", args=[order.pk]))
    assert detail.status_code == 200
    assert order.lines.get().offer.sku in detail.content.decode()


def test_ac1_another_accounts_order_and_user_pages_are_404(signed_in, stranger, marketplace):
    theirs = order_of(OfferFactory(seller=stranger.seller, marketplace=marketplace))
    assert signed_in.get(reverse("dashboard:order", args=[theirs.pk])).status_code == 404
    assert signed_in.get(reverse("dashboard:user", args=[stranger.pk])).status_code == 404
    response = signed_in.post(
        reverse("dashboard:user", args=[stranger.pk]), {"action": "deactivate"}
    )
    assert response.status_code == 404
    assert User.objects.get(pk=stranger.pk).is_active


def test_ac1_lists_never_show_another_accounts_rows(signed_in, stranger, marketplace):
    OfferFactory(seller=stranger.seller, marketplace=marketplace, sku="THEIRS")
    order_of(OfferFactory(seller=stranger.seller, marketplace=marketplace), external_id="X-1")
    assert "THEIRS" not in signed_in.get(reverse("dashboard:offers")).content.decode()
    assert "X-1" not in signed_in.get(reverse("dashboard:orders")).content.decode()


def _order_row(seller, marketplace):
    order_of(OfferFactory(seller=seller, marketplace=marketplace))


def _user_row(seller, marketplace):
    UserFactory(seller=seller)


def _token_row(seller, marketplace):
    from tests.conftest import token_for

    token_for(UserFactory(seller=seller))


LIST_PAGES = {
    "dashboard:home": _order_row,
    "dashboard:offers": _order_row,
    "dashboard:orders": _order_row,
    "dashboard:users": _user_row,
    "dashboard:tokens": _token_row,
}


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_list_pages_run_the_same_queries_for_1_and_30_rows(client, user, seller, marketplace, name):
    client.force_login(user)

    def fetch():
        assert client.get(reverse(name)).status_code == 200

    assert_constant_queries(lambda: LIST_PAGES[name](seller, marketplace), fetch)


def test_ac3_admin_adds_a_user_with_permissions(signed_in, seller):
    response = signed_in.post(
        reverse("dashboard:users"),
        {
            "email": "New@Seller.example",
            "name": "New Person",
            "password": "a-long-pass-123",
            "feedback": "2",
            "reviews": "1",
            "messages": "0",
            "performance": "1",
            "voc": "0",
            "users": "0",
        },
    )
    assert response.status_code == 302
    new = User.objects.get(email="new@seller.example")
    assert new.seller == seller
    assert (new.feedback_access, new.reviews_access, new.users_access) == (2, 1, 0)


def test_ac3_bad_new_user_is_refused_and_nothing_stored(signed_in, user):
    for data in (
        {"email": "not-an-email", "name": "X", "password": "a-long-pass-123"},
        {"email": user.email, "name": "Dup", "password": "a-long-pass-123"},
        {"email": "short@seller.example", "name": "X", "password": "123"},
    ):
        data.update(
            dict.fromkeys(("feedback", "reviews", "messages", "performance", "voc", "users"), "0")
        )
        assert signed_in.post(reverse("dashboard:users"), data).status_code == 400
    assert User.objects.count() == 1


def test_ac3_admin_changes_and_revokes_permissions(signed_in, seller):
    member = UserFactory(seller=seller, users_access=0, feedback_access=2)
    data = {
        "feedback": "1",
        "reviews": "0",
        "messages": "2",
        "performance": "0",
        "voc": "0",
        "users": "0",
    }
    response = signed_in.post(reverse("dashboard:user", args=[member.pk]), data)
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.feedback_access, member.messages_access) == (Access.VIEW, Access.EDIT)
    signed_in.post(reverse("dashboard:user", args=[member.pk]), {"action": "deactivate"})
    member.refresh_from_db()
    assert not member.is_active


def test_ac3_the_last_admin_cannot_demote_themself(signed_in, user):
    data = {
        "feedback": "2",
        "reviews": "2",
        "messages": "2",
        "performance": "2",
        "voc": "2",
        "users": "1",
    }
    response = signed_in.post(reverse("dashboard:user", args=[user.pk]), data)
    assert response.status_code == 400
    assert "at least one active user" in response.content.decode()
    user.refresh_from_db()
    assert user.users_access == Access.EDIT


def test_ac4_token_page_shows_the_raw_token_once_and_revokes(signed_in, user):
    response = signed_in.post(reverse("dashboard:tokens"), {"name": "Repricer"})
    assert response.status_code == 201
    raw = response.context["new_token"]
    assert raw in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert raw not in signed_in.get(reverse("dashboard:tokens")).content.decode()
    signed_in.post(reverse("dashboard:tokens"), {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_ac4_cannot_revoke_another_accounts_token(signed_in, stranger):
    from tests.conftest import token_for

    token_for(stranger)
    theirs = ApiToken.objects.get(user=stranger)
    assert signed_in.post(reverse("dashboard:tokens"), {"revoke": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_ac4_empty_token_name_is_refused(signed_in):
    assert signed_in.post(reverse("dashboard:tokens"), {"name": ""}).status_code == 400
    assert not ApiToken.objects.exists()


def test_healthz_is_an_alias_of_health(client, db):
    assert client.get("/healthz").json()["status"] == "ok"
    assert client.get("/health/").json()["status"] == "ok"


def test_html_404_for_pages(signed_in):
    response = signed_in.get("/dashboard/nothing/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
