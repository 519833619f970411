"""The admin for marketplace staff: every model's list and form open, in few queries."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import reverse

from sellercx.models import ApiToken, PolicySetting
from tests.factories import OfferFactory, order_of

pytestmark = pytest.mark.django_db

OUR_APPS = {"sellercx", "feedback", "reviews", "messaging", "metrics", "voc"}
MODELS = [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_admin_list_and_add_pages_open(admin_client, seller, marketplace, model):
    order_of(OfferFactory(seller=seller, marketplace=marketplace))
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    assert admin_client.get(changelist).status_code == 200
    # Rows declared in code or made by sellers (policy settings, removal requests) are not
    # added by hand.
    expected = 200 if admin.site._registry[model].has_add_permission(_staff_request()) else 403
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert admin_client.get(add).status_code == expected


def _staff_request():
    from django.test import RequestFactory

    from tests.factories import StaffFactory

    request = RequestFactory().get("/admin/")
    request.user = StaffFactory.build()
    return request


def test_policy_settings_are_written_on_migrate_and_read_back(db):
    from decimal import Decimal

    from sellercx import policy

    item = policy.declare("test.threshold", "5", unit="%", label="A test threshold")
    try:
        assert item.value() == Decimal("5")
        policy.write_missing_rows()
        PolicySetting.objects.filter(key="test.threshold").update(value=Decimal("7.5"))
        assert item.value() == Decimal("7.5")
    finally:
        policy._declared.pop("test.threshold")


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
