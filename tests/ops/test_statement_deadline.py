"""A statement past the web's deadline (``DATABASE_STATEMENT_TIMEOUT``) is cancelled by
PostgreSQL; the caller is told so — 503 with ``Retry-After``, in the API's envelope or on a
page — instead of the 500 "unexpected error" it was."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from sellercx import selectors

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def slow_orders(monkeypatch):
    """The orders' query takes longer than a 50 ms deadline."""
    orders_of_seller = selectors.orders_of_seller

    def slow(**kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SET statement_timeout = '50ms'")
            try:
                cursor.execute("SELECT pg_sleep(2)")
            finally:
                cursor.execute("SET statement_timeout = 0")
        return orders_of_seller(**kwargs)

    monkeypatch.setattr(selectors, "orders_of_seller", slow)


def test_the_api_answers_503_service_unavailable(api, slow_orders):
    response = api.get("/api/v1/orders")
    assert response.status_code == 503
    assert response["Retry-After"]
    (error,) = response.json()["errors"]
    assert error["code"] == "ServiceUnavailable"
    assert "took too long" in error["message"]


def test_a_page_answers_503_with_a_page_that_says_so(client, user, slow_orders):
    client.force_login(user)
    response = client.get(reverse("dashboard:orders"))
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "took too long" in response.content.decode()
