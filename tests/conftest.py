"""Shared fixtures: API clients with seller and marketplace tokens, a seller and a stranger."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from sellercx import services
from sellercx.models import ApiToken

from .factories import MarketplaceFactory, SellerAccountFactory, StaffFactory, UserFactory


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle buckets live in the cache: each test starts with full buckets."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each test starts in English: a page asked for in French or Polish leaves its language
    active in the thread (LocaleMiddleware activates it and nothing deactivates it), and the
    next test's messages would read in that language."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def marketplace(db):
    return MarketplaceFactory(code="FR")


@pytest.fixture
def seller(marketplace):
    return SellerAccountFactory(name="Northwind", marketplaces=[marketplace])


@pytest.fixture
def poland(seller):
    """A second marketplace of the seller's: Poland."""
    pl = MarketplaceFactory(code="PL")
    seller.sellermarketplace_set.create(marketplace=pl)
    return pl


@pytest.fixture
def user(seller):
    """The seller's account admin: View and edit on every area."""
    return UserFactory(seller=seller, email="admin@northwind.example")


@pytest.fixture
def stranger(marketplace):
    """A user of another seller account, in the same marketplace."""
    other = SellerAccountFactory(name="Contoso", marketplaces=[marketplace])
    return UserFactory(seller=other, email="admin@contoso.example")


@pytest.fixture
def staff(db):
    return StaffFactory(email="staff@market.example")


def token_for(user) -> str:
    return services.create_api_token(acting_user=user, name="test")[1]


def marketplace_token(marketplace, staff_user=None) -> str:
    staff_user = staff_user or StaffFactory()
    return services.create_api_token(
        acting_user=staff_user,
        name="storefront",
        kind=ApiToken.Kind.MARKETPLACE,
        marketplace=marketplace,
    )[1]


def client_with(raw_token: str | None) -> APIClient:
    client = APIClient()
    if raw_token:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw_token}")
    return client


@pytest.fixture
def api(user) -> APIClient:
    """An API client with the seller admin's token."""
    return client_with(token_for(user))


@pytest.fixture
def storefront(marketplace, staff) -> APIClient:
    """An API client with the marketplace's integration token."""
    return client_with(marketplace_token(marketplace, staff))


def pytest_terminal_summary(terminalreporter):
    """The bounded soak's latencies (issue #9), whether or not ``-s`` was given."""
    from tests.ops.conftest import SOAK_REPORT

    if SOAK_REPORT:
        terminalreporter.write_sep("-", "soak (tests/ops/test_soak.py)")
        for line in SOAK_REPORT:
            terminalreporter.write_line(line)
