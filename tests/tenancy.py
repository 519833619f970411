"""AC-1: every URL that takes an id, with a way to make another account's object for it.

``tests/core/test_tenancy.py`` walks every URL pattern of the project: a pattern with an id
that is not listed here fails the test, so each new page or endpoint must say how its
isolation is checked. Feature apps append their entries.
"""

from __future__ import annotations

from collections.abc import Callable

from tests.factories import OfferFactory, UserFactory, order_of


def _order(seller, marketplace):
    return order_of(OfferFactory(seller=seller, marketplace=marketplace))


def _offer(seller, marketplace):
    return OfferFactory(seller=seller, marketplace=marketplace)


def _user(seller, marketplace):
    return UserFactory(seller=seller)


# URL name -> (make an object of a given seller, HTTP method, body).
OWNED: dict[str, tuple[Callable, str, dict | None]] = {
    "dashboard:order": (_order, "get", None),
    "dashboard:user": (_user, "post", {"action": "deactivate"}),
    "api:order": (_order, "get", None),
    "api:offer": (_offer, "get", None),
    "api:user-permissions": (_user, "patch", {"feedback": 2}),
}

# Patterns with an id that are not seller-owned (the admin, staff only).
NOT_SELLER_OWNED_PREFIXES = ("admin:",)
