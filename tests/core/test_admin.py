"""The admin for marketplace staff: every model's list and form open, in few queries."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from sellercx.models import ApiToken
from tests.factories import OfferFactory, order_of

pytestmark = pytest.mark.django_db

MODELS = [m for m in admin.site._registry if m._meta.app_label == "sellercx"]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_list_and_add_pages_open(admin_client, seller, marketplace, model):
    order_of(OfferFactory(seller=seller, marketplace=marketplace))
    opts = model._meta
    assert (
        admin_client.get(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        ).status_code
        == 200
    )
    assert (
        admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add")).status_code
        == 200
    )


def test_ac4_staff_create_a_marketplace_token_shown_once(admin_client, marketplace):
    response = admin_client.post(
        reverse("admin:sellercx_apitoken_add"),
        {"name": "Storefront FR", "marketplace": marketplace.pk},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get()
    assert token.kind == "marketplace" and token.marketplace == marketplace
    shown = [str(m) for m in response.context["messages"]]
    assert any(token.prefix in m for m in shown)


def test_ac4_staff_revoke_tokens(admin_client, user):
    from tests.conftest import token_for

    token_for(user)
    token = ApiToken.objects.get()
    admin_client.post(
        reverse("admin:sellercx_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
